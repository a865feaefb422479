namespace NoetherTheory.Core.Documents;

// noether.compare/1: what `noether compare --out` and `noether main` write.

/// <summary>Discrete optimizer vs compiled flows (<c>noether.compare/1</c>).</summary>
/// <param name="Comparisons">One entry per comparison.</param>
public sealed record CompareDocument(IReadOnlyList<ComparisonEntry> Comparisons) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.compare/1";
}

/// <summary>One comparison.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Model">Model id.</param>
/// <param name="Beta">β.</param>
/// <param name="WeightDecay">k.</param>
/// <param name="Time">T.</param>
/// <param name="Start">Start mode.</param>
/// <param name="Rows">One row per learning rate.</param>
/// <param name="GradientFlowSlope">Observed order against the gradient flow.</param>
/// <param name="ModifiedLossSlope">Observed order against the modified-loss flow.</param>
/// <param name="SecondOrderSlope">Observed order against the second-order equation.</param>
public sealed record ComparisonEntry(string Rule, string Model, double Beta, double WeightDecay, double Time, string Start,
    IReadOnlyList<ComparisonRowEntry> Rows, double GradientFlowSlope, double ModifiedLossSlope, double SecondOrderSlope);

/// <summary>One learning rate of the sweep.</summary>
/// <param name="Eta">η.</param>
/// <param name="Steps">N = T/η.</param>
/// <param name="GradientFlowError">Against the gradient flow.</param>
/// <param name="ModifiedLossError">Against the modified-loss flow.</param>
/// <param name="SecondOrderError">Against the second-order equation.</param>
public sealed record ComparisonRowEntry(double Eta, int Steps, double GradientFlowError, double ModifiedLossError, double SecondOrderError);

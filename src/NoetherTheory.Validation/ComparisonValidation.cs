using NoetherTheory.Core.Documents;
using NoetherTheory.Mechanics;
using NoetherTheory.Simulation.Compiled;

namespace NoetherTheory.Validation;

/// <summary>The comparison protocol: the discrete optimizer against the compiled flows of its derived equations, written
/// as the <c>noether.compare/1</c> document.</summary>
public static class ComparisonValidation
{
    /// <summary>Runs one comparison against <paramref name="catalog"/>.</summary>
    /// <exception cref="ArgumentException">Unknown rule or model, or options the comparison cannot use.</exception>
    public static ComparisonResult Run(Catalog catalog, ComparisonOptions options) => ModelComparison.Run(catalog, options);

    /// <summary>The results as a <c>noether.compare/1</c> document.</summary>
    public static CompareDocument ToDocument(IEnumerable<ComparisonResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new CompareDocument([.. results.Select(r => new ComparisonEntry(r.Options.RuleId, r.Options.ModelId,
            r.Options.Beta, r.Options.WeightDecay, r.Options.Time, r.Options.Start.ToString(),
            [.. r.Rows.Select(x => new ComparisonRowEntry(x.Eta, x.Steps, x.GradientFlowError, x.ModifiedLossError, x.SecondOrderError))],
            r.GradientFlowSlope, r.ModifiedLossSlope, r.SecondOrderSlope))]);
    }
}

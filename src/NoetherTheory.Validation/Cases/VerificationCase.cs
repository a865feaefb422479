using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

/// <summary>Accepts |measured − predicted| ≤ Abs + Rel·max(|measured|, |predicted|).</summary>
/// <param name="Abs">Absolute part.</param>
/// <param name="Rel">Relative part.</param>
public readonly record struct CaseTolerance(double Abs, double Rel)
{
    /// <summary>The admissible difference for this pair.</summary>
    public double Bound(double measured, double predicted) => Abs + Rel * Math.Max(Math.Abs(measured), Math.Abs(predicted));

    /// <summary>Whether the pair agrees (NaN never does).</summary>
    public bool Accepts(double measured, double predicted) =>
        double.IsFinite(measured) && double.IsFinite(predicted) && Math.Abs(measured - predicted) <= Bound(measured, predicted);
}

/// <summary>An externally measured value (e.g. from the theory notes' Python runs) that the measurement must reproduce.</summary>
/// <param name="Value">The reference value.</param>
/// <param name="Tolerance">How close the measurement must be.</param>
/// <param name="Source">Where the value comes from.</param>
public sealed record ReferenceValue(double Value, CaseTolerance Tolerance, string Source);

/// <summary>How the heavy-ball buffer starts.</summary>
public enum BufferStart
{
    /// <summary>PyTorch: buf₁ = d₀.</summary>
    PyTorch,
    /// <summary>Warm start at the terminal velocity d₀/(1−β).</summary>
    Terminal,
    /// <summary>A seeded N(0, 1) buffer (to make skew(WᵀV) non-zero at the start).</summary>
    Random,
}

/// <summary>What a case's prediction is.</summary>
public enum ReferenceKind
{
    /// <summary>A closed form derived from theory (the tolerance covers its stated error terms and the statistics).</summary>
    Derived,
    /// <summary>A recorded empirical value (a regression band): it documents behaviour, it does not test a derivation.</summary>
    Regression,
}

/// <summary>One verification case from <c>validation/cases/*.json</c>: a model, an optimizer run, a law and its tolerance.</summary>
public sealed record VerificationCase
{
    /// <summary>Unique id (the file name without extension by convention).</summary>
    public required string Id { get; init; }
    /// <summary>Suite name: exact, laws, orders, adaptive, ….</summary>
    public required string Suite { get; init; }
    /// <summary>Toy-model id (see <see cref="ToyModels.Ids"/>), or "none" for laws that need no model.</summary>
    public required string Model { get; init; }
    /// <summary>Model parameters.</summary>
    public ParameterSet ModelParameters { get; init; } = ParameterSet.Empty;
    /// <summary>Optimizer hyperparameters.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();
    /// <summary>How the heavy-ball buffer starts.</summary>
    public BufferStart InitialBuffer { get; init; } = BufferStart.PyTorch;
    /// <summary>Number of optimizer steps.</summary>
    public int Steps { get; init; }
    /// <summary>Seed for data, initial points and stochastic gradients.</summary>
    public int Seed { get; init; }
    /// <summary>Law id (see <see cref="VerificationSuite.Laws"/>).</summary>
    public required string Law { get; init; }
    /// <summary>Law parameters.</summary>
    public ParameterSet LawParameters { get; init; } = ParameterSet.Empty;
    /// <summary>What is compared, in words.</summary>
    public required string Quantity { get; init; }
    /// <summary>Tolerance of measured vs predicted.</summary>
    public CaseTolerance Tolerance { get; init; }
    /// <summary>Optional reference value for the measurement.</summary>
    public ReferenceValue? Reference { get; init; }
    /// <summary>Why the tolerance is what it is.</summary>
    public required string Why { get; init; }
    /// <summary>The equations the case checks, as <c>theory/&lt;file&gt;.md#eq-…</c> anchors (the case file's
    /// <c>theory</c> field; empty when absent).</summary>
    public IReadOnlyList<string> Theory { get; init; } = [];
    /// <summary>Whether <see cref="Law"/>'s prediction is derived from theory or a recorded regression band (the case file's
    /// <c>referenceKind</c>: "derived", the default, or "regression").</summary>
    public ReferenceKind ReferenceKind { get; init; } = ReferenceKind.Derived;
    /// <summary>The file it came from (empty for cases built in code).</summary>
    public string SourceFile { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>What a law run returns: the measurement, the prediction and a short explanation.</summary>
/// <param name="Measured">Measured value.</param>
/// <param name="Predicted">Predicted value.</param>
/// <param name="Detail">Human-readable detail (where the worst residual was, etc.).</param>
/// <param name="ReferenceMeasured">The value compared with the case's reference, when it is not <paramref name="Measured"/>
/// (order laws: the error at the first learning rate, not the slope).</param>
public sealed record LawOutcome(double Measured, double Predicted, string Detail, double? ReferenceMeasured = null);

/// <summary>The verdict of one case.</summary>
/// <param name="CaseId">Case id.</param>
/// <param name="Suite">Suite.</param>
/// <param name="Law">Law id.</param>
/// <param name="Quantity">What was compared.</param>
/// <param name="Measured">Measured value (NaN when the run failed).</param>
/// <param name="Predicted">Predicted value.</param>
/// <param name="Error">|Measured − Predicted|.</param>
/// <param name="Bound">The admissible error from the tolerance.</param>
/// <param name="Tolerance">The tolerance.</param>
/// <param name="ReferenceError">|Measured − reference| when the case has a reference, else null.</param>
/// <param name="Passed">Verdict (prediction and reference both within tolerance, no failure).</param>
/// <param name="Runtime">Wall time of the case.</param>
/// <param name="Detail">Law detail, or the failure message.</param>
public sealed record VerificationRecord(string CaseId, string Suite, string Law, string Quantity, double Measured,
    double Predicted, double Error, double Bound, CaseTolerance Tolerance, double? ReferenceError, bool Passed,
    TimeSpan Runtime, string Detail)
{
    /// <summary>The theory anchors the case cites (copied from <see cref="VerificationCase.Theory"/>).</summary>
    public IReadOnlyList<string> Theory { get; init; } = [];

    /// <summary>Whether the prediction is derived from theory or a recorded regression band (copied from
    /// <see cref="VerificationCase.ReferenceKind"/>).</summary>
    public ReferenceKind ReferenceKind { get; init; } = ReferenceKind.Derived;

    /// <summary><see cref="ReferenceKind"/> as the documents and the table write it: "derived" or "regression".</summary>
    public string ReferenceKindName => ReferenceKind == ReferenceKind.Derived ? "derived" : "regression";
}

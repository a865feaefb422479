namespace NoetherTheory.Core.Documents;

// noether.group-checks/1: what `noether train` writes as group-checks.json into a run folder that measured symmetry groups.

/// <summary>The symmetry groups of one training run, their verdicts and the exact laws of the measured ones
/// (theory/08-group-laws.md; <c>noether.group-checks/1</c>).</summary>
/// <param name="Run">The run folder's name.</param>
/// <param name="Model">The network in words.</param>
/// <param name="Momentum">Heavy ball's β.</param>
/// <param name="WeightDecay">The coupled weight decay k.</param>
/// <param name="Inapplicable">Why the heavy-ball recursions do not apply to the run, or null when they do.</param>
/// <param name="RecursionTolerance">The bound on every recursion error.</param>
/// <param name="IdentityMedianTolerance">The bound on a holding group's median identity residual.</param>
/// <param name="Passed">Every measured group's recursion holds (where it applies) and every holding group's identity holds.</param>
/// <param name="Candidates">Every candidate group (discovered, then declared), measured or not.</param>
/// <param name="Groups">The measured groups' laws.</param>
/// <param name="Kinds">Each law's error distribution per group kind (scale, rescale, translation; kinds without a measured
/// group left out).</param>
/// <param name="ContinuousLaws">Green's law, Eq. 17 and the regime per measured scale group (approximate laws: error
/// distributions, no verdict); null when they do not apply to the run (Adam, constrained norms) or in documents written
/// before they were recorded.</param>
/// <param name="EpsilonLaws">The BN-ε prediction's check per measured scale group that feeds batch normalisations
/// (theory/08-group-laws.md#eq-8-4); null when no measured group has a prediction, or in documents written before they were
/// recorded.</param>
public sealed record GroupChecksDocument(string Run, string Model, double Momentum, double WeightDecay, string? Inapplicable,
    double RecursionTolerance, double IdentityMedianTolerance, bool Passed, IReadOnlyList<GroupCandidateEntry> Candidates,
    IReadOnlyList<GroupLawEntry> Groups, IReadOnlyList<GroupKindEntry> Kinds, IReadOnlyList<ScaleGroupLawsEntry>? ContinuousLaws = null,
    IReadOnlyList<ScaleGroupEpsilonEntry>? EpsilonLaws = null)
    : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.group-checks/1";

    /// <summary>The file name a run folder holds it under.</summary>
    public const string FileName = "group-checks.json";
}

/// <summary>One candidate group of a run as discovery decided it (symmetries.csv).</summary>
/// <param name="Name">Its id.</param>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Verdict">holds, broken or refuted.</param>
/// <param name="Cause">What breaks a broken group (epsilon, bias, skip), none otherwise.</param>
/// <param name="Generators">Number of generators.</param>
/// <param name="Measured">Whether the run measured it.</param>
/// <param name="Float32Gradient">Discovery's worst |⟨g, ξ⟩| relative to Σ|g||ξ| in float32.</param>
/// <param name="Float64Gradient">The same in float64.</param>
public sealed record GroupCandidateEntry(string Name, string Kind, string Verdict, string Cause, long Generators, bool Measured,
    double Float32Gradient, double Float64Gradient);

/// <summary>A distribution of non-negative errors.</summary>
/// <param name="Count">Number of values.</param>
/// <param name="Median">Median (NaN when empty).</param>
/// <param name="P90">90th percentile (NaN when empty).</param>
/// <param name="Max">Largest value (NaN when empty).</param>
public sealed record ErrorDistributionEntry(int Count, double Median, double P90, double Max);

/// <summary>The laws of one measured group over a run.</summary>
/// <param name="Name">The group.</param>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Verdict">Discovery's verdict (holds or broken).</param>
/// <param name="Cause">What breaks a broken group.</param>
/// <param name="Generators">Generators measured.</param>
/// <param name="Pairs">Step pairs × generators checked against the recursion.</param>
/// <param name="ChargeRecursion">The charge recursion's errors.</param>
/// <param name="VelocityRecursion">The velocity term's recursion errors.</param>
/// <param name="Identity">The identity residuals |G| relative to their Cauchy–Schwarz scale (a broken group's violation).</param>
/// <param name="FirstNonFinite">The first non-finite measured value, or null.</param>
/// <param name="RecursionHolds">Whether the recursion holds; null when it does not apply to the run.</param>
/// <param name="IdentityHolds">Whether the identity holds; null for a broken group (its violation is reported, not bounded).</param>
public sealed record GroupLawEntry(string Name, string Kind, string Verdict, string Cause, int Generators, int Pairs,
    ErrorDistributionEntry ChargeRecursion, ErrorDistributionEntry VelocityRecursion, ErrorDistributionEntry Identity, string? FirstNonFinite,
    bool? RecursionHolds, bool? IdentityHolds);

/// <summary>Each law's error distribution over all generator-steps of one group kind.</summary>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Groups">Measured groups of the kind.</param>
/// <param name="Holding">Of which discovery found to hold.</param>
/// <param name="ChargeRecursion">The charge recursion's errors.</param>
/// <param name="VelocityRecursion">The velocity term's recursion errors.</param>
/// <param name="Identity">The identity residuals of the holding groups.</param>
/// <param name="Violation">The identity residuals of the broken groups.</param>
public sealed record GroupKindEntry(string Kind, int Groups, int Holding, ErrorDistributionEntry ChargeRecursion, ErrorDistributionEntry VelocityRecursion,
    ErrorDistributionEntry Identity, ErrorDistributionEntry Violation);

/// <summary>The continuous laws of one scale group.</summary>
/// <param name="Group">The group.</param>
/// <param name="Generators">Generators analysed.</param>
/// <param name="GreenLaw">Relative error of the Green's-function law per generator at the last analysed step.</param>
/// <param name="Eq17">Relative error of Eq. 17 at the same step.</param>
/// <param name="PersistenceIndex">Median persistence index (0 white, 1 persistent gradients).</param>
/// <param name="Regime">The regime it points to (persistent, white, mixed).</param>
public sealed record ScaleGroupLawsEntry(string Group, int Generators, ErrorDistributionEntry GreenLaw, ErrorDistributionEntry Eq17,
    double PersistenceIndex, string Regime);

/// <summary>The BN-ε law of one scale group: measured G against ε/(c+ε)·γ·∂f/∂γ summed over its BN channels, per generator.</summary>
/// <param name="Group">The group.</param>
/// <param name="Verdict">Discovery's verdict.</param>
/// <param name="Cause">What breaks it (epsilon, or none).</param>
/// <param name="Generators">Generators with a prediction.</param>
/// <param name="Samples">Generator-steps compared.</param>
/// <param name="Violation">|G_pred|/√(W2·G2).</param>
/// <param name="Residual">|G − G_pred|/√(W2·G2).</param>
/// <param name="ResolvedSamples">Generator-steps whose violation is resolved.</param>
/// <param name="RelativeError">|G − G_pred|/|G_pred| over the resolved generator-steps.</param>
/// <param name="MedianTolerance">The bound on the median residual.</param>
/// <param name="FirstNonFinite">The first non-finite value, or null.</param>
/// <param name="Holds">Whether the prediction holds (median residual within the bound, every value finite).</param>
public sealed record ScaleGroupEpsilonEntry(string Group, string Verdict, string Cause, int Generators, int Samples, ErrorDistributionEntry Violation,
    ErrorDistributionEntry Residual, int ResolvedSamples, ErrorDistributionEntry RelativeError, double MedianTolerance, string? FirstNonFinite, bool Holds);

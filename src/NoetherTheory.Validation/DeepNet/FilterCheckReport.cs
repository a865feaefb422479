namespace NoetherTheory.Validation.DeepNet;

/// <summary>Which gradient statistics a layer's filters show, judged from |v|² against its white-noise and persistent
/// predictions (theory/05-learning-dynamics.md#eq-5-4).</summary>
public enum GradientRegime
{
    /// <summary>β = 0 or too few samples: |v|² does not tell the regimes apart.</summary>
    Undetermined,

    /// <summary>|v|² ≈ |d|²/(1−β)²: successive gradients aligned (Eq. 17's assumption).</summary>
    Persistent,

    /// <summary>|v|² ≈ |d|²/(1−β²): successive gradients uncorrelated (Eq. 17 over-predicts r²).</summary>
    WhiteNoise,

    /// <summary>Between the two.</summary>
    Mixed,
}

/// <summary>Medians over a layer's filters at one measured step.</summary>
/// <param name="Step">Step n.</param>
/// <param name="MeasuredR2">Median measured r² = |w_n|².</param>
/// <param name="GreenR2">Median r² from the Neural Mechanics Green's-function law driven by the measured |v|².</param>
/// <param name="Eq17R2">Median r² from NLD Eq. 17 driven by the measured |ĝ|².</param>
/// <param name="EffectiveLearningRate">Median η/((1−β)r²) from the measured r².</param>
/// <param name="RmsPropEffectiveLearningRate">Median η/((1−β)√G) with G the RMSProp accumulator
/// G ← ρ_eff G + gain·|ĝ|² fed with the measured |ĝ|² (theory/05-learning-dynamics.md#eq-5-5).</param>
/// <param name="GreenError">Median relative error of the Green's-function law.</param>
/// <param name="Eq17Error">Median relative error of Eq. 17.</param>
public sealed record LayerCurvePoint(long Step, double MeasuredR2, double GreenR2, double Eq17R2, double EffectiveLearningRate,
    double RmsPropEffectiveLearningRate, double GreenError, double Eq17Error);

/// <summary>
/// The BN-ε symmetry breaking of one layer: measured ⟨w,g⟩ against its prediction ε/(c+ε)·γ·∂f/∂γ
/// (theory/05-learning-dynamics.md#eq-5-7) over every measured step and filter that carries a prediction.
/// </summary>
/// <param name="Samples">Filter-steps compared (0: the log has no prediction, e.g. an older filters.csv).</param>
/// <param name="Violation">|predicted|/(|w||g|): how strongly ε breaks the scale symmetry, as a cosine.</param>
/// <param name="Residual">|measured − predicted|/(|w||g|): the identity's error on the scale of ⟨w,g⟩'s summands; finite
/// even where both sides are ≈ 0 (for ε = 0 it is |cos(w,g)|, the round-off floor).</param>
/// <param name="ResolvedSamples">Filter-steps whose violation is at least <see cref="FilterChecks.ResolvedViolation"/>.</param>
/// <param name="RelativeError">|measured − predicted|/|predicted| over those resolved filter-steps.</param>
public sealed record EpsilonCheck(int Samples, ErrorStatistics Violation, ErrorStatistics Residual, int ResolvedSamples,
    ErrorStatistics RelativeError);

/// <summary>The filter checks of one BN-preceded conv layer.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Filters">Number of filters.</param>
/// <param name="RecursionPairs">Measured step pairs (n, n+1) × filters checked against the exact recursion (0: none).</param>
/// <param name="RecursionWeightNorm">|a_{n+1}^pred − a_{n+1}|/a_n over all pairs and filters.</param>
/// <param name="RecursionWeightDotVelocity">|b_{n+1}^pred − b_{n+1}|/(|w_n||v_{n+1}|) over all pairs and filters.</param>
/// <param name="GreenLaw">Per-filter relative error of the Green's-function law at the last analysed measured step.</param>
/// <param name="Eq17">Per-filter relative error of Eq. 17 at the same step.</param>
/// <param name="GreenErrors">The per-filter values behind <paramref name="GreenLaw"/>.</param>
/// <param name="Eq17Errors">The per-filter values behind <paramref name="Eq17"/>.</param>
/// <param name="PersistenceIndex">Median over filters of (|v_n|² − W_n)/(P_n − W_n), where W_n = Σⱼβ²ʲ|d_{n−1−j}|² is the buffer's
/// size for uncorrelated steps d and P_n = (Σⱼβʲ|d_{n−1−j}|)² for aligned ones, both from the measured |d|²: 0 white noise,
/// 1 persistent (NaN when β = 0).</param>
/// <param name="Regime">The regime the index points to.</param>
/// <param name="SymmetryCosine">|⟨w,g⟩|/(|w||g|) over all filters and analysed steps (theory/05-learning-dynamics.md#eq-5-1).</param>
/// <param name="Curves">Medians over filters at each analysed measured step.</param>
/// <param name="Epsilon">Measured ⟨w,g⟩ against the BN-ε prediction, over all measured steps.</param>
public sealed record LayerFilterCheck(string Layer, int Filters, int RecursionPairs, ErrorStatistics RecursionWeightNorm,
    ErrorStatistics RecursionWeightDotVelocity, ErrorStatistics GreenLaw, ErrorStatistics Eq17, IReadOnlyList<double> GreenErrors,
    IReadOnlyList<double> Eq17Errors, double PersistenceIndex, GradientRegime Regime, ErrorStatistics SymmetryCosine,
    IReadOnlyList<LayerCurvePoint> Curves, EpsilonCheck Epsilon)
{
    /// <summary>The earliest analysed sample with a NaN or infinite measured value, as "layer L, filter F, step n: name =
    /// value" (null when every value is finite). A layer with one fails every verdict of the report.</summary>
    public string? FirstNonFinite { get; init; }
}

/// <summary>The filter checks of one run.</summary>
/// <param name="Settings">The run's settings.</param>
/// <param name="EffectiveDiscount">ρ_eff = 1 − 4ηk/(1−β), the RMSProp discount the run corresponds to.</param>
/// <param name="RecursionSkippedBecause">Why the exact recursion was not checked (null when it was, or when no step pair was measured).</param>
/// <param name="RecursionTolerance">The bound each recursion error is held to.</param>
/// <param name="LastAnalysedStep">The last measured step the laws were evaluated at.</param>
/// <param name="Layers">Per-layer results, in network order.</param>
/// <param name="EpsilonTolerance">The bound each layer's median BN-ε residual |measured − predicted|/(|w||g|) is held to
/// (<see cref="FilterChecks.EpsilonMedianTolerance"/>).</param>
/// <param name="NonFinite">The first non-finite measured value in the log ("step 12, features.0 filter 3: g2 = NaN"), or
/// null. A log with one makes every check fail: no law "holds" over data it could not compare.</param>
public sealed record FilterCheckReport(FilterCheckSettings Settings, double EffectiveDiscount, string? RecursionSkippedBecause,
    double RecursionTolerance, long LastAnalysedStep, IReadOnlyList<LayerFilterCheck> Layers, double EpsilonTolerance,
    string? NonFinite = null)
{
    /// <summary>The first layer's earliest non-finite sample ("layer L, filter F, step n: name = value"), or null when every
    /// analysed value is finite. Non-null makes <see cref="RecursionHolds"/> and <see cref="EpsilonIdentityHolds"/> false.</summary>
    public string? FirstNonFinite => Layers.Select(l => l.FirstNonFinite).FirstOrDefault(x => x is not null);

    /// <summary>Filter-steps compared with the BN-ε prediction, over all layers.</summary>
    public int EpsilonSamples => Layers.Sum(l => l.Epsilon.Samples);

    /// <summary>Largest BN-ε residual |measured − predicted|/(|w||g|) over layers (NaN when nothing was compared).</summary>
    public double EpsilonResidualMax => EpsilonSamples == 0 ? double.NaN
        : Layers.Where(l => l.Epsilon.Samples > 0).Max(l => l.Epsilon.Residual.Max);

    /// <summary>Largest per-layer median BN-ε residual (NaN when nothing was compared): what <see cref="EpsilonTolerance"/> bounds.</summary>
    public double EpsilonResidualMedianMax => EpsilonSamples == 0 ? double.NaN
        : Layers.Where(l => l.Epsilon.Samples > 0).Max(l => l.Epsilon.Residual.Median);

    /// <summary>Largest violation |predicted|/(|w||g|) over layers (NaN when nothing was compared).</summary>
    public double EpsilonViolationMax => EpsilonSamples == 0 ? double.NaN
        : Layers.Where(l => l.Epsilon.Samples > 0).Max(l => l.Epsilon.Violation.Max);

    /// <summary>Largest |cos(w,g)| = |⟨w,g⟩|/(|w||g|) over layers and analysed steps: for an ε = 0 run, the round-off floor
    /// of the exact symmetry (NaN when nothing was measured).</summary>
    public double SymmetryCosineMax => Layers.Count == 0 || Layers.All(l => l.SymmetryCosine.Count == 0) ? double.NaN
        : Layers.Where(l => l.SymmetryCosine.Count > 0).Max(l => l.SymmetryCosine.Max);

    /// <summary>True when at least one filter-step was compared and every layer's median residual is within
    /// <see cref="EpsilonTolerance"/>: the measured ⟨w,g⟩ is the predicted ε/(c+ε)·γ·∂f/∂γ up to float32 round-off, with no
    /// systematic error (the largest single residual, <see cref="EpsilonResidualMax"/>, is the round-off tail).</summary>
    public bool EpsilonIdentityHolds => FirstNonFinite is null && NonFinite is null && EpsilonSamples > 0 && EpsilonResidualMedianMax <= EpsilonTolerance;

    /// <summary>Total pairs × filters checked against the exact recursion.</summary>
    public int RecursionPairs => Layers.Sum(l => l.RecursionPairs);

    /// <summary>Largest recursion error over layers (NaN when nothing was checked).</summary>
    public double RecursionMaxError => RecursionPairs == 0 ? double.NaN
        : Layers.Where(l => l.RecursionPairs > 0).Max(l => Math.Max(l.RecursionWeightNorm.Max, l.RecursionWeightDotVelocity.Max));

    /// <summary>True when at least one pair was checked and every error is within <see cref="RecursionTolerance"/>.</summary>
    public bool RecursionHolds => FirstNonFinite is null && NonFinite is null && RecursionPairs > 0 && RecursionMaxError <= RecursionTolerance;
}

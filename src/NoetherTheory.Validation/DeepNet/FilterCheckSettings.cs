namespace NoetherTheory.Validation.DeepNet;

/// <summary>The optimizer and model settings of a measured run that the filter checks need.</summary>
/// <param name="LearningRate">η, constant up to <paramref name="AnalysisEndStep"/>.</param>
/// <param name="Momentum">β.</param>
/// <param name="WeightDecay">k (coupled, PyTorch form d = g + kq).</param>
/// <param name="Dampening">δ; the exact recursion needs 0.</param>
/// <param name="Nesterov">Nesterov momentum (the recursion below is for heavy ball only).</param>
/// <param name="DecoupledWeightDecay">Decoupled decay (the recursion below is for coupled decay only).</param>
/// <param name="ConstrainedFilterNorms">Filters were rescaled after every step (the norm laws do not apply).</param>
/// <param name="BatchNormEpsilon">BN's ε (0: exact scale symmetry).</param>
/// <param name="AnalysisEndStep">Analyse steps n &lt; this (the first learning-rate milestone, or the run's length):
/// the laws below are for constant η.</param>
public sealed record FilterCheckSettings(double LearningRate, double Momentum, double WeightDecay, double Dampening, bool Nesterov,
    bool DecoupledWeightDecay, bool ConstrainedFilterNorms, double BatchNormEpsilon, long AnalysisEndStep)
{
    /// <summary>Why the exact heavy-ball recursion does not apply to these settings, or null when it does.</summary>
    public string? RecursionInapplicable =>
        ConstrainedFilterNorms ? "filter norms are rescaled after every step (constrained run)"
        : Nesterov ? "Nesterov momentum (the recursion is for heavy ball)"
        : DecoupledWeightDecay ? "decoupled weight decay (the recursion is for coupled decay)"
        : Dampening != 0 ? "dampening ≠ 0"
        : null;

    /// <summary>Throws for out-of-range values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">η ≤ 0, β ∉ [0, 1), k &lt; 0 or ε &lt; 0.</exception>
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be > 0.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "β must be in [0, 1).");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "k must be ≥ 0.");
        if (!(BatchNormEpsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(BatchNormEpsilon), BatchNormEpsilon, "ε must be ≥ 0.");
    }
}

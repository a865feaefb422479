namespace NoetherTheory.Validation.DeepNet;

/// <summary>One filter's measured quantities at step n, before update n (the engine's filters.csv row).</summary>
/// <param name="Step">Step index n.</param>
/// <param name="WeightNormSq">a_n = |w_n|².</param>
/// <param name="GradNormSq">|g_n|², the loss gradient without the weight-decay term.</param>
/// <param name="VelocityNormSq">|v_n|², the momentum buffer before update n (0 at n = 0).</param>
/// <param name="WeightDotGrad">⟨w_n, g_n⟩ (0 for an exactly scale-invariant filter).</param>
/// <param name="WeightDotVelocity">b_n = ⟨w_n, v_n⟩.</param>
/// <param name="PredictedWeightDotGrad">The predicted ⟨w_n, g_n⟩ = ε/(c+ε)·γ·∂f/∂γ of the filter's BN channel
/// (theory/05-learning-dynamics.md#eq-5-7); NaN when the log has no prediction (older layout).</param>
/// <param name="BatchVariance">c, the biased batch variance BN normalised the filter's output with (NaN when absent).</param>
/// <param name="AngularUpdate">The angle (rad) between w_n and w_{n+1}, turned by update n (NaN when absent: older layout).</param>
public readonly record struct FilterSample(long Step, double WeightNormSq, double GradNormSq, double VelocityNormSq,
    double WeightDotGrad, double WeightDotVelocity, double PredictedWeightDotGrad = double.NaN, double BatchVariance = double.NaN,
    double AngularUpdate = double.NaN)
{
    /// <summary>|ĝ|² = |g|²·|w|²: the gradient at the unit-norm filter, exact for a scale-invariant filter
    /// (theory/05-learning-dynamics.md#eq-5-1).</summary>
    public double UnitGradNormSq => GradNormSq * WeightNormSq;

    /// <summary>⟨w, g⟩/(|w||g|): the scale-symmetry violation as a cosine (0 when the gradient vanishes).</summary>
    public double SymmetryCosine => WeightNormSq > 0 && GradNormSq > 0 ? WeightDotGrad / Math.Sqrt(WeightNormSq * GradNormSq) : 0;

    /// <summary>|w||g|: the size of the terms whose sum is ⟨w,g⟩, the scale on which its round-off and the BN-ε violation
    /// are judged.</summary>
    public double SymmetryScale => Math.Sqrt(WeightNormSq * GradNormSq);

    /// <summary>True when the sample carries a predicted ⟨w,g⟩.</summary>
    public bool HasPrediction => !double.IsNaN(PredictedWeightDotGrad);
}

/// <summary>All measured samples of one BN-preceded conv filter, in increasing step order.</summary>
/// <param name="Layer">The conv's name (e.g. "features.0").</param>
/// <param name="Filter">Output-channel index.</param>
/// <param name="Samples">Samples sorted by step, steps distinct.</param>
public sealed record FilterTrace(string Layer, int Filter, IReadOnlyList<FilterSample> Samples);

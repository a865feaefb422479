namespace NoetherTheory.Numerics.Laws;

/// <summary>Closed-form predictions of Neural Mechanics and NLD (time t = nη throughout).</summary>
public static class ClosedForms
{
    /// <summary>Translation law with weight decay: s(t) = e^{−kt} s₀ (theory/03-noether.md#eq-3-13).</summary>
    public static double Translation(double s0, double k, double t) => Math.Exp(-k * t) * s0;

    /// <summary>Mass m = η(1+β)/2 of the modified equation (theory/01-learning-lagrangian.md#eq-1-8).</summary>
    public static double Mass(double eta, double beta) => eta * (1 + beta) / 2;

    /// <summary>Friction μ = 1 − β (theory/01-learning-lagrangian.md#eq-1-8).</summary>
    public static double Friction(double beta) => 1 - beta;

    /// <summary>Persistent-gradient steady state r⁴* = η(1+β)|ĝ|²/(2k(1−β)²) of Eq. 17 (theory/05-learning-dynamics.md#eq-5-4, G#12).</summary>
    public static double SteadyStateR4Persistent(double eta, double beta, double k, double gHat2) =>
        eta * (1 + beta) * gHat2 / (2 * k * (1 - beta) * (1 - beta));

    /// <summary>White-noise steady state ⟨r⁴⟩ = η|ĝ|²/(2k(1−β)) (theory/05-learning-dynamics.md#eq-5-4, G#13).</summary>
    public static double SteadyStateR4White(double eta, double beta, double k, double gHat2) =>
        eta * gHat2 / (2 * k * (1 - beta));

    /// <summary>
    /// Momentum amplification of the r⁴ accumulator's input gain d(r⁴)/dn relative to β = 0 (k = 0):
    /// (1+β)/(1−β)³ for persistent gradients, 1/(1−β)² for white noise.
    /// </summary>
    /// <remarks>theory/05-learning-dynamics.md#eq-5-5 (G#14). Persistent: |v| → |g|/(1−β) and the exact recursion
    /// theory/04-numerical-integration.md#eq-4-5 gives Δ|q|² = η²|v|²(1+β)/(1−β) per step. White noise: ⟨|v|²⟩ =
    /// |g|²/(1−β²), so the same recursion gives Δ|q|² = η²|g|²/(1−β)², an amplification of only 1/(1−β)² (100 at
    /// β = 0.9). The "1/(1−β)" quoted for white noise in the notes is the ratio of steady states, see
    /// <see cref="SteadyStateAmplification"/>.</remarks>
    public static double GainAmplification(double beta, bool persistent) =>
        persistent ? (1 + beta) / Math.Pow(1 - beta, 3) : 1 / ((1 - beta) * (1 - beta));

    /// <summary>
    /// Momentum amplification of the steady state r⁴* relative to β = 0 at the same η and k: (1+β)/(1−β)² for
    /// persistent gradients, 1/(1−β) for white noise (the gain amplification divided by the 1/(1−β) faster decay).
    /// </summary>
    /// <remarks>theory/05-learning-dynamics.md#eq-5-4.</remarks>
    public static double SteadyStateAmplification(double beta, bool persistent) =>
        persistent ? (1 + beta) / ((1 - beta) * (1 - beta)) : 1 / (1 - beta);

    /// <summary>
    /// Per-step log-contraction of heavy ball's slow mode on a quadratic of curvature σ, to second order in ησ:
    /// −ησ/(1−β) − (ησ)²(1+β)/(2(1−β)³) (residual O(η³)).
    /// </summary>
    /// <remarks>What the HB modified loss theory/01-learning-lagrangian.md#eq-1-6 predicts on f = ½σq² (G#22); the
    /// slow root exists (is real) while ησ &lt; (1−√β)².</remarks>
    public static double SlowModeLogContraction(double eta, double beta, double sigma)
    {
        double x = eta * sigma;
        return -x / (1 - beta) - x * x * (1 + beta) / (2 * Math.Pow(1 - beta, 3));
    }

    /// <summary>
    /// Relative change of the effective learning rate η/((1−β)r²) over a horizon in which the loss fell by Δf (k = 0,
    /// start and end at rest), to first order: −η(1+β)Δf/((1−β)²r₀²).
    /// </summary>
    /// <remarks>theory/05-learning-dynamics.md#eq-5-2 with the norm–loss law (G#26): r² grows by
    /// <see cref="NormLossRatio"/>·Δf, so η_eff falls by the factor 1/(1 + that/r₀²).</remarks>
    public static double EffectiveLearningRateChange(double eta, double beta, double lossDrop, double r0Squared) =>
        -NormLossRatio(eta, beta) * lossDrop / r0Squared;

    /// <summary>
    /// Squared filter norm at heavy ball's angular stability edge: η(|a|/r² + k) = 2(1+β), i.e.
    /// r²_edge = η|a|/(2(1+β) − ηk), for an angular curvature |a| on the unit sphere.
    /// </summary>
    /// <remarks>Tangential curvature of a scale-invariant loss is |a|/r² (theory/05-learning-dynamics.md#eq-5-2); heavy
    /// ball on a quadratic of curvature λ is stable while ηλ &lt; 2(1+β) (G#27).</remarks>
    public static double StabilityEdgeR2(double eta, double beta, double curvature, double k) =>
        eta * curvature / (2 * (1 + beta) - eta * k);

    /// <summary>RMSProp-form discount ρ_eff = 1 − 4ηk/(1−β) per step (theory/05-learning-dynamics.md#eq-5-5).</summary>
    public static double EffectiveDiscount(double eta, double beta, double k) => 1 - 4 * eta * k / (1 - beta);

    /// <summary>RMSProp-form input coefficient per step, 2η²(1+β)/(1−β)³ (theory/05-learning-dynamics.md#eq-5-5, G#17).</summary>
    public static double EffectiveInputGain(double eta, double beta) => 2 * eta * eta * (1 + beta) / Math.Pow(1 - beta, 3);

    /// <summary>Norm–loss law for k = 0, start and end at rest: Δ|q|² = η(1+β)/(1−β)²·Δf (corollary of theory/03-noether.md#eq-3-9 with the energy balance theory/01-learning-lagrangian.md#eq-1-9, G#18).</summary>
    public static double NormLossRatio(double eta, double beta) => eta * (1 + beta) / ((1 - beta) * (1 - beta));

    /// <summary>Effective normalised-GD step η′ₙ = η r₀²/((1−ηk) rₙ²) (theory/04-numerical-integration.md#eq-4-7, G#15).</summary>
    public static double NormalisedStep(double eta, double k, double r0Squared, double rnSquared) =>
        eta * r0Squared / ((1 - eta * k) * rnSquared);

    /// <summary>Upper bound on λ_max(W₁W₁ᵀ) from the imbalance D and the product P = W₂W₁ (spectral norms; theory/03-noether.md#eq-3-16, G#25).</summary>
    public static double BalanceBound(double normD, double normP) => 0.5 * (normD + Math.Sqrt(normD * normD + 4 * normP * normP));
}

/// <summary>
/// NLD Eq. 17 as a running prediction: y = r⁴ obeys ẏ = −(4k/μ) y + (4m/μ³)|ĝ|², integrated exactly over each step
/// with |ĝ|² held at its measured value (theory/05-learning-dynamics.md#eq-5-3).
/// </summary>
public sealed class Eq17Predictor
{
    private readonly double _decay, _gainPerUnit, _a;

    /// <summary>Starts at r²(0) = <paramref name="r0Squared"/>.</summary>
    public Eq17Predictor(double eta, double beta, double k, double r0Squared)
    {
        double m = ClosedForms.Mass(eta, beta), mu = ClosedForms.Friction(beta);
        _a = 4 * k / mu;
        _decay = Math.Exp(-_a * eta);
        _gainPerUnit = 4 * m / (mu * mu * mu);
        Eta = eta;
        R4 = r0Squared * r0Squared;
    }

    private double Eta { get; }

    /// <summary>Current predicted r⁴.</summary>
    public double R4 { get; private set; }

    /// <summary>Current predicted r².</summary>
    public double R2 => Math.Sqrt(R4);

    /// <summary>Advances one step of length η with |ĝ|² = <paramref name="gHat2"/>.</summary>
    public void Step(double gHat2)
    {
        double held = _a == 0 ? Eta : (1 - _decay) / _a;    // ∫₀^η e^{−a s} ds
        R4 = _decay * R4 + _gainPerUnit * gHat2 * held;
    }
}

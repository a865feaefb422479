namespace NoetherTheory.Numerics.Laws;

/// <summary>Closed-form predictions of Neural Mechanics and NLD (time t = nη throughout).</summary>
public static class ClosedForms
{
    /// <summary>Translation law with weight decay: s(t) = e^{−kt} s₀ (theory D.4).</summary>
    public static double Translation(double s0, double k, double t) => Math.Exp(-k * t) * s0;

    /// <summary>Mass m = η(1+β)/2 of the modified equation (A.4).</summary>
    public static double Mass(double eta, double beta) => eta * (1 + beta) / 2;

    /// <summary>Friction μ = 1 − β (A.4).</summary>
    public static double Friction(double beta) => 1 - beta;

    /// <summary>Persistent-gradient steady state r⁴* = η(1+β)|ĝ|²/(2k(1−β)²) of Eq. 17 (C.3, G#12).</summary>
    public static double SteadyStateR4Persistent(double eta, double beta, double k, double gHat2) =>
        eta * (1 + beta) * gHat2 / (2 * k * (1 - beta) * (1 - beta));

    /// <summary>White-noise steady state ⟨r⁴⟩ = η|ĝ|²/(2k(1−β)) (C.4, G#13).</summary>
    public static double SteadyStateR4White(double eta, double beta, double k, double gHat2) =>
        eta * gHat2 / (2 * k * (1 - beta));

    /// <summary>Accumulator gain amplification (1+β)/(1−β)³ (persistent) or 1/(1−β) (white) relative to β = 0 (C.6, G#14).</summary>
    public static double Amplification(double beta, bool persistent) =>
        persistent ? (1 + beta) / Math.Pow(1 - beta, 3) : 1 / (1 - beta);

    /// <summary>RMSProp-form discount ρ_eff = 1 − 4ηk/(1−β) per step (C.6).</summary>
    public static double EffectiveDiscount(double eta, double beta, double k) => 1 - 4 * eta * k / (1 - beta);

    /// <summary>RMSProp-form input coefficient per step, 2η²(1+β)/(1−β)³ (C.6, G#17).</summary>
    public static double EffectiveInputGain(double eta, double beta) => 2 * eta * eta * (1 + beta) / Math.Pow(1 - beta, 3);

    /// <summary>Norm–loss law for k = 0, start and end at rest: Δ|q|² = η(1+β)/(1−β)²·Δf (B.4 corollary, G#18).</summary>
    public static double NormLossRatio(double eta, double beta) => eta * (1 + beta) / ((1 - beta) * (1 - beta));

    /// <summary>Effective normalised-GD step η′ₙ = η r₀²/((1−ηk) rₙ²) (C.5, G#15).</summary>
    public static double NormalisedStep(double eta, double k, double r0Squared, double rnSquared) =>
        eta * r0Squared / ((1 - eta * k) * rnSquared);

    /// <summary>Upper bound on λ_max(W₁W₁ᵀ) from the imbalance D and the product P = W₂W₁ (spectral norms; E.2, G#25).</summary>
    public static double BalanceBound(double normD, double normP) => 0.5 * (normD + Math.Sqrt(normD * normD + 4 * normP * normP));
}

/// <summary>
/// NLD Eq. 17 as a running prediction: y = r⁴ obeys ẏ = −(4k/μ) y + (4m/μ³)|ĝ|², integrated exactly over each step
/// with |ĝ|² held at its measured value (theory C.3).
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

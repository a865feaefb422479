using System.Numerics;

namespace NoetherTheory.Numerics.Laws;

/// <summary>Damping regime of ẍ + 2γẋ + ω²x = s(t).</summary>
public enum DampingRegime
{
    /// <summary>γ &lt; ω.</summary>
    Underdamped,
    /// <summary>γ = ω (to relative 1e-9).</summary>
    Critical,
    /// <summary>γ &gt; ω.</summary>
    Overdamped,
}

/// <summary>
/// The damped oscillator ẍ + 2γẋ + ω²x = s(t) of the Neural Mechanics momentum laws: homogeneous response H (x₀ = 1,
/// ẋ₀ = 0) and Green's function G (impulse response), so x(t) = H(t)x₀ + ∫₀ᵗ G(t−s) s(s) ds.
/// </summary>
/// <remarks>Charge laws theory/03-noether.md#eq-3-8 (translation), theory/03-noether.md#eq-3-9 (scale) and
/// theory/03-noether.md#eq-3-10 (rescale); solution theory/03-noether.md#eq-3-12. γ = (1−β)/(η(1−δ)(1+β)), ω² = 4k/(η(1−δ)(1+β)) for scale and
/// rescale, 2k/(η(1−δ)(1+β)) for translation.</remarks>
/// <param name="Gamma">γ ≥ 0.</param>
/// <param name="OmegaSquared">ω² ≥ 0.</param>
public sealed record DampedOscillator(double Gamma, double OmegaSquared)
{
    private const double CriticalRelativeGap = 1e-9;

    /// <summary>The oscillator of a scale/rescale charge under heavy ball with coupled weight decay
    /// (theory/03-noether.md#eq-3-9, theory/03-noether.md#eq-3-10).</summary>
    public static DampedOscillator ForScale(double eta, double beta, double k, double dampening = 0) =>
        new((1 - beta) / (eta * (1 - dampening) * (1 + beta)), 4 * k / (eta * (1 - dampening) * (1 + beta)));

    /// <summary>The oscillator of a translation charge (half the spring constant of scale; theory/03-noether.md#eq-3-8).</summary>
    public static DampedOscillator ForTranslation(double eta, double beta, double k, double dampening = 0) =>
        new((1 - beta) / (eta * (1 - dampening) * (1 + beta)), 2 * k / (eta * (1 - dampening) * (1 + beta)));

    /// <summary>The damping regime.</summary>
    public DampingRegime Regime
    {
        get
        {
            double w = Math.Sqrt(OmegaSquared);
            if (Math.Abs(Gamma - w) <= CriticalRelativeGap * Math.Max(Gamma, w)) return DampingRegime.Critical;
            return Gamma < w ? DampingRegime.Underdamped : DampingRegime.Overdamped;
        }
    }

    /// <summary>Characteristic roots −γ ± √(γ² − ω²) (complex when underdamped).</summary>
    public (Complex Plus, Complex Minus) Roots
    {
        get
        {
            var root = Complex.Sqrt(new Complex(Gamma * Gamma - OmegaSquared, 0));
            return (-Gamma + root, -Gamma - root);
        }
    }

    /// <summary>H(t): solution with x(0) = 1, ẋ(0) = 0.</summary>
    public double Homogeneous(double t)
    {
        double g = Gamma;
        switch (Regime)
        {
            case DampingRegime.Underdamped:
            {
                double w = Math.Sqrt(OmegaSquared - g * g);
                return Math.Exp(-g * t) * (Math.Cos(w * t) + g / w * Math.Sin(w * t));
            }
            case DampingRegime.Critical:
                return Math.Exp(-g * t) * (1 + g * t);
            default:
            {
                double root = Math.Sqrt(g * g - OmegaSquared), ap = -g + root, am = -g - root;
                return (ap * Math.Exp(am * t) - am * Math.Exp(ap * t)) / (ap - am);
            }
        }
    }

    /// <summary>G(t): solution with x(0) = 0, ẋ(0) = 1 (the impulse response).</summary>
    public double Green(double t)
    {
        double g = Gamma;
        switch (Regime)
        {
            case DampingRegime.Underdamped:
            {
                double w = Math.Sqrt(OmegaSquared - g * g);
                return Math.Exp(-g * t) * Math.Sin(w * t) / w;
            }
            case DampingRegime.Critical:
                return t * Math.Exp(-g * t);
            default:
            {
                double root = Math.Sqrt(g * g - OmegaSquared), ap = -g + root, am = -g - root;
                return (Math.Exp(ap * t) - Math.Exp(am * t)) / (ap - am);
            }
        }
    }

    /// <summary>A running Σⱼ G(tₙ − tⱼ)wⱼ on a uniform grid of spacing <paramref name="dt"/>, in O(1) per step.</summary>
    public GreenSum CreateSum(double dt) => new(this, dt);
}

/// <summary>
/// Σⱼ G(tₙ − tⱼ) wⱼ on a uniform time grid, kept as decaying modal accumulators (one complex mode when underdamped,
/// two real ones when overdamped, a value/moment pair when critical). Unlike the e^{+γτ}-weighted buffers of the NM
/// code, nothing here grows, so long runs cannot overflow.
/// </summary>
public sealed class GreenSum
{
    private readonly DampedOscillator _osc;
    private readonly double _dt;
    private readonly Complex _stepPlus, _stepMinus;
    private readonly double _decay;
    private Complex _plus, _minus;
    private double _b0, _b1;

    internal GreenSum(DampedOscillator osc, double dt)
    {
        if (!(dt > 0)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "the grid spacing must be positive");
        _osc = osc;
        _dt = dt;
        var (p, m) = osc.Roots;
        _stepPlus = Complex.Exp(p * dt);
        _stepMinus = Complex.Exp(m * dt);
        _decay = Math.Exp(-osc.Gamma * dt);
    }

    /// <summary>Moves the grid one spacing forward (tₙ → tₙ₊₁) without adding a source.</summary>
    public void Advance()
    {
        _plus *= _stepPlus;
        _minus *= _stepMinus;
        _b1 = _decay * (_b1 + _dt * _b0);
        _b0 *= _decay;
    }

    /// <summary>Adds a source weight at the current grid time.</summary>
    public void Add(double weight)
    {
        _plus += weight;
        _minus += weight;
        _b0 += weight;
    }

    /// <summary>The current Σⱼ G(tₙ − tⱼ)wⱼ.</summary>
    public double Value => _osc.Regime switch
    {
        DampingRegime.Critical => _b1,
        DampingRegime.Underdamped => _plus.Imaginary / _osc.Roots.Plus.Imaginary,
        _ => (_plus.Real - _minus.Real) / (_osc.Roots.Plus.Real - _osc.Roots.Minus.Real),
    };
}

namespace NoetherTheory.Numerics.Ode;

/// <summary>
/// The non-autonomous test problem m q̈ + μ q̇ + q = cos 2t with the exact solution
/// q(t) = A cos 2t + B sin 2t + e^{−at} cos Ωt, a = μ/(2m), Ω = √(1/m − a²) (needs 1/m &gt; a²).
/// Non-autonomous on purpose: a stage evaluated at the wrong time (Math.NET's vector RK2) shows up as a lost order.
/// </summary>
/// <param name="Mass">m &gt; 0.</param>
/// <param name="Friction">μ ≥ 0.</param>
public sealed record DrivenOscillator(double Mass = 1, double Friction = 0)
{
    private double A => (1 - 4 * Mass) / Det;
    private double B => 2 * Friction / Det;
    private double Det => (1 - 4 * Mass) * (1 - 4 * Mass) + 4 * Friction * Friction;
    private double Decay => Friction / (2 * Mass);
    private double Omega => Math.Sqrt(1 / Mass - Decay * Decay);

    /// <summary>Exact (q, q̇) at time t.</summary>
    public (double Q, double V) Exact(double t)
    {
        double e = Math.Exp(-Decay * t), c = Math.Cos(Omega * t), s = Math.Sin(Omega * t);
        double q = A * Math.Cos(2 * t) + B * Math.Sin(2 * t) + e * c;
        double v = -2 * A * Math.Sin(2 * t) + 2 * B * Math.Cos(2 * t) + e * (-Decay * c - Omega * s);
        return (q, v);
    }

    /// <summary>The first-order form for state (q, q̇) on [0, T].</summary>
    public OdeProblem FirstOrder(double T)
    {
        double m = Mass, mu = Friction;
        var (q0, v0) = Exact(0);
        return new OdeProblem((t, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = (Math.Cos(2 * t) - y[0] - mu * y[1]) / m;
        }, 0, [q0, v0], T);
    }

    /// <summary>The mechanical form for <see cref="ConformalStormerVerlet"/> on [0, T].</summary>
    public DampedMechanicalProblem Mechanical(double T)
    {
        var (q0, v0) = Exact(0);
        return new DampedMechanicalProblem(Mass, Friction, (t, q, f) => f[0] = Math.Cos(2 * t) - q[0], 0, [q0], [v0], T);
    }

    /// <summary>Exact state as an array (q, q̇).</summary>
    public double[] ExactState(double t)
    {
        var (q, v) = Exact(t);
        return [q, v];
    }
}

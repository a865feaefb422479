namespace NoetherTheory.Numerics.Ode;

/// <summary>
/// Right-hand side of a first-order system y′ = f(t, y): writes f(t, y) into <paramref name="dy"/>.
/// A compiled symbolic function plugs in here; it must not keep references to the spans.
/// </summary>
public delegate void OdeRhs(double t, ReadOnlySpan<double> y, Span<double> dy);

/// <summary>Called after every accepted step with the new time and state (the span is only valid during the call).</summary>
public delegate void StepObserver(double t, ReadOnlySpan<double> y);

/// <summary>An initial-value problem y′ = f(t, y), y(T0) = Y0, integrated to T1 (T1 &gt; T0).</summary>
/// <param name="Rhs">The right-hand side.</param>
/// <param name="T0">Initial time.</param>
/// <param name="Y0">Initial state (copied by integrators, never written).</param>
/// <param name="T1">Final time.</param>
public sealed record OdeProblem(OdeRhs Rhs, double T0, IReadOnlyList<double> Y0, double T1)
{
    /// <summary>Number of state components.</summary>
    public int Dimension => Y0.Count;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rhs);
        if (Y0.Count == 0) throw new ArgumentException("OdeProblem.Y0 is empty: give at least one state component.");
        if (!double.IsFinite(T0) || !double.IsFinite(T1) || T1 <= T0)
            throw new ArgumentException($"OdeProblem: need finite T0 < T1, got T0={T0}, T1={T1}.");
        for (int i = 0; i < Y0.Count; i++)
            if (!double.IsFinite(Y0[i])) throw new ArgumentException($"OdeProblem.Y0[{i}] is not finite ({Y0[i]}).");
    }
}

/// <summary>
/// A damped mechanical system m q̈ + μ q̇ = F(q, t) with constant scalar mass and friction: the modified equation of
/// heavy-ball learning (theory/01-learning-lagrangian.md#eq-1-8, m = η(1+β)/2, μ = 1−β). State is (q, p = m q̇).
/// </summary>
/// <param name="Mass">m &gt; 0.</param>
/// <param name="Friction">μ ≥ 0.</param>
/// <param name="Force">Writes F(q, t) into the last argument.</param>
/// <param name="T0">Initial time.</param>
/// <param name="Q0">Initial position.</param>
/// <param name="V0">Initial velocity q̇(T0).</param>
/// <param name="T1">Final time.</param>
public sealed record DampedMechanicalProblem(double Mass, double Friction, ForceField Force,
    double T0, IReadOnlyList<double> Q0, IReadOnlyList<double> V0, double T1)
{
    /// <summary>The equivalent first-order problem for state (q, q̇), for cross-checks with Runge–Kutta methods.</summary>
    public OdeProblem ToFirstOrder()
    {
        int n = Q0.Count;
        double m = Mass, mu = Friction;
        var force = Force;
        return new OdeProblem((t, y, dy) =>
        {
            force(t, y[..n], dy[n..]);
            for (int i = 0; i < n; i++)
            {
                dy[i] = y[n + i];
                dy[n + i] = (dy[n + i] - mu * y[n + i]) / m;
            }
        }, T0, [.. Q0, .. V0], T1);
    }
}

/// <summary>Writes the force F(q, t) into <paramref name="force"/>.</summary>
public delegate void ForceField(double t, ReadOnlySpan<double> q, Span<double> force);

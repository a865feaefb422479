namespace NoetherTheory.Numerics.Ode;

/// <summary>
/// Conformal-symplectic Störmer–Verlet for m q̈ + μ q̇ = F(q, t): Strang splitting of the exact friction flow
/// p ↦ e^{−μh/(2m)} p around a kick–drift–kick Verlet step (p = m q̇). Second order; for F = −∇V it contracts the
/// symplectic form by exactly e^{−μh/m} per step, as the exact flow does, so energy and Noether-charge decay laws are
/// reproduced without spurious drift.
/// </summary>
/// <remarks>The friction factor is the damping of the learning Lagrangian e^{t/τ}, τ = m/μ (theory/01-learning-lagrangian.md#eq-1-8); the splitting is theory/04-numerical-integration.md#eq-4-2.
/// Time advances during the drift, so the two kicks see F at t and t+h.</remarks>
public sealed class ConformalStormerVerlet
{
    /// <summary>Short name.</summary>
    public static string Name => "verlet";

    /// <summary>Order of the global error.</summary>
    public static int Order => 2;

    /// <summary>Integrates with the fixed step <see cref="IntegratorOptions.Step"/>. The result's state is (q, q̇).</summary>
    public static IntegrationResult Integrate(DampedMechanicalProblem problem, IntegratorOptions options, StepObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateFixed(Name);
        if (!(problem.Mass > 0)) throw new ArgumentException($"DampedMechanicalProblem.Mass must be positive (got {problem.Mass}).");
        if (!(problem.Friction >= 0)) throw new ArgumentException($"DampedMechanicalProblem.Friction must be ≥ 0 (got {problem.Friction}).");
        if (problem.Q0.Count != problem.V0.Count || problem.Q0.Count == 0)
            throw new ArgumentException("DampedMechanicalProblem: Q0 and V0 must be non-empty and of equal length.");
        if (!(problem.T1 > problem.T0)) throw new ArgumentException("DampedMechanicalProblem: need T0 < T1.");

        int n = problem.Q0.Count;
        double m = problem.Mass, mu = problem.Friction, h0 = options.Step!.Value;
        var q = problem.Q0.ToArray();
        var p = problem.V0.Select(v => m * v).ToArray();
        var force = new double[n];
        var state = new double[2 * n];
        double t = problem.T0;
        int steps = 0, evals = 1;
        problem.Force(t, q, force);
        while (t < problem.T1)
        {
            if (steps >= options.MaxSteps) return Result(IntegrationStatus.MaxStepsReached);
            double h = Math.Min(h0, problem.T1 - t);
            if (problem.T1 - (t + h) < 1e-12 * h0) h = problem.T1 - t;
            double damp = Math.Exp(-0.5 * mu * h / m);
            for (int i = 0; i < n; i++)
            {
                p[i] = damp * p[i] + 0.5 * h * force[i];
                q[i] += h * p[i] / m;
            }
            t = h == problem.T1 - t ? problem.T1 : t + h;
            problem.Force(t, q, force);           // reused as the next step's first kick (FSAL)
            evals++;
            bool finite = true;
            for (int i = 0; i < n; i++)
            {
                p[i] = damp * (p[i] + 0.5 * h * force[i]);
                finite &= double.IsFinite(p[i]) && double.IsFinite(q[i]);
            }
            steps++;
            if (!finite) return Result(IntegrationStatus.NonFinite);
            if (observer is not null) { Fill(); observer(t, state); }
        }
        return Result(IntegrationStatus.Success);

        void Fill()
        {
            for (int i = 0; i < n; i++) { state[i] = q[i]; state[n + i] = p[i] / m; }
        }

        IntegrationResult Result(IntegrationStatus status)
        {
            Fill();
            return new(status, t, state.ToArray(), evals, steps, 0, double.NaN, options, null);
        }
    }
}

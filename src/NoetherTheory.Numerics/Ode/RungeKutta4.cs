namespace NoetherTheory.Numerics.Ode;

/// <summary>The classical fourth-order Runge–Kutta method with a fixed step.</summary>
/// <remarks>Stages at t, t+h/2, t+h/2, t+h: the time argument matters for non-autonomous systems (the mistake in
/// Math.NET's vector RK2, which is why the convergence tests use a driven oscillator). Order and test budget:
/// theory/04-numerical-integration.md#eq-4-1, theory/04-numerical-integration.md#eq-4-3.</remarks>
public sealed class RungeKutta4 : IIntegrator
{
    /// <inheritdoc />
    public string Name => "rk4";

    /// <inheritdoc />
    public int Order => 4;

    /// <inheritdoc />
    public IntegrationResult Integrate(OdeProblem problem, IntegratorOptions options, StepObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        problem.Validate();
        options.ValidateFixed(Name);
        int n = problem.Dimension;
        double h0 = options.Step!.Value;
        var y = problem.Y0.ToArray();
        var k1 = new double[n]; var k2 = new double[n]; var k3 = new double[n]; var k4 = new double[n];
        var tmp = new double[n];
        double t = problem.T0;
        int steps = 0, evals = 0;
        while (t < problem.T1)
        {
            if (steps >= options.MaxSteps)
                return new(IntegrationStatus.MaxStepsReached, t, y, evals, steps, 0, double.NaN, options, null);
            double h = Math.Min(h0, problem.T1 - t);
            // Land exactly on T1 rather than leaving a round-off sliver for a tiny last step.
            if (problem.T1 - (t + h) < 1e-12 * h0) h = problem.T1 - t;
            problem.Rhs(t, y, k1);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
            problem.Rhs(t + 0.5 * h, tmp, k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
            problem.Rhs(t + 0.5 * h, tmp, k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
            problem.Rhs(t + h, tmp, k4);
            evals += 4;
            bool finite = true;
            for (int i = 0; i < n; i++)
            {
                y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
                finite &= double.IsFinite(y[i]);
            }
            t = h == problem.T1 - t ? problem.T1 : t + h;
            steps++;
            if (!finite) return new(IntegrationStatus.NonFinite, t, y, evals, steps, 0, double.NaN, options, null);
            observer?.Invoke(t, y);
        }
        return new(IntegrationStatus.Success, t, y, evals, steps, 0, double.NaN, options, null);
    }
}

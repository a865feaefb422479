namespace NoetherTheory.Numerics.Ode;

/// <summary>Observed order of convergence from a step-size (or learning-rate) sweep.</summary>
/// <remarks>The observed order is the least-squares slope of log e against log h (theory/04-numerical-integration.md#eq-4-1).</remarks>
public static class ConvergenceStudy
{
    /// <summary>Least-squares slope of log(error) against log(step). Needs ≥ 2 positive, finite pairs.</summary>
    /// <exception cref="ArgumentException">Fewer than two usable points, or mismatched lengths.</exception>
    public static double ObservedOrder(IReadOnlyList<double> steps, IReadOnlyList<double> errors)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(errors);
        if (steps.Count != errors.Count)
            throw new ArgumentException($"ObservedOrder: {steps.Count} steps but {errors.Count} errors.");
        var pts = steps.Zip(errors).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second))
            .Select(p => (X: Math.Log(p.First), Y: Math.Log(p.Second))).ToList();
        if (pts.Count < 2)
            throw new ArgumentException("ObservedOrder: need at least two positive finite (step, error) pairs; " +
                "an error of exactly 0 means the sweep is below round-off: use larger steps.");
        double mx = pts.Average(p => p.X), my = pts.Average(p => p.Y);
        double sxy = pts.Sum(p => (p.X - mx) * (p.Y - my)), sxx = pts.Sum(p => (p.X - mx) * (p.X - mx));
        return sxy / sxx;
    }

    /// <summary>Global error at T1 (Euclidean norm against <paramref name="exact"/>) for each step in
    /// <paramref name="steps"/>, and the observed order.</summary>
    public static (double[] Errors, double Order) Sweep(IIntegrator integrator, OdeProblem problem,
        Func<double, IReadOnlyList<double>> exact, IReadOnlyList<double> steps)
    {
        ArgumentNullException.ThrowIfNull(integrator);
        ArgumentNullException.ThrowIfNull(exact);
        var errors = steps.Select(h =>
        {
            var r = integrator.Integrate(problem, IntegratorOptions.Fixed(h));
            if (!r.Succeeded) throw new InvalidOperationException($"{integrator.Name} with h={h} ended with {r.Status}.");
            return LinearAlgebra.Vec.Distance(r.Y, exact(problem.T1).ToArray());
        }).ToArray();
        return (errors, ObservedOrder(steps, errors));
    }
}

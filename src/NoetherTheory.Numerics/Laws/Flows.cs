using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;

namespace NoetherTheory.Numerics.Laws;

/// <summary>Continuous flows that discrete optimizers are compared against, as <see cref="OdeRhs"/>
/// (theory/01-learning-lagrangian.md#eq-1-4 to theory/01-learning-lagrangian.md#eq-1-6).</summary>
public static class Flows
{
    /// <summary>Gradient flow (1−β) q̇ = −∇F, F = f + (k/2)|q|².</summary>
    public static OdeRhs GradientFlow(IToyModel model, double k = 0, double beta = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (t, q, dq) =>
        {
            model.Gradient(q, dq, GradientContext.FullBatch);
            for (int i = 0; i < q.Length; i++) dq[i] = -(dq[i] + k * q[i]) / (1 - beta);
        };
    }

    /// <summary>
    /// First-order modified flow (1−β) q̇ = −∇[F + c|∇F|²] = −(∇F + 2c H_F ∇F) with c = η(1+β)/(4(1−β)²)
    /// (GD: c = η/4, the implicit-gradient-regularisation flow). Needs an exact Hessian-vector product.
    /// </summary>
    public static OdeRhs ModifiedFlow(IHessianModel model, double eta, double k = 0, double beta = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        double c = eta * (1 + beta) / (4 * (1 - beta) * (1 - beta));
        int n = model.Dimension;
        return (t, q, dq) =>
        {
            Span<double> g = stackalloc double[n];
            Span<double> hg = stackalloc double[n];
            model.Gradient(q, g, GradientContext.FullBatch);
            for (int i = 0; i < n; i++) g[i] += k * q[i];
            model.HessianVector(q, g, hg);
            for (int i = 0; i < n; i++) dq[i] = -(g[i] + 2 * c * (hg[i] + k * g[i])) / (1 - beta);
        };
    }

    /// <summary>The modified equation m q̈ + μ q̇ = −∇F of heavy ball as a damped mechanical problem
    /// (theory/01-learning-lagrangian.md#eq-1-5).</summary>
    public static DampedMechanicalProblem HeavyBallModifiedEquation(IToyModel model, double eta, double beta, double k,
        IReadOnlyList<double> q0, IReadOnlyList<double> v0, double t1)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new DampedMechanicalProblem(ClosedForms.Mass(eta, beta), ClosedForms.Friction(beta), (t, q, f) =>
        {
            model.Gradient(q, f, GradientContext.FullBatch);
            for (int i = 0; i < q.Length; i++) f[i] = -(f[i] + k * q[i]);
        }, 0, q0, v0, t1);
    }
}

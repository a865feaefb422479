using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

internal static partial class CaseLaws
{
    // Integrator orders on the driven oscillator (non-autonomous; theory/04-numerical-integration.md#eq-4-1).
    private static LawOutcome IntegratorOrder(VerificationCase c, TraceSink? trace)
    {
        string method = c.LawParameters.Text("method", "rk4");
        double T = c.LawParameters.Scalar("T", 10);
        var steps = c.LawParameters.Vector("steps", [0.1, 0.05, 0.025, 0.0125]);
        var osc = new DrivenOscillator(c.LawParameters.Scalar("mass", 1), c.LawParameters.Scalar("friction", 0));
        double[] errors;
        int order;
        switch (method)
        {
            case "rk4" or "dp45":
            {
                IIntegrator integrator = method == "rk4" ? new RungeKutta4() : new DormandPrince45();
                (errors, _) = ConvergenceStudy.Sweep(integrator, osc.FirstOrder(T), osc.ExactState, steps);
                order = integrator.Order;
                break;
            }
            case "verlet":
                errors = steps.Select(h =>
                {
                    var r = ConformalStormerVerlet.Integrate(osc.Mechanical(T), IntegratorOptions.Fixed(h));
                    return Vec.Distance(r.Y, osc.ExactState(T));
                }).ToArray();
                order = ConformalStormerVerlet.Order;
                break;
            default:
                throw new ArgumentException($"{c.SourceFile}: lawParameters.method '{method}' is not rk4, dp45 or verlet.");
        }
        Finite.CheckSweep(steps, errors, "h");
        double slope = ConvergenceStudy.ObservedOrder(steps, errors);
        trace?.AddSweep("step h", $"global error at T = {T.ToString(System.Globalization.CultureInfo.InvariantCulture)}", steps, errors, order);
        return new LawOutcome(slope, order, $"{method} errors at T = {T}: {string.Join(", ", errors.Select(e => e.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    // G#20, #21 (theory/01-learning-lagrangian.md#eq-1-6, theory/01-learning-lagrangian.md#eq-1-7): slope of |q_opt(T) − q_flow(T)| against η (flow = gradient or modified; HB start pytorch/terminal/shifted).
    private static LawOutcome OptimizerOrder(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c) as IHessianModel;
        Require(model is not null, c, "needs a model with an exact Hessian-vector product (toy-a2, linear2-scalar).");
        Require(c.Optimizer.Kind is OptimizerKind.Gd or OptimizerKind.HeavyBall && !c.Optimizer.Nesterov && c.Optimizer.Dampening == 0,
            c, "needs GD or plain heavy ball.");
        string flow = c.LawParameters.Text("flow", "gradient");
        Require(flow is "gradient" or "modified", c, "lawParameters.flow must be \"gradient\" or \"modified\".");
        bool shifted = c.LawParameters.Scalar("shiftedStart", 0) != 0;
        double T = c.LawParameters.Scalar("T", 1);
        var lrs = c.LawParameters.Vector("lrs", [c.Optimizer.LearningRate]);
        double expected = c.LawParameters.Scalar("expectedOrder", 1);
        double beta = c.Optimizer.Kind == OptimizerKind.HeavyBall ? c.Optimizer.Momentum : 0, k = c.Optimizer.WeightDecay;
        var errors = new double[lrs.Length];
        for (int i = 0; i < lrs.Length; i++)
        {
            double eta = lrs[i];
            int steps = (int)Math.Round(T / eta);
            Require(Math.Abs(steps * eta - T) <= 1e-9 * T, c, $"T = {T} is not a whole number of steps of η = {eta}.");
            var q0 = model!.InitialPoint();
            var opt = OptimizerOf(c, model, c.Optimizer with { LearningRate = eta });
            Finite.Run(opt, steps);
            var start = q0.ToArray();
            if (shifted)
            {
                // The PyTorch zero buffer lags by β/(1−β) steps: start the flow ηβ∇F(q₀)/(1−β)² behind (theory/01-learning-lagrangian.md#eq-1-7).
                var g = new double[start.Length];
                model.Gradient(q0, g, GradientContext.FullBatch);
                for (int j = 0; j < start.Length; j++) start[j] += eta * beta * (g[j] + k * q0[j]) / ((1 - beta) * (1 - beta));
            }
            var rhs = flow == "gradient" ? Flows.GradientFlow(model, k, beta) : Flows.ModifiedFlow(model, eta, k, beta);
            var r = new DormandPrince45().Integrate(new OdeProblem(rhs, 0, start, T), Tight);
            Require(r.Succeeded, c, $"Dormand–Prince ended with {r.Status}.");
            errors[i] = Vec.Distance(opt.Parameters, r.Y);
        }
        Finite.CheckSweep(lrs, errors, "η");
        // fitLast = m: fit only the m smallest learning rates (the asymptotic end of the sweep), default all.
        int fitLast = c.LawParameters.Integer("fitLast", lrs.Length);
        Require(fitLast >= 2 && fitLast <= lrs.Length, c, $"lawParameters.fitLast must lie in 2..{lrs.Length} (the number of learning rates).");
        var order = lrs.Select((eta, i) => i).OrderBy(i => lrs[i]).Take(fitLast).Order().ToArray();
        double slope = ConvergenceStudy.ObservedOrder(order.Select(i => lrs[i]).ToArray(), order.Select(i => errors[i]).ToArray());
        string local = !c.LawParameters.Has("fitLast") ? "" : "; local slopes " + string.Join(", ", Enumerable.Range(0, lrs.Length - 1)
            .Select(i => (Math.Log(errors[i + 1]) - Math.Log(errors[i])) / (Math.Log(lrs[i + 1]) - Math.Log(lrs[i])))
            .Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
        string fitted = fitLast == lrs.Length ? "" : F($"; slope fitted over the {fitLast} smallest η");
        trace?.AddSweep("learning rate η", $"|q_opt(T) − q_{flow}(T)|", lrs, errors, expected);
        return new LawOutcome(slope, expected, $"errors {string.Join(", ", errors.Select(e => e.ToString("E3", System.Globalization.CultureInfo.InvariantCulture)))} for η = {string.Join(", ", lrs.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)))}{local}{fitted}", errors[0]);
    }
}

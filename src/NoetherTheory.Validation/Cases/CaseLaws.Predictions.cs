using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

internal static partial class CaseLaws
{
    // Fast-mode contamination of the slow-mode ratio must be below round-off: (|z_fast|/z_slow)^N ≤ this.
    private const double FastModeResidue = 1e-18;

    // G#22 (theory/01-learning-lagrangian.md#eq-1-6): on f = ½σq², heavy ball's slow root z_s has
    // log z_s = −ησ/(1−β) − (ησ)²(1+β)/(2(1−β)³) + O(η³). Measured from the iterates as log(q_{N+1}/q_N) once the fast
    // mode has died out; the slope of |measured − prediction| against η must be 3.
    private static LawOutcome HbSlowMode(VerificationCase c, TraceSink? trace)
    {
        var quadratic = ModelOf(c) as QuadraticModel;
        Require(quadratic is not null, c, "needs the quadratic model.");
        var model = quadratic!;
        Require(c.Optimizer.Kind == OptimizerKind.HeavyBall && !c.Optimizer.Nesterov && c.Optimizer.Dampening == 0
            && !c.Optimizer.DecoupledWeightDecay, c, "needs plain heavy ball (δ = 0, coupled or no weight decay).");
        int mode = c.LawParameters.Integer("mode", 0);
        Require(mode >= 0 && mode < model.Dimension, c, $"lawParameters.mode must be a coordinate index 0..{model.Dimension - 1}.");
        var lrs = c.LawParameters.Vector("lrs", [c.Optimizer.LearningRate]);
        double expected = c.LawParameters.Scalar("expectedOrder", 3);
        double beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay, sigma = model.Eigenvalue(mode) + k;
        var residuals = new double[lrs.Length];
        var measured = new double[lrs.Length];
        for (int i = 0; i < lrs.Length; i++)
        {
            double eta = lrs[i], b = 1 + beta - eta * sigma, disc = Finite.Check(b * b - 4 * beta, F($"the root discriminant at η = {eta}"));
            Require(disc > 0, c, $"η = {eta}: ησ = {eta * sigma} ≥ (1−√β)² = {Math.Pow(1 - Math.Sqrt(beta), 2)}, so the slow mode is complex (underdamped); use smaller learning rates.");
            double zSlow = (b + Math.Sqrt(disc)) / 2, zFast = (b - Math.Sqrt(disc)) / 2;
            // Steps until the fast mode's share is below round-off (the root formula only sizes the run).
            int n = (int)Math.Ceiling(Math.Log(FastModeResidue) / Math.Log(Math.Abs(zFast) / zSlow)) + 10;
            var opt = OptimizerOf(c, model, c.Optimizer with { LearningRate = eta });
            Finite.Run(opt, n);
            double qn = opt.Parameters[mode];
            Finite.Step(opt);
            measured[i] = Math.Log(opt.Parameters[mode] / qn);
            residuals[i] = Math.Abs(measured[i] - ClosedForms.SlowModeLogContraction(eta, beta, sigma));
        }
        Finite.CheckSweep(lrs, residuals, "η");
        double slope = ConvergenceStudy.ObservedOrder(lrs, residuals);
        trace?.AddSweep("learning rate η", "|log(q_{n+1}/q_n) − second-order prediction|", lrs, residuals, expected);
        return new LawOutcome(slope, expected, F($"σ = {sigma}, β = {beta}: residuals {string.Join(", ", residuals.Select(r => r.ToString("E3", System.Globalization.CultureInfo.InvariantCulture)))}; measured log-contraction at η = {lrs[0]}: {measured[0]:G10}"),
            residuals[0]);
    }

    // G#14 (theory/05-learning-dynamics.md#eq-5-5): momentum amplifies the r⁴ accumulator. quantity = "gain" (k = 0):
    // ratio of the fitted slopes d(r⁴)/dn with β and with β = 0; "steady" (k > 0): ratio of ⟨r⁴⟩ after burn-in.
    private static LawOutcome AccumulatorGain(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c) as ScaleForceModel;
        Require(model is not null && c.Optimizer.Kind == OptimizerKind.HeavyBall && c.Optimizer.Momentum > 0 && !c.Optimizer.Nesterov
            && c.Optimizer.Dampening == 0 && !c.Optimizer.DecoupledWeightDecay, c,
            "needs force-persistent or force-white and plain heavy ball with β > 0 (it is compared with the same run at β = 0).");
        string quantity = c.LawParameters.Text("quantity", "gain");
        Require(quantity is "gain" or "steady", c, "lawParameters.quantity must be \"gain\" or \"steady\".");
        Require(quantity == "gain" ? c.Optimizer.WeightDecay == 0 : c.Optimizer.WeightDecay > 0, c,
            "quantity \"gain\" needs k = 0 (pure accumulation); \"steady\" needs k > 0 (a steady state).");
        int burnIn = c.LawParameters.Integer("burnIn", c.Steps / 10);
        Require(burnIn >= 0 && burnIn < c.Steps - 1, c, "lawParameters.burnIn must lie in 0..steps−2.");
        double beta = c.Optimizer.Momentum;
        var idx = model!.Structure.Scale[0].Indices;
        var withMomentum = Accumulate(c.Optimizer);
        var without = Accumulate(c.Optimizer with { Momentum = 0 });
        bool persistent = model.Persistent;
        double predicted = quantity == "gain" ? ClosedForms.GainAmplification(beta, persistent) : ClosedForms.SteadyStateAmplification(beta, persistent);
        double a = quantity == "gain" ? Slope(withMomentum) : withMomentum.Average(), b = quantity == "gain" ? Slope(without) : without.Average();
        if (trace is not null)
        {
            trace.Axes("step n", quantity == "gain" ? "r⁴(n) − r⁴(burn-in)" : "r⁴");
            double a0 = quantity == "gain" ? withMomentum[0] : 0, b0 = quantity == "gain" ? without[0] : 0;
            for (int j = 0; j < withMomentum.Length; j++)
            {
                int n = burnIn + 1 + j;
                if (!trace.Samples(j, withMomentum.Length - 1)) continue;
                trace.Add(F($"β = {beta}"), SeriesRole.Measured, n, withMomentum[j] - a0);
                trace.Add("β = 0, scaled by the predicted ratio", SeriesRole.Predicted, n, predicted * (without[j] - b0));
            }
        }
        return new LawOutcome(a / b, predicted, F($"{(quantity == "gain" ? "fitted d(r⁴)/dn" : "⟨r⁴⟩")} over steps {burnIn + 1}..{c.Steps}: {a:G6} (β = {beta}) vs {b:G6} (β = 0); {(persistent ? "persistent" : "white")} gradients"));

        double[] Accumulate(OptimizerOptions o)
        {
            var opt = OptimizerOf(c, model, o);      // same seed: common random numbers for the white-noise pair
            var r4 = new double[c.Steps - burnIn];
            for (int n = 1; n <= c.Steps; n++)
            {
                Finite.Step(opt);
                if (n <= burnIn) continue;
                double r2 = Vec.Norm2(opt.Parameters, idx);
                r4[n - burnIn - 1] = Finite.Check(r2 * r2, "r⁴", n);
            }
            return r4;
        }

        static double Slope(double[] y)
        {
            double mx = (y.Length - 1) / 2.0, my = y.Average(), sxy = 0, sxx = 0;
            for (int i = 0; i < y.Length; i++) { sxy += (i - mx) * (y[i] - my); sxx += (i - mx) * (i - mx); }
            return sxy / sxx;
        }
    }

    // G#26 (theory/05-learning-dynamics.md#eq-5-2, #eq-5-6): Fig. 4 in a toy. The same scale-invariant loss trained
    // unconstrained and constrained (q rescaled to |q₀| after every step). measure = "lr-change": relative change of
    // η_eff = η/((1−β)r²) over the run vs −η(1+β)Δf/((1−β)²r₀²); "lr-ratio": η_eff(N)/η_eff(0) vs 1/(1 + η(1+β)Δf/((1−β)²r₀²))
    // (the norm–loss law, valid at any η where the modified equation is); "curve-gap": max |f_u − f_c|/Δf vs the gap
    // predicted by re-timing the constrained curve with the clock Σ r₀²/r_j² of the unconstrained run.
    private static LawOutcome Fig4Toy(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(model.HasLoss && model.Structure.Scale.Count == 1 && model.Structure.Scale[0].Indices.Length == model.Dimension
            && c.Optimizer.Kind is OptimizerKind.HeavyBall or OptimizerKind.Gd && !c.Optimizer.Nesterov && c.Optimizer.WeightDecay == 0,
            c, "needs a fully scale-invariant loss (scale-cosine, rayleigh), GD or heavy ball, and k = 0.");
        string measure = c.LawParameters.Text("measure", "lr-change");
        Require(measure is "lr-change" or "lr-ratio" or "curve-gap", c, "lawParameters.measure must be \"lr-change\", \"lr-ratio\" or \"curve-gap\".");
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Kind == OptimizerKind.HeavyBall ? c.Optimizer.Momentum : 0;
        var free = OptimizerOf(c, model);
        var constrained = OptimizerOf(c, model, c.Optimizer with { ProjectedBlocks = [Vec.Range(0, model.Dimension)] });
        int steps = c.Steps;
        var fu = new double[steps + 1]; var fc = new double[steps + 1]; var r2 = new double[steps + 1];
        for (int n = 0; n <= steps; n++)
        {
            if (n > 0) { Finite.Step(free); Finite.Step(constrained); }
            fu[n] = model.Loss(free.Parameters); fc[n] = model.Loss(constrained.Parameters); r2[n] = Vec.Norm2(free.Parameters);
        }
        double drop = fu[0] - fu[steps], r0Sq = r2[0];
        Require(drop > 0, c, "the loss did not fall over the run; lengthen the run or change the start.");
        double change = ClosedForms.EffectiveLearningRateChange(eta, beta, drop, r0Sq);
        // Re-timed constrained curve: the unconstrained run moves on the sphere like the constrained one with its step
        // scaled by r₀²/r², so its loss at step n is f_c at clock τ(n) = Σ_{j<n} r₀²/r_j².
        var retimed = new double[steps + 1];
        double tau = 0, gap = 0, gapPredicted = 0;
        for (int n = 0; n <= steps; n++)
        {
            retimed[n] = Interpolate(fc, tau);
            gap = Math.Max(gap, Math.Abs(fu[n] - fc[n]));
            gapPredicted = Math.Max(gapPredicted, Math.Abs(retimed[n] - fc[n]));
            tau += r0Sq / r2[n];
        }
        if (trace is not null)
        {
            trace.Axes("step n", "loss f");
            for (int n = 0; n <= steps; n++)
            {
                if (!trace.Samples(n, steps)) continue;
                trace.Add("unconstrained", SeriesRole.Measured, n, fu[n]);
                trace.Add("constrained |q| = |q₀|", SeriesRole.Measured, n, fc[n]);
                trace.Add("constrained on the clock Σ r₀²/r²", SeriesRole.Predicted, n, retimed[n]);
            }
        }
        string detail = F($"Δf = {drop:G6}, r₀² = {r0Sq:G6} → r_N² = {r2[steps]:G6}; η_eff(N)/η_eff(0) = {r0Sq / r2[steps]:G6} (first-order prediction {1 + change:G6}); max loss gap {gap / drop:G4}·Δf (re-timed clock predicts {gapPredicted / drop:G4}·Δf)");
        return measure switch
        {
            "lr-change" => new LawOutcome(r0Sq / r2[steps] - 1, change, detail),
            "lr-ratio" => new LawOutcome(r0Sq / r2[steps], 1 / (1 - change), detail),
            _ => new LawOutcome(gap / drop, gapPredicted / drop, detail),
        };

        static double Interpolate(double[] y, double x)
        {
            if (x >= y.Length - 1) return y[^1];
            int i = (int)Math.Floor(x);
            double w = x - i;
            return (1 - w) * y[i] + w * y[i + 1];
        }
    }

    // G#27 (theory/05-learning-dynamics.md#eq-5-3 failure mode): a rotating target with large β and weight decay that
    // would collapse r² (Eq. 17) drives the angular dynamics to heavy ball's stability edge η|a|/r² = 2(1+β).
    // measure = "eq17-ratio": ⟨r²⟩/⟨r²_Eq17⟩ after burn-in vs the alternating-buffer floor (1−β)/(1+β);
    // "edge-floor": min r² after burn-in / r²_edge vs 1.
    private static LawOutcome StabilityEdge(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c) as RotatingTargetModel;
        Require(model is not null && c.Optimizer.Kind == OptimizerKind.HeavyBall && !c.Optimizer.Nesterov && c.Optimizer.Dampening == 0
            && !c.Optimizer.DecoupledWeightDecay && c.Optimizer.WeightDecay > 0, c,
            "needs the rotating-target model and plain heavy ball with coupled weight decay k > 0.");
        string measure = c.LawParameters.Text("measure", "eq17-ratio");
        Require(measure is "eq17-ratio" or "edge-floor", c, "lawParameters.measure must be \"eq17-ratio\" or \"edge-floor\".");
        int burnIn = c.LawParameters.Integer("burnIn", c.Steps / 2);
        Require(burnIn >= 0 && burnIn < c.Steps, c, "lawParameters.burnIn must lie in 0..steps−1.");
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay;
        double edge = ClosedForms.StabilityEdgeR2(eta, beta, model!.TargetLength, k);
        var idx = model.Structure.Scale[0].Indices;
        var opt = OptimizerOf(c, model);
        double simSum = 0, eqSum = 0, min = double.PositiveInfinity; int count = 0;
        RunEq17(c, opt, idx, trace, (n, eq17) =>
        {
            if (n < burnIn) return;
            double r2 = Vec.Norm2(opt.Parameters, idx);
            simSum += r2; eqSum += eq17.R2; min = Math.Min(min, r2); count++;
        });
        if (trace is not null)
        {
            trace.Add("stability edge r²", SeriesRole.Guide, 0, edge);
            trace.Add("stability edge r²", SeriesRole.Guide, c.Steps, edge);
        }
        double ratio = simSum / eqSum, floor = (1 - beta) / (1 + beta);
        string detail = F($"after step {burnIn}: ⟨r²⟩ = {simSum / count:G4}, Eq. 17 ⟨r²⟩ = {eqSum / count:G4} (ratio {ratio:G3}; alternating-buffer floor (1−β)/(1+β) = {floor:G3}); min r² = {min:G4}, edge η|a|/(2(1+β) − ηk) = {edge:G4}");
        return measure == "eq17-ratio" ? new LawOutcome(ratio, floor, detail) : new LawOutcome(min / edge, 1, detail);
    }
}

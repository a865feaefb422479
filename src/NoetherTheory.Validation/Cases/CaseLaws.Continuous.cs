using MathNet.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

internal static partial class CaseLaws
{
    private static readonly IntegratorOptions Tight = IntegratorOptions.Adaptive(1e-12, 1e-14) with { MaxSteps = 200_000 };

    // G#8 (theory/03-noether.md#eq-3-13): NM law with weight decay vs discrete GD (β = 0): e^{−2kt} in place of (1−ηk)^{2n}.
    private static LawOutcome NmWeightDecayContinuous(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.Gd && !c.Optimizer.DecoupledWeightDecay, c, "needs GD with coupled weight decay.");
        string charge = c.LawParameters.Text("charge", "scale");
        double eta = c.Optimizer.LearningRate, k = c.Optimizer.WeightDecay;
        var opt = OptimizerOf(c, model);
        if (charge == "translation")
        {
            Require(model.Structure.Translation.Count > 0, c, "needs a translation block.");
            var idx = model.Structure.Translation[0].Indices;
            double s0 = Vec.Sum(opt.Parameters, idx);
            trace?.Axes("step n", "translation sum ⟨q, 1_A⟩");
            for (int n = 0; n <= c.Steps; n++)
            {
                if (n > 0) Finite.Step(opt);
                if (trace is null || !trace.Samples(n, c.Steps)) continue;
                trace.Add("measured", SeriesRole.Measured, n, Vec.Sum(opt.Parameters, idx));
                trace.Add("e^{−kt}s₀", SeriesRole.Predicted, n, ClosedForms.Translation(s0, k, eta * n));
            }
            return new LawOutcome(Vec.Sum(opt.Parameters, idx), ClosedForms.Translation(s0, k, eta * c.Steps),
                "translation sum after N steps vs e^{−kt}s₀, t = Nη");
        }
        Require(charge == "scale" && model.Structure.Scale.Count > 0, c, "lawParameters.charge must be \"scale\" (with a scale block) or \"translation\".");
        var block = model.Structure.Scale[0].Indices;
        double x0 = Vec.Norm2(opt.Parameters, block), source = 0, decay = Math.Exp(-2 * k * eta);
        trace?.Axes("step n", "|q_A|²");
        for (int n = 0; n <= c.Steps; n++)
        {
            if (n > 0)
            {
                Finite.Step(opt);
                source = Finite.Check(decay * source + eta * eta * Vec.Norm2(opt.LastGradient, block), "the NM source integral", n);   // η ∫ e^{−2k(t−τ)}|g|² dτ, τ on the grid
            }
            if (trace is null || !trace.Samples(n, c.Steps)) continue;
            trace.Add("measured", SeriesRole.Measured, n, Vec.Norm2(opt.Parameters, block));
            trace.Add("NM law", SeriesRole.Predicted, n, Math.Exp(-2 * k * eta * n) * x0 + source);
        }
        double pred = Math.Exp(-2 * k * eta * c.Steps) * x0 + source;
        return new LawOutcome(Vec.Norm2(opt.Parameters, block), pred, "|q_A|² after N steps vs e^{−2kt}|q_A(0)|² + η∫e^{−2k(t−τ)}|g_A|²dτ");
    }

    // G#9 (theory/03-noether.md#eq-3-12): NM momentum law x(t) = H(t)x₀ + 2η(1−δ)Σⱼ G(t − tⱼ)|vⱼ|², driven by the measured buffer.
    private static LawOutcome MomentumGreen(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.HeavyBall && !c.Optimizer.Nesterov && !c.Optimizer.DecoupledWeightDecay, c, "needs heavy ball with coupled decay.");
        Require(model.Structure.Scale.Count > 0, c, "needs a scale block.");
        var idx = model.Structure.Scale[0].Indices;
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay, delta = c.Optimizer.Dampening;
        double dt = eta * (1 - delta);
        var osc = DampedOscillator.ForScale(eta, beta, k, delta);
        var sum = osc.CreateSum(dt);
        var opt = OptimizerOf(c, model);
        double x0 = Vec.Norm2(opt.Parameters, idx);
        trace?.Axes("step n", "|q_A|²");
        for (int n = 0; n <= c.Steps; n++)
        {
            if (n > 0)
            {
                Finite.Step(opt);
                sum.Add(2 * dt * Vec.Norm2(opt.Buffer, idx));   // q̇ ≈ −v_{n+1} over [t_n, t_{n+1}]: source placed at t_n
                sum.Advance();
                Finite.Check(sum.Value, "the Green's-function source sum", n);
            }
            if (trace is null || !trace.Samples(n, c.Steps)) continue;
            trace.Add("measured", SeriesRole.Measured, n, Vec.Norm2(opt.Parameters, idx));
            trace.Add("Green's-function law", SeriesRole.Predicted, n, osc.Homogeneous(dt * n) * x0 + sum.Value);
        }
        double pred = osc.Homogeneous(dt * c.Steps) * x0 + sum.Value;
        return new LawOutcome(Vec.Norm2(opt.Parameters, idx), pred, $"|q|² at step N vs Green's-function law ({osc.Regime}, γ = {osc.Gamma:G4}, ω² = {osc.OmegaSquared:G4})");
    }

    private static Eq17Predictor RunEq17(VerificationCase c, Optimizer opt, int[] idx, TraceSink? trace, Action<int, Eq17Predictor>? each = null)
    {
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay;
        var eq17 = new Eq17Predictor(eta, beta, k, Vec.Norm2(opt.Parameters, idx));
        trace?.Axes("step n", "r² = |q_A|²");
        Record(0);
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            double gHat2 = Vec.Norm2(opt.PreviousParameters, idx) * Vec.Norm2(opt.LastGradient, idx);  // ĝ = r·g (degree −1)
            eq17.Step(gHat2);
            Finite.Check(eq17.R2, "the Eq. 17 prediction r²", n + 1);
            each?.Invoke(n, eq17);
            Record(n + 1);
        }
        return eq17;

        void Record(int n)
        {
            if (trace is null || !trace.Samples(n, c.Steps)) return;
            trace.Add("measured", SeriesRole.Measured, n, Vec.Norm2(opt.Parameters, idx));
            trace.Add("Eq. 17 (measured |ĝ|²)", SeriesRole.Predicted, n, eq17.R2);
        }
    }

    // G#10 (theory/05-learning-dynamics.md#eq-5-3): NLD Eq. 17 with the measured |ĝ|².
    private static LawOutcome Eq17Law(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(model.Structure.Scale.Count > 0 && c.Optimizer.Kind == OptimizerKind.HeavyBall, c, "needs a scale block and heavy ball.");
        var idx = model.Structure.Scale[0].Indices;
        var opt = OptimizerOf(c, model);
        var eq17 = RunEq17(c, opt, idx, trace);
        return new LawOutcome(Vec.Norm2(opt.Parameters, idx), eq17.R2, "r² at step N vs Eq. 17 driven by the measured |ĝ|²");
    }

    // G#11 (theory/05-learning-dynamics.md#eq-5-4): under white noise Eq. 17 over-predicts the steady r² by √((1+β)/(1−β)).
    private static LawOutcome Eq17WhiteRatio(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(model.Structure.Scale.Count > 0 && c.Optimizer.Kind == OptimizerKind.HeavyBall, c, "needs a scale block and heavy ball.");
        int burnIn = c.LawParameters.Integer("burnIn", c.Steps / 2);
        var idx = model.Structure.Scale[0].Indices;
        var opt = OptimizerOf(c, model);
        double simR4 = 0, predR4 = 0; int count = 0;
        var eq17 = RunEq17(c, opt, idx, trace, (n, _) =>
        {
            if (n < burnIn) return;
            double r2 = Vec.Norm2(opt.Parameters, idx);
            simR4 += r2 * r2; count++;
        });
        // The Eq. 17 state is deterministic given |ĝ|² and has settled by the end; average the sim over the window.
        predR4 = eq17.R4;
        double beta = c.Optimizer.Momentum;
        return new LawOutcome(Math.Sqrt(predR4) / Math.Sqrt(simR4 / count), Math.Sqrt((1 + beta) / (1 - beta)),
            $"Eq. 17 r² / simulated √⟨r⁴⟩ over steps {burnIn}..{c.Steps}");
    }

    // G#12, #13 (theory/05-learning-dynamics.md#eq-5-4): steady states √⟨r⁴⟩ (persistent: Eq. 17's; white: η|ĝ|²/(2k(1−β))),
    // s = |ĝ| the model's force size. lawParameters.chains = n > 1 runs n independent chains (seeds seed, seed+1, …) and
    // averages their ⟨r⁴⟩; the detail gives the chain-to-chain spread and the standard error of the mean, so a gap can be
    // read in standard errors rather than trusted to one seed.
    private static LawOutcome SteadyState(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(model is ScaleForceModel && c.Optimizer.Kind == OptimizerKind.HeavyBall, c, "needs force-persistent or force-white with heavy ball.");
        var force = (ScaleForceModel)model;
        int burnIn = c.LawParameters.Integer("burnIn", c.Steps / 2);
        Require(burnIn < c.Steps, c, "lawParameters.burnIn must be below steps.");
        int chains = c.LawParameters.Integer("chains", 1);
        Require(chains >= 1, c, "lawParameters.chains must be ≥ 1.");
        var idx = model.Structure.Scale[0].Indices;
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay, s2 = force.Strength * force.Strength;
        double pred = force.Persistent ? ClosedForms.SteadyStateR4Persistent(eta, beta, k, s2) : ClosedForms.SteadyStateR4White(eta, beta, k, s2);
        var means = new double[chains];
        if (chains == 1)
            means[0] = Chain(0, trace);
        else
        {
            try
            {
                Parallel.For(0, chains, j => means[j] = Chain(j, j == 0 ? trace : null));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // Surface the chain's own failure (a NonFiniteValueException naming the step, a bad parameter).
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        double mean = means.Average(), measured = Math.Sqrt(mean);
        string kind = force.Persistent ? "persistent" : "white";
        if (chains == 1)
            return new LawOutcome(measured, Math.Sqrt(pred), $"√⟨r⁴⟩ over steps {burnIn}..{c.Steps} vs √r⁴* ({kind})");
        // Spread of the chains' ⟨r⁴⟩ → standard error of √(mean) by the delta method: SE(√m) = SE(m)/(2√m).
        double sd = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (chains - 1));
        double se = sd / Math.Sqrt(chains) / (2 * measured);
        double z = (measured - Math.Sqrt(pred)) / se;
        return new LawOutcome(measured, Math.Sqrt(pred), F($"√⟨r⁴⟩ over steps {burnIn}..{c.Steps}, {chains} chains (seeds {c.Seed}..{c.Seed + chains - 1}) vs √r⁴* ({kind}); chain-to-chain σ of ⟨r⁴⟩ {sd / mean:P3} relative; standard error of √⟨r⁴⟩ {se / measured:P3} relative; gap = {z:F2} standard errors"));

        double Chain(int j, TraceSink? sink)
        {
            var cj = c with { Seed = c.Seed + j };
            var m = ModelOf(cj);
            var opt = OptimizerOf(cj, m);
            double sum = 0; int count = 0;
            sink?.Axes("step n", "r² = |q_A|²");
            for (int n = 0; n <= c.Steps; n++)
            {
                if (n > 0) Finite.Step(opt);
                double r2 = Vec.Norm2(opt.Parameters, idx);
                if (sink is not null && sink.Samples(n, c.Steps))
                {
                    sink.Add("measured", SeriesRole.Measured, n, r2);
                    sink.Add("steady state √r⁴*", SeriesRole.Predicted, n, Math.Sqrt(pred));
                }
                if (n <= burnIn) continue;
                sum += r2 * r2; count++;
            }
            return sum / count;
        }
    }

    // G#17 (theory/05-learning-dynamics.md#eq-5-5): least squares r⁴ₙ₊₁ − r⁴ₙ = −(1−ρ) r⁴ₙ + c|ĝₙ|²: compare 1−ρ with 4ηk/(1−β) or c with 2η²(1+β)/(1−β)³.
    private static LawOutcome RmsPropRegression(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.Structure.Scale.Count > 0 && c.Optimizer.Kind == OptimizerKind.HeavyBall, c, "needs a scale block and heavy ball.");
        int burnIn = c.LawParameters.Integer("burnIn", 0);
        string coefficient = c.LawParameters.Text("coefficient", "decay");
        Require(coefficient is "decay" or "gain", c, "lawParameters.coefficient must be \"decay\" or \"gain\".");
        var idx = model.Structure.Scale[0].Indices;
        var opt = OptimizerOf(c, model);
        double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
        for (int n = 0; n < c.Steps; n++)
        {
            double y0 = Math.Pow(Vec.Norm2(opt.Parameters, idx), 2);
            Finite.Step(opt);
            if (n < burnIn) continue;
            double y1 = Math.Pow(Vec.Norm2(opt.Parameters, idx), 2);
            double u = -y0, w = Vec.Norm2(opt.PreviousParameters, idx) * Vec.Norm2(opt.LastGradient, idx), dy = y1 - y0;
            s11 += u * u; s12 += u * w; s22 += w * w; t1 += u * dy; t2 += w * dy;
        }
        double det = s11 * s22 - s12 * s12;
        Require(det > 1e-12 * s11 * s22, c, "the regressors are collinear: give the force a modulation so that |ĝ|² varies.");
        double decay = (t1 * s22 - t2 * s12) / det, gain = (s11 * t2 - s12 * t1) / det;
        double eta = c.Optimizer.LearningRate, beta = c.Optimizer.Momentum, k = c.Optimizer.WeightDecay;
        return coefficient == "decay"
            ? new LawOutcome(decay, 1 - ClosedForms.EffectiveDiscount(eta, beta, k), $"fitted 1−ρ (gain {gain:G6})")
            : new LawOutcome(gain, ClosedForms.EffectiveInputGain(eta, beta), $"fitted input gain (1−ρ = {decay:G6})");
    }

    // G#18 (theory/03-noether.md#eq-3-9 with theory/01-learning-lagrangian.md#eq-1-9): k = 0, from and to rest: Δ|q|² = η(1+β)/(1−β)²·Δf.
    private static LawOutcome NormLossLaw(VerificationCase c, TraceSink? trace)
    {
        var model = ModelOf(c);
        Require(model.HasLoss && model.Structure.Scale.Count > 0 && c.Optimizer.WeightDecay == 0 && c.Optimizer.Kind is OptimizerKind.HeavyBall or OptimizerKind.Gd,
            c, "needs a scale-invariant loss, GD or heavy ball, and k = 0.");
        var opt = OptimizerOf(c, model);
        double x0 = Vec.Norm2(opt.Parameters), f0 = model.Loss(opt.Parameters);
        double ratio = ClosedForms.NormLossRatio(c.Optimizer.LearningRate, c.Optimizer.Momentum);
        trace?.Axes("step n", "Δ|q|²");
        for (int n = 0; n <= c.Steps; n++)
        {
            if (n > 0) Finite.Step(opt);
            Finite.Check(Vec.Norm2(opt.Parameters), "|q|²", n);
            if (trace is null || !trace.Samples(n, c.Steps)) continue;
            trace.Add("measured Δ|q|²", SeriesRole.Measured, n, Vec.Norm2(opt.Parameters) - x0);
            trace.Add("η(1+β)/(1−β)²·Δf (at rest)", SeriesRole.Predicted, n, ratio * (f0 - model.Loss(opt.Parameters)));
        }
        double dx = Vec.Norm2(opt.Parameters) - x0, df = f0 - model.Loss(opt.Parameters);
        return new LawOutcome(dx, ClosedForms.NormLossRatio(c.Optimizer.LearningRate, c.Optimizer.Momentum) * df,
            $"Δ|q|² vs η(1+β)/(1−β)²·Δf, Δf = {df:G6}, final |v| = {Vec.Norm(opt.Buffer):G3}");
    }

    // G#19 (theory/03-noether.md#eq-3-9 with theory/01-learning-lagrangian.md#eq-1-9): μ(x−x₀) + 2k∫x + m(ẋ−ẋ₀) = (2m/μ)(E₀ − E) on the modified equation, integrated by Dormand–Prince.
    private static LawOutcome IntegralIdentity(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.HasLoss && model.Structure.Scale.Count > 0, c, "needs a scale-invariant loss.");
        double eta = c.LawParameters.Scalar("eta", 0.1), beta = c.LawParameters.Scalar("beta", 0), k = c.LawParameters.Scalar("k", 0.05);
        double T = c.LawParameters.Scalar("T", 20);
        double m = ClosedForms.Mass(eta, beta), mu = ClosedForms.Friction(beta);
        int d = model.Dimension;
        var q0 = model.InitialPoint();
        var g0 = new double[d];
        model.Gradient(q0, g0, GradientContext.FullBatch);
        var v0 = q0.Select((q, i) => -(g0[i] + k * q) / mu).ToArray();   // terminal velocity, as the discrete optimizer starts
        var y0 = new double[2 * d + 1];
        q0.CopyTo(y0, 0); v0.CopyTo(y0, d);
        var problem = new OdeProblem((t, y, dy) =>
        {
            var q = y[..d]; var v = y[d..(2 * d)];
            Span<double> g = stackalloc double[d];
            model.Gradient(q, g, GradientContext.FullBatch);
            for (int i = 0; i < d; i++) { dy[i] = v[i]; dy[d + i] = -(mu * v[i] + g[i] + k * q[i]) / m; }
            dy[2 * d] = Vec.Norm2(q);
        }, 0, y0, T);
        var r = new DormandPrince45().Integrate(problem, Tight);
        Require(r.Succeeded, c, $"Dormand–Prince ended with {r.Status}.");
        double Energy(ReadOnlySpan<double> q, ReadOnlySpan<double> v) => 0.5 * m * Vec.Norm2(v) + model.Loss(q) + 0.5 * k * Vec.Norm2(q);
        var qT = r.Y.AsSpan(0, d); var vT = r.Y.AsSpan(d, d);
        double x0 = Vec.Norm2(q0), xT = Vec.Norm2(qT), xd0 = 2 * Vec.Dot(q0, v0), xdT = 2 * Vec.Dot(qT, vT);
        double lhs = mu * (xT - x0) + 2 * k * r.Y[2 * d] + m * (xdT - xd0);
        double rhs = 2 * m / mu * (Energy(q0, v0) - Energy(qT, vT));
        return new LawOutcome(lhs, rhs, $"LHS vs RHS at T = {T}; {r.AcceptedSteps} DP45 steps");
    }

    // G#28 (theory/03-noether.md#eq-3-17): along gradient flow, L(T) − L(0) = −∫ ℓ′ᵀΘℓ′/N² dt (Θ the empirical NTK built from per-sample gradients).
    private static LawOutcome EnergyNtk(VerificationCase c)
    {
        var model = ModelOf(c) as ISampleOutputModel;
        Require(model is not null, c, "needs a model with per-sample outputs (tanh-net; relu-net's discontinuous gradient stalls an adaptive integrator).");
        double T = c.LawParameters.Scalar("T", 2);
        int n = model!.SampleCount, d = model.Dimension;
        var f = new double[n]; var lp = new double[n];
        var jac = new double[n][];
        for (int i = 0; i < n; i++) jac[i] = new double[d];
        var flow = Flows.GradientFlow(model);
        double worstPointwise = 0;
        // State (q, I) with I′ = ℓ′ᵀΘℓ′/N²: the NTK rate is integrated by the same adaptive method as the flow.
        var y0 = new double[d + 1];
        model.InitialPoint().CopyTo(y0, 0);
        var problem = new OdeProblem((t, y, dy) =>
        {
            var q = y[..d];
            flow(t, q, dy[..d]);
            model.Outputs(q, f, lp);
            for (int i = 0; i < n; i++) model.OutputGradient(q, i, jac[i]);
            double s = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) s += lp[i] * Vec.Dot(jac[i], jac[j]) * lp[j];
            double ntk = s / ((double)n * n), g2 = Vec.Norm2(dy[..d]);
            if (!double.IsFinite(ntk)) throw new NonFiniteValueException(ntk, F($"the NTK rate ℓ′ᵀΘℓ′/N² at t = {t}"));
            worstPointwise = Math.Max(worstPointwise, Math.Abs(ntk - g2) / Math.Max(g2, double.Epsilon));
            dy[d] = ntk;
        }, 0, y0, T);
        var r = new DormandPrince45().Integrate(problem, Tight);
        Require(r.Succeeded, c, $"Dormand–Prince ended with {r.Status}.");
        double dL = model.Loss(r.Y.AsSpan(0, d)) - model.Loss(y0.AsSpan(0, d));
        return new LawOutcome(dL, -r.Y[d], $"L(T) − L(0) vs −∫ℓ′ᵀΘℓ′/N² dt; pointwise |∇L|² vs ℓ′ᵀΘℓ′/N² worst relative gap {worstPointwise:E2}; {r.AcceptedSteps} DP45 steps");
    }

    // G#25 (theory/03-noether.md#eq-3-16): λ_max(W₁W₁ᵀ) ≤ ½(‖D₀‖ + √(‖D₀‖² + 4‖W₂W₁‖²)) along gradient flow (D conserved).
    private static LawOutcome Boundedness(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.Structure.Balance.Count > 0, c, "needs a model with a balance pair (linear2).");
        var pair = model.Structure.Balance[0];
        double T = c.LawParameters.Scalar("T", 20);
        int samples = c.LawParameters.Integer("samples", 200);
        var problem = new OdeProblem(Flows.GradientFlow(model), 0, model.InitialPoint(), T);
        var r = new DormandPrince45().Integrate(problem, Tight with { DenseOutput = true });
        Require(r.Succeeded, c, $"Dormand–Prince ended with {r.Status}.");
        double d0 = Measure.SpectralNorm(Measure.Balance(pair, problem.Y0.ToArray()));
        var worstExcess = new WorstResidual();   // clipped at 0: a bound that holds everywhere gives 0
        double tightest = 0;
        for (int i = 0; i <= samples; i++)
        {
            var q = r.Dense!.Evaluate(T * i / samples);
            Matrix<double> w1 = pair.First.Read(q), w2 = pair.Second.Read(q);
            double lam = Measure.MaxEigenvalueSymmetric(w1 * w1.Transpose());
            double bound = ClosedForms.BalanceBound(d0, Measure.SpectralNorm(w2 * w1));
            string at = F($"(λ_max − bound)/bound at t = {T * i / samples}");
            worstExcess.Note((lam - bound) / bound, at);
            tightest = Math.Max(tightest, Finite.Check(lam / bound, at));
        }
        return new LawOutcome(worstExcess.Value, 0, $"max over t of (λ_max − bound)/bound, clipped at 0; tightest λ_max/bound = {tightest:G6}");
    }
}

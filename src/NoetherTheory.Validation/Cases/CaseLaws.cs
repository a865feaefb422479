using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

/// <summary>The law implementations behind case files: each runs the case and returns measured vs predicted. The one
/// table of laws is <see cref="Table"/>: adding a law is one method plus one row.</summary>
internal static partial class CaseLaws
{
    private static LawEntry Plain(string id, Func<VerificationCase, LawOutcome> law, params string[] parameters) => new(id, (c, _) => law(c), LawShape.Plain, [.. parameters]);

    private static LawEntry Traced(string id, Func<VerificationCase, TraceSink?, LawOutcome> law, params string[] parameters) => new(id, law, LawShape.Traced, [.. parameters]);

    private static LawEntry Order(string id, Func<VerificationCase, TraceSink?, LawOutcome> law, params string[] parameters) => new(id, law, LawShape.Order, [.. parameters]);

    /// <summary>Every law, one row each.</summary>
    internal static readonly ImmutableArray<LawEntry> Table =
    [
        Plain("symmetry-constraints", SymmetryConstraints, "points"),
        Plain("gd-charge-recursions", GdChargeRecursions),
        Plain("hb-scale-recursion", HbScaleRecursion),
        Plain("hb-translation-recursion", HbTranslationRecursion),
        Plain("hb-rotation-skew", HbRotationSkew),
        Plain("gd-rotation-constraint", GdRotationConstraint),
        Plain("scale-init-symmetry", ScaleInitSymmetry, "factor"),
        Plain("normalised-gd-equivalence", NormalisedGdEquivalence),
        Traced("nm-wd-continuous", NmWeightDecayContinuous, "charge"),
        Traced("momentum-green", MomentumGreen),
        Traced("eq17", Eq17Law),
        Traced("eq17-white-ratio", Eq17WhiteRatio, "burnIn"),
        Traced("steady-state", SteadyState, "burnIn", "chains"),
        Plain("rmsprop-regression", RmsPropRegression, "burnIn", "coefficient"),
        Traced("norm-loss-law", NormLossLaw),
        Plain("integral-identity", IntegralIdentity, "eta", "beta", "k", "T"),
        Plain("energy-ntk", EnergyNtk, "T"),
        Plain("boundedness", Boundedness, "T", "samples"),
        Order("integrator-order", IntegratorOrder, "method", "T", "steps", "mass", "friction"),
        Order("optimizer-order", OptimizerOrder, "flow", "shiftedStart", "T", "lrs", "expectedOrder", "fitLast"),
        Order("hb-slow-mode", HbSlowMode, "mode", "lrs", "expectedOrder"),
        Traced("accumulator-gain", AccumulatorGain, "quantity", "burnIn"),
        Traced("fig4-toy", Fig4Toy, "measure"),
        Traced("stability-edge", StabilityEdge, "measure", "burnIn"),
    ];

    /// <summary>The table keyed by law id.</summary>
    internal static readonly FrozenDictionary<string, LawEntry> ById = Table.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    internal static IToyModel ModelOf(VerificationCase c) => ToyModels.Create(c.Model, c.ModelParameters, c.Seed);

    internal static Optimizer OptimizerOf(VerificationCase c, IToyModel model, OptimizerOptions? options = null, IReadOnlyList<double>? q0 = null)
    {
        var o = options ?? c.Optimizer;
        var start = q0?.ToArray() ?? model.InitialPoint();
        if (o.Kind == OptimizerKind.HeavyBall && c.InitialBuffer != BufferStart.PyTorch)
        {
            var buf = new double[model.Dimension];
            if (c.InitialBuffer == BufferStart.Random)
                Gaussian.Fill(new Random(c.Seed + 7919), buf);
            else
            {
                model.Gradient(start, buf, GradientContext.FullBatch);
                for (int i = 0; i < buf.Length; i++) buf[i] = (buf[i] + o.WeightDecay * start[i]) / (1 - o.Momentum);
            }
            o = o with { InitialBuffer = buf };
        }
        return new Optimizer(model, o, c.Seed, start);
    }

    private static void Require(bool ok, VerificationCase c, string what)
    {
        if (!ok) throw new ArgumentException($"{c.SourceFile}: case '{c.Id}' (law {c.Law}): {what}");
    }

    // G#1–3, #24: gradient constraints of every declared symmetry at random points (theory/03-noether.md#eq-3-1, theory/05-learning-dynamics.md#eq-5-1,
    // theory/03-noether.md#eq-3-15).
    private static LawOutcome SymmetryConstraints(VerificationCase c)
    {
        var model = ModelOf(c);
        int points = c.LawParameters.Integer("points", 20);
        var rng = new Random(c.Seed);
        var s = model.Structure;
        var q0 = model.InitialPoint();
        var g = new double[model.Dimension];
        var worst = new WorstResidual();
        string at = "";
        void Note(double v, string w) => worst.Note(Finite.Check(v, w + at), w);
        for (int p = 0; p < points; p++)
        {
            var q = q0.Select(x => x + Gaussian.Next(rng)).ToArray();
            at = F($" (point {p})");
            Finite.CheckAll(q, F($"point {p}: q"));
            model.Gradient(q, g, GradientContext.FullBatch);
            Finite.CheckAll(g, F($"point {p}: gradient g"));
            double gn = Vec.Norm(g) + double.Epsilon, qn = Vec.Norm(q);
            foreach (var b in s.Translation) Note(Math.Abs(Vec.Sum(g, b.Indices)) / (gn * Math.Sqrt(b.Indices.Length)), "translation " + b.Name);
            foreach (var b in s.Scale) Note(Math.Abs(Vec.Dot(g, q, b.Indices)) / (gn * qn), "scale " + b.Name);
            foreach (var r in s.Rescale) Note(Math.Abs(Vec.Dot(g, q, r.Incoming) - Vec.Dot(g, q, r.Outgoing)) / (gn * qn), "rescale " + r.Name);
            foreach (var m in s.Rotation)
                Note(Measure.Skew(m.Read(q).Transpose() * m.Read(g)).FrobeniusNorm() / (gn * qn), "rotation " + m.Name);
            foreach (var bp in s.Balance)
            {
                var lhs = bp.First.Read(g) * bp.First.Read(q).Transpose();
                var rhs = bp.Second.Read(q).Transpose() * bp.Second.Read(g);
                Note((lhs - rhs).FrobeniusNorm() / (gn * qn), "balance " + bp.Name);
            }
        }
        Require(worst.Count > 0, c, $"model '{model.Id}' declares no symmetry blocks to check.");
        return new LawOutcome(worst.Value, 0, F($"{worst.Count} constraint evaluations; worst relative violation at {worst.Where}"));
    }

    // G#5 (theory/04-numerical-integration.md#eq-4-4, theory/03-noether.md#eq-3-14): exact discrete charge recursions of GD with coupled weight decay (minibatches allowed).
    private static LawOutcome GdChargeRecursions(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.Gd && !c.Optimizer.DecoupledWeightDecay, c, "needs plain GD with coupled weight decay.");
        var opt = OptimizerOf(c, model);
        var s = model.Structure;
        double eta = c.Optimizer.LearningRate, k = c.Optimizer.WeightDecay, a = 1 - eta * k;
        var worst = new WorstResidual();
        void Note(double residual, double scale, string w, int n) => worst.Note(residual / scale, w, n);
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            var q0 = opt.PreviousParameters; var q1 = opt.Parameters; var g = opt.LastGradient;
            foreach (var b in s.Translation)
            {
                double s0 = Vec.Sum(q0, b.Indices), s1 = Vec.Sum(q1, b.Indices);
                // ⟨g, 1_A⟩ = 0 exactly: s_{n+1} = (1−ηk)s_n. Scale: the summands' size.
                Note(Math.Abs(s1 - a * s0), Math.Sqrt(b.Indices.Length) * Math.Max(Vec.Norm(q0), double.Epsilon), "translation " + b.Name, n);
            }
            foreach (var b in s.Scale)
            {
                double x0 = Vec.Norm2(q0, b.Indices), x1 = Vec.Norm2(q1, b.Indices), g2 = Vec.Norm2(g, b.Indices);
                Note(Math.Abs(x1 - (a * a * x0 + eta * eta * g2)), x1, "scale " + b.Name, n);
            }
            foreach (var r in s.Rescale)
            {
                double z0 = Vec.Norm2(q0, r.Incoming) - Vec.Norm2(q0, r.Outgoing);
                double z1 = Vec.Norm2(q1, r.Incoming) - Vec.Norm2(q1, r.Outgoing);
                double src = Vec.Norm2(g, r.Incoming) - Vec.Norm2(g, r.Outgoing);
                double scale = Vec.Norm2(q1, r.Incoming) + Vec.Norm2(q1, r.Outgoing);
                Note(Math.Abs(z1 - (a * a * z0 + eta * eta * src)), scale, "rescale " + r.Name, n);
            }
            foreach (var bp in s.Balance)
            {
                var d0 = Measure.Balance(bp, q0); var d1 = Measure.Balance(bp, q1);
                var g1 = bp.First.Read(g); var g2 = bp.Second.Read(g);
                var src = g1 * g1.Transpose() - g2.Transpose() * g2;
                double scale = bp.First.Read(q1).FrobeniusNorm() * bp.First.Read(q1).FrobeniusNorm()
                    + bp.Second.Read(q1).FrobeniusNorm() * bp.Second.Read(q1).FrobeniusNorm();
                Note((d1 - (a * a * d0 + eta * eta * src)).FrobeniusNorm(), scale, "balance " + bp.Name, n);
            }
        }
        return new LawOutcome(worst.Value, 0, F($"{c.Steps} steps; worst relative residual at {worst.Where}"));
    }

    // G#6 (theory/04-numerical-integration.md#eq-4-5): (a_n, b_n) = (|q|², ⟨q, v⟩) recursion of heavy ball with coupled weight decay on a scale-invariant block.
    private static LawOutcome HbScaleRecursion(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.HeavyBall && c.Optimizer.Dampening == 0 && !c.Optimizer.Nesterov
            && !c.Optimizer.DecoupledWeightDecay && c.InitialBuffer == BufferStart.PyTorch, c, "needs PyTorch heavy ball, δ = 0, coupled decay.");
        Require(model.Structure.Scale.Count > 0, c, "needs a model with a scale block.");
        var idx = model.Structure.Scale[0].Indices;
        var opt = OptimizerOf(c, model);
        double eta = c.Optimizer.LearningRate, k = c.Optimizer.WeightDecay, beta = c.Optimizer.Momentum;
        double a = Vec.Norm2(opt.Parameters, idx), b = 0;   // v₀ = 0 reproduces the PyTorch start v₁ = d₀
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            double cPrime = Vec.Norm2(opt.Buffer, idx);
            double aPred = (1 - 2 * eta * k) * a - 2 * eta * beta * b + eta * eta * cPrime;
            double bPred = k * a + beta * b - eta * cPrime;
            double aMeas = Vec.Norm2(opt.Parameters, idx), bMeas = Vec.Dot(opt.Parameters, opt.Buffer, idx);
            worst.Note(Math.Abs(aMeas - aPred) / a, "a-recursion residual", n);
            worst.Note(Math.Abs(bMeas - bPred) / a, "b-recursion residual", n);
            a = aMeas; b = bMeas;                 // one-step identity: restart from the measured state
        }
        return new LawOutcome(worst.Value, 0, F($"{c.Steps} steps; worst residual relative to a_n at step {worst.Step}"));
    }

    // G#7 (theory/04-numerical-integration.md#eq-4-6): translation sum under heavy ball, PyTorch start.
    private static LawOutcome HbTranslationRecursion(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.HeavyBall && c.Optimizer.Dampening == 0 && !c.Optimizer.Nesterov
            && !c.Optimizer.DecoupledWeightDecay && c.InitialBuffer == BufferStart.PyTorch, c, "needs PyTorch heavy ball, δ = 0, coupled decay.");
        Require(model.Structure.Translation.Count > 0, c, "needs a model with a translation block.");
        var opt = OptimizerOf(c, model);
        double eta = c.Optimizer.LearningRate, k = c.Optimizer.WeightDecay, beta = c.Optimizer.Momentum;
        var blocks = model.Structure.Translation;
        var prev = blocks.Select(b => double.NaN).ToArray();
        var cur = blocks.Select(b => Vec.Sum(opt.Parameters, b.Indices)).ToArray();
        double scale = blocks.Max(b => Math.Sqrt(b.Indices.Length)) * Vec.Norm(opt.Parameters);
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            for (int i = 0; i < blocks.Count; i++)
            {
                double next = Vec.Sum(opt.Parameters, blocks[i].Indices);
                double pred = n == 0 ? (1 - eta * k) * cur[i] : (1 + beta - eta * k) * cur[i] - beta * prev[i];
                worst.Note(Math.Abs(next - pred) / scale, blocks[i].Name, n);
                prev[i] = cur[i]; cur[i] = next;
            }
        }
        return new LawOutcome(worst.Value, 0, F($"{c.Steps} steps; worst residual relative to |q₀|·√|A| at {worst.Where}"));
    }

    // G#23 (theory/03-noether.md#eq-3-15): skew(WᵀV) contracts by β per step under heavy ball (+ coupled decay), here from a random warm buffer.
    private static LawOutcome HbRotationSkew(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.Structure.Rotation.Count > 0 && c.Optimizer.Kind == OptimizerKind.HeavyBall && c.Optimizer.Dampening == 0
            && !c.Optimizer.Nesterov && !c.Optimizer.DecoupledWeightDecay, c, "needs a rotation model and PyTorch heavy ball, δ = 0, coupled decay.");
        var w = model.Structure.Rotation[0];
        var opt = OptimizerOf(c, model);
        double beta = c.Optimizer.Momentum;
        var p = Measure.Skew(w.Read(opt.Parameters).Transpose() * w.Read(opt.Buffer));
        double p0 = p.FrobeniusNorm();
        Require(p0 > 0, c, "skew(W₀ᵀV₀) is zero: use optimizer.initialBuffer = \"random\" so the law is not trivially 0 = 0.");
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            var wm = w.Read(opt.Parameters); var vm = w.Read(opt.Buffer);
            var next = Measure.Skew(wm.Transpose() * vm);
            worst.Note((next - beta * p).FrobeniusNorm() / (wm.FrobeniusNorm() * vm.FrobeniusNorm()), "skew residual", n);
            p = next;
        }
        return new LawOutcome(worst.Value, 0, F($"‖P₀‖ = {p0:G4}, ‖P_N‖ = {p.FrobeniusNorm():G4} after {c.Steps} steps (β^N‖P₀‖ = {Math.Pow(beta, c.Steps) * p0:G4}); worst residual relative to ‖W‖‖V‖ at step {worst.Step}"));
    }

    // G#24 (theory/03-noether.md#eq-3-15): under GD, skew(WᵀG) = 0 and so skew(W_nᵀ(q_{n+1} − q_n)) = 0 at every step.
    private static LawOutcome GdRotationConstraint(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.Structure.Rotation.Count > 0 && c.Optimizer.Kind == OptimizerKind.Gd, c, "needs a rotation model and GD.");
        var w = model.Structure.Rotation[0];
        var opt = OptimizerOf(c, model);
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(opt);
            var w0 = w.Read(opt.PreviousParameters);
            var dw = w.Read(opt.Parameters) - w0;
            worst.Note(Measure.Skew(w0.Transpose() * dw).FrobeniusNorm() / (w0.FrobeniusNorm() * dw.FrobeniusNorm() + double.Epsilon), "skew(Wᵀ ΔW)", n);
        }
        return new LawOutcome(worst.Value, 0, F($"{c.Steps} steps; worst ‖skew(Wᵀ ΔW)‖/(‖W‖‖ΔW‖) at step {worst.Step}"));
    }

    // G#16 (follows from g(cq) = g(q)/c, theory/05-learning-dynamics.md#eq-5-1): (cq₀, c²η, k/c²) reproduces the direction sequence; |q| scales by c.
    private static LawOutcome ScaleInitSymmetry(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(model.Structure.Scale.Count > 0, c, "needs a scale-invariant model.");
        double factor = c.LawParameters.Scalar("factor", 10);
        var o = c.Optimizer;
        var a = OptimizerOf(c, model);
        var q0 = model.InitialPoint().Select(x => factor * x).ToArray();
        var b = OptimizerOf(c, model, o with { LearningRate = factor * factor * o.LearningRate, WeightDecay = o.WeightDecay / (factor * factor) }, q0);
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(a); Finite.Step(b);
            double ra = Vec.Norm(a.Parameters), rb = Vec.Norm(b.Parameters);
            for (int i = 0; i < model.Dimension; i++)
                worst.Note(Math.Abs(a.Parameters[i] / ra - b.Parameters[i] / rb), "|q̂ − q̂′|", n);
            worst.Note(Math.Abs(rb / (factor * ra) - 1), "||q′|/(c|q|) − 1|", n);
        }
        return new LawOutcome(worst.Value, 0, F($"max over {c.Steps} steps of |q̂ − q̂′| and ||q′|/(c|q|) − 1|, c = {factor}"));
    }

    // G#15 (theory/04-numerical-integration.md#eq-4-7): β = 0 SGD + coupled decay = normalised GD on the sphere |q| = r₀ with η′ₙ = ηr₀²/((1−ηk)rₙ²).
    private static LawOutcome NormalisedGdEquivalence(VerificationCase c)
    {
        var model = ModelOf(c);
        Require(c.Optimizer.Kind == OptimizerKind.Gd && !c.Optimizer.DecoupledWeightDecay && model.Structure.Scale.Count == 1
            && model.Structure.Scale[0].Indices.Length == model.Dimension, c, "needs GD with coupled decay on a fully scale-invariant model.");
        var sgd = OptimizerOf(c, model);
        double eta = c.Optimizer.LearningRate, k = c.Optimizer.WeightDecay;
        double r0Sq = Vec.Norm2(sgd.Parameters);
        var rSq = new double[c.Steps];
        var dirs = new double[c.Steps][];
        for (int n = 0; n < c.Steps; n++)
        {
            rSq[n] = Vec.Norm2(sgd.Parameters);
            Finite.Step(sgd);
            double r = Vec.Norm(sgd.Parameters);
            dirs[n] = sgd.Parameters.ToArray().Select(x => x / r).ToArray();
        }
        var projected = new Optimizer(model, new OptimizerOptions
        {
            Kind = OptimizerKind.Gd,
            LearningRate = eta,
            LearningRateSchedule = n => ClosedForms.NormalisedStep(eta, k, r0Sq, rSq[n]),
            ProjectedBlocks = [Vec.Range(0, model.Dimension)],
        }, c.Seed);
        var worst = new WorstResidual();
        for (int n = 0; n < c.Steps; n++)
        {
            Finite.Step(projected);
            double r = Vec.Norm(projected.Parameters);
            for (int i = 0; i < model.Dimension; i++) worst.Note(Math.Abs(projected.Parameters[i] / r - dirs[n][i]), "|q̂ₙ − p̂ₙ|", n);
        }
        return new LawOutcome(worst.Value, 0, F($"max |q̂ₙ − p̂ₙ| over {c.Steps} steps; r² went {r0Sq:G4} → {Vec.Norm2(sgd.Parameters):G4}"));
    }
}

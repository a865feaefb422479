using System.Globalization;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Numerics.Recording;

/// <summary>What to simulate and record (the CLI <c>simulate</c> command maps its flags onto this).</summary>
/// <param name="ModelId">Toy-model id.</param>
/// <param name="Optimizer">Optimizer options.</param>
/// <param name="Steps">Number of steps.</param>
public sealed record TrajectoryOptions(string ModelId, OptimizerOptions Optimizer, int Steps)
{
    /// <summary>Model parameters.</summary>
    public ParameterSet ModelParameters { get; init; } = ParameterSet.Empty;
    /// <summary>Seed for data, initial point and stochastic gradients.</summary>
    public int Seed { get; init; }
    /// <summary>Record every n-th step (step 0 and the last step are always recorded).</summary>
    public int Every { get; init; } = 1;
    /// <summary>Prediction column families to add beside the measurements: see <see cref="Trajectory.Predictions"/>.</summary>
    public IReadOnlyList<string> Predict { get; init; } = [];
    /// <summary>Factor c applied to the model's initial point: the run starts at c·q₀ (default 1). Scale-invariant blocks
    /// keep their direction, and their effective learning rate η/((1−β)r²) falls by c².</summary>
    public double InitialScale { get; init; } = 1;
    /// <summary>How the heavy-ball buffer starts (ignored by the other optimizers).</summary>
    public TrajectoryBufferStart InitialBuffer { get; init; } = TrajectoryBufferStart.Zero;
}

/// <summary>How <see cref="Trajectory"/> starts the heavy-ball buffer v₀.</summary>
public enum TrajectoryBufferStart
{
    /// <summary>v₀ = 0: PyTorch's start, so the first buffer is v₁ = d₀ (skew(WᵀV) starts at 0 and stays 0 under the law).</summary>
    Zero,
    /// <summary>v₀ ~ N(0, 1) per entry, seeded by the run's seed: a warm buffer that is not aligned with the gradient.</summary>
    Random,
    /// <summary>v₀ = d₀/(1−β), the terminal velocity of the first direction d₀ = g₀ + kq₀.</summary>
    Gradient,
}

/// <summary>A table of recorded quantities: named columns, one row per recorded step.</summary>
/// <param name="Columns">Column names (stable; documented in <see cref="Trajectory"/>).</param>
/// <param name="Rows">Rows, each with one value per column.</param>
public sealed record TrajectoryTable(IReadOnlyList<string> Columns, IReadOnlyList<double[]> Rows)
{
    /// <summary>What each column means, in column order (every column has an entry).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Legend { get; init; } = [];

    /// <summary>What the symbols used in <see cref="Legend"/> mean (s, ĝ, r, η, β, k, …).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Symbols { get; init; } = [];

    /// <summary>The instance that was simulated: model, its parameters (given and defaulted), initial scale, initial
    /// buffer, seed and optimizer hyperparameters, as name–value text pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Instance { get; init; } = [];

    /// <summary>The values of one column.</summary>
    /// <exception cref="ArgumentException">No such column (the message lists them).</exception>
    public double[] Column(string name)
    {
        int i = Columns.ToList().IndexOf(name);
        if (i < 0) throw new ArgumentException($"no column '{name}'; columns: {string.Join(", ", Columns)}.", nameof(name));
        return Rows.Select(r => r[i]).ToArray();
    }

    /// <summary>Writes CSV (invariant culture, round-trip precision, header line first).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(",", Columns));
        foreach (var row in Rows)
            writer.WriteLine(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }
}

/// <summary>
/// Runs an optimizer on a toy model and records the quantities the laws talk about. Columns:
/// <c>step</c>, <c>t</c> (= nη, with η the base learning rate), <c>loss</c> (NaN for force fields), <c>q_norm2</c>,
/// <c>g_norm2</c> and <c>v_norm2</c> (gradient and buffer of the step that produced this row; NaN/0 at step 0),
/// <c>q_dot_v</c>; per symmetry block: <c>scale.NAME.norm2</c>, <c>scale.NAME.ghat2</c> (|ĝ|² = |q_A|²|g_A|²),
/// <c>translation.NAME.sum</c>, <c>rescale.NAME.diff</c>, <c>balance.NAME.fro</c> (‖W₁W₁ᵀ − W₂ᵀW₂‖_F),
/// <c>rotation.NAME.skew</c> (‖skew(WᵀV)‖_F). Predictions add <c>….nm</c> (Neural Mechanics laws with weight decay;
/// Green's-function law under momentum) and <c>….eq17</c> (NLD Eq. 17 for r² = |q_A|²) beside the measurement.
/// </summary>
/// <remarks>Predictions: theory/03-noether.md#eq-3-13 (β = 0 with weight decay), theory/03-noether.md#eq-3-12
/// (Green's-function solution under momentum), theory/05-learning-dynamics.md#eq-5-3 (Eq. 17).</remarks>
public static class Trajectory
{
    /// <summary>Prediction families accepted by <see cref="TrajectoryOptions.Predict"/>: <c>nm</c>, <c>eq17</c>, and
    /// <c>steady</c> (the steady-state r² = √r⁴* of a scale block for both noise kinds, persistent and white, from the
    /// force size s of <c>force-persistent</c>/<c>force-white</c>; heavy ball or GD with k &gt; 0).</summary>
    public static IReadOnlyList<string> Predictions { get; } = ["nm", "eq17", "steady"];

    /// <summary>Runs and records.</summary>
    /// <exception cref="ArgumentException">Unknown model or prediction, or invalid options.</exception>
    public static TrajectoryTable Run(TrajectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 0) throw new ArgumentException($"steps must be ≥ 0 (got {options.Steps}).");
        if (options.Every < 1) throw new ArgumentException($"every must be ≥ 1 (got {options.Every}).");
        foreach (var p in options.Predict)
            if (!Predictions.Contains(p)) throw new ArgumentException($"unknown prediction '{p}'; known: {string.Join(", ", Predictions)}.");
        bool nm = options.Predict.Contains("nm"), eq17 = options.Predict.Contains("eq17"), steady = options.Predict.Contains("steady");
        var o = options.Optimizer;
        if ((nm || eq17 || steady) && (o.Kind is OptimizerKind.RmsProp or OptimizerKind.Adam || o.Nesterov || o.DecoupledWeightDecay))
            throw new ArgumentException("predictions model GD or heavy ball with coupled weight decay; request none or change the optimizer.");
        if (!double.IsFinite(options.InitialScale) || options.InitialScale == 0)
            throw new ArgumentException($"initial scale must be finite and non-zero (got {options.InitialScale.ToString(CultureInfo.InvariantCulture)}).");
        var declared = ToyModels.ParametersOf(options.ModelId);
        foreach (var name in options.ModelParameters.Names)
            if (!declared.Any(p => p.Name == name))
                throw new ArgumentException($"model '{options.ModelId}' has no parameter '{name}'; its parameters: {string.Join(", ", declared.Select(p => p.Name))}.");

        var model = ToyModels.Create(options.ModelId, options.ModelParameters, options.Seed);
        var force = model as ScaleForceModel;
        if (steady && (force is null || !(o.WeightDecay > 0)))
            throw new ArgumentException("the steady prediction needs force-persistent or force-white (|ĝ| = s known) and weight decay k > 0 (a steady state).");
        var start = model.InitialPoint().Select(x => options.InitialScale * x).ToArray();
        if (o.Kind == OptimizerKind.HeavyBall && options.InitialBuffer != TrajectoryBufferStart.Zero)
        {
            var buf = new double[model.Dimension];
            if (options.InitialBuffer == TrajectoryBufferStart.Random)
                Gaussian.Fill(new Random(options.Seed + 7919), buf);
            else
            {
                model.Gradient(start, buf, GradientContext.FullBatch);
                for (int i = 0; i < buf.Length; i++) buf[i] = (buf[i] + o.WeightDecay * start[i]) / (1 - o.Momentum);
            }
            o = o with { InitialBuffer = buf };
        }
        var opt = new Optimizer(model, o, options.Seed, start);
        var s = model.Structure;
        var columns = new List<string>();
        var legend = new List<KeyValuePair<string, string>>();
        void Col(string name, string meaning) { columns.Add(name); legend.Add(new(name, meaning)); }
        Col("step", "step index n");
        Col("t", "time t = nη(1−δ)");
        Col("loss", "full-batch loss f(q_n) (NaN for force fields, which have no loss)");
        Col("q_norm2", "|q_n|², all parameters");
        Col("g_norm2", "|g_{n−1}|², the gradient of the step that produced this row (NaN at step 0)");
        Col("v_norm2", "|v_n|², the heavy-ball buffer after that step (GD: the step direction g + kq)");
        Col("q_dot_v", "⟨q_n, v_n⟩");
        foreach (var b in s.Scale)
        {
            Col($"scale.{b.Name}.norm2", $"r² = |q_A|² of scale block {b.Name}");
            Col($"scale.{b.Name}.ghat2", $"|ĝ|² = |q_A|²|g_A|² of block {b.Name}: the squared gradient at the unit-norm point (NaN at step 0)");
            if (nm) Col($"scale.{b.Name}.norm2.nm", "r² predicted by the Neural Mechanics law (β = 0: with weight decay; β > 0: Green's function driven by the measured |v|²)");
            if (eq17) Col($"scale.{b.Name}.norm2.eq17", "r² predicted by NLD Eq. 17 driven by the measured |ĝ|² (assumes persistent gradients)");
            if (steady)
            {
                Col($"scale.{b.Name}.steady.persistent", "steady-state r² = √r⁴*, persistent gradients: r⁴* = η(1+β)s²/(2k(1−β)²)");
                Col($"scale.{b.Name}.steady.white", "steady-state r² = √⟨r⁴⟩, white-noise gradients: ⟨r⁴⟩ = ηs²/(2k(1−β))");
            }
        }
        foreach (var b in s.Translation)
        {
            Col($"translation.{b.Name}.sum", $"translation charge ⟨q, 1_A⟩ of block {b.Name}");
            if (nm) Col($"translation.{b.Name}.sum.nm", "translation charge predicted by the NM law");
        }
        foreach (var r in s.Rescale)
        {
            Col($"rescale.{r.Name}.diff", $"rescale charge |q_in|² − |q_out|² of unit {r.Name}");
            if (nm) Col($"rescale.{r.Name}.diff.nm", "rescale charge predicted by the NM law");
        }
        foreach (var b in s.Balance) Col($"balance.{b.Name}.fro", $"‖W₁W₁ᵀ − W₂ᵀW₂‖_F of pair {b.Name}");
        foreach (var m in s.Rotation) Col($"rotation.{m.Name}.skew", $"‖skew(WᵀV)‖_F of matrix {m.Name}, V the buffer's W block: 0 from a zero buffer and then 0 for ever; from a random buffer it contracts by β per step under heavy ball");

        double eta = o.LearningRate, beta = o.Kind == OptimizerKind.HeavyBall ? o.Momentum : 0, k = o.WeightDecay, delta = o.Dampening;
        double s2 = force is null ? double.NaN : force.Strength * force.Strength;
        double steadyPersistent = steady ? Math.Sqrt(ClosedForms.SteadyStateR4Persistent(eta, beta, k, s2)) : double.NaN;
        double steadyWhite = steady ? Math.Sqrt(ClosedForms.SteadyStateR4White(eta, beta, k, s2)) : double.NaN;
        double dt = eta * (1 - delta);
        var q0 = opt.Parameters.ToArray();
        var scale0 = s.Scale.Select(b => Vec.Norm2(q0, b.Indices)).ToArray();
        var trans0 = s.Translation.Select(b => Vec.Sum(q0, b.Indices)).ToArray();
        var resc0 = s.Rescale.Select(r => Vec.Norm2(q0, r.Incoming) - Vec.Norm2(q0, r.Outgoing)).ToArray();
        var scaleOsc = DampedOscillator.ForScale(eta, beta, k, delta);
        var scaleSums = s.Scale.Select(_ => scaleOsc.CreateSum(dt)).ToArray();
        var rescSums = s.Rescale.Select(_ => scaleOsc.CreateSum(dt)).ToArray();
        var transOsc = DampedOscillator.ForTranslation(eta, beta, k, delta);
        var eq17s = s.Scale.Select((b, i) => new Eq17Predictor(eta, beta, k, scale0[i])).ToArray();

        var rows = new List<double[]>();
        void Record(int n)
        {
            var q = opt.Parameters; var v = opt.Buffer; var g = opt.LastGradient;
            double t = n * dt;
            var row = new List<double> { n, t, model.HasLoss ? model.Loss(q) : double.NaN, Vec.Norm2(q),
                n == 0 ? double.NaN : Vec.Norm2(g), Vec.Norm2(v), Vec.Dot(q, v) };
            for (int i = 0; i < s.Scale.Count; i++)
            {
                var idx = s.Scale[i].Indices;
                row.Add(Vec.Norm2(q, idx));
                row.Add(n == 0 ? double.NaN : Vec.Norm2(opt.PreviousParameters, idx) * Vec.Norm2(g, idx));
                if (nm) row.Add(scaleOsc.Homogeneous(t) * scale0[i] + scaleSums[i].Value);
                if (eq17) row.Add(eq17s[i].R2);
                if (steady) { row.Add(steadyPersistent); row.Add(steadyWhite); }
            }
            for (int i = 0; i < s.Translation.Count; i++)
            {
                row.Add(Vec.Sum(q, s.Translation[i].Indices));
                if (nm) row.Add((beta == 0 ? ClosedForms.Translation(1, k, t) : transOsc.Homogeneous(t)) * trans0[i]);
            }
            for (int i = 0; i < s.Rescale.Count; i++)
            {
                row.Add(Vec.Norm2(q, s.Rescale[i].Incoming) - Vec.Norm2(q, s.Rescale[i].Outgoing));
                if (nm) row.Add(scaleOsc.Homogeneous(t) * resc0[i] + rescSums[i].Value);
            }
            foreach (var b in s.Balance) row.Add(Measure.Balance(b, q).FrobeniusNorm());
            foreach (var m in s.Rotation) row.Add(Measure.Skew(m.Read(q).Transpose() * m.Read(v)).FrobeniusNorm());
            rows.Add([.. row]);
        }

        Record(0);
        for (int n = 1; n <= options.Steps; n++)
        {
            opt.Step();
            var g = opt.LastGradient; var v = opt.Buffer;
            for (int i = 0; i < s.Scale.Count; i++)
            {
                var idx = s.Scale[i].Indices;
                // Source 2η(1−δ)|v|² with v the buffer (GD: v = g + kq), as in the NM code (theory/03-noether.md#eq-3-12).
                scaleSums[i].Add(2 * dt * Vec.Norm2(v, idx));
                scaleSums[i].Advance();
                eq17s[i].Step(Vec.Norm2(opt.PreviousParameters, idx) * Vec.Norm2(g, idx));
            }
            for (int i = 0; i < s.Rescale.Count; i++)
            {
                var r = s.Rescale[i];
                rescSums[i].Add(2 * dt * (Vec.Norm2(v, r.Incoming) - Vec.Norm2(v, r.Outgoing)));
                rescSums[i].Advance();
            }
            if (n % options.Every == 0 || n == options.Steps) Record(n);
        }
        var symbols = new List<KeyValuePair<string, string>>
        {
            new("n", "step index"), new("η", "learning rate (--lr)"), new("β", "heavy-ball momentum (0 for GD)"),
            new("k", "weight decay (coupled: the step uses g + kq)"), new("δ", "dampening"),
            new("q_A", "the parameters of a symmetry block A"), new("r", "|q_A|, the norm of a scale block (r² is the recorded column)"),
            new("g", "the gradient, without the weight-decay term"), new("v", "the heavy-ball buffer"),
            new("ĝ", "the gradient at the unit-norm point, ĝ = |q_A|·g_A for a scale-invariant block (so |ĝ|² = |q_A|²|g_A|²)"),
            new("s", "the force size of force-persistent/force-white: s = |ĝ| (not |ĝ|²), so |ĝ|² = s². (noether derive's scale-block output writes s for |ĝ|²; here and in the case files s is |ĝ|.)"),
        };
        var instance = new List<KeyValuePair<string, string>>
        {
            new("model", options.ModelId),
            new("seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
            new("initialScale", options.InitialScale.ToString("R", CultureInfo.InvariantCulture)),
            new("initialBuffer", o.Kind == OptimizerKind.HeavyBall ? options.InitialBuffer.ToString().ToLowerInvariant() : "none (not heavy ball)"),
            new("dimension", model.Dimension.ToString(CultureInfo.InvariantCulture)),
            new("lr", eta.ToString("R", CultureInfo.InvariantCulture)),
            new("momentum", beta.ToString("R", CultureInfo.InvariantCulture)),
            new("weightDecay", k.ToString("R", CultureInfo.InvariantCulture)),
            new("dampening", delta.ToString("R", CultureInfo.InvariantCulture)),
        };
        foreach (var p in declared)
            instance.Add(new("param." + p.Name, options.ModelParameters.Has(p.Name)
                ? string.Join(":", options.ModelParameters.Vector(p.Name, []).Select(x => x.ToString("R", CultureInfo.InvariantCulture)))
                : "default: " + p.Meaning));
        return new TrajectoryTable(columns, rows) { Legend = legend, Symbols = symbols, Instance = instance };
    }
}

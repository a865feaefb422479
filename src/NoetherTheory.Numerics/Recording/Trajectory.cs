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
}

/// <summary>A table of recorded quantities: named columns, one row per recorded step.</summary>
/// <param name="Columns">Column names (stable; documented in <see cref="Trajectory"/>).</param>
/// <param name="Rows">Rows, each with one value per column.</param>
public sealed record TrajectoryTable(IReadOnlyList<string> Columns, IReadOnlyList<double[]> Rows)
{
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
    /// <summary>Prediction families accepted by <see cref="TrajectoryOptions.Predict"/>.</summary>
    public static IReadOnlyList<string> Predictions { get; } = ["nm", "eq17"];

    /// <summary>Runs and records.</summary>
    /// <exception cref="ArgumentException">Unknown model or prediction, or invalid options.</exception>
    public static TrajectoryTable Run(TrajectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 0) throw new ArgumentException($"steps must be ≥ 0 (got {options.Steps}).");
        if (options.Every < 1) throw new ArgumentException($"every must be ≥ 1 (got {options.Every}).");
        foreach (var p in options.Predict)
            if (!Predictions.Contains(p)) throw new ArgumentException($"unknown prediction '{p}'; known: {string.Join(", ", Predictions)}.");
        bool nm = options.Predict.Contains("nm"), eq17 = options.Predict.Contains("eq17");
        var o = options.Optimizer;
        if ((nm || eq17) && (o.Kind is OptimizerKind.RmsProp or OptimizerKind.Adam || o.Nesterov || o.DecoupledWeightDecay))
            throw new ArgumentException("predictions model GD or heavy ball with coupled weight decay; request none or change the optimizer.");

        var model = ToyModels.Create(options.ModelId, options.ModelParameters, options.Seed);
        var opt = new Optimizer(model, o, options.Seed);
        var s = model.Structure;
        var columns = new List<string> { "step", "t", "loss", "q_norm2", "g_norm2", "v_norm2", "q_dot_v" };
        foreach (var b in s.Scale)
        {
            columns.Add($"scale.{b.Name}.norm2"); columns.Add($"scale.{b.Name}.ghat2");
            if (nm) columns.Add($"scale.{b.Name}.norm2.nm");
            if (eq17) columns.Add($"scale.{b.Name}.norm2.eq17");
        }
        foreach (var b in s.Translation) { columns.Add($"translation.{b.Name}.sum"); if (nm) columns.Add($"translation.{b.Name}.sum.nm"); }
        foreach (var r in s.Rescale) { columns.Add($"rescale.{r.Name}.diff"); if (nm) columns.Add($"rescale.{r.Name}.diff.nm"); }
        foreach (var b in s.Balance) columns.Add($"balance.{b.Name}.fro");
        foreach (var m in s.Rotation) columns.Add($"rotation.{m.Name}.skew");

        double eta = o.LearningRate, beta = o.Kind == OptimizerKind.HeavyBall ? o.Momentum : 0, k = o.WeightDecay, delta = o.Dampening;
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
        return new TrajectoryTable(columns, rows);
    }
}

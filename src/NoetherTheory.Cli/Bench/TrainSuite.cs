using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Cli.Bench;

/// <summary>Options of the train suite.</summary>
/// <param name="Device">cpu, cuda or cuda:i.</param>
/// <param name="BatchSizes">Batch sizes to run.</param>
/// <param name="ImageSize">Height = width of the synthetic images.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Width">VGG width multiplier.</param>
/// <param name="Head">Classifier head.</param>
/// <param name="WarmUpSteps">Untimed steps per variant before timing.</param>
/// <param name="Rounds">Timed rounds; each runs every variant in turn (interleaved, so drift hits all alike).</param>
/// <param name="StepsPerRound">Steps per variant per round.</param>
/// <param name="TorchPython">Interpreter with PyTorch (null: python3 on PATH, then Debian's /usr/bin/python3).</param>
/// <param name="Tf32">CUDA: both sides allow TF32 convolutions and matmuls (false: strict float32 on both).</param>
internal sealed record TrainOptions(string Device, IReadOnlyList<int> BatchSizes, int ImageSize, int Classes, double Width, Vgg11BnHead Head,
    int WarmUpSteps, int Rounds, int StepsPerRound, string? TorchPython, bool Tf32 = false)
{
    /// <summary>CPU defaults: a narrow net on small images, a suite of well under 2 minutes on 2 cores.</summary>
    public static TrainOptions Cpu(string? python) => new("cpu", [64], 32, 10, 0.25, Vgg11BnHead.GapLinear, 3, 5, 10, python);

    /// <summary>CUDA defaults: the Tiny ImageNet setting of NLD's Fig. 4 (VGG11-BN, 64×64, 200 classes).</summary>
    public static TrainOptions Cuda(string device, string? python) => new(device, [256, 512], 64, 200, 1.0, Vgg11BnHead.Classifier, 5, 3, 10, python);
}

/// <summary>Images per second of one batch size, as written to the JSON file.</summary>
internal sealed record TrainRow(
    int BatchSize,
    double TorchSharpDefault,
    double Ours,
    double OursMeasuredEveryStep,
    double OursOverDefault,
    double MeasurementCost,
    bool MeasurementTargetMet,
    double? PyTorch,
    double? OursOverPyTorch,
    double OursMeasuredBatched = double.NaN,
    double MeasurementCostBatched = double.NaN)
{
    /// <summary>Target: measuring every step costs at most this fraction of throughput (judged on the batched-transfer
    /// loop, <see cref="OursMeasuredBatched"/>: how a run that measures every step is configured).</summary>
    public const double MeasurementTarget = 0.10;

    /// <summary>Steps whose values the batched loop sends to the host in one transfer (<c>transfer_every</c>); every timed
    /// round also ends with a transfer (the default rounds are 10 steps).</summary>
    public const int TransferEvery = 10;
}

/// <summary>The train suite's JSON record.</summary>
/// <remarks>CPU runs pin PyTorch to the same number of intra-op threads as ours (<see cref="Threads"/>, <see cref="PyTorchThreads"/>):
/// Debian's python3-torch starts with one OpenMP thread, libtorch with one per core.</remarks>
internal sealed record TrainReport(string Device, string Model, int ImageSize, int Classes, double Width, string Head,
    int TimedSteps, IReadOnlyList<TrainRow> Rows, string PyTorchStatus, string? PyTorchVersion, string? PyTorchDetail, int Threads, int? PyTorchThreads);

/// <summary>
/// Issue 5's benchmark: images per second of a VGG11-BN training step on the current device, for four loops over the same
/// model and batches (each assembled from an on-device uint8 data set, as in training): TorchSharp's own
/// <c>torch.optim.SGD</c> loop ("TorchSharp default"), and the trainer's own <see cref="TrainingStep"/> with
/// <see cref="StepLogging.None"/> (measure never) and with <see cref="StepLogging.LogAndMeasure"/> (<see cref="FilterMeasurement"/>
/// packed every step), its values copied to the host every step or, with <see cref="TrainingStep.DeferTransfers"/>, once
/// per <see cref="TrainRow.TransferEvery"/> steps (the trainer's <c>transfer_every</c>). PyTorch eager (Bench/pytorch_train.py) runs beside it when
/// <c>import torch</c> works.
/// </summary>
internal static class TrainSuite
{
    private const double LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4;
    private const int BatchesInMemory = 4;
    private const long Seed = 1;

    private enum Variant { TorchSharpDefault, Ours, OursMeasured, OursMeasuredBatched }

    public static TrainReport Run(CliContext context, TrainOptions o)
    {
        TorchRuntime.Require();
        var device = TorchRuntime.ResolveDevice(o.Device);
        var rows = new List<(int Batch, double[] Rates)>();
        foreach (int batch in o.BatchSizes)
        {
            context.Error.WriteLine(Inv($"bench train: VGG11-BN width {o.Width}, {o.ImageSize}×{o.ImageSize}, batch {batch} on {device}…"));
            rows.Add((batch, Measure(o, device, batch)));
        }
        var py = RunPyTorch(context, o);
        double? PyRate(int batch) => py.IsOk
            ? py.Json!.Value.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("batch").GetInt32() == batch)
                .Select(r => (double?)r.GetProperty("images_per_s").GetDouble()).FirstOrDefault()
            : null;
        var result = rows.Select(r =>
        {
            double def = r.Rates[(int)Variant.TorchSharpDefault], ours = r.Rates[(int)Variant.Ours], measured = r.Rates[(int)Variant.OursMeasured];
            double batched = r.Rates[(int)Variant.OursMeasuredBatched];
            double cost = 1 - (measured / ours), batchedCost = 1 - (batched / ours);
            double? pyRate = PyRate(r.Batch);
            return new TrainRow(r.Batch, def, ours, measured, ours / def, cost, batchedCost <= TrainRow.MeasurementTarget, pyRate, ours / pyRate,
                batched, batchedCost);
        }).ToList();
        int? pyThreads = py.IsOk && py.Json!.Value.TryGetProperty("threads", out var th) ? th.GetInt32() : null;
        return new TrainReport(device.ToString(), "VGG11-BN", o.ImageSize, o.Classes, o.Width, o.Head.ToString(), o.Rounds * o.StepsPerRound, result,
            py.Outcome.ToString().ToLowerInvariant(), py.IsOk ? py.Json!.Value.GetProperty("torch").GetString() : null, py.IsOk ? null : py.Detail,
            torch.get_num_threads(), pyThreads);
    }

    private static double[] Measure(TrainOptions o, Device device, int batch)
    {
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(batch * BatchesInMemory, 2, 3, o.ImageSize, o.Classes, Seed));
        using var data = pair.Train.To(device);
        var batches = new Tensor[BatchesInMemory];
        for (int b = 0; b < BatchesInMemory; b++)
            batches[b] = arange(b * batch, (b + 1) * batch, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
        var loops = Enum.GetValues<Variant>().Select(v => new Loop(v, o, device)).ToArray();
        try
        {
            int cursor = 0;
            void Steps(Loop loop, int count)
            {
                for (int s = 0; s < count; s++, cursor++) loop.Step(data, batches[cursor % BatchesInMemory]);
                loop.Synchronise();
            }
            foreach (var loop in loops) Steps(loop, o.WarmUpSteps);
            var best = Enumerable.Repeat(double.PositiveInfinity, loops.Length).ToArray();
            for (int r = 0; r < o.Rounds; r++)
                for (int i = 0; i < loops.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    Steps(loops[i], o.StepsPerRound);
                    best[i] = Math.Min(best[i], clock.Elapsed.TotalSeconds);
                }
            return [.. best.Select(t => o.StepsPerRound * (double)batch / t)];
        }
        finally
        {
            foreach (var loop in loops) loop.Dispose();
            foreach (var t in batches) t.Dispose();
        }
    }

    /// <summary>One model with one optimizer and one way of stepping.</summary>
    private sealed class Loop : IDisposable
    {
        private readonly Vgg11Bn _model;
        private readonly optim.Optimizer? _sgd;
        private readonly HeavyBall? _heavyBall;
        private readonly TrainingStep? _step;
        private readonly StepLogging _logging;
        private long _n;

        public Loop(Variant variant, TrainOptions o, Device device)
        {
            torch.manual_seed(Seed);
            _model = new Vgg11Bn(new Vgg11BnOptions(3, o.ImageSize, o.Classes, o.Width, Head: o.Head));
            _model.to(device);
            _model.train();
            if (variant == Variant.TorchSharpDefault)
            {
                _sgd = optim.SGD(_model.parameters(), LearningRate, momentum: Momentum, weight_decay: WeightDecay);
            }
            else
            {
                _heavyBall = new HeavyBall(_model.parameters(), new HeavyBallOptions(Momentum, WeightDecay: WeightDecay));
                _step = new TrainingStep(_model, _heavyBall, new TrainingStepOptions());
                _logging = variant is Variant.OursMeasured or Variant.OursMeasuredBatched ? StepLogging.LogAndMeasure : StepLogging.None;
                _step.DeferTransfers = variant == Variant.OursMeasuredBatched;
            }
        }

        public void Step(ImageDataset data, Tensor indices)
        {
            if (_step is not null)
            {
                _ = _step.Run(_n++, data, indices, LearningRate, _logging);    // the trainer's step, unchanged
                if (_step.DeferTransfers && _n % TrainRow.TransferEvery == 0) _ = _step.Flush();
                return;
            }
            using var scope = NewDisposeScope();
            var x = data.Batch(indices);
            var y = data.Labels.index_select(0, indices);
            _sgd!.zero_grad();
            var loss = nn.functional.cross_entropy(_model.call(x), y);
            loss.backward();
            _sgd.step();
        }

        /// <summary>Waits for queued device work (a host read of a parameter the last step wrote).</summary>
        public void Synchronise()
        {
            _ = _step?.Flush();                                                // pending values count as work done
            using var scope = NewDisposeScope();
            _ = _model.Output.weight!.sum().cpu().item<float>();
        }

        public void Dispose()
        {
            _sgd?.Dispose();
            _step?.Dispose();
            _heavyBall?.Dispose();
            _model.Dispose();
        }
    }

    private static PythonRun RunPyTorch(CliContext context, TrainOptions o)
    {
        var args = new List<string>
        {
            "--device", o.Device, "--batch-sizes", string.Join(",", o.BatchSizes.Select(b => b.ToString(CultureInfo.InvariantCulture))),
            "--size", Inv($"{o.ImageSize}"), "--classes", Inv($"{o.Classes}"), "--width", Inv($"{o.Width:R}"),
            "--head", o.Head == Vgg11BnHead.Classifier ? "classifier" : "gap", "--warmup", Inv($"{o.WarmUpSteps}"),
            "--rounds", Inv($"{o.Rounds}"), "--steps", Inv($"{o.StepsPerRound}"),
            "--lr", Inv($"{LearningRate:R}"), "--momentum", Inv($"{Momentum:R}"), "--weight-decay", Inv($"{WeightDecay:R}"),
            "--threads", Inv($"{torch.get_num_threads()}"),
        };
        if (o.Tf32) args.Add("--tf32");
        string script = PythonScript.Locate("pytorch_train.py");
        string[] interpreters = o.TorchPython is { } chosen ? [chosen] : ["python3", PythonScript.DebianPython];
        PythonRun run = null!;
        foreach (string python in interpreters)
        {
            run = PythonScript.Run(python, script, args, TimeSpan.FromMinutes(10));
            if (run.Outcome != PythonOutcome.Unavailable) break;
        }
        context.Error.WriteLine(run.IsOk ? "bench train: PyTorch eager ran side by side." : $"bench train: PyTorch not available ({run.Detail}).");
        return run;
    }

    public static void Print(TextWriter w, TrainReport r)
    {
        w.WriteLine(Inv($"## Train: {r.Model} (width {r.Width}, {r.Head} head) on {r.ImageSize}×{r.ImageSize} synthetic images, {r.Classes} classes, device {r.Device}; images/s, best of interleaved rounds ({r.TimedSteps} timed steps per loop)"));
        w.WriteLine();
        bool py = r.Rows.Any(x => x.PyTorch is not null);
        var header = new List<string> { "batch", "TorchSharp default (optim.SGD)", "ours (measure never)", "ours / default", "ours (measure every step, 1 transfer/step)", "cost",
            Inv($"ours (measure every step, 1 transfer/{TrainRow.TransferEvery} steps)"), "measurement cost", "target" };
        if (py) header.AddRange(["PyTorch eager", "ours / PyTorch"]);
        var t = new TextTable([.. header]);
        foreach (var x in r.Rows)
        {
            var cells = new List<string>
            {
                Inv($"{x.BatchSize}"), Fmt.Rate(x.TorchSharpDefault), Fmt.Rate(x.Ours), Fmt.Ratio(x.OursOverDefault), Fmt.Rate(x.OursMeasuredEveryStep),
                Inv($"{100 * x.MeasurementCost:0.0}%"), Fmt.Rate(x.OursMeasuredBatched), Inv($"{100 * x.MeasurementCostBatched:0.0}%"),
                Fmt.Target(x.MeasurementTargetMet, Inv($"≤ {100 * TrainRow.MeasurementTarget:0}%")),
            };
            if (py) cells.AddRange([x.PyTorch is { } p ? Fmt.Rate(p) : "—", x.OursOverPyTorch is { } q ? Fmt.Ratio(q) : "—"]);
            t.Add([.. cells]);
        }
        w.Write(t);
        if (!py) w.WriteLine($"PyTorch not available: {r.PyTorchDetail}; compared with the TorchSharp default loop only.");
        else w.WriteLine(Inv($"PyTorch {r.PyTorchVersion} eager, same model and settings (Bench/pytorch_train.py); intra-op threads: ours {r.Threads}, PyTorch {r.PyTorchThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"}."));
        w.WriteLine();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

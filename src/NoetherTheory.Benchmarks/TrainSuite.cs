using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Torch.Benchmarks;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Benchmarks;

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
/// <c>torch.optim.SGD</c> loop ("TorchSharp default"), and the trainer's own training step with logging off (measure
/// never) and with logging and measurement (filter statistics packed every step), its values copied to the host every step or,
/// with deferred transfers, once per <see cref="TrainRow.TransferEvery"/> steps (the trainer's <c>transfer_every</c>); the loops
/// themselves are <see cref="TrainLoopBenchmark"/> in the Torch assembly. PyTorch eager (bench/reference/pytorch_train.py)
/// runs beside it when <c>import torch</c> works.
/// </summary>
internal static class TrainSuite
{
    private const double LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4;
    private const int BatchesInMemory = 4;
    private const long Seed = 1;

    /// <summary>Runs the four loops at every batch size, then the PyTorch reference (when <c>import torch</c> works).</summary>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="o">What to run.</param>
    /// <param name="scripts">Where the reference scripts are.</param>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded, or the device is not available.</exception>
    public static TrainReport Run(TextWriter progress, TrainOptions o, ReferenceScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(scripts);
        string device = BenchmarkRuntime.RequireDevice(o.Device);
        var settings = new TrainLoopSettings(o.ImageSize, o.Classes, o.Width, o.Head, o.WarmUpSteps, o.Rounds, o.StepsPerRound,
            LearningRate, Momentum, WeightDecay, Seed, TrainRow.TransferEvery, BatchesInMemory);
        var rows = new List<(int Batch, IReadOnlyDictionary<TrainLoopVariant, double> Rates)>();
        foreach (int batch in o.BatchSizes)
        {
            progress.WriteLine(Inv($"bench train: VGG11-BN width {o.Width}, {o.ImageSize}×{o.ImageSize}, batch {batch} on {device}…"));
            rows.Add((batch, TrainLoopBenchmark.ImagesPerSecond(settings, o.Device, batch)));
        }
        int threads = BenchmarkRuntime.IntraOpThreads();
        var py = RunPyTorch(progress, o, scripts, threads);
        double? PyRate(int batch) => py.IsOk
            ? py.Json!.Value.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("batch").GetInt32() == batch)
                .Select(r => (double?)r.GetProperty("images_per_s").GetDouble()).FirstOrDefault()
            : null;
        var result = rows.Select(r =>
        {
            double def = r.Rates[TrainLoopVariant.TorchSharpDefault], ours = r.Rates[TrainLoopVariant.Ours], measured = r.Rates[TrainLoopVariant.OursMeasured];
            double batched = r.Rates[TrainLoopVariant.OursMeasuredBatched];
            double cost = 1 - (measured / ours), batchedCost = 1 - (batched / ours);
            double? pyRate = PyRate(r.Batch);
            return new TrainRow(r.Batch, def, ours, measured, ours / def, cost, batchedCost <= TrainRow.MeasurementTarget, pyRate, ours / pyRate,
                batched, batchedCost);
        }).ToList();
        int? pyThreads = py.IsOk && py.Json!.Value.TryGetProperty("threads", out var th) ? th.GetInt32() : null;
        return new TrainReport(device.ToString(), "VGG11-BN", o.ImageSize, o.Classes, o.Width, o.Head.ToString(), o.Rounds * o.StepsPerRound, result,
            py.Outcome.ToString().ToLowerInvariant(), py.IsOk ? py.Json!.Value.GetProperty("torch").GetString() : null, py.IsOk ? null : py.Detail,
            threads, pyThreads);
    }

    private static ReferenceRun RunPyTorch(TextWriter progress, TrainOptions o, ReferenceScripts scripts, int threads)
    {
        var args = new List<string>
        {
            "--device", o.Device, "--batch-sizes", string.Join(",", o.BatchSizes.Select(b => b.ToString(CultureInfo.InvariantCulture))),
            "--size", Inv($"{o.ImageSize}"), "--classes", Inv($"{o.Classes}"), "--width", Inv($"{o.Width:R}"),
            "--head", o.Head == Vgg11BnHead.Classifier ? "classifier" : "gap", "--warmup", Inv($"{o.WarmUpSteps}"),
            "--rounds", Inv($"{o.Rounds}"), "--steps", Inv($"{o.StepsPerRound}"),
            "--lr", Inv($"{LearningRate:R}"), "--momentum", Inv($"{Momentum:R}"), "--weight-decay", Inv($"{WeightDecay:R}"),
            "--threads", Inv($"{threads}"),
        };
        if (o.Tf32) args.Add("--tf32");
        string script = scripts.Locate("pytorch_train.py");
        string[] interpreters = o.TorchPython is { } chosen ? [chosen] : ["python3", ReferenceScripts.DebianPython];
        ReferenceRun run = null!;
        foreach (string python in interpreters)
        {
            run = ReferenceScripts.Run(python, script, args, TimeSpan.FromMinutes(10));
            if (run.Outcome != ReferenceOutcome.Unavailable) break;
        }
        progress.WriteLine(run.IsOk ? "bench train: PyTorch eager ran side by side." : $"bench train: PyTorch not available ({run.Detail}).");
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
        else w.WriteLine(Inv($"PyTorch {r.PyTorchVersion} eager, same model and settings (bench/reference/pytorch_train.py); intra-op threads: ours {r.Threads}, PyTorch {r.PyTorchThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"}."));
        w.WriteLine();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

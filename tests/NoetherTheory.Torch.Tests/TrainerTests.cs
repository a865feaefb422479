using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Testing;

namespace NoetherTheory.Torch.Tests;

[TestFixture, Category("Native")]
public sealed class TrainerTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-trainer-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    // Each float32 rescale leaves |w| off by a few ulps (the norm is a float32 reduction): ≲ 8·2⁻²⁴ relative in |w|²
    // per step; 8 steps → ≈ 4e-6.
    private static readonly Tolerance ConstrainedNormDrift = Tolerance.Relative(4e-6);

    internal static TrainingConfig Tiny(long steps = 12, bool constrained = false, Vgg11BnHead head = Vgg11BnHead.GapLinear) => new(
        Name: "tiny", Seed: 3,
        Dataset: new DatasetConfig(DatasetKind.Synthetic, Synthetic: new SyntheticImageOptions(64, 32, 3, 8, 4, 9)),
        Augmentation: new AugmentationOptions(2, true),
        Model: new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, Head: head, HiddenWidth: 16, Dropout: 0.25),
        Optimizer: new HeavyBallOptions(0.9, 0, 5e-4),
        Schedule: new LearningRateSchedule(0.05, [8], 0.5),
        ConstrainFilterNorms: constrained, BatchSize: 16, Steps: steps, LogEvery: 2, MeasureEvery: 4, CheckpointEvery: 4);

    [Test]
    public void Resume_AfterACrash_ReproducesTheUninterruptedRun_BitForBit()
    {
        // Classifier head so that dropout (generator-driven) is part of what must replay exactly.
        var config = Tiny(head: Vgg11BnHead.Classifier);
        var full = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "full")));

        string crashed = Path.Combine(_root, "crashed");
        using var cts = new CancellationTokenSource();
        var stopAt6 = new SynchronousProgress(p => { if (p.Step >= 7) cts.Cancel(); });
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(crashed, CheckpointOnCancel: false), stopAt6, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(File.ReadLines(Path.Combine(crashed, "metrics.csv")).Count(), Is.GreaterThan(4), "the crash happened after logging past the checkpoint at step 4");
        // A crash in the middle of a write leaves a torn last row (here: cut before its first comma, and a bare "1").
        File.AppendAllText(Path.Combine(crashed, "metrics.csv"), "1");
        File.AppendAllText(Path.Combine(crashed, "layers.csv"), "\n");

        var resumed = Trainer.Run(config, new TrainingRunOptions(crashed, Resume: true));

        Assert.That(resumed.ResumedFromStep, Is.EqualTo(4));
        Assert.That(resumed.TestLoss, Is.EqualTo(full.TestLoss), "bitwise on CPU");
        Assert.That(resumed.TestAccuracy, Is.EqualTo(full.TestAccuracy));
        Assert.That(resumed.TrainLoss, Is.EqualTo(full.TrainLoss));
        foreach (string csv in new[] { "metrics.csv", "layers.csv", "filters.csv" })
            Assert.That(File.ReadAllText(Path.Combine(crashed, csv)), Is.EqualTo(File.ReadAllText(Path.Combine(_root, "full", csv))), csv);
    }

    [Test]
    public void DeferredTransfers_WriteTheSameRows_AndResumeBitForBit()
    {
        // Every step logged and measured (as the filter protocols do), values reaching the host after the first step, then
        // every 3 steps, before each checkpoint (every 4) and at the last step: the run folder must equal the one with a
        // transfer per step.
        var every = Tiny(steps: 13) with { LogEvery = 1, MeasureEvery = 1 };
        var batched = every with { TransferEvery = 3 };
        var reference = Trainer.Run(every, new TrainingRunOptions(Path.Combine(_root, "every")));
        var transfers = new List<long>();
        var result = Trainer.Run(batched, new TrainingRunOptions(Path.Combine(_root, "batched")),
            new SynchronousProgress(p => transfers.Add(p.Step)));
        Assert.That(transfers, Is.EqualTo(new long[] { 1, 3, 4, 6, 8, 9, 12, 13 }), "after the first step, every 3 steps, before each checkpoint, at the end");
        Assert.That(result.TestLoss, Is.EqualTo(reference.TestLoss), "bitwise on CPU");
        Assert.That(result.TrainLoss, Is.EqualTo(reference.TrainLoss));
        foreach (string csv in new[] { "metrics.csv", "layers.csv", "filters.csv" })
            Assert.That(File.ReadAllText(Path.Combine(_root, "batched", csv)), Is.EqualTo(File.ReadAllText(Path.Combine(_root, "every", csv))), csv);

        // Interrupted (Ctrl+C: the pending rows are written, then the checkpoint) and resumed: still the same folder.
        string interrupted = Path.Combine(_root, "interrupted");
        using var cts = new CancellationTokenSource();
        var stop = new SynchronousProgress(p => { if (p.Step >= 6) cts.Cancel(); });
        Assert.That(() => Trainer.Run(batched, new TrainingRunOptions(interrupted), stop, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        var resumed = Trainer.Run(batched, new TrainingRunOptions(interrupted, Resume: true));
        Assert.That(resumed.ResumedFromStep, Is.EqualTo(6), "checkpointed at the step reached (the flush after step 5 reported 6 steps done)");
        Assert.That(resumed.TestLoss, Is.EqualTo(reference.TestLoss));
        foreach (string csv in new[] { "metrics.csv", "layers.csv", "filters.csv" })
            Assert.That(File.ReadAllText(Path.Combine(interrupted, csv)), Is.EqualTo(File.ReadAllText(Path.Combine(_root, "every", csv))), csv);
        Assert.That(File.ReadAllText(Path.Combine(_root, "batched", "config.yaml")), Does.Contain("transfer_every: 3"));
    }

    [Test]
    public void Run_WritesTheRunFolder_AndLossDecreases()
    {
        var config = Tiny(steps: 24) with { LogEvery = 4, MeasureEvery = 8, CheckpointEvery = 0 };
        var reports = new List<TrainingProgress>();
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "run")), new SynchronousProgress(reports.Add));
        string dir = result.RunDirectory;
        Assert.That(File.ReadAllText(Path.Combine(dir, "config.yaml")), Is.EqualTo(config.ToYaml()));
        var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.That(metrics[0], Does.StartWith("step,epoch,lr,train_loss"));
        Assert.That(metrics.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "4", "8", "12", "16", "20", "23" }));
        Assert.That(reports.Select(r => r.Step), Is.EqualTo(new long[] { 1, 5, 9, 13, 17, 21, 24 }));
        Assert.That(reports[^1].Loss, Is.LessThan(reports[0].Loss), "training on a learnable synthetic set reduces the loss");
        Assert.That(Directory.GetFiles(Path.Combine(dir, "checkpoints"), "*.ckpt"), Has.Length.EqualTo(1), "final checkpoint only");
        int filters = new Vgg11Bn(config.Model with { InputSize = 8, Classes = 4 }).ConvLayers.Sum(l => (int)l.Filters);
        Assert.That(File.ReadLines(Path.Combine(dir, "filters.csv")).Count(), Is.EqualTo(1 + 4 * filters), "steps 0, 8, 16, 23 measured");
    }

    [Test]
    public void ConstrainedMode_KeepsEveryFilterAtItsInitialNorm()
    {
        var config = Tiny(steps: 9, constrained: true) with { LogEvery = 1, MeasureEvery = 1, CheckpointEvery = 0 };
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "constrained")));
        var rows = File.ReadLines(Path.Combine(result.RunDirectory, "filters.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var first = rows.Where(r => r[0] == "0").ToDictionary(r => r[1] + "/" + r[2], r => double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var r in rows.Where(r => r[0] == "8"))
        {
            double w2 = double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture);
            NumericAssert.Close(first[r[1] + "/" + r[2]], w2, ConstrainedNormDrift, $"filter {r[1]}/{r[2]} |w|²");
        }
    }

    [Test]
    public void Run_RefusesToOverwriteAnExistingRun()
    {
        var config = Tiny(steps: 2) with { LogEvery = 1, MeasureEvery = 1, CheckpointEvery = 0 };
        string dir = Path.Combine(_root, "again");
        Trainer.Run(config, new TrainingRunOptions(dir));
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains("already holds a run"));
        Assert.That(() => Trainer.Run(config with { Seed = 4 }, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains("different config"));
    }

    [Test]
    public void Run_LogsThePredictedWeightDotGrad_AndTheBatchVariance_AtMeasuredSteps()
    {
        var config = Tiny(steps: 5) with { LogEvery = 1, MeasureEvery = 4, CheckpointEvery = 0 };
        string dir = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "eps"))).RunDirectory;
        var filters = File.ReadAllLines(Path.Combine(dir, "filters.csv"));
        Assert.That(filters[0], Is.EqualTo("step,layer,filter,w2,g2,v2,wg,wv,wg_pred,bn_var,angle"));
        var rows = filters.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows.Select(r => r[0]).Distinct(), Is.EqualTo(new[] { "0", "4" }), "measured steps only");
        Assert.That(rows.Select(r => Parse(r[8])), Has.All.Matches<double>(double.IsFinite), "a prediction for every filter");
        Assert.That(rows.Select(r => Parse(r[9])), Has.All.GreaterThan(0), "c > 0 for every channel");
        Assert.That(rows.Select(r => Parse(r[10])), Has.All.GreaterThan(0), "every filter turns in a measured step (angle > 0)");
        var layers = File.ReadAllLines(Path.Combine(dir, "layers.csv"));
        Assert.That(layers[0], Is.EqualTo("step,layer,filters,w2,g2,v2,wg,wv,wg_pred"));
        foreach (var layer in layers.Skip(1).Select(l => l.Split(',')))
        {
            double sum = rows.Where(r => r[0] == layer[0] && r[1] == layer[1]).Sum(r => Parse(r[8]));
            NumericAssert.Close(sum, Parse(layer[8]), Tolerance.RoundOff, $"step {layer[0]} {layer[1]}: Σ wg_pred");
        }
    }

    [Test]
    public void Resume_OfARunStartedInTheOlderLayout_ContinuesInThatLayout()
    {
        var config = Tiny();
        string fullDir = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "full"))).RunDirectory;
        string old = Path.Combine(_root, "old");
        CrashAfterTheFirstCheckpoint(config, old);
        // Make the crashed run's logs look as an older version wrote them: no wg_pred (layers), no wg_pred,bn_var,angle (filters).
        StripColumns(Path.Combine(old, "layers.csv"), 1);
        StripColumns(Path.Combine(old, "filters.csv"), 3);

        Trainer.Run(config, new TrainingRunOptions(old, Resume: true));

        // Every row, before and after the resume, is in the older layout and equals the uninterrupted run's row without the new columns.
        StripColumns(Path.Combine(fullDir, "layers.csv"), 1);
        StripColumns(Path.Combine(fullDir, "filters.csv"), 3);
        foreach (string csv in new[] { "layers.csv", "filters.csv" })
            Assert.That(File.ReadAllText(Path.Combine(old, csv)), Is.EqualTo(File.ReadAllText(Path.Combine(fullDir, csv))), csv);
    }

    [Test]
    public void Resume_WithAnUnknownFiltersHeader_StopsNamingTheFile()
    {
        var config = Tiny();
        string dir = Path.Combine(_root, "odd");
        CrashAfterTheFirstCheckpoint(config, dir);
        string path = Path.Combine(dir, "filters.csv");
        var lines = File.ReadAllLines(path);
        lines[0] = "step,layer,filter,w2";
        File.WriteAllLines(path, lines);
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains(path + ":1:").And.Message.Contains("new folder"));
    }

    private static void CrashAfterTheFirstCheckpoint(TrainingConfig config, string dir)
    {
        using var cts = new CancellationTokenSource();
        var stop = new SynchronousProgress(p => { if (p.Step >= 7) cts.Cancel(); });
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, CheckpointOnCancel: false), stop, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private static void StripColumns(string path, int count) =>
        File.WriteAllLines(path, File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',')[..^count])));

    private static double Parse(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    internal sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Tests;

/// <summary>The error contract of training runs: divergence stops the run naming the step, run folders have one writer,
/// finished runs are left alone, refused starts leave nothing behind, damaged checkpoints are rejected naming the file.</summary>
[TestFixture, Category("Native")]
public sealed class RunGuardTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-guard-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static TrainingConfig Diverging(long steps = 16) =>
        TrainerTests.Tiny(steps) with { Schedule = new Optimization.LearningRateSchedule(1e30, [], 1), LogEvery = 1, MeasureEvery = 2 };

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [Test]
    public void Divergence_StopsAtTheFirstNonFiniteValue_NamingTheStep_AndKeepsTheLastGoodCheckpoint()
    {
        string dir = Path.Combine(_root, "run");
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(Diverging(), new TrainingRunOptions(dir)))!;
        Assert.That(e.Value, Is.Not.Null);
        Assert.That(e.Message, Does.Contain($"at step {e.Value!.Step}").And.Contain(e.Value.Quantity).And.Contain(dir));
        Assert.That(e.Value.Step, Is.LessThan(16), "lr 1e30 diverges within the run");
        var rows = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).ToList();
        Assert.That(rows.All(r => r.Split(',').Skip(1).All(c => c.Length == 0 || double.IsFinite(double.Parse(c, CultureInfo.InvariantCulture)))),
            Is.True, "no non-finite value is written");
        Assert.That(rows.Select(r => long.Parse(r.Split(',')[0], CultureInfo.InvariantCulture)), Is.All.LessThanOrEqualTo(e.Value.Step));
        foreach (string ckpt in Directory.EnumerateFiles(Path.Combine(dir, "checkpoints")))
            Assert.That(long.Parse(Path.GetFileNameWithoutExtension(ckpt)["step-".Length..], CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(e.Value.Step),
                "no checkpoint after the first non-finite value");
        Assert.That(File.Exists(Path.Combine(dir, "result.yaml")), Is.False);
    }

    [Test]
    public void Divergence_WithFlag_TrainsToTheEnd_AndRecordsTheFirstNonFiniteStep()
    {
        string dir = Path.Combine(_root, "run");
        var result = Trainer.Run(Diverging() with { OnNonFinite = NonFiniteAction.Flag }, new TrainingRunOptions(dir));
        Assert.That(result.Steps, Is.EqualTo(16));
        Assert.That(result.NonFinite, Is.Not.Null);
        string yaml = File.ReadAllText(Path.Combine(dir, "result.yaml"));
        Assert.That(yaml, Does.Contain($"non_finite_step: {result.NonFinite!.Step}").And.Contain($"non_finite_quantity: '{result.NonFinite.Quantity}'"));
    }

    [Test]
    public void ResumingAFinishedRun_SaysItIsComplete_AndChangesNoByte()
    {
        string dir = Path.Combine(_root, "run");
        var config = TrainerTests.Tiny(8);
        var first = Trainer.Run(config, new TrainingRunOptions(dir));
        var before = Snapshot(dir);
        var again = Trainer.Run(config, new TrainingRunOptions(dir, Resume: true));
        Assert.That(again.AlreadyComplete, Is.True);
        Assert.That(again.TrainLoss, Is.EqualTo(first.TrainLoss));
        Assert.That(again.TestAccuracy, Is.EqualTo(first.TestAccuracy));
        var after = Snapshot(dir);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        foreach (var (file, bytes) in before) Assert.That(after[file], Is.EqualTo(bytes), file);
    }

    [Test]
    public void ARunKilledAfterItsLastCheckpoint_ResumesToTheSameResult_NotNaN()
    {
        string dir = Path.Combine(_root, "run");
        var config = TrainerTests.Tiny(8);
        var first = Trainer.Run(config, new TrainingRunOptions(dir));
        string expected = File.ReadAllText(Path.Combine(dir, "result.yaml"));
        File.Delete(Path.Combine(dir, "result.yaml"));   // killed during the final evaluation
        var resumed = Trainer.Run(config, new TrainingRunOptions(dir, Resume: true));
        Assert.That(resumed.TrainLoss, Is.EqualTo(first.TrainLoss));
        Assert.That(File.ReadAllText(Path.Combine(dir, "result.yaml")), Is.EqualTo(expected.Replace("resumed_from_step: null", "resumed_from_step: 8", StringComparison.Ordinal)));
    }

    [Test]
    public void ASecondWriter_IsRefused_NamingTheLock()
    {
        string dir = Path.Combine(_root, "run");
        Directory.CreateDirectory(dir);
        using (new FileStream(Path.Combine(dir, "run.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.That(() => Trainer.Run(TrainerTests.Tiny(4), new TrainingRunOptions(dir, Resume: true)),
                Throws.TypeOf<TrainingConfigException>().With.Message.Contains("in use").And.Message.Contains("run.lock"));
            Assert.That(File.Exists(Path.Combine(dir, "config.yaml")), Is.False, "the refused writer wrote nothing");
        }
        Trainer.Run(TrainerTests.Tiny(4), new TrainingRunOptions(dir, Resume: true));
        Assert.That(File.Exists(Path.Combine(dir, "run.lock")), Is.False, "the lock file goes with its writer");
    }

    [Test]
    public void AStartRefusedByValidation_LeavesNothingThatBlocksTheCorrectedRun()
    {
        string dir = Path.Combine(_root, "run");
        var tooBig = TrainerTests.Tiny(4) with { BatchSize = 1000 };
        Assert.That(() => Trainer.Run(tooBig, new TrainingRunOptions(dir)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains("batch_size 1000"));
        Assert.That(Trainer.Run(TrainerTests.Tiny(4), new TrainingRunOptions(dir)).Steps, Is.EqualTo(4));
    }

    // A checkpoint written by a 4-step run with a checkpoint every 2 steps (step-000000002.ckpt kept for resuming).
    private (TrainingConfig Config, string Dir, string Checkpoint) Interrupted()
    {
        string dir = Path.Combine(_root, "run");
        var config = TrainerTests.Tiny(6) with { CheckpointEvery = 2, KeepCheckpoints = 3 };
        Trainer.Run(config, new TrainingRunOptions(dir));
        foreach (string f in new[] { "result.yaml", "checkpoints/step-000000006.ckpt", "checkpoints/step-000000004.ckpt" })
            File.Delete(Path.Combine(dir, f));
        return (config, dir, Path.Combine(dir, "checkpoints", "step-000000002.ckpt"));
    }

    [Test]
    public void ACheckpointWithFlippedBits_IsRejected_NamingTheFile()
    {
        var (config, dir, ckpt) = Interrupted();
        byte[] bytes = File.ReadAllBytes(ckpt);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(ckpt, bytes);
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains(ckpt).And.Message.Contains("checksum mismatch"));
    }

    // Rewrites the SHA-256 trailer, as a tool that forges a checkpoint would: the bounds checks must still catch it.
    private static void Reseal(string path, byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        File.WriteAllBytes(path, bytes);
    }

    private static int IndexOf(byte[] bytes, string ascii)
    {
        byte[] needle = Encoding.UTF8.GetBytes(ascii);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
            if (bytes.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException($"'{ascii}' not in the checkpoint");
    }

    [Test]
    public void AStepCounterBeyondTheRun_IsRejected()
    {
        var (config, dir, ckpt) = Interrupted();
        byte[] bytes = File.ReadAllBytes(ckpt);
        int at = IndexOf(bytes, "\u0004step") + 5;   // the counter's int64 follows its name
        BitConverter.GetBytes(1_000_000_000_000L).CopyTo(bytes, at);
        Reseal(ckpt, bytes);
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains(ckpt).And.Message.Contains("counter 'step' is 1000000000000"));
    }

    [TestCase(-1, "rank -1")]
    [TestCase(1000, "rank 1000")]
    public void ATensorWithABadRank_IsRejected(int rank, string expected)
    {
        var (config, dir, ckpt) = Interrupted();
        byte[] bytes = File.ReadAllBytes(ckpt);
        string name = "model.features.0.weight";
        int at = IndexOf(bytes, (char)name.Length + name) + 1 + name.Length + 1 + 4;   // name, present flag, dtype, then the rank
        BitConverter.GetBytes(rank).CopyTo(bytes, at);
        Reseal(ckpt, bytes);
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains(ckpt).And.Message.Contains(expected));
    }

    [TestCase(-8)]
    [TestCase(int.MaxValue)]
    public void ATensorWithABadByteLength_IsRejected(int length)
    {
        var (config, dir, ckpt) = Interrupted();
        byte[] bytes = File.ReadAllBytes(ckpt);
        string name = "model.features.0.weight";
        int at = IndexOf(bytes, (char)name.Length + name) + 1 + name.Length + 1 + 4 + 4 + 4 * 8;   // after the rank-4 shape
        BitConverter.GetBytes(length).CopyTo(bytes, at);
        Reseal(ckpt, bytes);
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(dir, Resume: true)),
            Throws.TypeOf<TrainingConfigException>().With.Message.Contains(ckpt).And.Message.Contains($"declares {length} bytes"));
    }

    [Test]
    public void ACheckpointWithoutAChecksum_TheOlderFormat_StillResumesBitForBit()
    {
        var (config, dir, ckpt) = Interrupted();
        var full = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "full")));
        byte[] bytes = File.ReadAllBytes(ckpt);
        byte[] legacy = bytes[..^32];
        Encoding.ASCII.GetBytes("NTCKPT01").CopyTo(legacy, 0);
        File.WriteAllBytes(ckpt, legacy);
        var resumed = Trainer.Run(config, new TrainingRunOptions(dir, Resume: true));
        Assert.That(resumed.ResumedFromStep, Is.EqualTo(2));
        Assert.That(resumed.TestLoss, Is.EqualTo(full.TestLoss), "bitwise on CPU");
    }
}

using NoetherTheory.Validation.DeepNet;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary>Exit codes and messages of train / main for diverging runs and malformed input (issue 13's run half), and
/// the filter checks over non-finite rows.</summary>
[TestFixture]
public sealed class RunContractTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-contract-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private string Config(string lr, long steps = 12)
    {
        string path = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(path, $"""
            name: tiny
            seed: 3
            steps: {steps}
            batch_size: 16
            log_every: 1
            measure_every: 4
            checkpoint_every: 4
            dataset:
              kind: synthetic
              synthetic: {"{"}train_count: 64, test_count: 16, channels: 3, size: 8, classes: 3{"}"}
            augmentation: {"{"}crop_padding: 0, horizontal_flip: false{"}"}
            model: {"{"}width: 0.0625, head: gap{"}"}
            optimizer: {"{"}lr: {lr}, momentum: 0.9{"}"}

            """);
        return path;
    }

    private static void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
    }

    [Test, Category("Native")]
    public void Train_Diverging_ExitsOne_NamingTheStepAndQuantity()
    {
        RequireTorch();
        var run = CliRunner.Run("train", "--config", Config("1e30"), "--out", Path.Combine(_root, "run"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.CheckFailed), run.Error);
        Assert.That(run.Error, Does.Match(@"training diverged: non-finite [a-z_ 0-9.]+ at step \d+"));
        Assert.That(File.Exists(Path.Combine(_root, "run", "result.yaml")), Is.False);
    }

    [Test, Category("Native")]
    public void Train_ResumingAFinishedRun_SaysSo_AndExitsZero()
    {
        RequireTorch();
        string config = Config("0.05", steps: 4), dir = Path.Combine(_root, "run");
        Assert.That(CliRunner.Run("train", "--config", config, "--out", dir).ExitCode, Is.EqualTo(ExitCodes.Ok));
        string result = File.ReadAllText(Path.Combine(dir, "result.yaml"));
        var again = CliRunner.Run("train", "--config", config, "--out", dir, "--resume");
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Ok), again.Error);
        Assert.That(again.Out, Does.Contain("already complete").And.Contain("nothing changed"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "result.yaml")), Is.EqualTo(result));
    }

    [Test]
    public void Train_AFolderAsConfig_IsNamedAsAFolder()
    {
        var run = CliRunner.Run("train", "--config", _root);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(run.Error, Does.Contain("is a folder"));
    }

    [TestCase("steps: 12", "steps: -1", ":3:8", "'steps' must be ≥ 1")]
    [TestCase("momentum: 0.9", "momentum: 1.5", ":13:33", "optimizer.momentum: must be < 1")]
    [TestCase("lr: 0.05", "lr: 0", ":13:17", "optimizer.lr: must be > 0")]
    [TestCase("train_count: 64", "train_count: 2000000000", ":10:28", "memory limit")]
    [TestCase("width: 0.0625", "width: 1e9", ":12:16", "model.width")]
    public void Train_OutOfRangeConfig_ExitsTwo_AtTheField(string from, string to, string place, string message)
    {
        string path = Config("0.05");
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to, StringComparison.Ordinal));
        var run = CliRunner.Run("train", "--config", path, "--out", Path.Combine(_root, "run"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.Error);
        Assert.That(run.Error, Does.Contain(path + place).And.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(_root, "run")), Is.False, "nothing is written for a refused config");
    }

    [Test]
    public void Main_ZeroJobs_AndAnUnknownProtocol_AreRefusedBeforeAnyStage()
    {
        string outDir = Path.Combine(_root, "main");
        var jobs = CliRunner.Run("main", "--jobs", "0", "--out", outDir);
        Assert.That(jobs.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(jobs.Error, Does.Contain("--jobs 0"));
        var protocol = CliRunner.Run("main", "--filters-protocol", "nope", "--out", outDir);
        Assert.That(protocol.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(protocol.Error, Does.Contain("--filters-protocol").And.Contain("nope.yaml"));
        Assert.That(protocol.Error, Does.Not.Contain("[1/"), "no stage ran");
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void FilterChecks_OverANonFiniteRow_FailEveryCheck_NamingStepAndLayer()
    {
        static FilterSample S(long n, double g2 = 1) => new(n, 4, g2, n == 0 ? 0 : 0.5, 0.02, 0.01, 0.02, 0.5);
        var finite = new List<FilterTrace> { new("features.0", 0, [S(0), S(1), S(2)]), new("features.4", 0, [S(0), S(1), S(2)]) };
        var settings = new FilterCheckSettings(0.01, 0.9, 1e-3, 0, false, false, false, 0.1, 100);
        var clean = FilterChecks.Analyse(finite, settings);
        Assert.That(clean.NonFinite, Is.Null);
        Assert.That(clean.EpsilonIdentityHolds, Is.True, "the finite log holds (so the failure below is the NaN's)");

        var nan = new List<FilterTrace> { finite[0], new("features.4", 0, [S(0), S(1, double.NaN), S(2)]) };
        var report = FilterChecks.Analyse(nan, settings);
        Assert.That(report.NonFinite, Does.Contain("step 1").And.Contain("features.4").And.Contain("g2"));
        Assert.That(report.EpsilonIdentityHolds, Is.False);
        Assert.That(report.RecursionHolds, Is.False);
    }
}

using System.Diagnostics;
using System.Text.Json;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary>`noether bench --suite cell` through the CLI: option checks and the suite on a tiny synthetic protocol (the suite's
/// parts are tested in Benchmarks.Tests/CellSuiteTests). No test asserts a speed.</summary>
[TestFixture]
public sealed class BenchCellCommandTests
{
    // Sums and differences of a handful of doubles of order 1–100: a few ulps.
    private static readonly Tolerance Arithmetic = new(1e-12, 1e-12);

    private const string TinyProtocol = TinyProtocols.FourCellGrid;

    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-cell-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private string WriteTinyProtocol()
    {
        string path = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(path, TinyProtocol);
        return path;
    }

    private static bool DebianPythonImportsTorch(out string why)
    {
        why = "/usr/bin/python3 does not exist";
        if (!File.Exists("/usr/bin/python3")) return false;
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch, yaml"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        why = $"/usr/bin/python3 cannot import torch and yaml (Debian python3-torch, python3-yaml): {error.Trim().Split('\n').LastOrDefault()}";
        return p.ExitCode == 0;
    }

    [Test]
    public void BadCellOptions_ExitTwo_BeforeAnythingRuns()
    {
        var steps = CliRunner.Run("bench", "--suite", "cell", "--protocol", WriteTinyProtocol(), "--cell-steps", "1");
        Assert.That(steps.ExitCode, Is.EqualTo(2), steps.Out);
        Assert.That(steps.Error, Does.Contain("--cell-steps"));
        var cell = CliRunner.Run("bench", "--suite", "cell", "--protocol", WriteTinyProtocol(), "--cell", "no-such-cell");
        Assert.That(cell.ExitCode, Is.EqualTo(2), cell.Out);
        Assert.That(cell.Error, Does.Contain("no-such-cell"));
        Assert.That(cell.Out, Does.Not.Contain("## Cell"));
    }

    [Test, Category("Native")]
    public void Suite_CudaWithoutCuda_ExitsTwo_BeforeAnyRun()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        if (info.CudaAvailable) Assert.Ignore("a CUDA device is present: this test covers hosts without one");
        var run = CliRunner.Run("bench", "--suite", "cell", "--protocol", WriteTinyProtocol(), "--device", "cuda");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Out);
        Assert.That(run.Error, Does.Contain("bench --suite cell").And.Contain("CUDA").And.Not.Contain("ours, run 1"));
    }

    [Test, Category("Native")]
    public void Suite_PyTorchMissing_ReportsOursOnly_EstimateFromOurTiming()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "cell", "--protocol", WriteTinyProtocol(), "--cell-steps", "3", "--cell-repeats", "1",
            "--torch-python", Path.Combine(_root, "no-such-python"), "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("PyTorch not available"));
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 1);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var cell = doc.RootElement.GetProperty("cell");
        Assert.That(cell.GetProperty("pyTorchStatus").GetString(), Is.EqualTo("unavailable"));
        Assert.That(cell.TryGetProperty("pyTorch", out _), Is.False, "no PyTorch timing without PyTorch");
        Assert.That(cell.GetProperty("steps").GetInt64(), Is.EqualTo(3));
        Assert.That(cell.GetProperty("cellSteps").GetInt64(), Is.EqualTo(4));
        Assert.That(cell.GetProperty("stepsCapped").GetBoolean(), Is.True);
        var ours = cell.GetProperty("ours");
        Assert.That(ours.GetProperty("trainingSteps").GetInt64(), Is.EqualTo(2));
        double setup = ours.GetProperty("setupSeconds").GetDouble(), training = ours.GetProperty("trainingSeconds").GetDouble();
        double tail = ours.GetProperty("tailSeconds").GetDouble(), total = ours.GetProperty("totalSeconds").GetDouble();
        Assert.That(new[] { setup, training, tail }, Is.All.GreaterThan(0));
        NumericAssert.Close(total, setup + training + tail, Arithmetic);
        Assert.That(ours.GetProperty("testAccuracy").GetDouble(), Is.InRange(0.0, 1.0));
        // Present and not negative; it may read 0: two tiny steps fit in one tick of the process CPU clock (10 ms on Linux).
        Assert.That(ours.GetProperty("trainingCpuSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0), "our process's CPU time over the timed steps");
        var estimate = cell.GetProperty("estimate");
        Assert.That(estimate.GetProperty("cells").GetInt32(), Is.EqualTo(4));
        Assert.That(estimate.GetProperty("totalSteps").GetInt64(), Is.EqualTo(16));
        // CellSuite.EstimateProtocolSeconds on 3 steps run (2 timed), for 4 cells of 4 steps and one job.
        double perStep = training / 2, overhead = total - (perStep * 3);
        NumericAssert.Close(4 * (overhead + (perStep * 4)), estimate.GetProperty("oursSeconds").GetDouble(), Arithmetic);
    }

    [Test, Category("Native")]
    public void Suite_WithDebianPyTorch_BothSidesTrainTheTinyCell()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        if (!DebianPythonImportsTorch(out string why)) Assert.Ignore(why);
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "cell", "--protocol", WriteTinyProtocol(), "--cell-repeats", "1",
            "--torch-python", "/usr/bin/python3", "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 1);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var cell = doc.RootElement.GetProperty("cell");
        Assert.That(cell.GetProperty("pyTorchStatus").GetString(), Is.EqualTo("ok"), cell.ToString());
        Assert.That(cell.GetProperty("pyTorchThreads").GetInt32(), Is.EqualTo(cell.GetProperty("threads").GetInt32()), "same intra-op threads");
        var ours = cell.GetProperty("ours");
        var py = cell.GetProperty("pyTorch");
        Assert.That(py.GetProperty("trainingSteps").GetInt64(), Is.EqualTo(ours.GetProperty("trainingSteps").GetInt64()));
        NumericAssert.Close(ours.GetProperty("secondsPerStep").GetDouble() / py.GetProperty("secondsPerStep").GetDouble(),
            cell.GetProperty("oursOverPyTorchPerStep").GetDouble(), Arithmetic);
        NumericAssert.Close(ours.GetProperty("testAccuracy").GetDouble() - py.GetProperty("testAccuracy").GetDouble(),
            cell.GetProperty("accuracyGap").GetDouble(), Arithmetic);
        Assert.That(cell.GetProperty("estimate").GetProperty("pyTorchSeconds").GetDouble(), Is.GreaterThan(0));
    }
}

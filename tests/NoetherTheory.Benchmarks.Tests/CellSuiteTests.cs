using System.Diagnostics;
using System.Text.Json;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Experiments;

namespace NoetherTheory.Benchmarks.Tests;

/// <summary>The cell suite (<c>noether bench --suite cell</c>; the command itself is tested in Cli.Tests/BenchCellCommandTests): cell selection and step cap, the reference script's arguments, the whole-protocol
/// estimate, reading the script's JSON (and a failed or missing PyTorch), and the script itself on a tiny synthetic
/// protocol when Debian's python3-torch is installed (ignored otherwise: CI does not install it). No test asserts a speed.</summary>
[TestFixture]
public sealed class CellSuiteTests
{
    // Sums and differences of a handful of doubles of order 1–100: a few ulps.
    private static readonly Tolerance Arithmetic = new(1e-12, 1e-12);

    private const string TinyProtocol = TinyProtocols.FourCellGrid;

    private static readonly ReferenceScripts Scripts = new(RepositoryPaths.Combine("bench", "reference"));

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
        if (!File.Exists(ReferenceScripts.DebianPython)) return false;
        using var p = Process.Start(new ProcessStartInfo(ReferenceScripts.DebianPython, ["-c", "import torch, yaml"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        why = $"/usr/bin/python3 cannot import torch and yaml (Debian python3-torch, python3-yaml): {error.Trim().Split('\n').LastOrDefault()}";
        return p.ExitCode == 0;
    }

    private static ReferenceRun Parsed(string json, double wall = 1.5) =>
        new(ReferenceOutcome.Ok, JsonDocument.Parse(json).RootElement.Clone(), "", wall);

    [Test]
    public void SelectCell_Default_IsFirstCell_AndCapShortensOnlySteps()
    {
        var protocol = ExperimentProtocolLoader.Load(WriteTinyProtocol());
        var (defined, ran) = CellSuite.SelectCell(protocol, null, 3);
        Assert.That(defined, Is.SameAs(protocol.Cells[0]));
        Assert.That(ran.Id, Is.EqualTo(defined.Id));
        Assert.That(ran.Config.Steps, Is.EqualTo(3));
        Assert.That(ran.Config with { Steps = defined.Config.Steps }, Is.EqualTo(defined.Config), "only the step count changes");
    }

    [Test]
    public void SelectCell_ById_CapAboveItsSteps_KeepsItsSteps()
    {
        var protocol = ExperimentProtocolLoader.Load(WriteTinyProtocol());
        var wanted = protocol.Cells[^1];
        var (defined, ran) = CellSuite.SelectCell(protocol, wanted.Id, 1000);
        Assert.That(defined, Is.SameAs(wanted));
        Assert.That(ran.Config.Steps, Is.EqualTo(wanted.Config.Steps));
    }

    [Test]
    public void SelectCell_UnknownId_SaysWhichIdsExist()
    {
        var protocol = ExperimentProtocolLoader.Load(WriteTinyProtocol());
        var e = Assert.Throws<BenchmarkException>(() => CellSuite.SelectCell(protocol, "no-such-cell", null))!;
        Assert.That(e.Message, Does.Contain("no-such-cell").And.Contain(protocol.Cells[0].Id));
    }

    [Test]
    public void ScriptArguments_NameConfigDeviceThreadsAndFolder()
    {
        var args = CellSuite.ScriptArguments("/tmp/a b/config.yaml", "cuda:1", 12, "/tmp/out");
        Assert.That(args, Is.EqualTo(new[] { "--config", "/tmp/a b/config.yaml", "--device", "cuda:1", "--threads", "12", "--out", "/tmp/out" }));
    }

    [Test, SetCulture("de-DE")]
    public void ScriptArguments_ThreadsInvariant_UnderCommaCulture() =>
        Assert.That(CellSuite.ScriptArguments("c.yaml", "cpu", 1234, "o")[5], Is.EqualTo("1234"), "no group separator in a command line");

    [Test]
    public void Estimate_SumsOverheadPlusPerStepTimesEachCellsSteps_OverJobs()
    {
        // 10 steps ran: steps 1–9 took 18 s (2 s/step); total 25 s, so the per-cell overhead is 25 − 2·10 = 5 s.
        var timing = new CellTiming(SetupSeconds: 3, TrainingSeconds: 18, TrainingSteps: 9, TailSeconds: 4, TotalSeconds: 25, 0.5, 1.0);
        double expected = ((5 + (2.0 * 10)) + (5 + (2.0 * 10)) + (5 + (2.0 * 20))) / 2;
        NumericAssert.Close(expected, CellSuite.EstimateProtocolSeconds(timing, 10, [10, 10, 20], jobs: 2), Arithmetic);
    }

    [Test]
    public void Estimate_CellRunWhole_OneJob_IsCellsTimesItsTotal()
    {
        var timing = new CellTiming(1.25, 7.5, 5, 2.25, 11, 0.5, 1.0);
        NumericAssert.Close(4 * 11.0, CellSuite.EstimateProtocolSeconds(timing, 6, [6, 6, 6, 6], jobs: 1), Arithmetic);
    }

    [Test]
    public void Estimate_OneStepRun_TakesTotalAsPerStep()
    {
        var timing = new CellTiming(7, 0, 0, 0, 7, 0.5, 1.0);
        NumericAssert.Close(7.0 * 30, CellSuite.EstimateProtocolSeconds(timing, 1, [10, 20], jobs: 1), Arithmetic);
    }

    [TestCase(0L, 1)]
    [TestCase(5L, 0)]
    public void Estimate_NoStepsOrNoJobs_Throws(long ranSteps, int jobs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CellSuite.EstimateProtocolSeconds(new CellTiming(1, 1, 1, 1, 3, 0, 0), ranSteps, [1], jobs));

    [Test]
    public void ParsePyTorch_SplitsAtTheLoggedSteps()
    {
        var (t, phases) = CellSuite.ParsePyTorch(Parsed("""
            {"steps": 11, "setup_s": 0.75, "data_s": 0.5, "training_s": 6.0, "evaluation_s": 1.25, "total_s": 8.0,
             "first_log_s": 1.0, "last_log_s": 6.5, "first_log_cpu_s": 2.0, "last_log_cpu_s": 12.0,
             "test_accuracy": 0.625, "test_loss": 1.125, "torch": "2.11.0", "threads": 2}
            """, wall: 9.5));
        NumericAssert.Close(1.0, t.SetupSeconds, Arithmetic);
        NumericAssert.Close(6.5 - 1.0, t.TrainingSeconds, Arithmetic);
        Assert.That(t.TrainingSteps, Is.EqualTo(10));
        NumericAssert.Close((6.5 - 1.0) / 10, t.SecondsPerStep, Arithmetic);
        NumericAssert.Close(8.0 - 6.5, t.TailSeconds, Arithmetic);
        NumericAssert.Close(8.0, t.TotalSeconds, Arithmetic);
        NumericAssert.Close(0.625, t.TestAccuracy, Arithmetic);
        Assert.That(phases, Is.EqualTo(new PyTorchPhases(0.5, 0.75, 6.0, 1.25, 9.5)));
        NumericAssert.Close(12.0 - 2.0, t.TrainingCpuSeconds!.Value, Arithmetic);
        NumericAssert.Close((12.0 - 2.0) / ((6.5 - 1.0) * 2), t.TrainingCpuShare(2)!.Value, Arithmetic);
    }

    [Test]
    public void ParsePyTorch_WithoutCpuTimes_HasNoCpuShare()
    {
        var (t, _) = CellSuite.ParsePyTorch(Parsed("""
            {"steps": 3, "setup_s": 0.75, "data_s": 0.5, "training_s": 6.0, "evaluation_s": 1.25, "total_s": 8.0,
             "first_log_s": 1.0, "last_log_s": 6.5, "test_accuracy": 0.625, "test_loss": 1.125}
            """));
        Assert.That(t.TrainingCpuSeconds, Is.Null);
        Assert.That(t.TrainingCpuShare(2), Is.Null);
    }

    [Test]
    public void ParsePyTorch_MissingField_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => CellSuite.ParsePyTorch(Parsed("""{"steps": 3, "total_s": 1.0}""")))!;
        Assert.That(e.Message, Does.Contain("first_log_s"));
    }

    [TestCase(nameof(ReferenceOutcome.Unavailable))]
    [TestCase(nameof(ReferenceOutcome.Failed))]
    [TestCase(nameof(ReferenceOutcome.Timeout))]
    public void ParsePyTorch_RunWithoutJson_ThrowsWithItsReason(string outcome)
    {
        var e = Assert.Throws<ArgumentException>(() => CellSuite.ParsePyTorch(new ReferenceRun(Enum.Parse<ReferenceOutcome>(outcome), null, "torch is not importable", 0.1)))!;
        Assert.That(e.Message, Does.Contain("torch is not importable"));
    }

    [Test]
    public void Script_TinySyntheticConfig_TrainsWritesCsvsAndReportsTheSplit()
    {
        if (!DebianPythonImportsTorch(out string why)) Assert.Ignore(why);
        var protocol = ExperimentProtocolLoader.Load(WriteTinyProtocol());
        var (_, ran) = CellSuite.SelectCell(protocol, protocol.Cells[^1].Id, null);   // constrained, lr 0.03
        Assert.That(ran.Config.ConstrainFilterNorms, Is.True);
        string config = Path.Combine(_root, "config.yaml"), outDir = Path.Combine(_root, "pytorch");
        File.WriteAllText(config, ran.Config.ToYaml());
        var run = ReferenceScripts.Run(ReferenceScripts.DebianPython, Scripts.Locate("pytorch_cell.py"),
            CellSuite.ScriptArguments(config, "cpu", 1, outDir), TimeSpan.FromMinutes(2));
        Assert.That(run.Outcome, Is.EqualTo(ReferenceOutcome.Ok), run.Detail);
        var (t, phases) = CellSuite.ParsePyTorch(run);
        Assert.That(t.TrainingSteps, Is.EqualTo(ran.Config.Steps - 1));
        Assert.That(new[] { t.SetupSeconds, t.TrainingSeconds, t.TailSeconds }, Is.All.GreaterThan(0));
        Assert.That(phases.DataSeconds, Is.LessThanOrEqualTo(phases.SetupSeconds));
        Assert.That(t.TestAccuracy, Is.InRange(0.0, 1.0));
        Assert.That(t.TrainingCpuSeconds, Is.GreaterThan(0), "the script reports its CPU time at the logged steps");
        Assert.That(run.Json!.Value.GetProperty("threads").GetInt32(), Is.EqualTo(1), "--threads is honoured");

        // Logged steps 0, 2 and the last (3); every logged step here is measured (measure_every 2 and the last step).
        var metrics = File.ReadAllLines(Path.Combine(outDir, "metrics.csv"));
        Assert.That(metrics.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "2", "3" }));
        int filters = new[] { 64, 128, 256, 256, 512, 512, 512, 512 }.Sum(w => Math.Max(1, (int)Math.Round(w * 0.0625, MidpointRounding.AwayFromZero)));
        var rows = File.ReadAllLines(Path.Combine(outDir, "filters.csv"));
        Assert.That(rows[0], Is.EqualTo("step,layer,filter,w2,g2,v2,wg,wv,wg_pred,bn_var"));
        Assert.That(rows.Length - 1, Is.EqualTo(3 * filters), "one row per filter per measured step");
        Assert.That(Directory.GetFiles(Path.Combine(outDir, "checkpoints")), Has.Length.EqualTo(2), "keep_checkpoints: 2");

        // The constraint holds each filter at its initial norm: |w|² of a filter is the same at steps 2 and 3 (float32 rescale).
        var w2 = rows.Skip(1).Select(r => r.Split(',')).Where(c => c[1] == "features.0")
            .ToLookup(c => c[0], c => double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (a, b) in w2["2"].Zip(w2["3"]))
            NumericAssert.Close(a, b, FloatRescale);
    }

    // One float32 rescale q·|q₀|/|q| of a 9-weight filter leaves |w|² within a few float32 ulps (~1e-7 relative; measured
    // 1.2e-7), while one unconstrained step at lr 0.03 moves it by ~5e-5 relative here: 1e-6 separates the two.
    private static readonly Tolerance FloatRescale = new(0, 1e-6);

    [Test]
    public void Script_UnknownConfigField_ExitsTwo_NamingIt()
    {
        if (!DebianPythonImportsTorch(out string why)) Assert.Ignore(why);
        string config = Path.Combine(_root, "config.yaml");
        File.WriteAllText(config, "steps: 2\noptimizer:\n  lr: 0.1\n  momentom: 0.9\n");
        var run = ReferenceScripts.Run(ReferenceScripts.DebianPython, Scripts.Locate("pytorch_cell.py"),
            CellSuite.ScriptArguments(config, "cpu", 1, Path.Combine(_root, "o")), TimeSpan.FromMinutes(1));
        Assert.That(run.Outcome, Is.EqualTo(ReferenceOutcome.Failed));
        Assert.That(run.Detail, Does.Contain("exited with 2").And.Contain("optimizer.momentom"));
    }

}

using NoetherTheory.Testing;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Tests;

public sealed class ExperimentsProtocolTests
{
    private static string Protocol(string name) => RepositoryPaths.Combine("validation", "experiments", name);

    [TestCase("fig4-gpu.yaml", 48)]
    [TestCase("fig4-cpu.yaml", 48)]
    [TestCase("filters-gpu.yaml", 3)]
    [TestCase("filters-cpu.yaml", 3)]
    [TestCase("test-tiny.yaml", 26)]
    public void Load_ShippedProtocols_ExpandToTheirCells(string file, int cells)
    {
        var p = ExperimentProtocolLoader.Load(Protocol(file));
        Assert.That(p.Cells, Has.Count.EqualTo(cells));
        Assert.That(p.Cells.Select(c => c.Id).Distinct().Count(), Is.EqualTo(cells));
        Assert.That(p.Cells.Select(c => c.Config.Name), Is.EqualTo(p.Cells.Select(c => c.Id)));
    }

    [Test]
    public void Load_Fig4Gpu_PanelsVaryTheirHyperParameter_AndKeepTheRestOfBase()
    {
        var p = ExperimentProtocolLoader.Load(Protocol("fig4-gpu.yaml"));
        var a = p.Cells.Single(c => c.Id == "A-lr0.03-constrained-s2");
        Assert.That(a.Config.Schedule.BaseRate, Is.EqualTo(0.03));
        Assert.That(a.Config.Schedule.Milestones, Is.Empty, "panel A: constant learning rates");
        Assert.That(a.Config.ConstrainFilterNorms, Is.True);
        Assert.That(a.Config.Seed, Is.EqualTo(2));
        var b = p.Cells.Single(c => c.Id == "B-momentum0.95-free-s1");
        Assert.That(b.Config.Optimizer.Momentum, Is.EqualTo(0.95));
        Assert.That(b.Config.Schedule.Milestones, Is.EqualTo(new long[] { 1000, 1500 }));
        var c = p.Cells.Single(c => c.Id == "C-weight_decay0.001-free-s1");
        Assert.That(c.Config.Optimizer.WeightDecay, Is.EqualTo(1e-3));
        Assert.That(p.DatasetName, Is.EqualTo("Fashion-MNIST"));
    }

    [Test]
    public void Load_FiltersGpu_MeasuresStepPairs_AndHasAnEpsilonZeroRun()
    {
        var p = ExperimentProtocolLoader.Load(Protocol("filters-gpu.yaml"));
        var eps0 = p.Cells.Single(c => c.Id == "filters-eps0").Config;
        Assert.That(eps0.Model.BatchNormEpsilon, Is.Zero);
        Assert.That(eps0.MeasureWindow, Is.EqualTo(2));
        Assert.That(eps0.IsMeasured(20) && eps0.IsMeasured(21) && !eps0.IsMeasured(22), Is.True);
    }

    [TestCase("filters-gpu.yaml")]
    [TestCase("filters-cpu.yaml")]
    public void Load_FilterProtocols_CheckTheDefaultZeroAndALargeEpsilon(string file)
    {
        // theory/05-learning-dynamics.md#eq-5-7: ε = 0.1 makes the violation far larger than float32 round-off, ε = 0 is exact,
        // 1e-5 is PyTorch's default.
        var p = ExperimentProtocolLoader.Load(Protocol(file));
        Assert.That(p.Cells.Select(c => c.Config.Model.BatchNormEpsilon).Order(), Is.EqualTo(new[] { 0, 1e-5, 0.1 }));
        var large = p.Cells.Single(c => c.Config.Model.BatchNormEpsilon == 0.1).Config;
        var standard = p.Cells.Single(c => c.Config.Model.BatchNormEpsilon == 1e-5).Config;
        Assert.That(large.Steps, Is.LessThanOrEqualTo(standard.Steps), "the large-ε run adds at most one run's time");
        Assert.That(large.IsMeasured(0), "its initial state is measured");
    }

    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\n  bogus: 1\ngrid:\n  panels:\n    A: {vary: lr, values: [0.1]}\n", "<protocol>:6:")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\ngrid:\n  panels:\n    D: {vary: lr, values: [0.1]}\n", "<protocol>:8:")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\ngrid:\n  panels:\n    A: {vary: beta, values: [0.1]}\n", "<protocol>:8:")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\n", "<protocol>:1:")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\ngrid:\n  panels:\n    A: {vary: lr, values: [0.1}\n", "<protocol>:8:")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0,1\ngrid:\n  panels:\n    A: {vary: lr, values: [0.1]}\n", "<protocol>:5:9: optimizer.lr")]
    [TestCase("name: x\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\ngrid:\n  panels:\n    ? [A]\n    : {vary: lr, values: [0.1]}\n", "<protocol>:8:7: a key")]
    public void Parse_Mistakes_NameTheLine(string yaml, string prefix) =>
        Assert.That(() => ExperimentProtocolLoader.Parse(yaml), Throws.InstanceOf<TrainingConfigException>().With.Message.StartsWith(prefix));

    [Test]
    public void MeasureWindow_OutOfRange_IsRejected()
    {
        var config = TrainerTests.Tiny() with { MeasureWindow = 5 };
        Assert.That(config.Validate, Throws.ArgumentException.With.Message.Contains("measure_window"));
        Assert.That(TrainingConfigLoader.Parse(config.ToYaml().Replace("measure_window: 5", "measure_window: 2", StringComparison.Ordinal)).MeasureWindow,
            Is.EqualTo(2), "ToYaml writes the window and the loader reads it back");
    }
}

[TestFixture, Category("Native")]
public sealed class ExperimentsRunnerTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-experiments-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void MeasureWindow_Two_WritesStepPairs_AndLeavesOtherStepsUnmeasured()
    {
        var config = TrainerTests.Tiny(steps: 12) with { LogEvery = 2, MeasureEvery = 4, MeasureWindow = 2, CheckpointEvery = 0 };
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "run")));
        var steps = File.ReadLines(Path.Combine(result.RunDirectory, "filters.csv")).Skip(1).Select(l => l.Split(',')[0]).Distinct();
        Assert.That(steps, Is.EqualTo(new[] { "0", "1", "4", "5", "8", "9", "11" }));
        Assert.That(File.ReadAllText(Path.Combine(result.RunDirectory, "config.yaml")), Does.Contain("measure_window: 2"));
    }

    [Test]
    public void Run_TwoJobs_SameResultsAsOneJob_AndFinishedCellsAreReused()
    {
        var protocol = ExperimentProtocolLoader.Load(RepositoryPaths.Combine("validation", "experiments", "test-tiny.yaml"));
        var only = protocol.Cells.Where(c => c.Panel == "A" && c.Seed == 1).Select(c => c.Id).ToHashSet();
        var serial = ExperimentRunner.Run(protocol, new ExperimentRunOptions(Path.Combine(_root, "serial"), OnlyCells: only));
        var parallel = ExperimentRunner.Run(protocol, new ExperimentRunOptions(Path.Combine(_root, "parallel"), Jobs: 2, OnlyCells: only));
        Assert.That(parallel.Select(o => o.TestLoss), Is.EqualTo(serial.Select(o => o.TestLoss)), "concurrent cells initialise exactly as serial ones (bitwise on CPU)");
        var again = ExperimentRunner.Run(protocol, new ExperimentRunOptions(Path.Combine(_root, "serial"), OnlyCells: only));
        Assert.That(again.Select(o => o.Reused), Is.All.True);
        Assert.That(again.Select(o => o.TestAccuracy), Is.EqualTo(serial.Select(o => o.TestAccuracy)));
    }
}

using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Tests;

[TestFixture]
[SetCulture("de-DE")]
public sealed class TrainingConfigTests
{
    private const string Minimal = "steps: 10\noptimizer:\n  lr: 0.1\n";

    [Test]
    public void ToYaml_RoundTrips_ThroughTheLoader()
    {
        var config = TrainerTests.Tiny() with { Model = TrainerTests.Tiny().Model with { BatchNormEpsilon = 0, Head = Vgg11BnHead.Classifier } };
        var back = TrainingConfigLoader.Parse(config.ToYaml());
        Assert.That(back.ToYaml(), Is.EqualTo(config.ToYaml()));
        Assert.That(back with { Schedule = config.Schedule }, Is.EqualTo(config), "records equal field by field");
        Assert.That(back.Schedule, Is.EqualTo(config.Schedule));
    }

    [Test]
    public void MemoryLimit_NamesTheLimit_AndTheConfigKeyRaisesIt()
    {
        const string big = "steps: 10\noptimizer:\n  lr: 0.1\ndataset:\n  kind: synthetic\n  synthetic:\n    train_count: 200000000\n";
        Assert.That(() => TrainingConfigLoader.Parse(big, "cfg.yaml"), Throws.TypeOf<TrainingConfigException>()
            .With.Message.Contains($"memory limit of {TrainingBudget.DefaultLimitGib} GiB").And.Message.Contains("limits.memory_gib")
            .And.Message.Contains(TrainingBudget.EnvironmentVariable));
        var allowed = TrainingConfigLoader.Parse(big + "limits:\n  memory_gib: 2000\n", "cfg.yaml");
        Assert.That(allowed.MemoryLimitGib, Is.EqualTo(2000));
        Assert.That(allowed.ToYaml(), Does.Not.Contain("limits"), "the limit is not part of the run's identity (resume with another limit)");
    }

    [Test]
    public void OnNonFinite_DefaultsToStop_AndFlagRoundTrips()
    {
        Assert.That(TrainingConfigLoader.Parse(Minimal).OnNonFinite, Is.EqualTo(NonFiniteAction.Stop));
        Assert.That(TrainingConfigLoader.Parse(Minimal).ToYaml(), Does.Not.Contain("on_non_finite"), "older run folders resume unchanged");
        var flag = TrainingConfigLoader.Parse(Minimal + "on_non_finite: flag\n");
        Assert.That(TrainingConfigLoader.Parse(flag.ToYaml()).OnNonFinite, Is.EqualTo(NonFiniteAction.Flag));
    }

    [Test]
    public void EveryShippedProtocol_FitsTheDefaultMemoryLimit()
    {
        string dir = Path.Combine(RepositoryRoot(), "validation", "experiments");
        foreach (string file in Directory.EnumerateFiles(dir, "*.yaml"))
        {
            var protocol = NoetherTheory.Torch.Experiments.ExperimentProtocolLoader.Load(file);   // validates every cell, budget included
            foreach (var cell in protocol.Cells)
                Assert.That(TrainingBudget.Estimate(cell.Config).Bytes, Is.LessThan(TrainingBudget.DefaultLimitGib * (1L << 30)), $"{file}: {cell.Id}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "NoetherTheory.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Test]
    public void Defaults_AreFashionMnist_AndPyTorchLike()
    {
        var c = TrainingConfigLoader.Parse(Minimal);
        Assert.That(c.Dataset.Kind, Is.EqualTo(DatasetKind.FashionMnist));
        Assert.That(c.Optimizer.Momentum, Is.EqualTo(0.9));
        Assert.That(c.Model.BatchNormEpsilon, Is.EqualTo(1e-5));
        Assert.That(c.Schedule.At(1000), Is.EqualTo(0.1));
    }

    [TestCase("steps: 10\noptimizer:\n  lr: 0,1\n", "cfg.yaml:3:7", "optimizer.lr")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\n  momentun: 0.9\n", "cfg.yaml:4:3", "unknown field 'optimizer.momentun'")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmodel:\n  head: vgg\n", "cfg.yaml:5:9", "model.head")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nbatch_size: 1\n", "cfg.yaml:4:13", "batch_size")]
    [TestCase("optimizer:\n  lr: 0.1\n", "cfg.yaml:1:1", "steps")]
    [TestCase("steps: 10\noptimizer: [1, 2]\n", "cfg.yaml:2:12", "optimizer")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nlog_every: 4\nmeasure_every: 6\n", "cfg.yaml:5:16", "measure_every")]
    [TestCase("steps: 10\n  optimizer: {\n", "cfg.yaml:2:12", "invalid YAML")]
    [TestCase("name: [x\nsteps: 10\n", "cfg.yaml:1:7", "'[' opened here is never closed")]
    [TestCase("steps: 10\n? [a]\n: 1\n", "cfg.yaml:2:3", "a key must be a single value")]
    [TestCase("steps: 10\nsteps: 11\n", "cfg.yaml:2:1", "duplicate key 'steps'")]
    [TestCase("steps: 10\noptimizer:\n\tlr: 0.1\n", "cfg.yaml:3:1", "tab")]
    [TestCase("steps: -1\noptimizer:\n  lr: 0.1\n", "cfg.yaml:1:8", "'steps' must be ≥ 1")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\n  momentum: 1.5\n", "cfg.yaml:4:13", "optimizer.momentum: must be < 1")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0\n", "cfg.yaml:3:7", "optimizer.lr: must be > 0")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmodel:\n  width: 1e9\n", "cfg.yaml:5:10", "model.width: the run would need about")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\ndataset:\n  kind: synthetic\n  synthetic:\n    train_count: 2000000000\n", "cfg.yaml:7:18",
        "dataset.synthetic.train_count: the run would need about")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nlimits:\n  memory_gib: 0\n", "cfg.yaml:5:15", "limits.memory_gib")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nlimits:\n  memory: 1\n", "cfg.yaml:5:3", "unknown field 'limits.memory'")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\non_non_finite: ignore\n", "cfg.yaml:4:16", "on_non_finite")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmodel:\n  kind: vgg12\n", "cfg.yaml:5:9", "model.kind")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmodel:\n  kind: resnet18\nconstrain_filter_norms: true\n", "cfg.yaml:6:25", "constrain_filter_norms: applies to vgg11-bn")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmeasure: [scale, dilation]\n", "cfg.yaml:4:18", "unknown group kind 'dilation'")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmeasure: everything\n", "cfg.yaml:4:10", "'everything' is not a group kind")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmeasure: [scale, scale]\n", "cfg.yaml:4:18", "'scale' is listed twice")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmeasure: []\n", "cfg.yaml:4:10", "list at least one group kind")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\ndeclare: [g.yaml]\n", "cfg.yaml:4:10", "'declare' needs 'measure'")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmeasure: auto\ndeclare: [no-such-groups.yaml]\n", "cfg.yaml:5:11", "symmetry declaration file")]
    [TestCase("steps: 10\noptimizer:\n  lr: 0.1\nmodel:\n  kind: mlp\n  bn_epsilon: 0\n", "cfg.yaml:6:3", "unknown field 'model.bn_epsilon'")]
    public void Errors_NameFileLineAndField(string yaml, string location, string field)
    {
        Assert.That(() => TrainingConfigLoader.Parse(yaml, "cfg.yaml"),
            Throws.TypeOf<TrainingConfigException>().With.Message.StartsWith(location).And.Message.Contains(field));
    }

    [Test]
    public void ModelKind_DefaultsToVgg11Bn_AndTheExplicitKindReadsTheSameOptions()
    {
        const string vgg = "model:\n  width: 0.25\n  bn_epsilon: 0\n  head: gap\n";
        var implicitKind = TrainingConfigLoader.Parse(Minimal + vgg);
        var explicitKind = TrainingConfigLoader.Parse(Minimal + vgg + "  kind: vgg11-bn\n");
        Assert.That(explicitKind.Model, Is.EqualTo(implicitKind.Model));
        Assert.That(explicitKind.Network, Is.Null);
        Assert.That(explicitKind.ToYaml(), Is.EqualTo(implicitKind.ToYaml()).And.Not.Contains("kind: vgg"), "older run folders resume unchanged");
    }

    [TestCase("model:\n  kind: resnet18\n  width: 0.0625\n  depth: 1\nmeasure: auto\n")]
    [TestCase("model:\n  kind: mlp\n  hidden: 8\n  bias: false\n  activation: tanh\nmeasure: [rescale, translation]\n")]
    [TestCase("model:\n  kind: layernorm-net\n  hidden: 8\n  epsilon: 0\nmeasure: scale\n")]
    public void NetworkAndMeasure_RoundTripThroughToYaml(string section)
    {
        var config = TrainingConfigLoader.Parse(Minimal + section);
        Assert.That(config.Network, Is.Not.Null);
        Assert.That(config.Groups, Is.Not.Null);
        var again = TrainingConfigLoader.Parse(config.ToYaml());
        Assert.That(again.ToYaml(), Is.EqualTo(config.ToYaml()));
        Assert.That(again.Network, Is.EqualTo(config.Network));
        Assert.That(again.Groups!.Auto, Is.EqualTo(config.Groups!.Auto));
        Assert.That(again.Groups.Kinds, Is.EqualTo(config.Groups.Kinds));
    }

    [Test]
    public void Measure_Absent_LeavesTheConfigAsBefore()
    {
        var config = TrainingConfigLoader.Parse(Minimal);
        Assert.That(config.Groups, Is.Null);
        Assert.That(config.ToYaml(), Does.Not.Contain("measure:").And.Not.Contain("declare:"), "older run folders resume unchanged");
    }

    [Test]
    public void Load_MissingFile_NamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "noether-no-such-config.yaml");
        Assert.That(() => TrainingConfigLoader.Load(path), Throws.TypeOf<TrainingConfigException>().With.Message.Contains(path));
    }

    [Test]
    public void Load_ResolvesRelativeDatasetPaths_AgainstTheConfigFolder()
    {
        string dir = Directory.CreateTempSubdirectory("noether-config-").FullName;
        try
        {
            string file = Path.Combine(dir, "c.yaml");
            File.WriteAllText(file, Minimal + "dataset:\n  kind: tiny-imagenet\n  path: data/tin\n");
            Assert.That(TrainingConfigLoader.Load(file).Dataset.Path, Is.EqualTo(Path.Combine(dir, "data", "tin")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

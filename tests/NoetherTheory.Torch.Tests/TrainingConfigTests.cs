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
    public void Errors_NameFileLineAndField(string yaml, string location, string field)
    {
        Assert.That(() => TrainingConfigLoader.Parse(yaml, "cfg.yaml"),
            Throws.TypeOf<TrainingConfigException>().With.Message.StartsWith(location).And.Message.Contains(field));
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

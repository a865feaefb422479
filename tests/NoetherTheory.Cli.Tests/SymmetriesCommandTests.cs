using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary><c>noether symmetries</c>: groups with verdicts as text and as the noether.symmetries/1 document; bad input exits 2.</summary>
[TestFixture]
public sealed class SymmetriesCommandTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-symmetries-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string TinyMlp = "kind: mlp\ninput_channels: 1\ninput_size: 3\nclasses: 3\nhidden: 4\ndepth: 1\nactivation: tanh\n";

    [Test, Category("Native")]
    public void Json_IsTheTypedDocument_WithAVerdictPerGroup()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string declared = Write("declared.yaml", "groups:\n  - name: shift-bias\n    action: translate\n    tensors:\n      - parameter: output.bias\n");
        var run = CliRunner.Run("symmetries", "--model", Write("mlp.yaml", TinyMlp), "--declare", declared, "--points", "2", "--batch", "4", "--format", "json");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
        var doc = (SymmetriesDocument)ResultDocuments.Parse(run.Out, "stdout");
        Assert.That(doc.Kind, Is.EqualTo(SymmetriesDocument.KindTag));
        Assert.That(doc.Groups.Select(g => (g.Name, g.Verdict)), Is.EqualTo(new[]
        {
            ("rescale:layers.0.tanh", "refuted"), ("translation:output", "holds"), ("declared:shift-bias", "holds"),
        }));
        Assert.That(doc.Groups[1].Dimension, Is.EqualTo(5), "4 feature columns and the bias");
        Assert.That(doc.Parameters.Select(p => p.Role), Is.EqualTo(new[] { "linear-weight", "linear-bias", "linear-weight", "linear-bias" }));
        var text = CliRunner.Run("symmetries", "--model", Write("mlp2.yaml", TinyMlp), "--points", "2", "--batch", "4");
        Assert.That(text.Out, Does.Contain("1 hold, 0 broken, 1 refuted").And.Contain("rescale:layers.0.tanh: refuted: loss changes by up to"));
    }

    [TestCase("kind: mlp2\n", "model.yaml:1:7")]
    [TestCase("kind: mlp\nhidden: 0\n", "model.yaml:2:9")]
    public void BadModel_ExitsTwo_NamingTheField(string yaml, string location)
    {
        var run = CliRunner.Run("symmetries", "--model", Write("model.yaml", yaml));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(run.Error, Does.Contain(location));
    }

    [Test]
    public void MissingFiles_AndBadOptions_ExitTwo()
    {
        Assert.That(CliRunner.Run("symmetries", "--model", Path.Combine(_root, "none.yaml")).Error, Does.Contain("does not exist"));
        string model = Write("m.yaml", TinyMlp);
        Assert.That(CliRunner.Run("symmetries", "--model", model, "--declare", Path.Combine(_root, "none.yaml")).ExitCode, Is.EqualTo(ExitCodes.BadInput));
        var batch = CliRunner.Run("symmetries", "--model", model, "--batch", "1");
        Assert.That(batch.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(batch.Error, Does.Contain("--batch must be between 2 and 1024"));
    }
}

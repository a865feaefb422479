using NoetherTheory.Core.Documents;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary><c>noether validate</c> on a protocol whose runs measure symmetry groups: each run's group laws are checked, the
/// verdicts go into summary.json and the run folder, and the report shows them.</summary>
[TestFixture, Category("Native")]
public sealed class GroupsValidateTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
    }

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-validate-groups-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Validate_GroupsProtocol_ChecksEveryRunsGroupLaws_AndTheReportShowsThem()
    {
        string outDir = Path.Combine(_root, "out");
        var r = CliRunner.Run("validate", "--experiment", RepositoryPaths.Combine("validation", "experiments", "groups-tiny.yaml"), "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error + r.Out);
        var summary = ResultDocuments.Read<ValidateDocument>(Path.Combine(outDir, "summary.json"));
        Assert.That(summary.Groups, Is.Not.Null.And.Count.EqualTo(summary.Cells.Count), "every run measured its groups");
        var groups = summary.Groups![0];
        Assert.That(groups.Run, Is.EqualTo(summary.Cells[0].Id));
        Assert.That(groups.Passed, Is.True);
        Assert.That(groups.Groups.Select(g => g.Kind), Is.SupersetOf(new[] { "rescale", "translation" }));
        Assert.That(groups.Groups.Select(g => g.RecursionHolds), Has.All.True);
        Assert.That(groups.Groups.Select(g => g.Pairs), Has.All.GreaterThan(0));
        Assert.That(r.Out, Does.Contain("group laws hold"));
        var inRun = ResultDocuments.Read<GroupChecksDocument>(Path.Combine(summary.Cells[0].RunDirectory, GroupChecksDocument.FileName));
        Assert.That(ResultDocuments.Serialize(inRun), Is.EqualTo(ResultDocuments.Serialize(groups)));

        var report = CliRunner.Run("report", "--from", outDir, "--out", Path.Combine(_root, "report"));
        Assert.That(report.ExitCode, Is.EqualTo(ExitCodes.Ok), report.Error);
        string index = File.ReadAllText(Path.Combine(_root, "report", "index.md"));
        Assert.That(index, Does.Contain("## Symmetry groups: mlp (2 hidden × 8, relu, with biases) on synthetic images"));
        Assert.That(summary.Models, Is.EqualTo(new[] { "mlp (2 hidden × 8, relu, with biases)" }));
        Assert.That(index, Does.Contain("), mlp (2 hidden × 8, relu, with biases) on ").And.Not.Contain("VGG11-BN on"),
            "the deep-net section names the protocol's network, not VGG11-BN");
    }

    [Test]
    public void Validate_BatchNormProtocol_ChecksEachScaleGroupsEpsilonPrediction_AndReportsIt()
    {
        string outDir = Path.Combine(_root, "out-bn");
        var r = CliRunner.Run("validate", "--experiment", RepositoryPaths.Combine("validation", "experiments", "groups-bn-tiny.yaml"), "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error + r.Out);
        var groups = ResultDocuments.Read<ValidateDocument>(Path.Combine(outDir, "summary.json")).Groups!.Single();
        Assert.That(groups.Passed, Is.True);
        var scale = groups.Groups.Where(g => g.Kind == "scale").Select(g => g.Name).ToList();
        Assert.That(groups.EpsilonLaws!.Select(e => e.Group), Is.EqualTo(scale), "every BN scale group of the ResNet has a prediction");
        Assert.That(groups.EpsilonLaws!.Select(e => e.Holds), Has.All.True);
        Assert.That(groups.EpsilonLaws!.Select(e => e.ResolvedSamples), Has.All.GreaterThan(0), "ε = 0.1 resolves the violation");
        Assert.That(r.Out, Does.Contain("BN-ε prediction").And.Contain("holds"));
    }
}

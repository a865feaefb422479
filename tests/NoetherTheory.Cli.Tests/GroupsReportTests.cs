using NoetherTheory.Core.Documents;

namespace NoetherTheory.Cli.Tests;

/// <summary><c>noether report --from &lt;run&gt;</c> on run folders holding group-checks.json: a section per model with the
/// groups and their verdicts, each law's error distribution per group kind, and a failed law shown as failed.</summary>
[TestFixture]
public sealed class GroupsReportTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-groups-report-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static ErrorDistributionEntry E(double median, double p90, double max, int count = 40) => new(count, median, p90, max);

    private static readonly ErrorDistributionEntry None = new(0, double.NaN, double.NaN, double.NaN);

    private static GroupChecksDocument Document(string run, string model, bool failing) => new(run, model, 0.9, 5e-4, null, 1e-5, 1e-4, !failing,
        [
            new GroupCandidateEntry("rescale:layers.0.relu", "rescale", "holds", "none", 16, true, 5e-8, 1e-16),
            new GroupCandidateEntry("layer-scale:layers.0.weight", "scale", "broken", "bias", 1, true, 0.012, 0.012),
            new GroupCandidateEntry("channel-scale:layers.0.weight", "scale", "refuted", "none", 16, false, 0.2, 0.2),
        ],
        [
            new GroupLawEntry("rescale:layers.0.relu", "rescale", "holds", "none", 16, 624, E(3e-8, 9e-8, failing ? 3e-3 : 2e-7), E(1e-8, 4e-8, 1e-7),
                E(8e-9, 3e-8, 1e-7), null, !failing, true),
            new GroupLawEntry("layer-scale:layers.0.weight", "scale", "broken", "bias", 1, 39, E(8e-9, 2e-8, 5e-8), E(1e-8, 3e-8, 4e-8),
                E(1e-3, 6e-3, 0.03), null, true, null),
        ],
        [
            new GroupKindEntry("scale", 1, 0, E(8e-9, 2e-8, 5e-8), E(1e-8, 3e-8, 4e-8), None, E(1e-3, 6e-3, 0.03)),
            new GroupKindEntry("rescale", 1, 1, E(3e-8, 9e-8, failing ? 3e-3 : 2e-7), E(1e-8, 4e-8, 1e-7), E(8e-9, 3e-8, 1e-7), None),
        ]);

    [Test]
    public void Report_ScaleGroupContinuousLaws_AreATableOfTheirOwn()
    {
        var document = Document("groups-vgg", "vgg11-bn (width 0.0625, gap head, ε 1E-05) on synthetic images", failing: false) with
        {
            ContinuousLaws = [new ScaleGroupLawsEntry("scale:features.0.weight", 4, E(0.012, 0.03, 0.05, 4), E(0.2, 0.35, 0.4, 4), 0.81, "persistent")],
        };
        string outDir = Path.Combine(_root, "report");
        var r = CliRunner.Run("report", "--from", RunFolder(document), "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        string index = File.ReadAllText(Path.Combine(outDir, "index.md"));
        Assert.That(index, Does.Contain("| scale:features.0.weight | 4 | 0.012 / 0.03 / 0.05 | 0.2 / 0.35 / 0.4 | 0.81 | persistent |"));
        Assert.That(index, Does.Contain("continuous laws of each scale group"));

        string without = Path.Combine(_root, "report-without");
        Assert.That(CliRunner.Run("report", "--from", RunFolder(Document("groups-old", "mlp on synthetic images", failing: false)), "--out", without).ExitCode,
            Is.EqualTo(ExitCodes.Ok));
        Assert.That(File.ReadAllText(Path.Combine(without, "index.md")), Does.Not.Contain("continuous laws of each scale group"),
            "a document without them (older, or Adam) has no such table");
    }

    [Test]
    public void Report_BatchNormEpsilonPrediction_IsATableOfItsOwn_AndAFailureShows()
    {
        static ScaleGroupEpsilonEntry Entry(string group, bool holds) => new(group, "broken", "epsilon", 4, 24, E(0.02, 0.05, 0.09, 24),
            E(holds ? 7e-8 : 3e-3, holds ? 2e-7 : 5e-3, holds ? 4e-7 : 9e-3, 24), 22, E(7e-6, 2e-5, 4e-5, 22), 1e-4, holds ? null : "generator 0, step 0: wg_pred = NaN", holds);
        var document = Document("groups-resnet", "resnet18 (width 0.0625, depth 1, ε 0.1) on synthetic images", failing: false) with
        {
            EpsilonLaws = [Entry("scale:stem.conv.weight", true), Entry("scale:stages.1.0.shortcut.conv.weight", false)],
        };
        string outDir = Path.Combine(_root, "report");
        var r = CliRunner.Run("report", "--from", RunFolder(document), "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        string index = File.ReadAllText(Path.Combine(outDir, "index.md"));
        Assert.That(index, Does.Contain("| scale:stem.conv.weight | 24 | 0.02 / 0.05 / 0.09 | 7e-8 / 2e-7 / 4e-7 | 7e-6 / 2e-5 / 4e-5 (n = 22) | holds |"));
        Assert.That(index, Does.Contain("| scale:stages.1.0.shortcut.conv.weight |").And.Contain("| FAILS |"));
        Assert.That(index, Does.Contain("BN-ε prediction").And.Contain(@"wg\_pred = NaN"));

        string without = Path.Combine(_root, "report-without");
        Assert.That(CliRunner.Run("report", "--from", RunFolder(Document("groups-mlp", "mlp on synthetic images", failing: false)), "--out", without).ExitCode,
            Is.EqualTo(ExitCodes.Ok));
        Assert.That(File.ReadAllText(Path.Combine(without, "index.md")), Does.Not.Contain("BN-ε prediction"), "no BN scale group, no table");
    }

    private string RunFolder(GroupChecksDocument document)
    {
        string dir = Path.Combine(_root, document.Run);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, GroupChecksDocument.FileName), ResultDocuments.Serialize(document));
        return dir;
    }

    [Test]
    public void Report_TwoRuns_ASectionPerModel_WithVerdictsAndDistributions()
    {
        string mlp = RunFolder(Document("groups-mlp", "mlp (2 hidden × 16, relu, with biases) on synthetic images", failing: false));
        string broken = RunFolder(Document("groups-bad", "layernorm-net (2 hidden × 16) on synthetic images", failing: true));
        string outDir = Path.Combine(_root, "report");
        var r = CliRunner.Run("report", "--from", mlp, broken, "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        string index = File.ReadAllText(Path.Combine(outDir, "index.md"));
        Assert.That(index, Does.Contain("## Symmetry groups: mlp (2 hidden × 16, relu, with biases) on synthetic images"));
        Assert.That(index, Does.Contain("## Symmetry groups: layernorm-net (2 hidden × 16) on synthetic images"));
        Assert.That(index, Does.Contain("| channel-scale:layers.0.weight | scale | refuted |").And.Contain("| no |"), "a refuted candidate is listed, not measured");
        Assert.That(index, Does.Contain("(1 hold, 1 broken, 1 refuted)"));
        Assert.That(index, Does.Contain("| rescale | 1 (1) | 3e-8 / 9e-8 / 2e-7 |"), "the per-kind distribution, median / p90 / max");
        Assert.That(index, Does.Contain("| scale | 1 (0) | 8e-9 / 2e-8 / 5e-8 | 1e-8 / 3e-8 / 4e-8 | – | 0.001 / 0.006 / 0.03 |"));
        Assert.That(index, Does.Contain("broken (bias)").And.Contain("violation reported"));
        int bad = index.IndexOf("## Symmetry groups: layernorm-net", StringComparison.Ordinal);
        Assert.That(index[..bad], Does.Contain("Verdict: **PASS**").And.Not.Contain("FAILS"));
        Assert.That(index[bad..], Does.Contain("Verdict: **FAIL**").And.Contain("| FAILS |"), "a failed recursion is shown as failed");
    }

    [Test]
    public void Report_FolderWithoutAnyResult_NamesGroupChecksAmongTheAccepted()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);
        var r = CliRunner.Run("report", "--from", empty, "--out", Path.Combine(_root, "r"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain(GroupChecksDocument.FileName));
    }
}

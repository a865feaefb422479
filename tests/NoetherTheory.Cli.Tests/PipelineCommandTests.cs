using System.Text.Json;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary>derive → verify → compare → report, and the main job on its smallest protocol, in-process.</summary>
[TestFixture]
public sealed class PipelineCommandTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-pipeline-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void DeriveVerifyCompare_ThenReport_WritesPdfFiguresIndexAndManifest()
    {
        string derivations = Path.Combine(_root, "derivations.json"), results = Path.Combine(_root, "results.json"),
            comparisons = Path.Combine(_root, "comparisons.json"), report = Path.Combine(_root, "report");
        var derive = CliRunner.Run("derive", "--all", "--format", "json", "--out", derivations);
        Assert.That(derive.ExitCode, Is.EqualTo(ExitCodes.Ok), derive.Error);
        var verify = CliRunner.Run("verify", "--suite", "exact", "--out", results);
        Assert.That(verify.ExitCode, Is.EqualTo(ExitCodes.Ok), verify.Error + verify.Out);
        var compare = CliRunner.Run("compare", "--rule", "gd", "--model", "linear-scalar", "--time", "1", "--etas", "0.1,0.05,0.025", "--out", comparisons);
        Assert.That(compare.ExitCode, Is.EqualTo(ExitCodes.Ok), compare.Error);
        Assert.That(compare.Out, Does.Contain("observed orders"));

        var r = CliRunner.Run("report", "--from", derivations, results, comparisons, "--out", report);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        var pdf = File.ReadAllBytes(Path.Combine(report, "report.pdf"));
        Assert.That(System.Text.Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"));
        var index = File.ReadAllText(Path.Combine(report, "index.md"));
        var pngs = Directory.GetFiles(Path.Combine(report, "figures"), "*.png");
        Assert.That(pngs, Has.Length.GreaterThanOrEqualTo(2), "verification and compiled-flow figures");
        foreach (var png in pngs)
            Assert.That(index, Does.Contain("figures/" + Path.GetFileName(png)), "index.md links every figure");
        Assert.That(index, Does.Contain("Symbolic derivations").And.Contain("Numeric verification"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "manifest.json")));
        Assert.That(manifest.RootElement.GetProperty("commit").GetString(), Is.Not.Empty);
        Assert.That(manifest.RootElement.GetProperty("inputs").EnumerateObject().Count(), Is.EqualTo(3));
    }

    [Test]
    public void Report_FromMissingOrForeignFile_ExitsTwo_NamingIt()
    {
        string foreign = Path.Combine(_root, "other.json");
        File.WriteAllText(foreign, "{\"hello\": 1}");
        var r = CliRunner.Run("report", "--from", foreign, "--out", Path.Combine(_root, "r"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("other.json"));
        var missing = CliRunner.Run("report", "--from", Path.Combine(_root, "nope"), "--out", Path.Combine(_root, "r"));
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(missing.Error, Does.Contain("nope"));
    }

    [Test]
    public void Report_FromResultsFileOfWrongShape_NamesTheField_NotAnInternalType()
    {
        string bad = Path.Combine(_root, "results.json");
        File.WriteAllText(bad, "{\"kind\": \"noether.verify/1\", \"passed\": 1, \"failed\": 0, \"records\": [{\"case\": 42}]}");
        var r = CliRunner.Run("report", "--from", bad, "--out", Path.Combine(_root, "r"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("records[0].case").And.Not.Contain("NoetherTheory.Cli."));
    }

    [Test]
    public void Derive_BadPotential_ExitsTwo_NamingTheFlag()
    {
        var r = CliRunner.Run("derive", "--rule", "gd", "--symmetry", "scale", "--potential", "q[0] +");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("--potential: the potential cannot be parsed"));
    }

    [Test]
    public void Report_FromAFileOfUnknownKind_ExitsTwo_NamingTheFileAndTheKnownKinds()
    {
        string bad = Path.Combine(_root, "other.json");
        File.WriteAllText(bad, "{\"kind\": \"noether.other/7\"}");
        var r = CliRunner.Run("report", "--from", bad, "--out", Path.Combine(_root, "r"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain(bad).And.Contain("noether.other/7").And.Contain("noether.derive/1"));
    }

    [Test]
    public void Derive_UnknownRule_ExitsTwo_ListingKnownRules()
    {
        var r = CliRunner.Run("derive", "--rule", "lion", "--symmetry", "scale");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("lion").And.Contain("heavy-ball").And.Contain("adamw"));
        var adaptive = CliRunner.Run("derive", "--rule", "adamw", "--symmetry", "scale");
        Assert.That(adaptive.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(adaptive.Error, Does.Contain("adaptive rule").And.Contain("square root"));
    }

    [Test]
    public void Compare_BadLearningRates_ExitsTwo()
    {
        var r = CliRunner.Run("compare", "--rule", "gd", "--model", "cosine", "--etas", "0.1,abc");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("abc"));
    }

    [Test]
    [SetCulture("de-DE")]
    public void Simulate_UnderCommaCulture_ReadsDotDecimalsInvariantly()
    {
        var r = CliRunner.Run("simulate", "--model", "scale-cosine", "--optimizer", "gd", "--lr", "0.1", "--steps", "2");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        var rows = r.Out.Trim().Split('\n');
        Assert.That(rows[0], Does.StartWith("step,t,"));
        // Column t = n·η: the second row (n = 1) must read 0.1, not 1 (a comma culture once turned "0.1" into 1).
        Assert.That(rows[2].Split(',')[1], Is.EqualTo("0.1"));
    }

    [TestCase("0,1")]
    [TestCase("1,000")]
    [TestCase("abc")]
    [TestCase("NaN")]
    public void Simulate_NonInvariantNumber_ExitsTwo_NamingTheOption(string lr)
    {
        var r = CliRunner.Run("simulate", "--model", "scale-cosine", "--lr", lr, "--steps", "2");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("--lr").And.Contain(lr));
    }

    [Test]
    public void Simulate_UnknownParam_ExitsTwo_NamingTheModelsParameters()
    {
        var r = CliRunner.Run("simulate", "--model", "force-white", "--lr", "0.1", "--steps", "2", "--param", "d=10");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("'d'").And.Contain("s, dimension, q0"));
    }

    [Test]
    public void Simulate_StatesTheInstance_InJsonAndInTheCsvSidecar()
    {
        string json = Path.Combine(_root, "run.json"), csv = Path.Combine(_root, "run.csv");
        string[] common = ["simulate", "--model", "force-white", "--optimizer", "hb", "--lr", "0.01", "--momentum", "0.9", "--weight-decay", "0.001",
            "--steps", "3", "--param", "s=2,dimension=4", "--init-scale", "2", "--init-buffer", "random", "--predict", "steady"];
        var r = CliRunner.Run([.. common, "--out", json]);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)))
        {
            var root = doc.RootElement;
            Assert.That(root.GetProperty("instance").GetProperty("param.s").GetString(), Is.EqualTo("2"));
            Assert.That(root.GetProperty("instance").GetProperty("initialBuffer").GetString(), Is.EqualTo("random"));
            Assert.That(root.GetProperty("instance").GetProperty("initialScale").GetString(), Is.EqualTo("2"));
            Assert.That(root.GetProperty("legend").GetProperty("scale.q.steady.white").GetString(), Does.Contain("white"));
            Assert.That(root.GetProperty("symbols").GetProperty("s").GetString(), Does.Contain("|ĝ|"));
        }
        r = CliRunner.Run([.. common, "--out", csv]);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        Assert.That(File.ReadAllLines(csv)[0], Does.StartWith("step,t,"), "the CSV itself stays plain");
        string legend = File.ReadAllText(Path.Combine(_root, "run.legend.txt"));
        Assert.That(legend, Does.Contain("scale.q.steady.persistent:").And.Contain("s: the force size"));
    }

    [Test]
    public void Simulate_UnwritableOutput_ExitsTwo_WithoutStackTrace()
    {
        var blocker = Path.Combine(_root, "a-file");
        File.WriteAllText(blocker, "");
        var r = CliRunner.Run("simulate", "--model", "scale-cosine", "--lr", "0.1", "--steps", "2", "--out", Path.Combine(blocker, "x.csv"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.StartWith("noether:").And.Not.Contain("   at "));
    }

    [Test, Category("Native")]
    public void Main_Quick_OnTheTestProtocol_PassesAndWritesTheReport()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string outDir = Path.Combine(_root, "main");
        var r = CliRunner.Run("main", "--quick", "--filters-protocol", "test-tiny", "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error + r.Out);
        Assert.That(r.Out, Does.Contain("every check passed"));
        foreach (var file in new[] { "derivations.json", "results.json", "comparisons.json", "filters/summary.json", "report/report.pdf", "report/index.md", "report/manifest.json" })
            Assert.That(File.Exists(Path.Combine(outDir, file)), Is.True, file);
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report", "index.md")), Does.Contain("Deep-network validation"));
    }
}

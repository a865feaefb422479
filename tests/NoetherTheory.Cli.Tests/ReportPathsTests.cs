using System.Text.Json;
using NoetherTheory.Cli.Reports;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Tests;

/// <summary>Reports name their inputs relative to the repository (a kept report reads the same on every machine) and
/// keep absolute names only for files outside it.</summary>
[TestFixture]
public sealed class ReportPathsTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-paths-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [TestCase("/repo/validation/experiments/fig4.yaml", "/repo", "validation/experiments/fig4.yaml")]
    [TestCase("/repo/out/main/../main/fig4", "/repo/", "out/main/fig4")]
    [TestCase("/repo", "/repo", ".")]
    [TestCase("/repository/x.yaml", "/repo", "/repository/x.yaml")]   // a shared name prefix is not "inside"
    [TestCase("/tmp/run/summary.json", "/repo", "/tmp/run/summary.json")]
    [TestCase("validation/x.yaml", "/repo", "validation/x.yaml")]     // relative: kept as given
    public void Display_InsideOrOutsideTheRepository(string path, string root, string expected) =>
        Assert.That(ReportPaths.Display(path, root), Is.EqualTo(expected));

    [Test]
    public void Display_WithoutRepository_KeepsTheAbsolutePath() =>
        Assert.That(ReportPaths.Display("/work/main/out/x", null), Is.EqualTo("/work/main/out/x"));

    [Test]
    public void DeepNetSection_NamesTheProtocolRelativeToTheRepository()
    {
        string Paragraph(string source)
        {
            var index = new MarkdownIndex("t");
            var report = new ReportContext(_root, new ReportDocument(new ReportOptions("t")), index, repositoryRoot: _root);
            DeepNetSection.Write(report, new ValidateDocument("p", source, "synthetic images", "cpu", [], [], null, []));
            return index.ToMarkdown();
        }

        string inside = Paragraph(Path.Combine(_root, "validation", "experiments", "p.yaml"));
        Assert.That(inside, Does.Contain("Protocol p (validation/experiments/p.yaml)"));
        Assert.That(inside, Does.Not.Contain(_root), "no machine-specific prefix");

        string elsewhere = Path.Combine(Path.GetTempPath(), "elsewhere", "p.yaml");
        Assert.That(Paragraph(elsewhere), Does.Contain($"Protocol p ({elsewhere})"), "outside the repository: absolute");
    }

    [Test]
    public void ReportWriter_ManifestNamesInputsInsideTheRepositoryRelatively()
    {
        string repository = RepositoryLayout.Root();
        string inside = Path.Combine(repository, "validation", "cases");
        string outside = Path.Combine(_root, "results.json");
        ReportWriter.Write(new ReportInputs { Sources = [inside, outside] }, Path.Combine(_root, "report"), "noether report (test)");

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "report", "manifest.json")));
        var inputs = manifest.RootElement.GetProperty("inputs");
        Assert.That(inputs.GetProperty("from[0]").GetString(), Is.EqualTo("validation/cases"));
        Assert.That(inputs.GetProperty("from[1]").GetString(), Is.EqualTo(outside), "outside the repository: absolute");
        Assert.That(File.ReadAllText(Path.Combine(_root, "report", "manifest.json")), Does.Not.Contain(repository + "/"));
    }
}

using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Reporting.Tests;

[TestFixture, SetCulture("de-DE")]
public sealed class MarkdownIndexTests
{
    [Test]
    public void AddFigure_LinksImageAndAlternativesWithNumberedCaption()
    {
        string md = new MarkdownIndex("Run").AddFigure("figures/conv.png", "Global error", "figures/conv.svg").ToMarkdown();
        Assert.That(md, Does.Contain("![Global error](<figures/conv.png>)"));
        Assert.That(md, Does.Contain("**Figure 1.** Global error [SVG](<figures/conv.svg>)"));
    }

    [Test]
    public void AddTable_WritesAlignmentRowAndEscapesPipes()
    {
        var table = new ReportTable([new TableColumn("case"), new TableColumn("|Q|", ColumnAlignment.Right), new TableColumn("ok", ColumnAlignment.Center)],
            [["a", ReportFormat.Number(0.5), "yes"]]) { Caption = "Charges" };
        string[] lines = new MarkdownIndex("Run").AddTable(table).ToMarkdown().Split('\n');
        Assert.That(lines, Does.Contain("| case | \\|Q\\| | ok |"));
        Assert.That(lines, Does.Contain("| --- | ---: | :---: |"));
        Assert.That(lines, Does.Contain("| a | 0.5 | yes |"));
        Assert.That(lines, Does.Contain("**Table 1.** Charges"));
    }

    [Test]
    public void ToMarkdown_UsesForwardSlashesAndEndsWithOneNewline()
    {
        string md = new MarkdownIndex("R").AddLink("PDF report", "sub\\report.pdf").ToMarkdown();
        Assert.That(md, Does.Contain("[PDF report](<sub/report.pdf>)"));
        Assert.That(md, Does.EndWith(")\n"));
        Assert.That(md, Does.StartWith("# R\n\n"));
    }

    [Test]
    public void AddHeading_LevelOne_IsReservedForTheTitle() =>
        Assert.That(() => new MarkdownIndex("R").AddHeading("x", 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
}

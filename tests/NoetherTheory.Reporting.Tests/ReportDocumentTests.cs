using System.Text;
using System.Text.RegularExpressions;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Reporting.Tests;

public abstract class ReportDocumentChecks
{
    private static byte[] Bytes(ReportDocument report)
    {
        using var stream = new MemoryStream();
        report.Save(stream);
        return stream.ToArray();
    }

    [Test]
    public void Save_FullReport_IsPdfWithCountedPages()
    {
        var report = SampleReports.Full();
        using var stream = new MemoryStream();
        var summary = report.Save(stream);
        byte[] pdf = stream.ToArray();

        Assert.That(Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"));
        Assert.That(Encoding.ASCII.GetString(pdf[^8..]), Does.Contain("%%EOF"));
        Assert.That(summary.PageCount, Is.EqualTo(report.CountPages()));
        Assert.That(summary.PageCount, Is.EqualTo(Regex.Count(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page\b(?!s)")));
        Assert.That((summary.FigureCount, summary.TableCount, summary.ByteCount), Is.EqualTo((3, 1, (long)pdf.Length)));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4)]
    public void Save_ShortTextWithPageBreaks_HasOnePagePerBreakPlusOne(int breaks)
    {
        var report = new ReportDocument(new ReportOptions("Breaks"));
        report.AddParagraph("first page");
        for (int i = 0; i < breaks; i++)
            report.AddPageBreak().AddParagraph($"page {i + 2}");
        Assert.That(report.Save(new MemoryStream()).PageCount, Is.EqualTo(breaks + 1));
    }

    [Test]
    public void Save_LongTable_ContinuesWithHeaderOnEveryPage()
    {
        var report = new ReportDocument(new ReportOptions("Table")).AddTable(SampleReports.LongTable());
        byte[] pdf = Bytes(report);
        int pages = report.CountPages();
        Assert.That(pages, Is.GreaterThan(1), $"{SampleReports.LongTableRows} rows do not fit one page");

        string text = PdfText.Extract(pdf);
        string[] pageTexts = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToArray();
        Assert.That(pageTexts, Has.Length.EqualTo(pages));
        Assert.That(pageTexts.Skip(1).All(p => p.Contains("(continued)", StringComparison.Ordinal)), "continuation caption on later pages");
        Assert.That(pageTexts.All(p => p.Contains("predicted Q", StringComparison.Ordinal)), "header repeated on every page");
        for (int i = 0; i < SampleReports.LongTableRows; i++)
            Assert.That(text, Does.Contain($"case-{i:000}"), "no row lost at a page break");
    }

    [Test]
    public void Save_Text_IsExtractableWithGreekSuperscriptsAndNoLigatures()
    {
        string text = PdfText.Extract(Bytes(SampleReports.Full()));
        foreach (string expected in new[] { "verification report", "η, β, τ, ², ⟨g, v⟩", "modified", "dQ/dt = −2k·Q", "(3.2)", "Figure 1.", "Table 1.", "1.1 Convergence" })
            Assert.That(text, Does.Contain(expected));
        // Footer "i / n"; pdftotext may drop the narrow spaces around the slash.
        int pages = SampleReports.Full().CountPages();
        Assert.That(text, Does.Match($@"\b{pages} ?/ ?{pages}\b"), "last page footer");
    }

    [Test]
    public void Save_SameReportTwice_IsByteIdentical()
    {
        byte[] first = Bytes(SampleReports.Full());
        byte[] second = Bytes(SampleReports.Full());
        Assert.That(second, Is.EqualTo(first), "no timestamps or random identifiers");
        Assert.That(Encoding.Latin1.GetString(first), Does.Not.Contain("/CreationDate"));
    }

    [Test]
    public void Save_ToPath_CreatesFolderAndLeavesNoTemporaryFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "noether-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "nested", "report.pdf");
            new ReportDocument(new ReportOptions("T")).AddParagraph("x").Save(path);
            Assert.That(File.Exists(path));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AddFigure_WiderThanText_StillFitsOnePage()
    {
        var report = new ReportDocument(new ReportOptions("Wide")).AddFigure(SampleFigures.Grid(), "grid", new FigureSize(20, 10));
        Assert.That(report.CountPages(), Is.EqualTo(1));
    }

    [Test]
    public void AddFigure_InvalidSpec_ThrowsAtAddNotAtSave()
    {
        var bad = SampleFigures.Scatter() with { XAxis = Figures.AxisSpec.Log("x") };
        Assert.That(() => new ReportDocument(new ReportOptions("T")).AddFigure(bad, "c"), Throws.ArgumentException.With.Message.Contains("logarithmic"));
    }

    [Test]
    public void AddTable_RowWithWrongCellCount_NamesTheRow()
    {
        var table = new ReportTable([new TableColumn("a"), new TableColumn("b")], [["1", "2"], ["3"]]) { Caption = "t" };
        Assert.That(() => new ReportDocument(new ReportOptions("T")).AddTable(table),
            Throws.ArgumentException.With.Message.Contains("row 1 has 1 cells but the table has 2 columns"));
    }

    [Test]
    public void AddTable_TooWideForThePage_WrapsCellsInsteadOfOverflowing()
    {
        string longText = string.Join(' ', Enumerable.Repeat("conservation", 30));
        var table = new ReportTable([new TableColumn("name"), new TableColumn("description"), new TableColumn("value", ColumnAlignment.Right)],
            [["a", longText, "1"], ["b", longText, "2"]]);
        string text = PdfText.Extract(Bytes(new ReportDocument(new ReportOptions("T")).AddTable(table)));
        Assert.That(Regex.Count(text, "conservation"), Is.EqualTo(60), "every word of the wrapped cells is on the page");
    }

    [Test]
    public void AddHeading_LevelOutOfRange_Throws() =>
        Assert.That(() => new ReportDocument(new ReportOptions("T")).AddHeading("x", 4), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void Options_MarginsTooWide_AreRejected() =>
        Assert.That(() => new ReportDocument(new ReportOptions("T") { Margin = 290 }), Throws.ArgumentException.With.Message.Contains("margin"));
}

[TestFixture, SetCulture(""), SetUICulture("")]
public sealed class ReportDocumentTests : ReportDocumentChecks;

[TestFixture, SetCulture("de-DE"), SetUICulture("de-DE")]
public sealed class ReportDocumentTestsGerman : ReportDocumentChecks;

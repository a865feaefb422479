using NoetherTheory.Core.IO;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Text;
using OxyPlot;
using SkiaSharp;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>
/// Builds a multi-page PDF report: a title block, numbered headings, wrapped paragraphs, displayed equations,
/// monospace code blocks (LaTeX source, logs), tables that continue across pages, and figures drawn as vectors.
/// </summary>
/// <remarks>
/// <para>Usage: <c>new ReportDocument(new ReportOptions("Title")).AddHeading("Results").AddFigure(spec, "caption")
/// .Save("reports/run/report.pdf")</c>. The builder only records blocks; layout and drawing happen in
/// <see cref="Save(string)"/>, so the same document can be saved again with identical bytes.</para>
/// <para>Output is deterministic: no creation date is written and the PDF file identifier is derived from the
/// content, so a report of the same inputs is byte-identical (useful for kept reports under version control).</para>
/// <para>Text is drawn with HarfBuzz shaping in DejaVu fonts and stays extractable (e.g. by <c>pdftotext</c>).</para>
/// </remarks>
public sealed class ReportDocument
{
    private readonly List<ReportBlock> _blocks = [];

    /// <summary>Starts a report.</summary>
    /// <exception cref="ArgumentException">The options are invalid (page too small, margins too wide).</exception>
    public ReportDocument(ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options the report was started with.</summary>
    public ReportOptions Options { get; }

    /// <summary>Adds a heading; level 1 (section), 2 (subsection) or 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not 1, 2 or 3.</exception>
    public ReportDocument AddHeading(string text, int level = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 3);
        _blocks.Add(new HeadingBlock(text, level));
        return this;
    }

    /// <summary>Adds a paragraph of body text, wrapped to the text width. A newline in the text forces a line break.</summary>
    public ReportDocument AddParagraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _blocks.Add(new ParagraphBlock(text));
        return this;
    }

    /// <summary>Adds a monospace block (LaTeX source, derivation output, logs) on a grey background, line breaks kept;
    /// lines longer than the text width continue on the next line.</summary>
    /// <param name="text">The code; tabs become four spaces.</param>
    /// <param name="caption">Optional line above the block.</param>
    public ReportDocument AddCode(string text, string caption = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(caption);
        _blocks.Add(new CodeBlock(text, caption));
        return this;
    }

    /// <summary>Adds a displayed equation as readable math text (Unicode: "dQ/dt = −2ηk·Q + η²⟨g, v⟩"), centred, with an
    /// optional tag printed at the right margin as "(tag)". Put the LaTeX source in <see cref="AddCode"/> if wanted.</summary>
    public ReportDocument AddEquation(string text, string tag = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tag);
        _blocks.Add(new EquationBlock(text, tag));
        return this;
    }

    /// <summary>Adds a table, numbered "Table n." with its caption above.</summary>
    /// <exception cref="ArgumentException">A row's cell count differs from the column count.</exception>
    public ReportDocument AddTable(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Validate();
        _blocks.Add(new TableBlock(table));
        return this;
    }

    /// <summary>Adds a figure drawn as vectors, numbered "Figure n." with its caption below. A figure wider than the text
    /// is laid out again at the text width (aspect kept, text sizes kept, so labels stay legible); one taller than the
    /// page is scaled down; one that does not fit the rest of the page starts a new page.</summary>
    /// <exception cref="ArgumentException">The figure cannot be drawn (checked now, not at save time).</exception>
    public ReportDocument AddFigure(FigureSpec figure, string caption, FigureSize? size = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(caption);
        var actual = size ?? FigureSize.Default;
        var theme = Options.FigureTheme;
        FigureBuilder.Build(figure, theme);   // validate at the call site, where the caller can still fix the data
        _blocks.Add(new FigureBlock(at => FigureLayout.Single(figure, at, theme), actual, caption));
        return this;
    }

    /// <summary>Adds a grid of panels as one figure (see <see cref="AddFigure(FigureSpec, string, FigureSize?)"/>).</summary>
    public ReportDocument AddFigure(FigureGrid grid, string caption, FigureSize? size = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(caption);
        var actual = size ?? FigureExport.DefaultGridSize(grid);
        var theme = Options.FigureTheme;
        FigureLayout.Grid(grid, actual, theme);
        _blocks.Add(new FigureBlock(at => FigureLayout.Grid(grid, at, theme), actual, caption));
        return this;
    }

    /// <summary>Adds a ready OxyPlot model as a figure. The model is rendered when the report is saved; do not change it
    /// in between.</summary>
    public ReportDocument AddFigure(PlotModel model, string caption, FigureSize? size = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(caption);
        var actual = size ?? FigureSize.Default;
        _blocks.Add(new FigureBlock(at => FigureLayout.Single(model, at, Options.FigureTheme), actual, caption));
        return this;
    }

    /// <summary>The size a figure of <paramref name="size"/> is laid out at in this report: its own, or a narrower one
    /// (aspect kept) when it would otherwise be scaled down so far that its text became too small. Layout checks
    /// (<see cref="FigureTextCheck"/>) apply at this size too.</summary>
    public FigureSize FigureSizeOnPage(FigureSize size) => ReportComposer.LaidOutSize(size, Options);

    /// <summary>Starts a new page.</summary>
    public ReportDocument AddPageBreak()
    {
        _blocks.Add(new PageBreakBlock());
        return this;
    }

    /// <summary>Lays the report out and returns its page count without writing anything.</summary>
    /// <exception cref="FontUnavailableException">DejaVu fonts are not installed.</exception>
    public int CountPages()
    {
        using var text = new TextEngine();
        return ReportComposer.Compose(Options, _blocks, text).Count;
    }

    /// <summary>Writes the report as PDF to <paramref name="path"/> (folders are created; the file is replaced
    /// atomically, so a failed save leaves no half-written report).</summary>
    /// <exception cref="FontUnavailableException">DejaVu fonts are not installed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public ReportSummary Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportSummary? summary = null;
        AtomicFile.Write(path, stream => summary = Save(stream));
        return summary!;
    }

    /// <summary>Writes the report as PDF to <paramref name="stream"/>.</summary>
    /// <exception cref="FontUnavailableException">DejaVu fonts are not installed.</exception>
    public ReportSummary Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] pdf = Render();
        stream.Write(pdf);
        return new ReportSummary(PdfFiles.CountPages(pdf), _blocks.Count(b => b is FigureBlock), _blocks.Count(b => b is TableBlock), pdf.Length);
    }

    private byte[] Render()
    {
        using var text = new TextEngine();
        var pages = ReportComposer.Compose(Options, _blocks, text);
        using var buffer = new MemoryStream();
        var metadata = SKDocumentPdfMetadata.Default;
        metadata.Title = Options.Title;
        metadata.Author = Options.Author;
        metadata.Subject = Options.Subtitle;
        metadata.Creator = "NoetherTheory";
        metadata.Creation = null;
        metadata.Modified = null;
        using (var managed = new SKManagedWStream(buffer, disposeManagedStream: false))
        using (var document = SKDocument.CreatePdf(managed, metadata))
        {
            foreach (var page in pages)
            {
                using var canvas = document.BeginPage(Options.PageWidth, Options.PageHeight);
                foreach (var draw in page.Draws)
                    draw(canvas);
                document.EndPage();
            }

            document.Close();
        }

        return PdfFiles.WithContentIdentifier(buffer.ToArray());
    }
}

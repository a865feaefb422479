using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The report being written: the PDF document, the markdown index and the figures folder, kept in step.</summary>
/// <param name="outputDirectory">The report folder.</param>
/// <param name="pdf">The PDF being built.</param>
/// <param name="index">The markdown index being built.</param>
/// <param name="repositoryRoot">The checkout the report names its inputs relative to (null: none, names stay absolute).</param>
internal sealed class ReportContext(string outputDirectory, ReportDocument pdf, MarkdownIndex index, string? repositoryRoot = null)
{
    private readonly HashSet<string> _figureNames = new(StringComparer.Ordinal);

    public string OutputDirectory { get; } = outputDirectory;
    public ReportDocument Pdf { get; } = pdf;
    public MarkdownIndex Index { get; } = index;
    public int FigureCount => _figureNames.Count;

    /// <summary>Resolution of the PNG figures (default: print quality, <see cref="FigureExport.DefaultDpi"/>).</summary>
    public double Dpi { get; init; } = FigureExport.DefaultDpi;

    /// <summary>Every figure written so far, by name, as the layout checks need it (spec or grid, and size).</summary>
    public List<(string Name, FigureSpec? Spec, FigureGrid? Grid, FigureSize? Size)> Figures { get; } = [];

    /// <summary>How the report names an input file: relative to the repository when inside it (see <see cref="ReportPaths"/>).</summary>
    public string DisplayPath(string path) => ReportPaths.Display(path, repositoryRoot);

    public void Heading(string text, int level = 1)
    {
        Pdf.AddHeading(text, level);
        Index.AddHeading(text, level + 1);
    }

    public void Paragraph(string text)
    {
        Pdf.AddParagraph(text);
        Index.AddParagraph(text);
    }

    public void Table(ReportTable table)
    {
        Pdf.AddTable(table);
        Index.AddTable(table);
    }

    /// <summary>Saves the figure as figures/&lt;name&gt;.png and .svg, draws it (as vectors) in the PDF and links it in index.md.</summary>
    public void Figure(string name, FigureSpec spec, string caption, FigureSize? size = null)
    {
        Figure(name, caption, png => FigureExport.SavePng(spec, png, size, Dpi), svg => FigureExport.SaveSvg(spec, svg, size), () => Pdf.AddFigure(spec, caption, size));
        Figures.Add((name, spec, null, size));
    }

    /// <summary>As <see cref="Figure(string, FigureSpec, string, FigureSize?)"/> for a grid of panels.</summary>
    public void Figure(string name, FigureGrid grid, string caption, FigureSize? size = null)
    {
        Figure(name, caption, png => FigureExport.SavePng(grid, png, size, Dpi), svg => FigureExport.SaveSvg(grid, svg, size), () => Pdf.AddFigure(grid, caption, size));
        Figures.Add((name, null, grid, size));
    }

    private void Figure(string name, string caption, Action<string> png, Action<string> svg, Action pdf)
    {
        if (!_figureNames.Add(name))
            throw new InvalidOperationException($"figure name '{name}' used twice in one report");
        var dir = Path.Combine(OutputDirectory, "figures");
        Directory.CreateDirectory(dir);
        png(Path.Combine(dir, name + ".png"));
        svg(Path.Combine(dir, name + ".svg"));
        pdf();
        Index.AddFigure($"figures/{name}.png", caption, $"figures/{name}.svg");
    }
}

using NoetherTheory.Reporting.Figures;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Title block, metadata and page geometry of a <see cref="ReportDocument"/>. Lengths are PDF points (1/72 in).</summary>
/// <param name="Title">Document title: first-page title block, running header and PDF metadata.</param>
public sealed record ReportOptions(string Title)
{
    /// <summary>Line under the title (e.g. the commit and date the CLI ran on; the library itself adds no timestamp).</summary>
    public string Subtitle { get; init; } = string.Empty;

    /// <summary>Author for the title block and PDF metadata.</summary>
    public string Author { get; init; } = string.Empty;

    /// <summary>Page width; default A4 (595.28 pt).</summary>
    public float PageWidth { get; init; } = 595.28f;

    /// <summary>Page height; default A4 (841.89 pt).</summary>
    public float PageHeight { get; init; } = 841.89f;

    /// <summary>Margin on all four sides.</summary>
    public float Margin { get; init; } = 62f;

    /// <summary>Whether headings get numbers 1, 1.1, 1.1.1.</summary>
    public bool NumberHeadings { get; init; } = true;

    /// <summary>Theme for figures drawn into the report.</summary>
    public FigureTheme FigureTheme { get; init; } = FigureTheme.Default;

    /// <summary>US Letter pages (612 × 792 pt).</summary>
    public ReportOptions WithLetterPages() => this with { PageWidth = 612f, PageHeight = 792f };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Title);
        ArgumentNullException.ThrowIfNull(Subtitle);
        ArgumentNullException.ThrowIfNull(Author);
        ArgumentNullException.ThrowIfNull(FigureTheme);
        if (!(PageWidth is >= 144 and <= 14400) || !(PageHeight is >= 144 and <= 14400))
            throw new ArgumentException($"Report page size {PageWidth} × {PageHeight} pt is outside 2…200 inches per side.");
        if (!(Margin >= 0 && Margin * 2 < PageWidth - 72 && Margin * 2 < PageHeight - 144))
            throw new ArgumentException($"Report margin {Margin} pt leaves less than 1 inch of text width or 2 inches of text height.");
    }
}

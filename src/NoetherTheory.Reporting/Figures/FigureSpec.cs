namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// A whole figure as plain data: title, axes and the items drawn. <see cref="FigureBuilder.Build"/> turns it into an
/// OxyPlot <c>PlotModel</c>; <see cref="Export.FigureExport"/> writes it as PNG or SVG; <see cref="Pdf.ReportDocument"/>
/// draws it as vectors.
/// </summary>
/// <param name="Title">Figure title (empty: none; in a report the caption usually replaces it).</param>
/// <param name="XAxis">Horizontal axis.</param>
/// <param name="YAxis">Vertical axis.</param>
/// <param name="Items">What is drawn, in drawing order (later items on top). Palette colours are assigned in this order.</param>
public sealed record FigureSpec(string Title, AxisSpec XAxis, AxisSpec YAxis, IReadOnlyList<PlotItem> Items)
{
    /// <summary>Smaller second title line.</summary>
    public string? Subtitle { get; init; }

    /// <summary>Where the legend goes.</summary>
    public LegendLocation Legend { get; init; } = LegendLocation.TopRight;

    /// <summary>Whether to draw light major grid lines.</summary>
    public bool Grid { get; init; } = true;
}

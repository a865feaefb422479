using OxyPlot;

namespace NoetherTheory.Reporting.Figures;

/// <summary>A horizontal (y = <see cref="Value"/>) or vertical (x = <see cref="Value"/>) line across the plot,
/// labelled on the line itself rather than in the legend (e.g. a predicted equilibrium or a stability limit).</summary>
/// <param name="Label">Text written along the line (empty: none).</param>
/// <param name="Axis">Horizontal or vertical.</param>
/// <param name="Value">Position in data coordinates.</param>
/// <param name="Style">Look; <see langword="null"/> for a dark grey dashed line.</param>
public sealed record ReferenceLine(string Label, ReferenceAxis Axis, double Value, SeriesStyle? Style = null)
    : PlotItem(Label, Style ?? DefaultStyle)
{
    private static readonly SeriesStyle DefaultStyle = new(OxyColor.FromRgb(0x44, 0x44, 0x44), LineStyle.Dash, 1.0);
}

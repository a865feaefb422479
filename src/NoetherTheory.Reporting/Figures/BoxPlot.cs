namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// Tukey box plots, one per group, on a categorical x axis: box from the first to the third quartile, a line at the
/// median, whiskers to the furthest values within 1.5 IQR of the box, and the remaining values drawn as outliers.
/// A figure holds at most one box plot; its groups name the x-axis categories (other items then use x = 0, 1, …).
/// </summary>
/// <param name="Label">Legend text (empty: not in the legend).</param>
/// <param name="Groups">The groups, left to right.</param>
/// <param name="Style">Look; the boxes are filled in the style colour at 30 % opacity.</param>
/// <remarks>Quartiles use linear interpolation between order statistics (Hyndman–Fan type 7, as NumPy's default).</remarks>
public sealed record BoxPlot(string Label, IReadOnlyList<BoxGroup> Groups, SeriesStyle? Style = null) : PlotItem(Label, Style);

namespace NoetherTheory.Reporting.Figures;

/// <summary>A polyline through (X[i], Y[i]). A NaN in <see cref="Y"/> leaves a gap.</summary>
/// <param name="Label">Legend text (empty: not in the legend).</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates, same length as <paramref name="X"/>.</param>
/// <param name="Style">Look; <see langword="null"/> for <see cref="SeriesStyle.Auto"/>.</param>
public sealed record LinePlot(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesStyle? Style = null)
    : PlotItem(Label, Style);

using OxyPlot;

namespace NoetherTheory.Reporting.Figures;

/// <summary>Markers at (X[i], Y[i]) without a connecting line. A NaN coordinate skips the point.</summary>
/// <param name="Label">Legend text (empty: not in the legend).</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates, same length as <paramref name="X"/>.</param>
/// <param name="Style">Look; <see langword="null"/> for circles in the palette colour.</param>
public sealed record ScatterPlot(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesStyle? Style = null)
    : PlotItem(Label, Style ?? SeriesStyle.Markers)
{
    /// <summary>The marker shape actually drawn (a scatter plot without markers would be invisible).</summary>
    internal MarkerType EffectiveMarker => Style.Marker == MarkerType.None ? MarkerType.Circle : Style.Marker;
}

namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// Measured points (X, Y) with a least-squares power law y = c·x^p fitted on log–log axes and drawn dashed; the
/// fitted exponent p (the slope on log–log axes) is written into the legend and, if <see cref="AnnotateSlope"/>, next
/// to the fitted line. The usual figure for a convergence-order study.
/// </summary>
/// <param name="Label">Legend text; <c>", slope 3.98"</c> is appended.</param>
/// <param name="X">Abscissae (positive).</param>
/// <param name="Y">Ordinates (positive).</param>
/// <param name="Style">Look of the data; <see langword="null"/> for palette colour, line and circle markers.</param>
/// <remarks>The fit is <see cref="PowerLawFit.Fit"/>: ordinary least squares of log₁₀y on log₁₀x.</remarks>
public sealed record SlopeFitPlot(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesStyle? Style = null)
    : PlotItem(Label, Style ?? DefaultStyle)
{
    private static readonly SeriesStyle DefaultStyle = new(Marker: OxyPlot.MarkerType.Circle);

    /// <summary>Whether to write "slope p" next to the fitted line as well as in the legend.</summary>
    public bool AnnotateSlope { get; init; } = true;

    /// <summary>Digits after the decimal point in the printed slope.</summary>
    public int SlopeDecimals { get; init; } = 2;
}

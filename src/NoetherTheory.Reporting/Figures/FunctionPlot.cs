namespace NoetherTheory.Reporting.Figures;

/// <summary>A curve y = f(x) sampled on [<see cref="XMin"/>, <see cref="XMax"/>] (e.g. a closed-form prediction).
/// Samples are log-spaced when the x axis is logarithmic.</summary>
/// <param name="Label">Legend text (empty: not in the legend).</param>
/// <param name="Function">The function; non-finite values leave gaps.</param>
/// <param name="XMin">Left end of the sampled interval.</param>
/// <param name="XMax">Right end of the sampled interval.</param>
/// <param name="Style">Look; <see langword="null"/> for <see cref="SeriesStyle.Prediction"/> (dashed).</param>
public sealed record FunctionPlot(string Label, Func<double, double> Function, double XMin, double XMax, SeriesStyle? Style = null)
    : PlotItem(Label, Style ?? SeriesStyle.Prediction)
{
    /// <summary>Number of sample points (at least 2).</summary>
    public int Samples { get; init; } = 200;

    /// <summary>A power-law guide y = <paramref name="prefactor"/>·x^<paramref name="exponent"/>, straight on log–log axes
    /// (e.g. an "order 4" reference for a convergence plot).</summary>
    public static FunctionPlot PowerLaw(string label, double prefactor, double exponent, double xMin, double xMax,
        SeriesStyle? style = null) =>
        new(label, x => prefactor * Math.Pow(x, exponent), xMin, xMax, style);
}

using System.Globalization;

namespace NoetherTheory.Reporting.Figures;

/// <summary>A central curve with a shaded region between <see cref="Lower"/> and <see cref="Upper"/>
/// (e.g. mean ± spread over seeds).</summary>
/// <param name="Label">Legend text of the central curve (empty: not in the legend).</param>
/// <param name="X">Abscissae.</param>
/// <param name="Center">Central curve.</param>
/// <param name="Lower">Lower edge of the band.</param>
/// <param name="Upper">Upper edge of the band.</param>
/// <param name="Style">Look of the central curve; the band is filled in the same colour at <see cref="FillOpacity"/>.</param>
public sealed record BandPlot(
    string Label,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Center,
    IReadOnlyList<double> Lower,
    IReadOnlyList<double> Upper,
    SeriesStyle? Style = null) : PlotItem(Label, Style)
{
    /// <summary>Opacity of the band fill, in (0, 1].</summary>
    public double FillOpacity { get; init; } = 0.22;

    /// <summary>
    /// Summarises several runs (e.g. seeds) sampled at the same abscissae into a band.
    /// The legend text gets the statistic and the run count appended, e.g. <c>"SGD (mean ± sd, n = 5)"</c>.
    /// </summary>
    /// <param name="label">Legend text for the central curve.</param>
    /// <param name="x">Common abscissae.</param>
    /// <param name="runs">One array per run, each as long as <paramref name="x"/>.</param>
    /// <param name="spread">Which statistic the band shows.</param>
    /// <param name="style">Look of the central curve.</param>
    /// <exception cref="ArgumentException">No runs, or a run whose length differs from <paramref name="x"/>.</exception>
    public static BandPlot FromRuns(string label, IReadOnlyList<double> x, IReadOnlyList<IReadOnlyList<double>> runs,
        BandSpread spread = BandSpread.StandardDeviation, SeriesStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException($"Band '{label}': no runs given; pass at least one run of {x.Count} values.", nameof(runs));
        for (int r = 0; r < runs.Count; r++)
            if (runs[r].Count != x.Count)
                throw new ArgumentException(
                    $"Band '{label}': run {r} has {runs[r].Count} values but x has {x.Count}; sample every run at the same x.",
                    nameof(runs));

        var center = new double[x.Count];
        var lower = new double[x.Count];
        var upper = new double[x.Count];
        var column = new double[runs.Count];
        for (int i = 0; i < x.Count; i++)
        {
            for (int r = 0; r < runs.Count; r++)
                column[r] = runs[r][i];
            (center[i], lower[i], upper[i]) = Summarise(column, spread);
        }

        string statistic = spread switch
        {
            BandSpread.StandardDeviation => "mean ± sd",
            BandSpread.StandardError => "mean ± se",
            BandSpread.MinMax => "mean, min–max",
            BandSpread.Interquartile => "median, IQR",
            _ => throw new ArgumentOutOfRangeException(nameof(spread), spread, "Unknown band spread."),
        };
        string legend = label.Length == 0
            ? label
            : string.Create(CultureInfo.InvariantCulture, $"{label} ({statistic}, n = {runs.Count})");
        return new BandPlot(legend, [.. x], center, lower, upper, style);
    }

    private static (double Center, double Lower, double Upper) Summarise(double[] values, BandSpread spread)
    {
        switch (spread)
        {
            case BandSpread.StandardDeviation:
            case BandSpread.StandardError:
            {
                double mean = SampleStatistics.Mean(values);
                double sd = SampleStatistics.StandardDeviation(values);
                double half = spread == BandSpread.StandardDeviation ? sd : sd / Math.Sqrt(values.Length);
                return (mean, mean - half, mean + half);
            }
            case BandSpread.MinMax:
                return (SampleStatistics.Mean(values), values.Min(), values.Max());
            case BandSpread.Interquartile:
            {
                double[] sorted = [.. values.Order()];
                return (SampleStatistics.QuantileSorted(sorted, 0.5),
                    SampleStatistics.QuantileSorted(sorted, 0.25),
                    SampleStatistics.QuantileSorted(sorted, 0.75));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(spread), spread, "Unknown band spread.");
        }
    }
}

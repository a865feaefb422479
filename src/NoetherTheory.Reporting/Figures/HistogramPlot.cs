namespace NoetherTheory.Reporting.Figures;

/// <summary>A histogram of <see cref="Values"/> on equal-width bins (e.g. the distribution of relative errors).
/// NaN values are left out and counted in the legend text.</summary>
/// <param name="Label">Legend text (empty: not in the legend).</param>
/// <param name="Values">The sample.</param>
/// <param name="Style">Look; the bars are filled in the style colour at 60 % opacity.</param>
public sealed record HistogramPlot(string Label, IReadOnlyList<double> Values, SeriesStyle? Style = null) : PlotItem(Label, Style)
{
    /// <summary>Number of bins; 0 chooses one by the Freedman–Diaconis rule (clamped to 5…100).</summary>
    public int Bins { get; init; }

    /// <summary>Counts or density.</summary>
    public HistogramNormalization Normalization { get; init; } = HistogramNormalization.Count;
}

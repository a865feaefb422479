namespace NoetherTheory.Reporting.Figures;

/// <summary>Equal-width binning for <see cref="HistogramPlot"/>.</summary>
internal static class Histogramming
{
    private const int MinAutoBins = 5;
    private const int MaxAutoBins = 100;

    /// <summary>Bins <paramref name="values"/> (no NaN) into <paramref name="bins"/> equal bins spanning [min, max]
    /// (0: Freedman–Diaconis, h = 2·IQR·n^(−1/3), clamped to 5…100 bins). The last bin is closed on the right.</summary>
    public static (double[] Edges, int[] Counts) Bin(IReadOnlyList<double> values, int bins)
    {
        double min = values.Min(), max = values.Max();
        if (min == max)
        {
            // A constant sample: one bin of unit width (or 10 % of the value) centred on it, so the bar is visible.
            double half = min == 0 ? 0.5 : Math.Abs(min) * 0.05;
            return ([min - half, max + half], [values.Count]);
        }

        if (bins == 0)
            bins = AutoBins(values, min, max);
        var edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++)
            edges[b] = min + ((max - min) * b / bins);
        var counts = new int[bins];
        foreach (double v in values)
        {
            int b = (int)((v - min) / (max - min) * bins);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }

        return (edges, counts);
    }

    private static int AutoBins(IReadOnlyList<double> values, double min, double max)
    {
        double[] sorted = [.. values.Order()];
        double iqr = SampleStatistics.QuantileSorted(sorted, 0.75) - SampleStatistics.QuantileSorted(sorted, 0.25);
        if (iqr <= 0)
            return Math.Clamp((int)Math.Ceiling(Math.Sqrt(values.Count)), MinAutoBins, MaxAutoBins);
        double width = 2 * iqr / Math.Cbrt(values.Count);
        return Math.Clamp((int)Math.Ceiling((max - min) / width), MinAutoBins, MaxAutoBins);
    }
}

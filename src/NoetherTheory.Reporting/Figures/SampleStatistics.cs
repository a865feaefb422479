namespace NoetherTheory.Reporting.Figures;

/// <summary>Small descriptive statistics used by bands, histograms and box plots.</summary>
internal static class SampleStatistics
{
    /// <summary>Arithmetic mean (compensated summation is unnecessary at plotting accuracy).</summary>
    public static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
            sum += values[i];
        return sum / values.Count;
    }

    /// <summary>Sample standard deviation with n − 1 in the denominator; 0 for a single value.
    /// Two-pass (mean first) to avoid the cancellation of the one-pass Σx² − n·mean² formula.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
            return 0;
        double mean = Mean(values);
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double d = values[i] - mean;
            sum += d * d;
        }

        return Math.Sqrt(sum / (values.Count - 1));
    }

    /// <summary>Quantile q ∈ [0, 1] of ascending <paramref name="sorted"/> by linear interpolation between order
    /// statistics at position q·(n − 1) (Hyndman–Fan type 7).</summary>
    public static double QuantileSorted(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
            throw new ArgumentException("Quantile of an empty sample.", nameof(sorted));
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        return sorted[below] + (fraction * (sorted[above] - sorted[below]));
    }

    /// <summary>Tukey's five numbers plus outliers of a sample (NaN removed).</summary>
    public static BoxSummary Box(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
            throw new ArgumentException("Box summary of a sample without non-NaN values.", nameof(values));
        double q1 = QuantileSorted(sorted, 0.25);
        double median = QuantileSorted(sorted, 0.5);
        double q3 = QuantileSorted(sorted, 0.75);
        double reach = 1.5 * (q3 - q1);
        double lowerWhisker = sorted.First(v => v >= q1 - reach);
        double upperWhisker = sorted.Last(v => v <= q3 + reach);
        double[] outliers = [.. sorted.Where(v => v < lowerWhisker || v > upperWhisker)];
        return new BoxSummary(lowerWhisker, q1, median, q3, upperWhisker, outliers);
    }
}

/// <summary>Tukey box statistics of one sample.</summary>
internal sealed record BoxSummary(double LowerWhisker, double Q1, double Median, double Q3, double UpperWhisker, double[] Outliers);

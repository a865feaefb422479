namespace NoetherTheory.Validation.DeepNet;

/// <summary>Summary of a distribution of non-negative errors.</summary>
/// <param name="Count">Number of values.</param>
/// <param name="Median">Median (nearest rank, the lower middle for an even count; NaN when empty).</param>
/// <param name="P90">90th percentile (nearest rank; NaN when empty).</param>
/// <param name="Max">Largest value (NaN when empty).</param>
public sealed record ErrorStatistics(int Count, double Median, double P90, double Max)
{
    /// <summary>Statistics of <paramref name="values"/> (NaNs are dropped).</summary>
    public static ErrorStatistics Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return new ErrorStatistics(0, double.NaN, double.NaN, double.NaN);
        return new ErrorStatistics(sorted.Length, Quantile(sorted, 0.5), Quantile(sorted, 0.9), sorted[^1]);
    }

    /// <summary>Nearest-rank quantile of sorted values.</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

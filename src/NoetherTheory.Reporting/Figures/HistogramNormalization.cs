namespace NoetherTheory.Reporting.Figures;

/// <summary>What the bar heights of a <see cref="HistogramPlot"/> show.</summary>
public enum HistogramNormalization
{
    /// <summary>Number of values per bin.</summary>
    Count,

    /// <summary>Probability density: count / (n · bin width), so the bars integrate to 1.</summary>
    Density,
}

namespace NoetherTheory.Reporting.Figures;

/// <summary>What the shaded region of a <see cref="BandPlot"/> built by <see cref="BandPlot.FromRuns"/> shows.</summary>
public enum BandSpread
{
    /// <summary>Mean ± one sample standard deviation (n − 1 in the denominator).</summary>
    StandardDeviation,

    /// <summary>Mean ± one standard error of the mean, s/√n.</summary>
    StandardError,

    /// <summary>Mean with the band spanning the minimum and maximum over runs.</summary>
    MinMax,

    /// <summary>Median with the band spanning the 25th and 75th percentiles (linear interpolation).</summary>
    Interquartile,
}

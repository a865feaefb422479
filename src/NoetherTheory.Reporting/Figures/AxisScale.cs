namespace NoetherTheory.Reporting.Figures;

/// <summary>How an axis maps data values to positions.</summary>
public enum AxisScale
{
    /// <summary>Equal distances for equal differences.</summary>
    Linear,

    /// <summary>Base-10 logarithmic: equal distances for equal ratios. Every plotted value must be positive.</summary>
    Log,
}

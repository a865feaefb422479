namespace NoetherTheory.Reporting.Figures;

/// <summary>Direction of a <see cref="ReferenceLine"/>.</summary>
public enum ReferenceAxis
{
    /// <summary>A horizontal line y = value.</summary>
    Horizontal,

    /// <summary>A vertical line x = value.</summary>
    Vertical,
}

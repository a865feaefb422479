namespace NoetherTheory.Reporting.Figures;

/// <summary>Where a figure's legend goes.</summary>
public enum LegendLocation
{
    /// <summary>Inside the plot area, top right corner.</summary>
    TopRight,

    /// <summary>Inside the plot area, top left corner.</summary>
    TopLeft,

    /// <summary>Inside the plot area, bottom right corner.</summary>
    BottomRight,

    /// <summary>Inside the plot area, bottom left corner.</summary>
    BottomLeft,

    /// <summary>Outside the plot area, to the right (for many series).</summary>
    OutsideRight,

    /// <summary>Outside the plot area, below it, laid out horizontally.</summary>
    Below,

    /// <summary>No legend.</summary>
    None,
}

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Horizontal alignment of a table column (numbers read best right-aligned).</summary>
public enum ColumnAlignment
{
    /// <summary>Flush left.</summary>
    Left,

    /// <summary>Centred.</summary>
    Center,

    /// <summary>Flush right.</summary>
    Right,
}

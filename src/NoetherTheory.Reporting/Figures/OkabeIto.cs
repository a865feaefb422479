using OxyPlot;

namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// The Okabe–Ito colour-blind-safe palette (Okabe &amp; Ito, "Color Universal Design", 2008).
/// </summary>
/// <remarks>
/// <see cref="Cycle"/> orders the colours for line plots on white: blue and vermillion first (they stay apart for
/// every common colour-vision deficiency and in greyscale), yellow last (low contrast on white).
/// </remarks>
public static class OkabeIto
{
    /// <summary>#000000.</summary>
    public static OxyColor Black { get; } = OxyColor.FromRgb(0x00, 0x00, 0x00);

    /// <summary>#E69F00.</summary>
    public static OxyColor Orange { get; } = OxyColor.FromRgb(0xE6, 0x9F, 0x00);

    /// <summary>#56B4E9.</summary>
    public static OxyColor SkyBlue { get; } = OxyColor.FromRgb(0x56, 0xB4, 0xE9);

    /// <summary>#009E73.</summary>
    public static OxyColor BluishGreen { get; } = OxyColor.FromRgb(0x00, 0x9E, 0x73);

    /// <summary>#F0E442.</summary>
    public static OxyColor Yellow { get; } = OxyColor.FromRgb(0xF0, 0xE4, 0x42);

    /// <summary>#0072B2.</summary>
    public static OxyColor Blue { get; } = OxyColor.FromRgb(0x00, 0x72, 0xB2);

    /// <summary>#D55E00.</summary>
    public static OxyColor Vermillion { get; } = OxyColor.FromRgb(0xD5, 0x5E, 0x00);

    /// <summary>#CC79A7.</summary>
    public static OxyColor ReddishPurple { get; } = OxyColor.FromRgb(0xCC, 0x79, 0xA7);

    /// <summary>The eight colours in the order series receive them.</summary>
    public static IReadOnlyList<OxyColor> Cycle { get; } =
        [Blue, Vermillion, BluishGreen, Orange, ReddishPurple, SkyBlue, Black, Yellow];

    /// <summary>The palette colour for the <paramref name="index"/>-th series (wraps around after eight).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static OxyColor At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Cycle[index % Cycle.Count];
    }
}

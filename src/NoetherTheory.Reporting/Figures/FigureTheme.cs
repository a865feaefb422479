using OxyPlot;

namespace NoetherTheory.Reporting.Figures;

/// <summary>Fonts, sizes and palette shared by all figures. Sizes are in device-independent units (1/96 inch;
/// 12 units = 9 pt).</summary>
/// <remarks>
/// The font family is always set explicitly: OxyPlot's default family does not resolve on Linux and the fallback
/// lacks Greek letters and superscripts. DejaVu Sans (Debian package <c>fonts-dejavu-core</c>) has η, β, τ, ², ⁻, ⟨⟩.
/// </remarks>
public sealed record FigureTheme
{
    /// <summary>The house theme: DejaVu Sans, Okabe–Ito palette.</summary>
    public static FigureTheme Default { get; } = new();

    /// <summary>Font family for every text element.</summary>
    public string FontFamily { get; init; } = FontNames.Sans;

    /// <summary>Size of tick labels and legend text.</summary>
    public double FontSize { get; init; } = 12;

    /// <summary>Size of axis titles.</summary>
    public double AxisTitleFontSize { get; init; } = 12.5;

    /// <summary>Size of the figure title.</summary>
    public double TitleFontSize { get; init; } = 14;

    /// <summary>Gap between an axis title and its tick labels, in device-independent units. OxyPlot's default (4) let a
    /// rotated y-axis title touch tick labels such as "0.86" in the rendered PNG.</summary>
    public double AxisTitleDistance { get; init; } = 9;

    /// <summary>Colours given, in order, to items without an explicit colour.</summary>
    public IReadOnlyList<OxyColor> Palette { get; init; } = OkabeIto.Cycle;

    /// <summary>Colour of major grid lines.</summary>
    public OxyColor GridColor { get; init; } = OxyColor.FromRgb(0xE3, 0xE3, 0xE3);

    /// <summary>Colour of text, axes and the plot frame.</summary>
    public OxyColor TextColor { get; init; } = OxyColor.FromRgb(0x22, 0x22, 0x22);
}

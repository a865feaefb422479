using OxyPlot;

namespace NoetherTheory.Reporting.Figures;

/// <summary>How one plotted item looks. <see cref="Color"/> <see langword="null"/> takes the next Okabe–Ito colour.</summary>
/// <param name="Color">Explicit colour, or <see langword="null"/> for the figure's palette (<see cref="OkabeIto"/>).</param>
/// <param name="Dash">Line dash pattern.</param>
/// <param name="Thickness">Line thickness in device-independent units (1/96 inch).</param>
/// <param name="Marker">Marker drawn at each data point.</param>
/// <param name="MarkerSize">Marker radius in device-independent units.</param>
public sealed record SeriesStyle(
    OxyColor? Color = null,
    LineStyle Dash = LineStyle.Solid,
    double Thickness = 1.6,
    MarkerType Marker = MarkerType.None,
    double MarkerSize = 3)
{
    /// <summary>Palette colour, solid line, no markers.</summary>
    public static SeriesStyle Auto { get; } = new();

    /// <summary>Palette colour, dashed line: the usual look of a theoretical prediction.</summary>
    public static SeriesStyle Prediction { get; } = new(Dash: LineStyle.Dash);

    /// <summary>Palette colour, markers only: the usual look of measured points.</summary>
    public static SeriesStyle Markers { get; } = new(Marker: MarkerType.Circle, Thickness: 0);
}

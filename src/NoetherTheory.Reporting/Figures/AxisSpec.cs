namespace NoetherTheory.Reporting.Figures;

/// <summary>One axis of a figure: its title (with units, e.g. <c>"t = nη"</c>), scale and optional fixed range.</summary>
/// <param name="Title">Axis title; any Unicode text (Greek letters, superscripts) renders in DejaVu Sans.</param>
/// <param name="Scale">Linear or base-10 logarithmic.</param>
public sealed record AxisSpec(string Title, AxisScale Scale = AxisScale.Linear)
{
    /// <summary>Fixed lower end of the axis; <see langword="null"/> lets the data decide.</summary>
    public double? Minimum { get; init; }

    /// <summary>Fixed upper end of the axis; <see langword="null"/> lets the data decide.</summary>
    public double? Maximum { get; init; }

    /// <summary>A linear axis with the given title.</summary>
    public static AxisSpec Linear(string title) => new(title);

    /// <summary>A base-10 logarithmic axis with the given title.</summary>
    public static AxisSpec Log(string title) => new(title, AxisScale.Log);
}

using System.Globalization;

namespace NoetherTheory.Reporting.Export;

/// <summary>A title, axis label, tick label, legend entry or annotation of a figure that is clipped or overlaps other text.</summary>
/// <param name="Panel">The panel (its title, or "panel n"), or "figure" for the grid title.</param>
/// <param name="Text">The text concerned.</param>
/// <param name="Problem">What is wrong, with the measured extents (device-independent units, 1/96 inch).</param>
public sealed record FigureTextProblem(string Panel, string Text, string Problem)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Panel}: '{Text}' {Problem}");
}

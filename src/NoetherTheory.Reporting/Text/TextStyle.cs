using SkiaSharp;

namespace NoetherTheory.Reporting.Text;

/// <summary>Typeface, size (points) and colour of a piece of report text.</summary>
internal sealed record TextStyle(SKTypeface Typeface, float Size, SKColor Color)
{
    /// <summary>Baseline-to-baseline distance for wrapped lines.</summary>
    public float LineHeight => Size * 1.38f;

    /// <summary>Distance from the top of a line box to its baseline.</summary>
    public float Ascent => Size * 0.95f;
}

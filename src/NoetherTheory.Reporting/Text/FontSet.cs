using SkiaSharp;

namespace NoetherTheory.Reporting.Text;

/// <summary>The DejaVu typefaces used by reports and grid titles, resolved once per process.</summary>
internal sealed class FontSet
{
    private static readonly Lazy<FontSet> DefaultLazy = new(() => new FontSet(), LazyThreadSafetyMode.ExecutionAndPublication);

    private FontSet()
    {
        Sans = Resolve(FontNames.Sans, SKFontStyle.Normal);
        SansBold = Resolve(FontNames.Sans, SKFontStyle.Bold);
        SansItalic = Resolve(FontNames.Sans, SKFontStyle.Italic);
        Mono = Resolve(FontNames.Mono, SKFontStyle.Normal);
        Serif = Resolve(FontNames.Serif, SKFontStyle.Normal);
        SerifItalic = Resolve(FontNames.Serif, SKFontStyle.Italic);
    }

    /// <summary>The shared set; typefaces are immutable and safe to share between threads.</summary>
    /// <exception cref="FontUnavailableException">A DejaVu family is not installed.</exception>
    public static FontSet Default => DefaultLazy.Value;

    public SKTypeface Sans { get; }

    public SKTypeface SansBold { get; }

    public SKTypeface SansItalic { get; }

    public SKTypeface Mono { get; }

    public SKTypeface Serif { get; }

    public SKTypeface SerifItalic { get; }

    /// <summary>Whether <paramref name="family"/> is installed (exact family name match).</summary>
    public static bool IsInstalled(string family)
    {
        using var typeface = SKFontManager.Default.MatchFamily(family, SKFontStyle.Normal);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase);
    }

    private static SKTypeface Resolve(string family, SKFontStyle style)
    {
        var typeface = SKFontManager.Default.MatchFamily(family, style);
        if (typeface is null || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
        {
            typeface?.Dispose();
            throw new FontUnavailableException(family);
        }

        return typeface;
    }
}

using System.Globalization;
using System.Text;
using SkiaSharp;

namespace NoetherTheory.Reporting.Text;

/// <summary>
/// Measures, wraps and draws Unicode text with HarfBuzz shaping (so combining accents such as q̇ sit on their base)
/// and per-character font fallback (characters the style's typeface lacks are drawn from a system font that has them).
/// Not thread-safe: one engine per rendering.
/// </summary>
internal sealed class TextEngine : IDisposable
{
    private readonly Dictionary<SKTypeface, GlyphShaper> _shapers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(SKTypeface, int), SKTypeface> _fallbacks = [];
    private readonly List<SKTypeface> _ownedFallbacks = [];
    private readonly Dictionary<(string, SKTypeface), float> _unitWidths = [];

    /// <summary>Width of <paramref name="text"/> on one line, in the style's units (points).</summary>
    public float Measure(string text, TextStyle style)
    {
        if (text.Length == 0)
            return 0;
        float width = 0;
        foreach (var (run, typeface) in Runs(text, style.Typeface))
        {
            if (!_unitWidths.TryGetValue((run, typeface), out float unit))
            {
                unit = Shaper(typeface).Shape(run, 1).Width;
                _unitWidths[(run, typeface)] = unit;
            }

            width += unit * style.Size;
        }

        return width;
    }

    /// <summary>Draws <paramref name="text"/> with its baseline starting at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void Draw(SKCanvas canvas, string text, float x, float y, TextStyle style)
    {
        foreach (var (run, typeface) in Runs(text, style.Typeface))
        {
            var (glyphs, positions, width) = Shaper(typeface).Shape(run, style.Size);
            using var paint = MakePaint(typeface, style.Size, style.Color);
            using var font = paint.ToFont();
            using var builder = new SKTextBlobBuilder();
            builder.AddPositionedRun(glyphs, font, positions);
            using var blob = builder.Build();
            if (blob is not null)
                canvas.DrawText(blob, x, y, paint);
            x += width;
        }
    }

    /// <summary>Greedy word wrap to <paramref name="maxWidth"/> (<paramref name="firstLineWidth"/> for the very first line,
    /// e.g. after a caption label); explicit newlines start new lines; a word longer than a line is broken between
    /// characters.</summary>
    public List<string> Wrap(string text, TextStyle style, float maxWidth, float? firstLineWidth = null)
    {
        var lines = new List<string>();
        float Limit() => lines.Count == 0 && firstLineWidth is { } first ? first : maxWidth;
        foreach (string paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(candidate, style) <= Limit())
                {
                    line.Clear().Append(candidate);
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                string rest = word;
                while (Measure(rest, style) > Limit())
                {
                    int fit = FitPrefix(rest, style, Limit());
                    lines.Add(rest[..fit]);
                    rest = rest[fit..];
                }

                line.Append(rest);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>Word wrap that never splits a word: lines break at spaces; a word wider than the line breaks only after one
    /// of the characters in <paramref name="breakAfter"/> ("rescale-" / "nonlinear"), and a piece still wider than the
    /// line stays whole on a line of its own (callers size the line to <see cref="WidestPiece"/> so that this does not
    /// happen). Explicit newlines start new lines.</summary>
    public List<string> WrapWords(string text, TextStyle style, float maxWidth, string breakAfter = "")
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = string.Empty;
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(candidate, style) <= maxWidth)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                    lines.Add(line);
                line = string.Empty;
                if (Measure(word, style) <= maxWidth)
                {
                    line = word;
                    continue;
                }

                foreach (string piece in Pieces(word, breakAfter))
                {
                    if (line.Length > 0 && Measure(line + piece, style) > maxWidth)
                    {
                        lines.Add(line);
                        line = string.Empty;
                    }

                    line += piece;
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The width of the widest piece <see cref="WrapWords"/> can never break: a whole word, or with
    /// <paramref name="breakAfter"/> a part of a word between break characters.</summary>
    public float WidestPiece(string text, TextStyle style, string breakAfter = "")
    {
        float widest = 0;
        foreach (string word in text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            foreach (string piece in Pieces(word, breakAfter))
                widest = Math.Max(widest, Measure(piece, style));
        return widest;
    }

    /// <summary><paramref name="word"/> cut after each character of <paramref name="breakAfter"/>, except where that
    /// would leave the character alone (a leading minus), split a number ("1.0E-6", "5-7": no cut before a digit), end
    /// the word, or part a base character from its accents.</summary>
    internal static List<string> Pieces(string word, string breakAfter)
    {
        var pieces = new List<string>();
        int start = 0;
        for (int i = 1; i < word.Length - 1; i++)
        {
            if (breakAfter.Contains(word[i], StringComparison.Ordinal) && i > start && !char.IsDigit(word[i + 1])
                && CharUnicodeInfo.GetUnicodeCategory(word[i + 1]) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
            {
                pieces.Add(word[start..(i + 1)]);
                start = i + 1;
            }
        }

        pieces.Add(word[start..]);
        return pieces;
    }

    /// <summary>Breaks a line of code at character boundaries (keeping leading spaces) to fit <paramref name="maxWidth"/>.</summary>
    public List<string> BreakCharacters(string line, TextStyle style, float maxWidth)
    {
        var parts = new List<string>();
        string rest = line;
        while (rest.Length > 0 && Measure(rest, style) > maxWidth)
        {
            int fit = FitPrefix(rest, style, maxWidth);
            parts.Add(rest[..fit]);
            rest = rest[fit..];
        }

        parts.Add(rest);
        return parts;
    }

    public void Dispose()
    {
        foreach (var shaper in _shapers.Values)
            shaper.Dispose();
        foreach (var typeface in _ownedFallbacks)
            typeface.Dispose();
        _shapers.Clear();
        _ownedFallbacks.Clear();
    }

    /// <summary>The longest prefix (at least one text element) that fits, never splitting a base from its accents.</summary>
    private int FitPrefix(string text, TextStyle style, float maxWidth)
    {
        int[] boundaries = StringInfo.ParseCombiningCharacters(text);
        int best = boundaries.Length > 1 ? boundaries[1] : text.Length;
        for (int k = 2; k <= boundaries.Length; k++)
        {
            int end = k == boundaries.Length ? text.Length : boundaries[k];
            if (Measure(text[..end], style) > maxWidth)
                break;
            best = end;
        }

        return best;
    }

    private IEnumerable<(string Run, SKTypeface Typeface)> Runs(string text, SKTypeface primary)
    {
        var run = new StringBuilder();
        SKTypeface? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            // Combining marks and joiners stay with their base character so shaping can position them.
            bool attaches = Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                || rune.Value is 0x200D or 0xFE0F;
            SKTypeface typeface = attaches && current is not null ? current : TypefaceFor(rune.Value, primary);
            if (current is not null && !ReferenceEquals(typeface, current))
            {
                yield return (run.ToString(), current);
                run.Clear();
            }

            current = typeface;
            run.Append(rune.ToString());
        }

        if (current is not null && run.Length > 0)
            yield return (run.ToString(), current);
    }

    private SKTypeface TypefaceFor(int codepoint, SKTypeface primary)
    {
        if (codepoint < 0x80 || primary.ContainsGlyph(codepoint))
            return primary;
        if (_fallbacks.TryGetValue((primary, codepoint), out var cached))
            return cached;
        var found = SKFontManager.Default.MatchCharacter(primary.FamilyName, primary.FontStyle, null, codepoint);
        SKTypeface chosen = primary;
        if (found is not null)
        {
            _ownedFallbacks.Add(found);
            chosen = found;
        }

        _fallbacks[(primary, codepoint)] = chosen;
        return chosen;
    }

    private GlyphShaper Shaper(SKTypeface typeface)
    {
        if (!_shapers.TryGetValue(typeface, out var shaper))
        {
            shaper = new GlyphShaper(typeface);
            _shapers[typeface] = shaper;
        }

        return shaper;
    }

    private static SKPaint MakePaint(SKTypeface typeface, float size, SKColor color) => new()
    {
        Typeface = typeface,
        TextSize = size,
        Color = color,
        IsAntialias = true,
        SubpixelText = true,
        LcdRenderText = false,
    };
}

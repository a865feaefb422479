using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;
using HbBuffer = HarfBuzzSharp.Buffer;
using HbFont = HarfBuzzSharp.Font;

namespace NoetherTheory.Reporting.Text;

/// <summary>
/// HarfBuzz shaping of one typeface with ligatures switched off: "fi" stays two glyphs, so text copied or extracted
/// from a PDF reads "verification", not "veriﬁcation". Kerning and mark positioning (q̇) stay on.
/// </summary>
internal sealed class GlyphShaper : IDisposable
{
    private const int UnitsScale = 1 << 12;   // HarfBuzz font scale; positions are rescaled to the text size
    private static readonly Feature[] Features = [Feature.Parse("-liga"), Feature.Parse("-clig"), Feature.Parse("-dlig")];

    private readonly Blob _blob;
    private readonly Face _face;
    private readonly HbFont _font;

    public GlyphShaper(SKTypeface typeface)
    {
        Typeface = typeface;
        // The blob takes ownership of the stream and disposes it when released: do not dispose it here.
        var stream = typeface.OpenStream(out int index)
            ?? throw new InvalidOperationException($"Font '{typeface.FamilyName}' has no readable font file to shape with.");
        _blob = stream.ToHarfBuzzBlob();
        _face = new Face(_blob, index) { Index = index, UnitsPerEm = typeface.UnitsPerEm };
        _font = new HbFont(_face);
        _font.SetScale(UnitsScale, UnitsScale);
        _font.SetFunctionsOpenType();
    }

    public SKTypeface Typeface { get; }

    /// <summary>Glyph ids, glyph origins relative to the start of the run (y down), and the run's advance width,
    /// all at text size <paramref name="size"/>.</summary>
    public (ushort[] Glyphs, SKPoint[] Positions, float Width) Shape(string text, float size)
    {
        using var buffer = new HbBuffer();
        buffer.AddUtf16(text);
        buffer.GuessSegmentProperties();
        _font.Shape(buffer, Features);
        var infos = buffer.GlyphInfos;
        var positions = buffer.GlyphPositions;
        float k = size / UnitsScale;
        var glyphs = new ushort[infos.Length];
        var points = new SKPoint[infos.Length];
        float x = 0;
        for (int i = 0; i < infos.Length; i++)
        {
            glyphs[i] = (ushort)infos[i].Codepoint;
            points[i] = new SKPoint(x + (positions[i].XOffset * k), -positions[i].YOffset * k);
            x += positions[i].XAdvance * k;
        }

        return (glyphs, points, x);
    }

    public void Dispose()
    {
        _font.Dispose();
        _face.Dispose();
        _blob.Dispose();
    }
}

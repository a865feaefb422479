using System.Buffers.Binary;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;
using OxyPlot;
using SkiaSharp;

namespace NoetherTheory.Reporting.Tests;

/// <summary>Every gallery figure exported to PNG and SVG and checked (the shared export fixture of house-style §3.5).
/// Runs under the invariant and a comma-decimal culture.</summary>
public abstract class FigureExportChecks
{
    // A figure draws axes, labels and data on a white background: at least this fraction of pixels is not background.
    private const double MinInkFraction = 0.01;

    // ...and a blank-but-black or failed render would cover most of the image; real figures stay well below this.
    private const double MaxInkFraction = 0.6;

    private const double Dpi = 100;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [TestCaseSource(typeof(SampleFigures), nameof(SampleFigures.All))]
    public void ToPng_GalleryFigure_HasRequestedSizeAndIsNotBlank(FigureSpec spec)
    {
        var size = new FigureSize(5, 3.5);
        byte[] png = FigureExport.ToPng(spec, size, Dpi);

        using var bitmap = SKBitmap.Decode(png);
        Assert.That(bitmap, Is.Not.Null, "PNG decodes");
        Assert.That(bitmap.Width, Is.EqualTo((int)Math.Round(size.WidthInches * Dpi)));
        Assert.That(bitmap.Height, Is.EqualTo((int)Math.Round(size.HeightInches * Dpi)));
        double ink = InkFraction(bitmap);
        Assert.That(ink, Is.InRange(MinInkFraction, MaxInkFraction), "fraction of non-background pixels");
    }

    [Test]
    public void ToPng_Grid_HasRequestedSizeAndIsNotBlank()
    {
        var grid = SampleFigures.Grid();
        var size = FigureExport.DefaultGridSize(grid);
        using var bitmap = SKBitmap.Decode(FigureExport.ToPng(grid, dpi: 60));
        Assert.That(bitmap.Width, Is.EqualTo((int)Math.Round(size.WidthInches * 60)));
        Assert.That(bitmap.Height, Is.EqualTo((int)Math.Round(size.HeightInches * 60)));
        Assert.That(InkFraction(bitmap), Is.InRange(MinInkFraction, MaxInkFraction));
    }

    [Test]
    public void ToPng_SameFigureTwice_IsByteIdentical()
    {
        var spec = SampleFigures.Bands();
        byte[] first = FigureExport.ToPng(spec, dpi: 72);
        byte[] second = FigureExport.ToPng(spec, dpi: 72);
        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase(72.0)]
    [TestCase(300.0)]
    public void ToPng_WritesPhysChunkWithDpi(double dpi)
    {
        byte[] png = FigureExport.ToPng(SampleFigures.Scatter(), new FigureSize(1, 1), dpi);
        var chunk = FindChunk(png, "pHYs");
        Assert.That(chunk, Is.Not.Null, "pHYs chunk present");
        uint expected = (uint)Math.Round(dpi / 0.0254);
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(chunk!.Value.Data), Is.EqualTo(expected));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(chunk.Value.Data.AsSpan(4)), Is.EqualTo(expected));
        Assert.That(chunk.Value.Data[8], Is.EqualTo(1), "unit is the metre");
    }

    [Test]
    public void ToPng_DpiOutOfRange_Throws() =>
        Assert.That(() => FigureExport.ToPng(SampleFigures.Scatter(), dpi: 5), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [TestCaseSource(typeof(SampleFigures), nameof(SampleFigures.All))]
    public void ToSvg_GalleryFigure_IsWellFormedAndHoldsTitlesAndLegend(FigureSpec spec)
    {
        var doc = XDocument.Parse(FigureExport.ToSvg(spec));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts, Does.Contain(spec.Title));
        Assert.That(texts, Does.Contain(spec.XAxis.Title));
        Assert.That(texts, Does.Contain(spec.YAxis.Title));
        if (spec.Legend != LegendLocation.None)
            foreach (var item in spec.Items.Where(i => i.Label.Length > 0 && i is not ReferenceLine))
                Assert.That(texts.Any(t => t.StartsWith(item.Label, StringComparison.Ordinal)), $"legend entry for '{item.Label}' in {string.Join(" | ", texts)}");
        var fonts = doc.Descendants(Svg + "text")
            .Select(e => (string?)e.Attribute("font-family") ?? Regex.Match((string?)e.Attribute("style") ?? string.Empty, "font-family:([^;]+)").Groups[1].Value)
            .ToList();
        Assert.That(fonts, Is.Not.Empty.And.All.EqualTo("DejaVu Sans"), "every text element names DejaVu Sans");
    }

    [Test]
    public void ToSvg_ThreeLines_DrawsOnePolylinePerSeriesInPaletteColours()
    {
        double[] x = [0, 0.25, 0.5, 0.75, 1];
        var spec = new FigureSpec("three", AxisSpec.Linear("x"), AxisSpec.Linear("y"),
        [
            new LinePlot("a", x, [.. x.Select(v => v)]),
            new LinePlot("b", x, [.. x.Select(v => v * v)]),
            new LinePlot("c", x, [.. x.Select(v => v * v * v)]),
        ]) { Legend = LegendLocation.None };

        string svg = FigureExport.ToSvg(spec);
        var strokes = XDocument.Parse(svg).Descendants(Svg + "polyline")
            .Select(p => Regex.Match(p.Attribute("style")?.Value ?? string.Empty, @"stroke:(rgb\(\d+,\d+,\d+\))").Groups[1].Value)
            .ToList();
        for (int i = 0; i < 3; i++)
        {
            var c = OkabeIto.Cycle[i];
            string hex = $"rgb({c.R},{c.G},{c.B})";
            Assert.That(strokes.Count(s => s == hex), Is.EqualTo(1), $"series {i} drawn once in {hex}; strokes: {string.Join(",", strokes)}");
        }
    }

    [Test]
    public void ToSvg_Grid_NestsOnePanelPerFigureWithLetters()
    {
        var grid = SampleFigures.Grid();
        var doc = XDocument.Parse(FigureExport.ToSvg(grid));
        Assert.That(doc.Root!.Elements(Svg + "g").Count(), Is.EqualTo(grid.Panels.Count));
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.That(ids, Is.Unique, "clip-path ids unique across panels");
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts, Does.Contain(grid.Title));
        Assert.That(texts.Any(t => t.StartsWith("(f) ", StringComparison.Ordinal)), "sixth panel lettered (f)");
    }

    [Test]
    public void ToSvg_DecimalTickLabels_UseInvariantPointNotComma()
    {
        double[] x = [0, 0.3, 0.6, 1.0];
        var spec = new FigureSpec("ticks", AxisSpec.Linear("x"), AxisSpec.Linear("y"), [new LinePlot("l", x, x)]);
        var texts = XDocument.Parse(FigureExport.ToSvg(spec)).Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts.Any(t => Regex.IsMatch(t, @"^0\.\d+$")), $"a decimal tick like 0.2 in {string.Join(" | ", texts)}");
        Assert.That(texts.Any(t => Regex.IsMatch(t, @"^\d+,\d+$")), Is.False, "no comma-decimal tick labels");
    }

    [Test]
    public void ToSvg_SameFigureTwice_IsIdentical()
    {
        string first = FigureExport.ToSvg(SampleFigures.Convergence());
        string second = FigureExport.ToSvg(SampleFigures.Convergence());
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void SaveSvgAndPng_CreateFoldersAndFiles()
    {
        string folder = Path.Combine(Path.GetTempPath(), "noether-reporting-" + Guid.NewGuid().ToString("N"));
        try
        {
            FigureExport.SaveSvg(SampleFigures.Histogram(), Path.Combine(folder, "sub", "h.svg"));
            FigureExport.SavePng(SampleFigures.Histogram(), Path.Combine(folder, "sub", "h.png"), dpi: 50);
            Assert.That(File.ReadAllText(Path.Combine(folder, "sub", "h.svg")), Does.StartWith("<?xml"));
            Assert.That(File.ReadAllBytes(Path.Combine(folder, "sub", "h.png")).AsSpan(1, 3).ToArray(), Is.EqualTo("PNG"u8.ToArray()));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    internal static double InkFraction(SKBitmap bitmap)
    {
        long ink = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 245 || c.Green < 245 || c.Blue < 245)
                    ink++;
            }

        return (double)ink / (bitmap.Width * (long)bitmap.Height);
    }

    private static (string Type, byte[] Data)? FindChunk(byte[] png, string type)
    {
        int offset = 8;
        while (offset + 8 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            string name = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (name == type)
                return (name, png.AsSpan(offset + 8, length).ToArray());
            offset += 12 + length;
        }

        return null;
    }
}

/// <summary>The export checks under the invariant culture.</summary>
[TestFixture, SetCulture(""), SetUICulture("")]
public sealed class FigureExportTests : FigureExportChecks;

/// <summary>The same export checks under a comma-decimal culture: output must not change.</summary>
[TestFixture, SetCulture("de-DE"), SetUICulture("de-DE")]
public sealed class FigureExportTestsGerman : FigureExportChecks
{
    [Test]
    public void ToSvg_UnderGermanCulture_EqualsInvariantOutput()
    {
        string german = FigureExport.ToSvg(SampleFigures.Bands());
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Assert.That(german, Is.EqualTo(FigureExport.ToSvg(SampleFigures.Bands())));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }
}

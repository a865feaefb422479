using System.Text;
using NoetherTheory.Core.IO;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Text;
using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>
/// Writes figures (a <see cref="FigureSpec"/>, a <see cref="FigureGrid"/> or a ready OxyPlot <see cref="PlotModel"/>)
/// as PNG at a chosen DPI or as SVG. Output is deterministic: the same input gives the same bytes (no timestamps).
/// </summary>
/// <remarks>
/// Sizes are physical (<see cref="FigureSize"/>, inches) and text sizes are physical too, so a 300-DPI PNG is the
/// 100-DPI one with more pixels, not a differently laid-out figure. PNGs carry their DPI in a pHYs chunk.
/// </remarks>
public static class FigureExport
{
    /// <summary>The default PNG resolution, print quality.</summary>
    public const double DefaultDpi = 300;

    /// <summary>The smallest accepted PNG resolution.</summary>
    public const double MinDpi = 24;

    /// <summary>The largest accepted PNG resolution (a 6-inch figure is then 7200 pixels wide).</summary>
    public const double MaxDpi = 1200;

    /// <summary>Encodes <paramref name="spec"/> as PNG.</summary>
    /// <exception cref="ArgumentException">The figure cannot be drawn (see <see cref="FigureBuilder.Build"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dpi"/> is outside [<see cref="MinDpi"/>, <see cref="MaxDpi"/>].</exception>
    /// <exception cref="FontUnavailableException">DejaVu fonts are not installed.</exception>
    public static byte[] ToPng(FigureSpec spec, FigureSize? size = null, double dpi = DefaultDpi, FigureTheme? theme = null)
    {
        theme ??= FigureTheme.Default;
        return Png(FigureLayout.Single(spec, size ?? FigureSize.Default, theme), dpi);
    }

    /// <summary>Encodes a grid of panels as one PNG.</summary>
    /// <param name="grid">The panels.</param>
    /// <param name="size">Whole image size; <see langword="null"/> gives each panel 3.6 × 2.8 inches.</param>
    /// <param name="dpi">Resolution.</param>
    /// <param name="theme">Fonts and palette.</param>
    public static byte[] ToPng(FigureGrid grid, FigureSize? size = null, double dpi = DefaultDpi, FigureTheme? theme = null)
    {
        theme ??= FigureTheme.Default;
        return Png(FigureLayout.Grid(grid, size ?? DefaultGridSize(grid), theme), dpi);
    }

    /// <summary>Encodes a ready OxyPlot model as PNG (for figures built outside <see cref="FigureBuilder"/>).</summary>
    public static byte[] ToPng(PlotModel model, FigureSize? size = null, double dpi = DefaultDpi)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Png(FigureLayout.Single(model, size ?? FigureSize.Default, FigureTheme.Default), dpi);
    }

    /// <summary>Writes <paramref name="spec"/> as a PNG file (folders are created).</summary>
    public static void SavePng(FigureSpec spec, string path, FigureSize? size = null, double dpi = DefaultDpi, FigureTheme? theme = null) =>
        WriteBytes(path, ToPng(spec, size, dpi, theme));

    /// <summary>Writes a grid as a PNG file (folders are created).</summary>
    public static void SavePng(FigureGrid grid, string path, FigureSize? size = null, double dpi = DefaultDpi, FigureTheme? theme = null) =>
        WriteBytes(path, ToPng(grid, size, dpi, theme));

    /// <summary>Writes a ready OxyPlot model as a PNG file (folders are created).</summary>
    public static void SavePng(PlotModel model, string path, FigureSize? size = null, double dpi = DefaultDpi) =>
        WriteBytes(path, ToPng(model, size, dpi));

    /// <summary>Renders <paramref name="spec"/> as a standalone SVG document (UTF-8 text, 1 unit = 1/96 inch).</summary>
    public static string ToSvg(FigureSpec spec, FigureSize? size = null, FigureTheme? theme = null)
    {
        theme ??= FigureTheme.Default;
        return SvgFigureWriter.Write(FigureLayout.Single(spec, size ?? FigureSize.Default, theme));
    }

    /// <summary>Renders a grid as one standalone SVG document.</summary>
    public static string ToSvg(FigureGrid grid, FigureSize? size = null, FigureTheme? theme = null)
    {
        theme ??= FigureTheme.Default;
        return SvgFigureWriter.Write(FigureLayout.Grid(grid, size ?? DefaultGridSize(grid), theme));
    }

    /// <summary>Renders a ready OxyPlot model as a standalone SVG document.</summary>
    public static string ToSvg(PlotModel model, FigureSize? size = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return SvgFigureWriter.Write(FigureLayout.Single(model, size ?? FigureSize.Default, FigureTheme.Default));
    }

    /// <summary>Writes <paramref name="spec"/> as an SVG file (UTF-8 without BOM; folders are created).</summary>
    public static void SaveSvg(FigureSpec spec, string path, FigureSize? size = null, FigureTheme? theme = null) =>
        WriteText(path, ToSvg(spec, size, theme));

    /// <summary>Writes a grid as an SVG file.</summary>
    public static void SaveSvg(FigureGrid grid, string path, FigureSize? size = null, FigureTheme? theme = null) =>
        WriteText(path, ToSvg(grid, size, theme));

    /// <summary>Writes a ready OxyPlot model as an SVG file.</summary>
    public static void SaveSvg(PlotModel model, string path, FigureSize? size = null) =>
        WriteText(path, ToSvg(model, size));

    /// <summary>The size a grid gets when none is given: 3.6 × 2.8 inches per panel, plus a title band.</summary>
    public static FigureSize DefaultGridSize(FigureGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int columns = Math.Clamp(Math.Min(grid.Columns, grid.Panels.Count), 1, int.MaxValue);
        int rows = Math.Max(1, (grid.Panels.Count + columns - 1) / columns);
        return FigureSize.ForGrid(rows, columns, new FigureSize(3.6, 2.8), grid.Title.Length > 0);
    }

    private static byte[] Png(FigureLayout layout, double dpi)
    {
        if (!(dpi >= MinDpi && dpi <= MaxDpi))
            throw new ArgumentOutOfRangeException(nameof(dpi), dpi, $"PNG resolution must be between {MinDpi} and {MaxDpi} DPI.");
        float scale = (float)(dpi / 96);
        int width = (int)Math.Round(layout.Width * scale);
        int height = (int)Math.Round(layout.Height * scale);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Skia could not allocate a {width}×{height} raster surface.");
        surface.Canvas.Clear(SKColors.White);
        using (var text = new TextEngine())
            SkiaFigureRenderer.Render(surface.Canvas, layout, scale, RenderTarget.PixelGraphic, text);
        surface.Canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return PngChunks.WithDpi(data.ToArray(), dpi);
    }

    private static void WriteBytes(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, bytes);
    }

    private static void WriteText(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, text);
    }
}

using NoetherTheory.Reporting.Text;
using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>Draws a <see cref="FigureLayout"/> onto any Skia canvas: a bitmap (PNG) or a PDF page (vectors).</summary>
internal static class SkiaFigureRenderer
{
    /// <summary>Renders <paramref name="layout"/> with its top-left corner at the canvas origin.</summary>
    /// <param name="canvas">Target canvas in its own units (pixels for bitmaps, points for PDF).</param>
    /// <param name="layout">What to draw, in device-independent units (1/96 inch).</param>
    /// <param name="scale">Canvas units per device-independent unit (dpi/96 for bitmaps, 72/96 for PDF points).</param>
    /// <param name="target">Pixel output snaps lines to pixels; vector output does not.</param>
    /// <param name="text">Shaping text engine for the grid title.</param>
    public static void Render(SKCanvas canvas, FigureLayout layout, float scale, RenderTarget target, TextEngine text)
    {
        foreach (var (model, bounds) in layout.Panels)
        {
            int saved = canvas.Save();
            canvas.Translate((float)(bounds.Left * scale), (float)(bounds.Top * scale));
            canvas.ClipRect(new SKRect(0, 0, (float)(bounds.Width * scale), (float)(bounds.Height * scale)));
            using (var context = new SkiaRenderContext { SkCanvas = canvas, RenderTarget = target, DpiScale = scale, UseTextShaping = true })
            {
                IPlotModel plot = model;
                plot.Update(true);
                plot.Render(context, new OxyRect(0, 0, bounds.Width, bounds.Height));
            }

            canvas.RestoreToCount(saved);
        }

        if (layout.Title.Length > 0)
        {
            var style = GridTitleStyle(layout, scale);
            float width = text.Measure(layout.Title, style);
            float baseline = (float)(layout.TitleHeight * scale * 0.5) + (style.Size * 0.35f);
            text.Draw(canvas, layout.Title, ((float)(layout.Width * scale) - width) / 2, baseline, style);
        }
    }

    /// <summary>The grid title's style at <paramref name="scale"/> canvas units per device-independent unit.</summary>
    internal static TextStyle GridTitleStyle(FigureLayout layout, float scale) =>
        new(FontSet.Default.SansBold, (float)(layout.Theme.TitleFontSize * 1.15 * scale), layout.Theme.TextColor.ToSKColor());
}

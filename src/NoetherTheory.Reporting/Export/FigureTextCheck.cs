using System.Globalization;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Text;
using OxyPlot;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>
/// Lays a figure out as it will be exported and measures every piece of text it draws (titles, axis titles, tick labels,
/// legend entries, annotations) with the renderer's own text measurement; reports text that leaves its panel, leaves
/// the clip it is drawn in, sticks out of the legend box, or overlaps other text.
/// </summary>
/// <remarks>The same layout (<see cref="FigureExport"/>'s sizes, the layout's own title wrapping and legend placement)
/// is used for PNG, SVG and the PDF, so a figure that passes here has nothing clipped in any of them.</remarks>
public static class FigureTextCheck
{
    /// <summary>Slack for comparisons of measured extents: a quarter of a pixel at 96 DPI, far below a visible cut or
    /// overlap (a glyph is ~8 units wide) but above float rounding of the layout arithmetic.</summary>
    internal const double Slack = 0.25;

    /// <summary>The problems of <paramref name="spec"/> laid out at <paramref name="size"/> (default: <see cref="FigureSize.Default"/>).</summary>
    /// <exception cref="ArgumentException">The figure cannot be drawn.</exception>
    public static IReadOnlyList<FigureTextProblem> Check(FigureSpec spec, FigureSize? size = null, FigureTheme? theme = null) =>
        Check(FigureLayout.Single(spec, size ?? FigureSize.Default, theme ?? FigureTheme.Default));

    /// <summary>The problems of <paramref name="grid"/> laid out at <paramref name="size"/> (default: <see cref="FigureExport.DefaultGridSize"/>).</summary>
    /// <exception cref="ArgumentException">The grid cannot be drawn.</exception>
    public static IReadOnlyList<FigureTextProblem> Check(FigureGrid grid, FigureSize? size = null, FigureTheme? theme = null) =>
        Check(FigureLayout.Grid(grid, size ?? FigureExport.DefaultGridSize(grid), theme ?? FigureTheme.Default));

    /// <summary>The problems of a ready OxyPlot model drawn at <paramref name="size"/> as it is: no title wrapping or
    /// legend placement is applied to it (that happens only for figures built from a <see cref="FigureSpec"/>).</summary>
    public static IReadOnlyList<FigureTextProblem> Check(PlotModel model, FigureSize size)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Check(FigureLayout.Single(model, size, FigureTheme.Default));
    }

    internal static List<FigureTextProblem> Check(FigureLayout layout)
    {
        var problems = new List<FigureTextProblem>();
        for (int i = 0; i < layout.Panels.Count; i++)
        {
            var (model, bounds) = layout.Panels[i];
            string name = string.IsNullOrEmpty(model.Title) ? string.Create(CultureInfo.InvariantCulture, $"panel {i + 1}") : model.Title.Replace('\n', ' ');
            problems.AddRange(Check(model, bounds.Width, bounds.Height).Select(p => p with { Panel = name }));
        }

        if (layout.Title.Length > 0)
        {
            using var text = new TextEngine();
            var style = SkiaFigureRenderer.GridTitleStyle(layout, 1);
            double width = text.Measure(layout.Title, style);
            if (width > layout.Width + Slack)
                problems.Add(new FigureTextProblem("figure", layout.Title, Extent($"is {width:0.#} wide; the figure is {layout.Width:0.#}")));
        }

        return problems;
    }

    /// <summary>Renders <paramref name="model"/> into a <paramref name="width"/> × <paramref name="height"/> panel (nothing
    /// is kept) and returns the text it drew.</summary>
    internal static List<DrawnText> Trace(PlotModel model, double width, double height)
    {
        using var recorder = new SKPictureRecorder();
        var canvas = recorder.BeginRecording(new SKRect(0, 0, (float)width, (float)height));
        using var skia = new SkiaRenderContext { SkCanvas = canvas, RenderTarget = RenderTarget.VectorGraphic, DpiScale = 1, UseTextShaping = true };
        var recording = new TextRecordingContext(skia);
        IPlotModel plot = model;
        plot.Update(true);
        plot.Render(recording, new OxyRect(0, 0, width, height));
        using var picture = recorder.EndRecording();
        return recording.Texts;
    }

    /// <summary>The problems of one panel (the model is updated and rendered; nothing is kept).</summary>
    internal static List<FigureTextProblem> Check(PlotModel model, double width, double height)
    {
        var texts = Trace(model, width, height);
        var problems = new List<FigureTextProblem>();
        void Add(DrawnText t, string problem) => problems.Add(new FigureTextProblem(string.Empty, t.Text, problem));

        var panel = new OxyRect(0, 0, width, height);
        var legendTitles = model.Series.Where(s => s.RenderInLegend && !string.IsNullOrEmpty(s.Title)).Select(s => s.Title).ToHashSet(StringComparer.Ordinal);
        var legendAreas = model.Legends.OfType<Legend>().Where(l => l.IsLegendVisible && legendTitles.Count > 0).Select(l => l.LegendArea).ToList();
        foreach (var t in texts)
        {
            if (!Inside(t.Box, panel))
                Add(t, Extent($"spans {Describe(t.Box)}, outside the panel {Describe(panel)}: cut at its edge"));
            else if (t.Clip is { } clip && !Inside(t.Box, clip))
                Add(t, Extent($"spans {Describe(t.Box)}, outside its clip {Describe(clip)}: cut"));
            bool isLegendEntry = legendTitles.Contains(t.Text) && legendAreas.Any(a => Overlap(a, t.Box));
            if (isLegendEntry && !legendAreas.Any(a => Inside(t.Box, a)))
                Add(t, Extent($"spans {Describe(t.Box)}, outside the legend box {Describe(legendAreas.First(a => Overlap(a, t.Box)))}"));
            if (!isLegendEntry && legendAreas.FirstOrDefault(a => Overlap(a, t.Box)) is { Width: > 0 } covering)
                Add(t, Extent($"spans {Describe(t.Box)}, under the legend box {Describe(covering)}"));
        }

        for (int i = 0; i < texts.Count; i++)
            for (int j = i + 1; j < texts.Count; j++)
                if (Overlap(texts[i].Box, texts[j].Box))
                    Add(texts[i], Extent($"spans {Describe(texts[i].Box)} and overlaps '{texts[j].Text}' at {Describe(texts[j].Box)}"));
        return problems;
    }

    private static bool Inside(OxyRect inner, OxyRect outer) =>
        inner.Left >= outer.Left - Slack && inner.Right <= outer.Right + Slack && inner.Top >= outer.Top - Slack && inner.Bottom <= outer.Bottom + Slack;

    private static bool Overlap(OxyRect a, OxyRect b) =>
        Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left) > Slack && Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top) > Slack;

    private static string Describe(OxyRect r) => string.Create(CultureInfo.InvariantCulture, $"x {r.Left:0.#}–{r.Right:0.#}, y {r.Top:0.#}–{r.Bottom:0.#}");

    private static string Extent(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

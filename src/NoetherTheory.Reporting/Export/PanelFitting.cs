using NoetherTheory.Reporting.Figures;
using OxyPlot;
using OxyPlot.SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>
/// Builds a figure's plot model for the size it will be drawn at, so that no text is clipped or overlaps: the layout is
/// measured (<see cref="FigureTextCheck"/>, with the renderer's own text measurement) and, only where it finds a problem,
/// changed step by step: a title too wide for the plot area is centred on the whole panel, then wrapped at spaces; a
/// legend that is cut or covers other text moves to the first place where it fits (the other inside corners, below the
/// plot, right of it), and long legend entries wrap. A figure without problems is drawn exactly as built.
/// </summary>
internal static class PanelFitting
{
    private static readonly LegendLocation[] LegendPlaces =
        [LegendLocation.TopRight, LegendLocation.TopLeft, LegendLocation.BottomRight, LegendLocation.BottomLeft, LegendLocation.Below, LegendLocation.OutsideRight];

    public static PlotModel Build(FigureSpec spec, FigureTheme theme, double width, double height)
    {
        var model = FigureBuilder.Build(spec, theme);
        var problems = FigureTextCheck.Check(model, width, height);
        if (problems.Count == 0)
            return model;

        // 1. The title: centred on the panel rather than the plot area, then wrapped to the panel's width.
        string title = spec.Title;
        bool titleCut = problems.Any(p => p.Text == title);
        var titleOptions = new List<Action<PlotModel>> { _ => { } };
        if (titleCut)
        {
            titleOptions.Add(m => m.TitleHorizontalAlignment = TitleHorizontalAlignment.CenteredWithinView);
            titleOptions.Add(m =>
            {
                m.TitleHorizontalAlignment = TitleHorizontalAlignment.CenteredWithinView;
                m.Title = WrapText(title, m.TitleFont ?? theme.FontFamily, m.TitleFontSize, m.TitleFontWeight, width - m.Padding.Left - m.Padding.Right);
            });
        }

        // 2. The legend: its place, then its entries wrapped to what the panel allows.
        var places = spec.Legend == LegendLocation.None ? [LegendLocation.None] : LegendPlaces.Where(l => l != spec.Legend).Prepend(spec.Legend).ToArray();
        (PlotModel Model, int Problems)? best = null;
        foreach (bool wrapLegend in new[] { false, true })
            foreach (var place in places)
                foreach (var fixTitle in titleOptions)
                {
                    var candidate = FigureBuilder.Build(spec with { Legend = place }, theme);
                    fixTitle(candidate);
                    if (wrapLegend)
                        WrapLegendEntries(candidate, theme, width);
                    int count = FigureTextCheck.Check(candidate, width, height).Count;
                    if (count == 0)
                        return candidate;
                    if (best is null || count < best.Value.Problems)
                        best = (candidate, count);
                }

        return best?.Model ?? model;
    }

    /// <summary>Legend entries longer than half the panel wrap at spaces to that width.</summary>
    private static void WrapLegendEntries(PlotModel model, FigureTheme theme, double width)
    {
        double limit = width * 0.5;
        foreach (var series in model.Series.Where(s => s.RenderInLegend && !string.IsNullOrEmpty(s.Title)))
            series.Title = WrapText(series.Title, theme.FontFamily, theme.FontSize, FontWeights.Normal, limit);
    }

    /// <summary>Greedy wrap at spaces, measured by the renderer's text measurement; a word wider than the line stays whole.</summary>
    internal static string WrapText(string text, string font, double size, double weight, double maxWidth)
    {
        using var measurer = new SkiaRenderContext { RenderTarget = RenderTarget.VectorGraphic, UseTextShaping = true };
        var lines = new List<string>();
        string line = string.Empty;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && measurer.MeasureText(candidate, font, size, weight).Width > maxWidth)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        lines.Add(line);
        return string.Join('\n', lines);
    }
}

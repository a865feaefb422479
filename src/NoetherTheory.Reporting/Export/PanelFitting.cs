using NoetherTheory.Reporting.Figures;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>
/// Builds a figure's plot model for the size it will be drawn at, so that no text is clipped or overlaps: the layout is
/// measured (<see cref="FigureTextCheck"/>, with the renderer's own text measurement) and, only where it finds a problem,
/// changed step by step: category labels that collide turn; a title too wide for the plot area is centred on the whole
/// panel, then wrapped at spaces; a reference-line label cut at the plot's edge moves to the other side of its line; a
/// legend that is cut or covers other text moves to the first place where it fits (the other inside corners, below the
/// plot, right of it) and its long entries wrap; a slope label still colliding, which repeats its legend entry, is left
/// out. A figure without problems is drawn exactly as built.
/// </summary>
internal static class PanelFitting
{
    private static readonly LegendLocation[] LegendPlaces =
        [LegendLocation.TopRight, LegendLocation.TopLeft, LegendLocation.BottomRight, LegendLocation.BottomLeft, LegendLocation.Below, LegendLocation.OutsideRight];

    public static PlotModel Build(FigureSpec spec, FigureTheme theme, double width, double height)
    {
        var fixes = new List<Action<PlotModel>>();
        PlotModel Make(LegendLocation place, bool wrapLegend, params Action<PlotModel>[] extra)
        {
            var m = FigureBuilder.Build(spec with { Legend = place }, theme);
            foreach (var fix in fixes.Concat(extra))
                fix(m);
            if (wrapLegend)
                WrapLegendEntries(m, theme, width);
            return m;
        }

        List<FigureTextProblem> Problems(PlotModel m) => FigureTextCheck.Check(m, width, height);

        var model = Make(spec.Legend, false);
        var problems = Problems(model);
        if (problems.Count == 0)
            return model;

        // 1. Category labels that overlap each other turn, as little as needed.
        var categories = model.Axes.OfType<CategoryAxis>().SelectMany(a => a.Labels).ToHashSet(StringComparer.Ordinal);
        bool CategoriesCollide(List<FigureTextProblem> found) =>
            found.Any(p => categories.Contains(p.Text) && p.Problem.Contains("overlaps", StringComparison.Ordinal));
        if (CategoriesCollide(problems))
        {
            foreach (double angle in new[] { -30.0, -45.0, -90.0 })
            {
                Action<PlotModel> turn = m => { foreach (var axis in m.Axes.OfType<CategoryAxis>()) axis.Angle = angle; };
                if (!CategoriesCollide(Problems(Make(spec.Legend, false, turn))))
                {
                    fixes.Add(turn);
                    break;
                }
            }
        }

        // 2. The title: centred on the panel rather than the plot area, then also wrapped at spaces to the panel's width.
        string title = spec.Title;
        Action<PlotModel> inView = m => m.TitleHorizontalAlignment = TitleHorizontalAlignment.CenteredWithinView;
        Action<PlotModel> wrapTitle = m =>
        {
            m.TitleHorizontalAlignment = TitleHorizontalAlignment.CenteredWithinView;
            m.Title = WrapText(title, m.TitleFont ?? theme.FontFamily, m.TitleFontSize, m.TitleFontWeight, width - m.Padding.Left - m.Padding.Right);
        };
        if (title.Length > 0 && problems.Any(p => Involves(p, title)))
            fixes.Add(Problems(Make(spec.Legend, false, inView)).Any(p => Involves(p, title)) ? wrapTitle : inView);

        // Axis titles longer than their axis (a y title taller than a short plot) wrap onto two lines.
        Action<PlotModel> wrapAxisTitles = m =>
        {
            foreach (var axis in m.Axes.Where(a => !string.IsNullOrEmpty(a.Title)))
            {
                double limit = axis.IsVertical() ? height * 0.55 : width * 0.8;
                axis.Title = WrapText(axis.Title, axis.TitleFont ?? theme.FontFamily, axis.TitleFontSize, axis.TitleFontWeight, limit);
            }
        };

        // 3. Reference-line labels cut at the plot's edge go to the other side of their line.
        var cutReferences = model.Annotations.OfType<LineAnnotation>().Select(a => a.Text)
            .Where(t => !string.IsNullOrEmpty(t) && problems.Any(p => p.Text == t)).ToHashSet(StringComparer.Ordinal);
        if (cutReferences.Count > 0)
        {
            fixes.Add(m =>
            {
                foreach (var a in m.Annotations.OfType<LineAnnotation>().Where(a => cutReferences.Contains(a.Text)))
                    a.TextVerticalAlignment = a.TextVerticalAlignment == VerticalAlignment.Bottom ? VerticalAlignment.Top : VerticalAlignment.Bottom;
            });
        }

        // 4. The legend: its place, then its entries wrapped to what the panel allows.
        var places = spec.Legend == LegendLocation.None ? [LegendLocation.None] : LegendPlaces.Where(l => l != spec.Legend).Prepend(spec.Legend).ToArray();
        (PlotModel Model, List<FigureTextProblem> Problems)? best = null;
        Action<PlotModel>[][] extras = [[], [wrapTitle], [wrapTitle, wrapAxisTitles]];
        foreach (bool wrapLegend in new[] { false, true })
        {
            foreach (var place in places)
            {
                foreach (var extra in extras)
                {
                    if (extra.Length > 0 && title.Length == 0 && extra.Length == 1)
                        continue;
                    var candidate = Make(place, wrapLegend, extra);
                    var found = Problems(candidate);
                    if (found.Count == 0)
                        return candidate;
                    if (best is null || found.Count < best.Value.Problems.Count)
                        best = (candidate, found);
                }
            }
        }

        // 5. A slope label that still collides repeats what its legend entry says: leave it out.
        var (chosen, left) = best!.Value;
        var legendText = string.Join('\n', chosen.Series.Where(s => s.RenderInLegend).Select(s => s.Title));
        foreach (var label in chosen.Annotations.OfType<TextAnnotation>().Where(a => left.Any(p => p.Text == a.Text) && !string.IsNullOrEmpty(a.Text) && legendText.Contains(a.Text, StringComparison.Ordinal)).ToList())
            chosen.Annotations.Remove(label);
        return chosen;
    }

    /// <summary>Whether <paramref name="problem"/> is about <paramref name="text"/>: cut itself, or overlapped by other text.</summary>
    private static bool Involves(FigureTextProblem problem, string text) =>
        problem.Text == text || problem.Problem.Contains("'" + text + "'", StringComparison.Ordinal);

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

using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace NoetherTheory.Reporting.Figures;

/// <summary>Turns a <see cref="FigureSpec"/> into a fresh OxyPlot <see cref="PlotModel"/>: a pure function of the spec
/// and the theme (no shared state; each call returns a new model).</summary>
public static class FigureBuilder
{
    private const double BandEdgeThickness = 0;
    private const double FitLineThicknessFactor = 0.8;
    private const byte HistogramFillAlpha = 153;   // 60 %
    private const byte BoxFillAlpha = 77;          // 30 %
    private const int FitLineSamples = 100;

    /// <summary>Builds the plot model of <paramref name="spec"/>.</summary>
    /// <param name="spec">The figure.</param>
    /// <param name="theme">Fonts and palette; <see langword="null"/> for <see cref="FigureTheme.Default"/>.</param>
    /// <exception cref="ArgumentException">The spec cannot be drawn: mismatched lengths, infinite values, values ≤ 0 on a
    /// logarithmic axis, more than one <see cref="BoxPlot"/>, an empty box group, or an invalid function interval. The
    /// message names the figure, the item and the offending index.</exception>
    public static PlotModel Build(FigureSpec spec, FigureTheme? theme = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        theme ??= FigureTheme.Default;
        FigureValidation.Validate(spec);

        var model = new PlotModel
        {
            Title = spec.Title,
            Subtitle = spec.Subtitle,
            Culture = CultureInfo.InvariantCulture,
            DefaultFont = theme.FontFamily,
            DefaultFontSize = theme.FontSize,
            TitleFont = theme.FontFamily,
            TitleFontSize = theme.TitleFontSize,
            TitleFontWeight = FontWeights.Bold,
            SubtitleFont = theme.FontFamily,
            SubtitleFontSize = theme.FontSize,
            TextColor = theme.TextColor,
            TitleColor = theme.TextColor,
            SubtitleColor = theme.TextColor,
            PlotAreaBorderColor = theme.TextColor,
            PlotAreaBorderThickness = new OxyThickness(0.8),
            Background = OxyColors.White,
            DefaultColors = [.. theme.Palette],
            Padding = new OxyThickness(6, 6, 12, 6),
        };

        var box = spec.Items.OfType<BoxPlot>().SingleOrDefault();
        model.Axes.Add(box is null ? MakeAxis(spec.XAxis, AxisPosition.Bottom, spec.Grid, theme) : MakeCategoryAxis(spec.XAxis, box, theme));
        model.Axes.Add(MakeAxis(spec.YAxis, AxisPosition.Left, spec.Grid, theme));

        int paletteIndex = 0;
        foreach (var item in spec.Items)
        {
            OxyColor color = item.Style.Color ?? theme.Palette[paletteIndex++ % theme.Palette.Count];
            AddItem(model, spec, item, color, theme);
        }

        if (spec.Legend != LegendLocation.None && model.Series.Any(s => s.RenderInLegend))
            model.Legends.Add(MakeLegend(spec.Legend, theme));
        return model;
    }

    private static Axis MakeAxis(AxisSpec spec, AxisPosition position, bool grid, FigureTheme theme)
    {
        Axis axis;
        if (spec.Scale == AxisScale.Log)
        {
            var log = new LogarithmicAxis { Base = 10, UseSuperExponentialFormat = false, MinimumPadding = 0.03, MaximumPadding = 0.03 };
            // Decades read best as 10ⁿ only when the axis spans several of them; on a short axis (ticks 0.02, 0.05, 0.1)
            // mixing "10⁻¹" with "0.2" looks inconsistent, so plain numbers are used throughout.
            log.LabelFormatter = value => TickLabels.Log(value, log.ActualMinimum, log.ActualMaximum);
            axis = log;
        }
        else
        {
            axis = new LinearAxis { LabelFormatter = TickLabels.Linear, MinimumPadding = 0.02, MaximumPadding = 0.02 };
        }

        axis.Position = position;
        StyleAxis(axis, spec, grid, theme);
        if (spec.Minimum is { } min)
            axis.Minimum = min;
        if (spec.Maximum is { } max)
            axis.Maximum = max;
        return axis;
    }

    private static CategoryAxis MakeCategoryAxis(AxisSpec spec, BoxPlot box, FigureTheme theme)
    {
        var axis = new CategoryAxis { Position = AxisPosition.Bottom, GapWidth = 0.4 };
        axis.Labels.AddRange(box.Groups.Select(g => g.Name));
        StyleAxis(axis, spec, grid: false, theme);
        return axis;
    }

    private static void StyleAxis(Axis axis, AxisSpec spec, bool grid, FigureTheme theme)
    {
        axis.Title = spec.Title;
        axis.TitleFontSize = theme.AxisTitleFontSize;
        axis.AxisTitleDistance = theme.AxisTitleDistance;
        axis.Font = theme.FontFamily;
        axis.TitleFont = theme.FontFamily;
        axis.FontSize = theme.FontSize;
        axis.TickStyle = TickStyle.Outside;
        axis.AxislineColor = theme.TextColor;
        axis.TicklineColor = theme.TextColor;
        axis.MajorGridlineStyle = grid ? LineStyle.Solid : LineStyle.None;
        axis.MajorGridlineColor = theme.GridColor;
        axis.MinorGridlineStyle = LineStyle.None;
        axis.IsZoomEnabled = false;
        axis.IsPanEnabled = false;
    }

    private static Legend MakeLegend(LegendLocation location, FigureTheme theme)
    {
        var legend = new Legend
        {
            LegendFont = theme.FontFamily,
            LegendFontSize = theme.FontSize,
            LegendTextColor = theme.TextColor,
            LegendBackground = OxyColor.FromAColor(220, OxyColors.White),
            LegendBorder = OxyColor.FromRgb(0xBB, 0xBB, 0xBB),
            LegendBorderThickness = 0.6,
            LegendPadding = 6,
            LegendSymbolLength = 22,
            LegendItemSpacing = 12,
        };
        (legend.LegendPlacement, legend.LegendPosition, legend.LegendOrientation) = location switch
        {
            LegendLocation.TopRight => (LegendPlacement.Inside, LegendPosition.TopRight, LegendOrientation.Vertical),
            LegendLocation.TopLeft => (LegendPlacement.Inside, LegendPosition.TopLeft, LegendOrientation.Vertical),
            LegendLocation.BottomRight => (LegendPlacement.Inside, LegendPosition.BottomRight, LegendOrientation.Vertical),
            LegendLocation.BottomLeft => (LegendPlacement.Inside, LegendPosition.BottomLeft, LegendOrientation.Vertical),
            LegendLocation.OutsideRight => (LegendPlacement.Outside, LegendPosition.RightTop, LegendOrientation.Vertical),
            LegendLocation.Below => (LegendPlacement.Outside, LegendPosition.BottomCenter, LegendOrientation.Horizontal),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown legend location."),
        };
        return legend;
    }

    private static void AddItem(PlotModel model, FigureSpec spec, PlotItem item, OxyColor color, FigureTheme theme)
    {
        switch (item)
        {
            case LinePlot line:
                model.Series.Add(MakeLine(line.Label, line.X, line.Y, line.Style, color));
                break;
            case ScatterPlot scatter:
                model.Series.Add(MakeScatter(scatter, color));
                break;
            case BandPlot band:
                AddBand(model, band, color);
                break;
            case ReferenceLine reference:
                model.Annotations.Add(MakeReference(reference, color, theme));
                model.Series.Add(RangeAnchor(spec, reference));
                break;
            case FunctionPlot function:
            {
                var (x, y) = SampleFunction(function.Function, function.XMin, function.XMax, function.Samples, spec.XAxis.Scale);
                model.Series.Add(MakeLine(function.Label, x, y, function.Style, color));
                break;
            }
            case SlopeFitPlot slope:
                AddSlopeFit(model, spec, slope, color, theme);
                break;
            case HistogramPlot histogram:
                model.Series.Add(MakeHistogram(histogram, color));
                break;
            case BoxPlot box:
                model.Series.Add(MakeBox(box, color));
                break;
            default:
                throw new InvalidOperationException($"{nameof(FigureBuilder)}: unhandled plot item {item.GetType().Name}.");
        }
    }

    private static LineSeries MakeLine(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, SeriesStyle style, OxyColor color)
    {
        var series = new LineSeries
        {
            Title = label,
            RenderInLegend = label.Length > 0,
            Color = color,
            StrokeThickness = style.Thickness,
            LineStyle = style.Thickness > 0 ? style.Dash : LineStyle.None,
            MarkerType = style.Marker,
            MarkerSize = style.MarkerSize,
            MarkerFill = color,
            MarkerStroke = color,
            CanTrackerInterpolatePoints = false,
        };
        for (int i = 0; i < x.Count; i++)
            series.Points.Add(new DataPoint(x[i], y[i]));
        return series;
    }

    private static ScatterSeries MakeScatter(ScatterPlot scatter, OxyColor color)
    {
        var series = new ScatterSeries
        {
            Title = scatter.Label,
            RenderInLegend = scatter.Label.Length > 0,
            MarkerType = scatter.EffectiveMarker,
            MarkerSize = scatter.Style.MarkerSize,
            MarkerFill = color,
            MarkerStroke = color,
        };
        for (int i = 0; i < scatter.X.Count; i++)
            if (!double.IsNaN(scatter.X[i]) && !double.IsNaN(scatter.Y[i]))
                series.Points.Add(new ScatterPoint(scatter.X[i], scatter.Y[i]));
        return series;
    }

    private static void AddBand(PlotModel model, BandPlot band, OxyColor color)
    {
        var area = new AreaSeries
        {
            RenderInLegend = false,
            Color = OxyColors.Transparent,
            Color2 = OxyColors.Transparent,
            StrokeThickness = BandEdgeThickness,
            Fill = OxyColor.FromAColor((byte)Math.Round(255 * band.FillOpacity), color),
        };
        for (int i = 0; i < band.X.Count; i++)
        {
            area.Points.Add(new DataPoint(band.X[i], band.Upper[i]));
            area.Points2.Add(new DataPoint(band.X[i], band.Lower[i]));
        }

        model.Series.Add(area);
        model.Series.Add(MakeLine(band.Label, band.X, band.Center, band.Style, color));
    }

    private static LineAnnotation MakeReference(ReferenceLine reference, OxyColor color, FigureTheme theme)
    {
        var annotation = new LineAnnotation
        {
            Type = reference.Axis == ReferenceAxis.Horizontal ? LineAnnotationType.Horizontal : LineAnnotationType.Vertical,
            Color = color,
            StrokeThickness = reference.Style.Thickness,
            LineStyle = reference.Style.Dash,
            Text = reference.Label,
            TextColor = color,
            Font = theme.FontFamily,
            FontSize = theme.FontSize * 0.9,
            TextHorizontalAlignment = HorizontalAlignment.Right,
            TextVerticalAlignment = VerticalAlignment.Bottom,
        };
        if (reference.Axis == ReferenceAxis.Horizontal)
            annotation.Y = reference.Value;
        else
            annotation.X = reference.Value;
        return annotation;
    }

    /// <summary>An invisible one-point series at the reference value, so the axis range includes the line
    /// (OxyPlot sizes axes from series only; an annotation outside the data would be drawn off the plot).</summary>
    private static LineSeries RangeAnchor(FigureSpec spec, ReferenceLine reference)
    {
        var anchor = new LineSeries { RenderInLegend = false, Color = OxyColors.Transparent, StrokeThickness = 0, LineStyle = LineStyle.None };
        bool horizontal = reference.Axis == ReferenceAxis.Horizontal;
        double other = FirstCoordinate(spec, horizontal) ?? (horizontal ? (spec.XAxis.Scale == AxisScale.Log ? 1 : 0) : (spec.YAxis.Scale == AxisScale.Log ? 1 : 0));
        anchor.Points.Add(horizontal ? new DataPoint(other, reference.Value) : new DataPoint(reference.Value, other));
        return anchor;
    }

    /// <summary>A finite data coordinate (x if <paramref name="wantX"/>, else y) of the figure, or null if none.</summary>
    private static double? FirstCoordinate(FigureSpec spec, bool wantX)
    {
        foreach (var item in spec.Items)
        {
            IReadOnlyList<double>? values = item switch
            {
                LinePlot l => wantX ? l.X : l.Y,
                ScatterPlot s => wantX ? s.X : s.Y,
                SlopeFitPlot f => wantX ? f.X : f.Y,
                BandPlot b => wantX ? b.X : b.Center,
                _ => null,
            };
            if (values is not null && values.Any(double.IsFinite))
                return values.First(double.IsFinite);
            if (item is FunctionPlot fn && wantX)
                return fn.XMin;
            if (item is BoxPlot && wantX)
                return 0;
        }

        return null;
    }

    private static (double[] X, double[] Y) SampleFunction(Func<double, double> f, double xMin, double xMax, int samples, AxisScale scale)
    {
        var x = new double[samples];
        var y = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double s = (double)i / (samples - 1);
            x[i] = scale == AxisScale.Log
                ? Math.Pow(10, Math.Log10(xMin) + (s * (Math.Log10(xMax) - Math.Log10(xMin))))
                : xMin + (s * (xMax - xMin));
            double value = f(x[i]);
            y[i] = double.IsFinite(value) ? value : double.NaN;
        }

        return (x, y);
    }

    private static void AddSlopeFit(PlotModel model, FigureSpec spec, SlopeFitPlot slope, OxyColor color, FigureTheme theme)
    {
        var fit = PowerLawFit.Fit(slope.X, slope.Y);
        string slopeText = "slope " + FormatSlope(fit.Exponent, slope.SlopeDecimals);
        string label = slope.Label.Length == 0 ? string.Empty : slope.Label + ", " + slopeText;
        model.Series.Add(MakeLine(label, slope.X, slope.Y, slope.Style, color));

        double xMin = slope.X.Min(), xMax = slope.X.Max();
        var (fx, fy) = SampleFunction(fit.Evaluate, xMin, xMax, FitLineSamples, spec.XAxis.Scale);
        var fitStyle = new SeriesStyle(color, LineStyle.Dash, Math.Max(0.8, slope.Style.Thickness * FitLineThicknessFactor));
        model.Series.Add(MakeLine(string.Empty, fx, fy, fitStyle, color));

        if (slope.AnnotateSlope)
        {
            // Geometric middle of the fitted segment: the visual middle on a log x axis, close to it on a linear one.
            double xMid = spec.XAxis.Scale == AxisScale.Log ? Math.Sqrt(xMin * xMax) : 0.5 * (xMin + xMax);
            model.Annotations.Add(new TextAnnotation
            {
                Text = slopeText,
                TextPosition = new DataPoint(xMid, fit.Evaluate(xMid)),
                TextColor = color,
                Font = theme.FontFamily,
                FontSize = theme.FontSize * 0.9,
                Stroke = OxyColors.Transparent,
                Background = OxyColor.FromAColor(200, OxyColors.White),
                TextHorizontalAlignment = HorizontalAlignment.Left,
                TextVerticalAlignment = VerticalAlignment.Top,
                Offset = new ScreenVector(6, 4),
                Padding = new OxyThickness(2, 1, 2, 1),
            });
        }
    }

    private static string FormatSlope(double exponent, int decimals)
    {
        string text = exponent.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.StartsWith('-') ? "−" + text[1..] : text;
    }

    private static HistogramSeries MakeHistogram(HistogramPlot histogram, OxyColor color)
    {
        double[] values = [.. histogram.Values.Where(v => !double.IsNaN(v))];
        int dropped = histogram.Values.Count - values.Length;
        var (edges, counts) = Histogramming.Bin(values, histogram.Bins);
        string label = histogram.Label.Length == 0 ? string.Empty
            : dropped == 0 ? string.Create(CultureInfo.InvariantCulture, $"{histogram.Label} (n = {values.Length})")
            : string.Create(CultureInfo.InvariantCulture, $"{histogram.Label} (n = {values.Length}; {dropped} NaN left out)");
        var series = new HistogramSeries
        {
            Title = label,
            RenderInLegend = label.Length > 0,
            FillColor = OxyColor.FromAColor(HistogramFillAlpha, color),
            StrokeColor = color,
            StrokeThickness = 0.8,
        };
        for (int b = 0; b < counts.Length; b++)
        {
            double width = edges[b + 1] - edges[b];
            // HistogramItem takes the bar *area*; height = area / width.
            double area = histogram.Normalization == HistogramNormalization.Density
                ? (double)counts[b] / values.Length
                : counts[b] * width;
            series.Items.Add(new HistogramItem(edges[b], edges[b + 1], area, counts[b]));
        }

        return series;
    }

    private static BoxPlotSeries MakeBox(BoxPlot box, OxyColor color)
    {
        var series = new BoxPlotSeries
        {
            Title = box.Label,
            RenderInLegend = box.Label.Length > 0,
            Fill = OxyColor.FromAColor(BoxFillAlpha, color),
            Stroke = color,
            StrokeThickness = box.Style.Thickness,
            BoxWidth = 0.5,
            WhiskerWidth = 0.5,
            OutlierType = MarkerType.Circle,
            OutlierSize = 2.5,
            MedianThickness = 2,
        };
        for (int g = 0; g < box.Groups.Count; g++)
        {
            var s = SampleStatistics.Box(box.Groups[g].Values);
            var item = new BoxPlotItem(g, s.LowerWhisker, s.Q1, s.Median, s.Q3, s.UpperWhisker);
            foreach (double outlier in s.Outliers)
                item.Outliers.Add(outlier);
            series.Items.Add(item);
        }

        return series;
    }
}

using System.Globalization;

namespace NoetherTheory.Reporting.Figures;

/// <summary>Checks a <see cref="FigureSpec"/> before drawing, with messages that name the figure, item and index.</summary>
internal static class FigureValidation
{
    public static void Validate(FigureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec.Title);
        ArgumentNullException.ThrowIfNull(spec.XAxis);
        ArgumentNullException.ThrowIfNull(spec.YAxis);
        ArgumentNullException.ThrowIfNull(spec.Items);
        string figure = spec.Title.Length > 0 ? $"Figure '{spec.Title}'" : "Untitled figure";
        CheckAxis(figure, "x", spec.XAxis);
        CheckAxis(figure, "y", spec.YAxis);

        int boxes = spec.Items.Count(i => i is BoxPlot);
        if (boxes > 1)
            throw new ArgumentException($"{figure}: has {boxes} box plots; put all groups into one BoxPlot (it owns the categorical x axis).");
        if (boxes == 1 && spec.XAxis.Scale == AxisScale.Log)
            throw new ArgumentException($"{figure}: a box plot needs a categorical x axis, but the x axis is logarithmic; use AxisScale.Linear.");

        bool logX = spec.XAxis.Scale == AxisScale.Log, logY = spec.YAxis.Scale == AxisScale.Log;
        for (int k = 0; k < spec.Items.Count; k++)
        {
            var item = spec.Items[k] ?? throw new ArgumentException($"{figure}: item {k} is null.");
            string where = $"{figure}, item {k} ({item.GetType().Name} '{item.Label}')";
            switch (item)
            {
                case LinePlot line:
                    CheckPairs(where, line.X, line.Y, logX, logY, minimum: 1);
                    break;
                case ScatterPlot scatter:
                    CheckPairs(where, scatter.X, scatter.Y, logX, logY, minimum: 1);
                    break;
                case SlopeFitPlot slope:
                    CheckPairs(where, slope.X, slope.Y, logX: true, logY: true, minimum: 2);
                    if (slope.SlopeDecimals is < 0 or > 10)
                        throw new ArgumentException($"{where}: SlopeDecimals = {slope.SlopeDecimals} is outside 0…10.");
                    break;
                case BandPlot band:
                    CheckPairs(where, band.X, band.Center, logX, logY, minimum: 1);
                    CheckValues(where, "lower", band.Lower, band.X.Count, logY);
                    CheckValues(where, "upper", band.Upper, band.X.Count, logY);
                    if (!(band.FillOpacity is > 0 and <= 1))
                        throw new ArgumentException(Invariant($"{where}: FillOpacity = {band.FillOpacity} is outside (0, 1]."));
                    break;
                case ReferenceLine reference:
                {
                    bool log = reference.Axis == ReferenceAxis.Horizontal ? logY : logX;
                    if (!double.IsFinite(reference.Value) || (log && reference.Value <= 0))
                        throw new ArgumentException(Invariant(
                            $"{where}: value {reference.Value} cannot be drawn{(log ? " on a logarithmic axis (needs a positive finite value)" : " (not finite)")}."));
                    break;
                }
                case FunctionPlot function:
                    if (!(double.IsFinite(function.XMin) && double.IsFinite(function.XMax) && function.XMin < function.XMax))
                        throw new ArgumentException(Invariant($"{where}: interval [{function.XMin}, {function.XMax}] is not a finite interval with XMin < XMax."));
                    if (logX && function.XMin <= 0)
                        throw new ArgumentException(Invariant($"{where}: XMin = {function.XMin} on a logarithmic x axis; start the interval above 0."));
                    if (function.Samples < 2)
                        throw new ArgumentException($"{where}: Samples = {function.Samples}; use at least 2.");
                    break;
                case HistogramPlot histogram:
                    if (logX)
                        throw new ArgumentException($"{where}: histograms use equal-width bins on a linear x axis; histogram log₁₀ of the values instead.");
                    if (histogram.Bins < 0)
                        throw new ArgumentException($"{where}: Bins = {histogram.Bins}; use 0 (automatic) or a positive count.");
                    CheckSample(where, histogram.Values, log: false);
                    break;
                case BoxPlot box:
                    if (box.Groups.Count == 0)
                        throw new ArgumentException($"{where}: no groups.");
                    foreach (var group in box.Groups)
                        CheckSample($"{where}, group '{group.Name}'", group.Values, logY);
                    break;
                default:
                    throw new InvalidOperationException($"{nameof(FigureValidation)}: unhandled plot item {item.GetType().Name}.");
            }
        }
    }

    private static void CheckAxis(string figure, string name, AxisSpec axis)
    {
        ArgumentNullException.ThrowIfNull(axis.Title);
        if (axis.Minimum is { } min && axis.Maximum is { } max && !(min < max))
            throw new ArgumentException(Invariant($"{figure}: {name} axis range [{min}, {max}] is empty; Minimum must be below Maximum."));
        if (axis.Scale == AxisScale.Log && axis.Minimum is <= 0)
            throw new ArgumentException(Invariant($"{figure}: {name} axis is logarithmic but Minimum = {axis.Minimum}; use a positive minimum."));
    }

    private static void CheckPairs(string where, IReadOnlyList<double> x, IReadOnlyList<double> y, bool logX, bool logY, int minimum)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"{where}: x has {x.Count} values but y has {y.Count}; give one y per x.");
        if (x.Count < minimum)
            throw new ArgumentException($"{where}: has {x.Count} points; needs at least {minimum}.");
        CheckValues(where, "x", x, x.Count, logX);
        CheckValues(where, "y", y, x.Count, logY);
    }

    private static void CheckValues(string where, string name, IReadOnlyList<double> values, int expectedCount, bool log)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != expectedCount)
            throw new ArgumentException($"{where}: {name} has {values.Count} values but x has {expectedCount}.");
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (double.IsInfinity(v))
                throw new ArgumentException(Invariant($"{where}: {name}[{i}] = {v} is infinite; use NaN for a gap or drop the point."));
            if (log && v <= 0)
                throw new ArgumentException(Invariant(
                    $"{where}: {name}[{i}] = {v:R}, which a logarithmic axis cannot show; drop non-positive values (e.g. exact zeros) or use a linear axis."));
        }
    }

    private static void CheckSample(string where, IReadOnlyList<double> values, bool log)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.Any(v => !double.IsNaN(v)))
            throw new ArgumentException($"{where}: no values other than NaN; nothing to summarise.");
        CheckValues(where, "value", values, values.Count, log);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

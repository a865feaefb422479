using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The numeric-verification part of a report: every case with its error, bound and verdict.</summary>
internal static class VerificationSection
{
    public static void Write(ReportContext report, VerifyDocument results)
    {
        report.Heading("Numeric verification");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Each derived law was checked against the discrete optimizer it models (validation/cases). {results.Passed} of {results.Records.Count} cases passed; {results.Failed} failed. ")
            + "The bound is Abs + Rel·max(|measured|, |predicted|) with the case's tolerance, whose reason is in its 'why' field.");
        var rows = results.Records.Select(r => (IReadOnlyList<string>)
        [
            r.Case, r.Quantity, ReportFormat.Number(r.Measured, 6), ReportFormat.Number(r.Predicted, 6),
            ReportFormat.Number(r.Error, 3), ReportFormat.Number(r.Bound, 3), r.Passed ? "pass" : "FAIL",
        ]).ToList();
        report.Table(new ReportTable(
            [
                new TableColumn("case"), new TableColumn("quantity"), new TableColumn("measured", ColumnAlignment.Right),
                new TableColumn("predicted", ColumnAlignment.Right), new TableColumn("error", ColumnAlignment.Right),
                new TableColumn("bound", ColumnAlignment.Right), new TableColumn("verdict"),
            ], rows) { Caption = "Every verification case: measured value, prediction, error and its bound." });

        // Error relative to its bound, per suite: a value ≤ 1 passes. Drawn on a log axis.
        var bySuite = results.Records.Where(r => r.Bound > 0 && double.IsFinite(r.Error))
            .GroupBy(r => r.Suite).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (bySuite.Count > 0)
        {
            var items = new List<PlotItem>();
            int index = 0;
            foreach (var suite in bySuite)
            {
                var ratios = suite.Select(r => Math.Max(r.Error / r.Bound, 1e-18)).ToList();
                items.Add(new ScatterPlot(suite.Key, ratios.Select((_, i) => index + i + 1.0).ToList(), ratios));
                index += ratios.Count;
            }
            items.Add(new ReferenceLine("error = bound", ReferenceAxis.Horizontal, 1));
            report.Figure("verification-error-ratio",
                new FigureSpec("Verification: error / bound per case", new AxisSpec("case number"), new AxisSpec("error / bound", AxisScale.Log), items),
                "Error of each case divided by its tolerance bound (below 1 passes); machine-precision identities sit near 1e-4 or lower.");
        }
        WriteTraces(report, results);
    }

    /// <summary>Panels per figure: three rows of two keep the panels legible on an A4 page.</summary>
    private const int PanelsPerFigure = 6;

    private static void WriteTraces(ReportContext report, VerifyDocument results)
    {
        var traced = results.Records.Where(r => r.Trace is { Series.Count: > 0 }).ToList();
        if (traced.Count == 0)
            return;
        var orders = traced.Where(r => r.Trace!.LogX && r.Trace.LogY).ToList();
        var laws = traced.Except(orders).ToList();
        void Figures(string kind, List<VerificationEntry> entries, string caption)
        {
            for (int start = 0, part = 1; start < entries.Count; start += PanelsPerFigure, part++)
            {
                var panels = entries.Skip(start).Take(PanelsPerFigure).Select(Panel).ToList();
                string suffix = entries.Count > PanelsPerFigure ? string.Create(CultureInfo.InvariantCulture, $" (part {part})") : "";
                report.Figure(string.Create(CultureInfo.InvariantCulture, $"verification-{kind}-{part}"), new FigureGrid(panels, 2), caption + suffix);
            }
        }
        report.Heading("Convergence orders", 2);
        report.Paragraph("Error against step size on log–log axes; the fitted slope is the observed order (theory/04-numerical-integration.md#eq-4-1), judged against the expected order in the case's tolerance.");
        Figures("orders", orders, "Observed convergence orders: integrators on a non-autonomous problem, discrete optimizers against gradient flow and the modified flows.");
        report.Heading("Laws: theory against the discrete optimizer", 2);
        report.Paragraph("Each panel shows the measured trajectory of a charge or norm in the discrete optimizer next to the law's prediction, over the whole run.");
        Figures("laws", laws, "Charge and norm trajectories, discrete optimizer (measured) against the law (predicted).");
    }

    private static FigureSpec Panel(VerificationEntry entry)
    {
        var t = entry.Trace!;
        var items = new List<PlotItem>();
        foreach (var s in t.Series)
        {
            var (x, y) = t.LogY || t.LogX ? Positive(s, t) : (s.X, s.Y);
            if (x.Count == 0 || (s.Role == "guide" && t.LogX && t.LogY))
                continue; // a log–log panel's measured series draws its own fitted line
            items.Add(s.Role switch
            {
                "measured" when t.LogX && t.LogY => new SlopeFitPlot(s.Name, x, y),
                "measured" => new LinePlot(s.Name, x, y),
                "predicted" => new LinePlot(s.Name, x, y, SeriesStyle.Prediction),
                _ => new LinePlot(s.Name, x, y, new SeriesStyle(Dash: OxyPlot.LineStyle.Dot)),
            });
        }
        return new FigureSpec(entry.Case, new AxisSpec(t.XLabel, t.LogX ? AxisScale.Log : AxisScale.Linear),
            new AxisSpec(t.YLabel, t.LogY ? AxisScale.Log : AxisScale.Linear), items);
    }

    private static (IReadOnlyList<double> X, IReadOnlyList<double> Y) Positive(SeriesEntry s, TraceEntry t)
    {
        var keep = Enumerable.Range(0, s.X.Count)
            .Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!t.LogX || s.X[i] > 0) && (!t.LogY || s.Y[i] > 0)).ToList();
        return (keep.Select(i => s.X[i]).ToList(), keep.Select(i => s.Y[i]).ToList());
    }
}

using System.Globalization;
using NoetherTheory.Cli.Commands;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The numeric-verification part of a report: every case with its error, bound and verdict.</summary>
internal static class VerificationSection
{
    public static void Write(ReportContext report, ResultsFile.Document results)
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
    }
}

using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Validation;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Pdf;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Cli.Reports;

/// <summary>The deep-network part of a report, from a validate summary.json: filter checks and the Fig. 4 grid.</summary>
internal static class DeepNetSection
{
    private static readonly Dictionary<string, (string Variable, string Title, AxisScale Scale)> Panels = new(StringComparer.Ordinal)
    {
        ["A"] = ("η (constant)", "learning rate", AxisScale.Log),
        ["B"] = ("β", "momentum", AxisScale.Linear),
        ["C"] = ("k", "weight decay", AxisScale.Linear),
    };

    public static void Write(ReportContext report, ValidateDocument summary)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(summary);
        report.Heading("Deep-network validation");
        string models = summary.Models is { Count: > 0 } m ? string.Join("; ", m) : "VGG11-BN";
        report.Paragraph($"Protocol {summary.Protocol} ({report.DisplayPath(summary.Source)}), {models} on {summary.Dataset}, device {summary.Device}, {summary.Cells.Count} runs. "
            + "All numbers below are for this data set; they are not Tiny ImageNet results unless the data set says so.");
        double floor = RoundOffFloor(summary.Filters);
        var layerFloors = LayerFloors(summary.Filters);
        foreach (var run in summary.Filters) WriteFilters(report, run, floor, layerFloors);
        if (summary.Grid is { } grid) WriteGrid(report, summary.GridRuns, grid, summary.Dataset);
    }

    private static string N(double x, int digits = 3) => double.IsNaN(x) ? "–" : ReportFormat.Number(x, digits);

    // The largest |⟨w,g⟩|/(|w||g|) of the protocol's ε = 0 runs: float32 round-off of an exact symmetry (NaN without one).
    internal static double RoundOffFloor(IEnumerable<FilterRunEntry> runs)
    {
        var exact = runs.Select(f => f.Report).Where(r => r.Settings.BatchNormEpsilon == 0)
            .Select(r => r.EpsilonSamples > 0 ? r.EpsilonResidualMax : r.SymmetryCosineMax).Where(x => !double.IsNaN(x)).ToList();
        return exact.Count == 0 ? double.NaN : exact.Max();
    }

    // Per layer, the |⟨w,g⟩|/(|w||g|) distribution of the first ε = 0 run: the round-off floor that layer's ε > 0 residuals compare with.
    internal static IReadOnlyDictionary<string, ErrorStatisticsEntry> LayerFloors(IEnumerable<FilterRunEntry> runs)
    {
        var exact = runs.Select(f => f.Report).FirstOrDefault(r => r.Settings.BatchNormEpsilon == 0);
        return exact is null ? new Dictionary<string, ErrorStatisticsEntry>()
            : exact.Layers.ToDictionary(l => l.Layer, l => l.Epsilon.Samples > 0 ? l.Epsilon.Residual : l.SymmetryCosine, StringComparer.Ordinal);
    }

    private static void WriteFilters(ReportContext report, FilterRunEntry run, double floor, IReadOnlyDictionary<string, ErrorStatisticsEntry> layerFloors)
    {
        var r = run.Report;
        var s = r.Settings;
        report.Heading($"Filter checks: {run.Cell}", 2);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"η = {s.LearningRate}, β = {s.Momentum}, k = {s.WeightDecay}, BN ε = {s.BatchNormEpsilon}; ρ_eff = 1 − 4ηk/(1−β) = {r.EffectiveDiscount:0.######}. ")
            + (r.RecursionPairs > 0
                ? string.Create(CultureInfo.InvariantCulture, $"Exact heavy-ball recursion for (|w|², ⟨w,v⟩) (theory/04-numerical-integration.md#eq-4-5) over {r.RecursionPairs} filter step pairs: largest error {r.RecursionMaxError:E2} against the float32 bound {r.RecursionTolerance:E0}: {(r.RecursionHolds ? "holds" : "FAILS")}.")
                : $"Exact recursion not checked: {r.RecursionSkippedBecause ?? "no consecutive steps were measured (measure_window: 2)"}."));
        report.Table(new ReportTable(
            [
                new TableColumn("layer"), new TableColumn("filters", ColumnAlignment.Right), new TableColumn("recursion max", ColumnAlignment.Right),
                new TableColumn("NM Green median / p90", ColumnAlignment.Right), new TableColumn("Eq. 17 median / p90", ColumnAlignment.Right),
                new TableColumn("regime (index)"), new TableColumn("|cos(w,g)| median / max", ColumnAlignment.Right),
            ],
            r.Layers.Select(l => (IReadOnlyList<string>)
            [
                l.Layer, l.Filters.ToString(CultureInfo.InvariantCulture),
                l.RecursionPairs > 0 ? N(Math.Max(l.RecursionWeightNorm.Max, l.RecursionWeightDotVelocity.Max)) : "–",
                $"{N(l.GreenLaw.Median)} / {N(l.GreenLaw.P90)}", $"{N(l.Eq17.Median)} / {N(l.Eq17.P90)}",
                $"{FilterCheckValidation.EnumName(l.Regime)} ({N(l.PersistenceIndex, 2)})", $"{N(l.SymmetryCosine.Median)} / {N(l.SymmetryCosine.Max)}",
            ]).ToList()) { Caption = $"{run.Cell}: relative errors of |w|² at step {r.LastAnalysedStep} per filter; regime index 0 = white-noise gradients, 1 = persistent." });

        WriteEpsilon(report, run, floor, layerFloors);

        var shown = PickLayers(r.Layers);
        report.Figure($"filters-{run.Cell}-norms", new FigureGrid(shown.Select(l => new FigureSpec($"{l.Layer}: median r² = |w|²",
            new AxisSpec("step"), new AxisSpec("r²"),
            [
                new LinePlot("measured", X(l.Curves), l.Curves.Select(c => c.MeasuredR2).ToList(), SeriesStyle.Markers),
                new LinePlot("NM Green's law (measured |v|²)", X(l.Curves), l.Curves.Select(c => c.GreenR2).ToList(), SeriesStyle.Prediction),
                new LinePlot("NLD Eq. 17 (measured |ĝ|²)", X(l.Curves), l.Curves.Select(c => c.Eq17R2).ToList(), new SeriesStyle(Dash: OxyPlot.LineStyle.Dot)),
            ])).ToList(), 2),
            "Measured filter norms against the Neural Mechanics Green's-function law (theory/03-noether.md#eq-3-12) and NLD Eq. 17 (theory/05-learning-dynamics.md#eq-5-3), medians over each layer's filters.");

        FigureSpec Box(string law, Func<LayerFilterEntry, IReadOnlyList<double>> errors) => new(law, new AxisSpec("layer"),
            new AxisSpec("relative error of |w|²", AxisScale.Log),
            [new BoxPlot(law, r.Layers.Select(l => new BoxGroup(l.Layer, Positive(errors(l)))).ToList())]);
        report.Figure($"filters-{run.Cell}-errors", new FigureGrid(
            [Box("NM Green's law", l => l.GreenErrors), Box("NLD Eq. 17", l => l.Eq17Errors)], 2),
            "Distribution over filters of each layer of the relative error at the last analysed step.");

        report.Figure($"filters-{run.Cell}-effective-lr", new FigureGrid(shown.Select(l => new FigureSpec($"{l.Layer}: η/((1−β)r²)",
            new AxisSpec("step"), new AxisSpec("effective learning rate", AxisScale.Log),
            [
                new LinePlot("measured r²", X(l.Curves), l.Curves.Select(c => c.EffectiveLearningRate).ToList()),
                new LinePlot("RMSProp accumulator (ρ_eff)", X(l.Curves), l.Curves.Select(c => c.RmsPropEffectiveLearningRate).ToList(), SeriesStyle.Prediction),
            ])).ToList(), 2),
            "Effective angular learning rate of the filters (theory/05-learning-dynamics.md#eq-5-2) next to η/((1−β)√G) with the RMSProp accumulator G ← ρ_eff·G + gain·|ĝ|² it corresponds to (theory/05-learning-dynamics.md#eq-5-5).");
    }

    // BN's ε against its predicted size ε/(c+ε)·γ·∂f/∂γ (theory/05-learning-dynamics.md#eq-5-7), or the exact symmetry at ε = 0.
    private static void WriteEpsilon(ReportContext report, FilterRunEntry run, double floor, IReadOnlyDictionary<string, ErrorStatisticsEntry> layerFloors)
    {
        var r = run.Report;
        double eps = r.Settings.BatchNormEpsilon;
        string E(double x) => double.IsNaN(x) ? "–" : x.ToString("0.0E+0", CultureInfo.InvariantCulture);
        if (r.EpsilonSamples == 0)
        {
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"BN ε = {eps}: this run's filters.csv has no predicted ⟨g,w⟩ (written before the wg_pred column existed), so the symmetry breaking is shown only as |cos(w,g)| above")
                + (eps == 0 ? $"; with ε = 0 the symmetry is exact: |cos(w,g)| ≤ {E(r.SymmetryCosineMax)} (round-off)." : "."));
            return;
        }
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"residual |measured − predicted|/(|w||g|) with per-layer median ≤ {E(r.EpsilonResidualMedianMax)} against the float32 bound {E(r.EpsilonTolerance)}: {(r.EpsilonIdentityHolds ? "holds" : "FAILS")}; largest single value {E(r.EpsilonResidualMax)}");
        if (eps == 0)
        {
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"With ε = 0 the symmetry is exact (theory/05-learning-dynamics.md#eq-5-1): |cos(w,g)| ≤ {E(r.EpsilonResidualMax)} over {r.EpsilonSamples} filter-steps (float32 round-off; per-layer median ≤ {E(r.EpsilonResidualMedianMax)} against the bound {E(r.EpsilonTolerance)}: {(r.EpsilonIdentityHolds ? "holds" : "FAILS")}), and the predicted ⟨g,w⟩ is exactly 0. This is the round-off floor the ε > 0 runs are compared with."));
        }
        else
        {
            double resolved = r.Layers.Where(l => l.Epsilon.ResolvedSamples > 0).Select(l => l.Epsilon.RelativeError.Max).DefaultIfEmpty(double.NaN).Max();
            double resolvedMedian = r.Layers.Where(l => l.Epsilon.ResolvedSamples > 0).Select(l => l.Epsilon.RelativeError.Median).DefaultIfEmpty(double.NaN).Max();
            int resolvedCount = r.Layers.Sum(l => l.Epsilon.ResolvedSamples);
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"BN's ε = {eps} breaks the scale symmetry by the predicted ⟨g,w⟩ = ε/(c+ε)·γ·∂f/∂γ, c the biased batch variance BN normalised with (theory/05-learning-dynamics.md#eq-5-7). ")
                + string.Create(CultureInfo.InvariantCulture, $"Over {r.EpsilonSamples} filter-steps the violation |predicted|/(|w||g|) reaches {E(r.EpsilonViolationMax)}; measured against predicted: {verdict}")
                + (double.IsNaN(floor) ? " (the round-off tail). " : $" (the round-off tail; the ε = 0 run reaches |cos(w,g)| ≤ {E(floor)}). ")
                + (resolvedCount > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"Where the violation is resolved (≥ {E(FilterChecks.ResolvedViolation)}, {resolvedCount} filter-steps) the plain relative error |measured − predicted|/|predicted| has per-layer median ≤ {E(resolvedMedian)} and is at most {E(resolved)}.")
                    : string.Create(CultureInfo.InvariantCulture, $"No violation reaches {E(FilterChecks.ResolvedViolation)}: at this ε the breaking is within a factor 100 of round-off, so only the residual is meaningful.")));
        }
        report.Table(new ReportTable(
            [
                new TableColumn("layer"), new TableColumn("filter-steps", ColumnAlignment.Right),
                new TableColumn("violation |p|/(|w||g|) median / max", ColumnAlignment.Right),
                new TableColumn("residual |m−p|/(|w||g|) median / max", ColumnAlignment.Right),
                new TableColumn("resolved", ColumnAlignment.Right), new TableColumn("|m−p|/|p| median / max", ColumnAlignment.Right),
                new TableColumn("ε = 0 floor median / max", ColumnAlignment.Right),
            ],
            r.Layers.Select(l => (IReadOnlyList<string>)
            [
                l.Layer, l.Epsilon.Samples.ToString(CultureInfo.InvariantCulture),
                $"{E(l.Epsilon.Violation.Median)} / {E(l.Epsilon.Violation.Max)}", $"{E(l.Epsilon.Residual.Median)} / {E(l.Epsilon.Residual.Max)}",
                l.Epsilon.ResolvedSamples.ToString(CultureInfo.InvariantCulture),
                l.Epsilon.ResolvedSamples > 0 ? $"{E(l.Epsilon.RelativeError.Median)} / {E(l.Epsilon.RelativeError.Max)}" : "–",
                layerFloors.TryGetValue(l.Layer, out var f) ? $"{E(f.Median)} / {E(f.Max)}" : "–",
            ]).ToList())
        {
            Caption = string.Create(CultureInfo.InvariantCulture,
                $"{run.Cell} (ε = {eps}): measured ⟨g,w⟩ (m) against the prediction ε/(c+ε)·γ·∂f/∂γ (p) per layer, over every measured step and filter; relative errors only where the violation is ≥ {E(FilterChecks.ResolvedViolation)}; the last column is |cos(w,g)| of the protocol's ε = 0 run in the same layer (round-off)."),
        });
    }

    private static List<LayerFilterEntry> PickLayers(IReadOnlyList<LayerFilterEntry> layers)
    {
        if (layers.Count <= 4) return layers.ToList();
        return new[] { 0, layers.Count / 3, 2 * layers.Count / 3, layers.Count - 1 }.Distinct().Select(i => layers[i]).ToList();
    }

    private static List<double> X(IReadOnlyList<LayerCurvePointEntry> curve) => curve.Select(c => (double)c.Step).ToList();

    private static List<double> Positive(IReadOnlyList<double> values) => values.Where(v => v > 0 && double.IsFinite(v)).DefaultIfEmpty(1e-18).ToList();

    private static void WriteGrid(ReportContext report, IReadOnlyList<GridRunEntry> runs, Fig4Entry grid, string dataset)
    {
        report.Heading("NLD Fig. 4: constrained vs unconstrained filter norms", 2);
        report.Paragraph($"Constrained runs rescale every BN-preceded conv filter to its initial norm after each step (theory/05-learning-dynamics.md#eq-5-6). Data set: {dataset}. Bands show min–max over seeds.");
        var panels = new List<FigureSpec>();
        foreach (var (panel, info) in Panels)
        {
            var cells = grid.Cells.Where(c => c.Panel == panel).ToList();
            if (cells.Count == 0) continue;
            var items = new List<PlotItem>();
            foreach (bool constrained in new[] { false, true })
            {
                var line = cells.Where(c => c.Constrained == constrained).OrderBy(c => c.Value).ToList();
                if (line.Count == 0) continue;   // a grid of unconstrained runs only (e.g. a groups protocol on an MLP)
                items.Add(new BandPlot(constrained ? "constrained" : "unconstrained", line.Select(c => c.Value).ToList(),
                    line.Select(c => c.MeanAccuracy).ToList(), line.Select(c => c.MeanAccuracy - c.AccuracyHalfRange).ToList(),
                    line.Select(c => c.MeanAccuracy + c.AccuracyHalfRange).ToList(), constrained ? SeriesStyle.Prediction : null));
            }
            panels.Add(new FigureSpec($"{panel}-1: final test accuracy vs {info.Title}", new AxisSpec(info.Variable, info.Scale), new AxisSpec("test accuracy"), items)
            {
                Legend = LegendLocation.Below,
            });

            var values = cells.Select(c => c.Value).Distinct().Order().ToList();
            var curves = new List<PlotItem>();
            foreach (double v in new[] { values[0], values[^1] }.Distinct())
            foreach (bool constrained in new[] { false, true })
            {
                var group = runs.Where(r => r.Panel == panel && r.Value == v && r.Constrained == constrained).ToList();
                if (group.Count == 0) continue;
                var steps = Fig4GridValidation.MeanCurve(group).Select(p => p.Step).ToList();
                var series = group.Select(g => (IReadOnlyList<double>)steps.Select(s => g.LossCurve.First(p => p.Step == s).Value).ToList()).ToList();
                string label = string.Create(CultureInfo.InvariantCulture, $"{info.Variable.Split(' ')[0]} = {v}, {(constrained ? "constrained" : "free")}");
                // The statistic (min–max over seeds) is stated in the caption; the legend keeps only the setting.
                var band = BandPlot.FromRuns(label, steps.Select(s => (double)s).ToList(), series, BandSpread.MinMax);
                curves.Add(new BandPlot(label, band.X, band.Center, band.Lower, band.Upper, constrained ? SeriesStyle.Prediction : null));
            }
            panels.Add(new FigureSpec($"{panel}-2: training loss", new AxisSpec("step"), new AxisSpec("training loss", AxisScale.Log), curves)
            {
                Legend = LegendLocation.Below,
            });
        }
        // Column-major pairs (X-1 above X-2) in a 2 × 3 grid: reorder rows as [A-1, B-1, C-1, A-2, B-2, C-2].
        var ordered = panels.Where((_, i) => i % 2 == 0).Concat(panels.Where((_, i) => i % 2 == 1)).ToList();
        report.Figure("fig4-grid", new FigureGrid(ordered, Math.Max(1, ordered.Count / 2)),
            "Fig. 4 panels: final test accuracy against the varied hyper-parameter (top) and training loss at its smallest and largest value (bottom), unconstrained (solid) and constrained (dashed); bands span min–max over the seeds.");

        report.Table(new ReportTable(
            [new TableColumn("claim"), new TableColumn("effect", ColumnAlignment.Right), new TableColumn("seed spread", ColumnAlignment.Right), new TableColumn("verdict"), new TableColumn("numbers")],
            grid.Claims.Select(c => (IReadOnlyList<string>)[c.Statement, N(c.Measured), N(c.Spread), FilterCheckValidation.EnumName(c.Verdict), c.Evidence]).ToList())
        { Caption = "NLD's Fig. 4 claims tested on this grid (effects in accuracy units)." });
    }
}

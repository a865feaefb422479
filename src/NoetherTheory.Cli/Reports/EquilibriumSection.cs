using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The rotational-equilibrium part of a report: per-layer tables of <c>noether equilibrium --run --out</c>, and the
/// Fig. 4 forecast and its score (issue 16 parts 3 and 4).</summary>
internal static class EquilibriumSection
{
    private static string N(double x, int digits = 3) => double.IsNaN(x) ? "–" : ReportFormat.Number(x, digits);

    private static string P(double x) => double.IsNaN(x) ? "–" : x.ToString("P1", CultureInfo.InvariantCulture);

    private static string Step(long? step) => step is { } s ? s.ToString(CultureInfo.InvariantCulture) : "never";

    private static string MomentumNote(RunEquilibriumEntry run) =>
        run.WhiteMomentumRatio is { } white && run.PersistentMomentumRatio is { } persistent
            ? $" |v|²/|g|² would be {N(white)} for white gradients and {N(persistent)} for persistent ones."
            : "";

    public static void Write(ReportContext report, EquilibriumDocument document)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(document);
        report.Heading("Rotational equilibrium per layer");
        report.Paragraph("Each BN-preceded filter's angle per step, norm and effective learning rate against the equilibrium the engine derives from " +
            "the run's rule under white gradients (theory/05-learning-dynamics.md#eq-5-8): θ* = √(2ηk/(1+β)) for heavy ball, √(2ηk(1−β₁)/(1+β₁)) " +
            "for AdamW. A run counts as equilibrated from three relaxation times on; shorter runs are judged on their last quarter and say so. " +
            "The time to equilibrium uses the layer's RMS angle over its filters and its last eight measured steps: the first step at which it is " +
            "within 10% of θ*, and the step from which it stays within 10% to the end (never, when a late excursion leaves the band). " +
            "Errors are per-layer medians over filters of the relative error of the RMS angle (θ), of |r| against r* from the filter's own " +
            "measured |ĝ|² (SGD family) or fan-in (AdamW), and of η_eff. |v|²/|g|² (momentum buffer over gradient) tells white from persistent " +
            "gradients: for a buffer v' = a·v + c·g it is c²/(1−a²) for white and c²/(1−a)² for persistent ones (each run states both); below " +
            "the white value, successive gradients anticorrelate.");
        foreach (var run in document.Runs)
        {
            report.Heading($"Equilibrium: {run.Run}", 2);
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Rule {run.Rule}, η = {run.LearningRate}, k = {run.WeightDecay}: θ* = {N(run.PredictedAngle, 4)} rad per step, relaxation {N(run.RelaxationSteps, 4)} steps; " +
                $"window steps {run.WindowStart}–{run.LastStep} ({(run.Equilibrated ? "equilibrated" : "NOT equilibrated")}); median over layers of the per-layer " +
                $"median angle error {P(run.MedianAngleError)} (target ≤ 10%). {run.Note}.{MomentumNote(run)}"));
            report.Table(new ReportTable(
                [
                    new TableColumn("layer"), new TableColumn("filters", ColumnAlignment.Right), new TableColumn("θ rms (rad)", ColumnAlignment.Right),
                    new TableColumn("θ error", ColumnAlignment.Right), new TableColumn("|r| error", ColumnAlignment.Right),
                    new TableColumn("η_eff error", ColumnAlignment.Right), new TableColumn("first within 10%", ColumnAlignment.Right),
                    new TableColumn("stays within from", ColumnAlignment.Right),
                    new TableColumn("|v|²/|g|²", ColumnAlignment.Right),
                ],
                run.Layers.Select(l => (IReadOnlyList<string>)
                [
                    l.Layer, l.Filters.ToString(CultureInfo.InvariantCulture), N(l.MeasuredAngle, 4), P(l.AngleError), P(l.NormError),
                    P(l.EffectiveLearningRateError), Step(l.FirstWithinStep), Step(l.ReachedAtStep), N(l.MomentumRatio),
                ]).ToList()) { Caption = $"{run.Run}: measured against predicted equilibrium per layer (medians over filters)." });
        }
    }

    public static void Write(ReportContext report, ForecastDocument? forecast, ForecastScoreDocument? score)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (forecast is null && score is null) return;
        report.Heading("Fig. 4 panel A predicted from the measured equilibrium");
        if (forecast is not null)
        {
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Forecast written {forecast.CreatedUtc} on commit {forecast.Commit} from {forecast.Inputs.Count} unconstrained run(s) of {forecast.Protocol}" +
                $"{(forecast.UntilStep is { } u ? $", steps up to {u} only (an early window)" : ", all measured steps")}. Method: {forecast.Method}"));
            report.Table(new ReportTable(
                [
                    new TableColumn("run"), new TableColumn("η", ColumnAlignment.Right), new TableColumn("window", ColumnAlignment.Right),
                    new TableColumn("ρ", ColumnAlignment.Right), new TableColumn("ρ at start / end", ColumnAlignment.Right), new TableColumn("ρ per layer"),
                ],
                forecast.Inputs.Select(i => (IReadOnlyList<string>)
                [
                    i.Cell, N(i.LearningRate), string.Create(CultureInfo.InvariantCulture, $"{i.WindowStart}–{i.LastStep}"), N(i.Ratio),
                    $"{N(i.RatioAtWindowStart)} / {N(i.RatioAtLastStep)}", string.Join(" ", i.Layers.Select(l => N(l.Ratio, 2))),
                ]).ToList()) { Caption = "ρ = r₀²/r²: the unconstrained effective learning rate η/r² over the constrained one's η/r₀², per run (layers input to output)." });
            foreach (var cell in forecast.Cells) report.Paragraph(cell.Statement);
        }
        if (score is null)
        {
            report.Paragraph("Not scored yet.");
            return;
        }
        report.Paragraph($"Scored {score.ScoredUtc} against {report.DisplayPath(score.Results)}: **{score.Verdict}**. {score.Summary}");
        report.Table(new ReportTable(
            [
                new TableColumn("η", ColumnAlignment.Right), new TableColumn("ρ", ColumnAlignment.Right), new TableColumn("η' = ρη", ColumnAlignment.Right),
                new TableColumn("predicted (band)", ColumnAlignment.Right), new TableColumn("measured ± half range", ColumnAlignment.Right),
                new TableColumn("constrained at η", ColumnAlignment.Right), new TableColumn("tolerance", ColumnAlignment.Right),
                new TableColumn("gap sign pred / meas", ColumnAlignment.Right), new TableColumn("finished before forecast"), new TableColumn("verdict"),
            ],
            score.Cells.Select(c => (IReadOnlyList<string>)
            [
                N(c.LearningRate), N(c.Ratio), N(c.EquivalentLearningRate) + (c.Extrapolated ? " (extrap.)" : ""),
                $"{N(c.PredictedAccuracy, 4)} ({N(c.PredictedLow, 4)}–{N(c.PredictedHigh, 4)})", $"{N(c.MeasuredAccuracy, 4)} ± {N(c.MeasuredHalfRange, 2)}",
                N(c.ConstrainedAccuracy, 4), N(c.Tolerance, 2), $"{Sign(c.PredictedGapSign)} / {Sign(c.MeasuredGapSign)}", c.Runs < 0 ? "unknown" : string.Create(CultureInfo.InvariantCulture, $"{c.RunsFinishedBefore} of {c.Runs}"), c.Verdict,
            ]).ToList()) { Caption = "Test accuracy of the unconstrained cells predicted from ρ against the grid's; the tolerance is max(0.005, 2·√(h_free² + h_constrained²)) outside the band." });
    }

    private static string Sign(int s) => s > 0 ? "+" : s < 0 ? "−" : "0";
}

using System.Globalization;
using NoetherTheory.Core.Documents;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>One unconstrained run a forecast reads: its filter traces and where they came from.</summary>
/// <param name="Cell">Cell id.</param>
/// <param name="Panel">Fig. 4 panel.</param>
/// <param name="LearningRate">Its constant η.</param>
/// <param name="Seed">Seed.</param>
/// <param name="File">The filters.csv path.</param>
/// <param name="Sha256">Its hash when read.</param>
/// <param name="Traces">Its per-filter traces (the first sample of each at step 0: r₀).</param>
public sealed record ForecastRun(string Cell, string Panel, double LearningRate, long Seed, string File, string Sha256, IReadOnlyList<FilterTrace> Traces);

/// <summary>
/// Fig. 4 panel A predicted from the measured equilibrium (issue 16 part 4). A constrained run holds every filter at its
/// initial norm r₀, so its effective learning rate is η/r₀²; an unconstrained run's is η/r², with r set by the balance of
/// gradient growth and weight decay (theory/05-learning-dynamics.md#eq-5-8). Since a BN-preceded filter's direction moves
/// with η/r² alone (theory/05-learning-dynamics.md#eq-5-1), the unconstrained cell at η is predicted to behave like a
/// constrained cell at ρη with ρ = r₀²/r² measured over the last part of its run. Its test accuracy is predicted as the
/// constrained accuracy interpolated (piecewise linearly in log η) at ρη; <see cref="Score"/> compares that with the
/// measured one. The forecast reads norms only, never an accuracy.
/// </summary>
/// <remarks>What the equivalence leaves out: the parameters that are not scale-invariant (BN γ and β, the linear head)
/// have the same η in both runs, and the unconstrained ρ changes during the run while the constrained η/r₀² does not;
/// the forecast's band (seeds, window start, last step) covers only the second.</remarks>
public static class EquilibriumForecast
{
    /// <summary>ρ is averaged over this last fraction of the measured steps used (the late effective learning rate is the
    /// one a constant-rate run's final accuracy reflects).</summary>
    public const double WindowFraction = 0.25;

    /// <summary>The smallest accuracy tolerance: 0.005 (half a percentage point), the seed-to-seed spread of the CPU Fig. 4
    /// grids' cells at their smallest (reports/2026-11-22-fig4-cpu-long: 0.005–0.013); two seeds estimate a spread badly,
    /// so the seed-based tolerance is not allowed below it.</summary>
    public const double AccuracyFloor = 0.005;

    /// <summary>The tolerance is this many combined seed half ranges (√(h_free² + h_constrained²)).</summary>
    public const double SpreadMultiple = 2;

    /// <summary>The forecast's method, in words (kept in the document).</summary>
    public const string Method =
        "For each unconstrained run: ρ = r₀²/r² = (η/r²)/(η/r₀²), the effective learning rate of its BN-preceded filters over the " +
        "constrained run's (filters held at r₀); per layer the geometric mean over filters and the last 25% of the measured steps, then " +
        "the geometric mean over layers (each layer one weight). Per η: ρ = geometric mean over seeds, band = min/max over seeds of ρ " +
        "and of ρ at the window's first and last step. Prediction: the unconstrained cell at η reaches the test accuracy of a " +
        "constrained cell at ρη, read off the constrained accuracies interpolated piecewise linearly in log η (linearly extrapolated " +
        "from the nearest segment outside the measured range). Inputs: filter norms only (filters.csv w2), no accuracy.";

    /// <summary>Measures ρ in each run and states the prediction per (panel, η).</summary>
    /// <param name="runs">Unconstrained runs.</param>
    /// <param name="untilStep">Use only steps up to this one (an early window), or null for all; applied to every run given
    /// (the caller passes finished runs with null and running ones with a step).</param>
    /// <exception cref="NoetherTheoryException">No runs, a run without measured steps up to <paramref name="untilStep"/>, or a
    /// filter whose first sample is not at step 0 (r₀ unknown); the message names the run.</exception>
    public static (IReadOnlyList<ForecastInputEntry> Inputs, IReadOnlyList<ForecastCellEntry> Cells) Predict(IReadOnlyList<ForecastRun> runs, long? untilStep)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Predict(runs, runs.Select(_ => untilStep).ToList());
    }

    /// <summary>Like <see cref="Predict(IReadOnlyList{ForecastRun}, long?)"/> with a last step per run (null: all its steps).</summary>
    /// <exception cref="NoetherTheoryException">As there.</exception>
    public static (IReadOnlyList<ForecastInputEntry> Inputs, IReadOnlyList<ForecastCellEntry> Cells) Predict(IReadOnlyList<ForecastRun> runs, IReadOnlyList<long?> untilSteps)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(untilSteps);
        if (runs.Count == 0) throw new NoetherTheoryException("no unconstrained runs to forecast from.");
        if (untilSteps.Count != runs.Count) throw new ArgumentException("one last step (or null) per run.", nameof(untilSteps));
        var inputs = runs.Select((r, i) => Measure(r, untilSteps[i])).ToList();
        var cells = new List<ForecastCellEntry>();
        foreach (var group in runs.Zip(inputs).GroupBy(p => (p.First.Panel, p.First.LearningRate)).OrderBy(g => g.Key.Panel, StringComparer.Ordinal).ThenBy(g => g.Key.LearningRate))
        {
            var ins = group.Select(p => p.Second).ToList();
            double rho = Math.Exp(ins.Average(i => Math.Log(i.Ratio)));
            var all = ins.SelectMany(i => new[] { i.Ratio, i.RatioAtWindowStart, i.RatioAtLastStep }).ToList();
            double low = all.Any(double.IsNaN) ? double.NaN : all.Min(), high = all.Any(double.IsNaN) ? double.NaN : all.Max();
            double eta = group.Key.LearningRate;
            string statement = string.Create(CultureInfo.InvariantCulture,
                $"The unconstrained cell at η = {eta:G4} runs at {rho:G3}× the constrained effective learning rate (band {low:G3}–{high:G3}, " +
                $"{ins.Count} seed(s)), so it is predicted to reach the test accuracy of a constrained cell at η' = {rho * eta:G4} " +
                $"(band {low * eta:G4}–{high * eta:G4}).");
            cells.Add(new ForecastCellEntry(group.Key.Panel, eta, ins.Count, rho, low, high, rho * eta, statement));
        }
        return (inputs, cells);
    }

    // ln(r₀²/r²) per layer (mean over filters and window steps), then over layers.
    private static ForecastInputEntry Measure(ForecastRun run, long? untilStep)
    {
        long until = untilStep ?? long.MaxValue;
        var steps = run.Traces.SelectMany(t => t.Samples.Select(s => s.Step)).Where(n => n <= until).Distinct().Order().ToList();
        if (steps.Count < 2)
            throw new NoetherTheoryException($"{run.File}: run '{run.Cell}' has {steps.Count} measured step(s) up to step {(untilStep is { } u ? u.ToString(CultureInfo.InvariantCulture) : "the end")}; a ratio needs at least two.");
        long windowStart = steps[(int)Math.Floor(steps.Count * (1 - WindowFraction))];
        long last = steps[^1];
        var layers = new List<LayerRatioEntry>();
        var logs = new List<double>();
        var startLogs = new List<double>();
        var lastLogs = new List<double>();
        foreach (var layer in run.Traces.GroupBy(t => t.Layer))
        {
            var window = new List<double>();
            var atStart = new List<double>();
            var atLast = new List<double>();
            foreach (var t in layer)
            {
                if (t.Samples.Count == 0 || t.Samples[0].Step != 0)
                    throw new NoetherTheoryException($"{run.File}: {t.Layer}[{t.Filter}] of run '{run.Cell}' is first measured at step {(t.Samples.Count == 0 ? "none" : t.Samples[0].Step.ToString(CultureInfo.InvariantCulture))}, not 0: its initial norm r₀ (the constrained norm) is unknown.");
                double r0 = t.Samples[0].WeightNormSq;
                foreach (var s in t.Samples)
                {
                    if (s.Step < windowStart || s.Step > until) continue;
                    double l = LogRatio(r0, s.WeightNormSq);
                    window.Add(l);
                    if (s.Step == windowStart) atStart.Add(l);
                    if (s.Step == last) atLast.Add(l);
                }
            }
            double mean = window.Count > 0 ? window.Average() : double.NaN;
            layers.Add(new LayerRatioEntry(layer.Key, Math.Exp(mean)));
            logs.Add(mean);
            startLogs.Add(atStart.Count > 0 ? atStart.Average() : double.NaN);
            lastLogs.Add(atLast.Count > 0 ? atLast.Average() : double.NaN);
        }
        return new ForecastInputEntry(run.Cell, run.LearningRate, run.Seed, run.File, run.Sha256, last, windowStart,
            Math.Exp(logs.Average()), Math.Exp(startLogs.Average()), Math.Exp(lastLogs.Average()), layers);
    }

    // A norm that is not positive and finite makes the ratio NaN, which the score counts as a failure.
    private static double LogRatio(double r0, double r) =>
        r0 > 0 && r > 0 && double.IsFinite(r0) && double.IsFinite(r) ? Math.Log(r0 / r) : double.NaN;

    /// <summary>Scores a forecast against the grid's seed-averaged cells.</summary>
    /// <param name="forecast">The forecast.</param>
    /// <param name="grid">The grid's cells (summary.json's Fig. 4 analysis).</param>
    /// <param name="finished">Per learning rate: how many of its grid runs had finished when the forecast was written, of how many
    /// (absent: unknown, counted as all finished).</param>
    /// <param name="files">The forecast and results paths, the forecast's hash and the time of scoring.</param>
    public static ForecastScoreDocument Score(ForecastDocument forecast, IReadOnlyList<GridCellEntry> grid, IReadOnlyDictionary<double, (int Finished, int Runs)> finished,
        (string Forecast, string ForecastSha256, string Results, string ScoredUtc) files)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(finished);
        var scored = new List<ForecastScoreCellEntry>();
        foreach (var cell in forecast.Cells)
            scored.Add(ScoreCell(cell, grid, finished.TryGetValue(cell.LearningRate, out var f) ? f : (-1, -1)));
        bool holds = scored.Count > 0 && scored.All(c => c.Verdict == Holds);
        bool failed = scored.Count == 0 || scored.Any(c => c.Verdict == DoesNotHold);
        var judged = scored.Where(c => c.Verdict != Pending).ToList();
        double mae = judged.Count > 0 ? judged.Average(c => Math.Abs(c.MeasuredAccuracy - c.PredictedAccuracy)) : double.NaN;
        double nullMae = judged.Count > 0 ? judged.Average(c => Math.Abs(c.MeasuredAccuracy - c.ConstrainedAccuracy)) : double.NaN;
        string summary = scored.Count == 0
            ? "nothing to score: the forecast has no cells."
            : string.Create(CultureInfo.InvariantCulture,
                $"{scored.Count(c => c.Verdict == Holds)} of {scored.Count} learning rates within tolerance, {scored.Count(c => c.Verdict == DoesNotHold)} outside, " +
                $"{scored.Count(c => c.Verdict == Pending)} pending (their grid results are not all there yet); mean |measured − predicted| accuracy " +
                $"{mae:G3} against {nullMae:G3} for the null prediction ρ = 1 (unconstrained = constrained at the same η): the forecast is " +
                $"{(double.IsFinite(mae) && double.IsFinite(nullMae) ? mae < nullMae ? "closer than the null prediction" : "not closer than the null prediction" : "not finite")}" +
                $"; of their grid runs {scored.Sum(c => Math.Max(0, c.Runs - c.RunsFinishedBefore))} of {scored.Sum(c => Math.Max(0, c.Runs))} had not finished when it was written (the rest had, unread).");
        return new ForecastScoreDocument(files.Forecast, files.ForecastSha256, forecast.CreatedUtc, files.Results, files.ScoredUtc, AccuracyFloor,
            scored, holds ? Holds : failed ? DoesNotHold : Incomplete, mae, nullMae, summary);
    }

    private const string Holds = "holds";
    private const string DoesNotHold = "doesNotHold";
    private const string Pending = "pending";
    private const string Incomplete = "incomplete";

    private static ForecastScoreCellEntry ScoreCell(ForecastCellEntry cell, IReadOnlyList<GridCellEntry> grid, (int Finished, int Runs) existing)
    {
        double eta = cell.LearningRate;
        var free = grid.FirstOrDefault(g => g.Panel == cell.Panel && !g.Constrained && Same(g.Value, eta));
        var constrained = grid.Where(g => g.Panel == cell.Panel && g.Constrained && g.Value > 0).OrderBy(g => g.Value).ToList();
        // Missing grid results leave the cell pending (not failed, not passed); a forecast value that is not finite fails.
        ForecastScoreCellEntry Wait(string why) => new(eta, cell.Ratio, cell.EquivalentLearningRate, false, double.NaN, double.NaN, double.NaN,
            free?.MeanAccuracy ?? double.NaN, free?.AccuracyHalfRange ?? double.NaN, double.NaN, double.NaN, 0, 0, existing.Finished, existing.Runs,
            double.IsFinite(cell.Ratio) && double.IsFinite(cell.RatioLow) && double.IsFinite(cell.RatioHigh) ? Pending : DoesNotHold, why);
        if (free is null) return Wait(string.Create(CultureInfo.InvariantCulture, $"panel {cell.Panel}: no unconstrained result at η = {eta:G4} in the grid (yet)."));
        if (constrained.Count < 2)
            return Wait($"panel {cell.Panel}: {constrained.Count} constrained learning rate(s) in the grid; interpolating in log η needs two.");
        if (!constrained.Any(g => Same(g.Value, eta)))
            return Wait(string.Create(CultureInfo.InvariantCulture, $"panel {cell.Panel}: no constrained result at η = {eta:G4} (the null prediction) in the grid (yet)."));
        var x = constrained.Select(g => Math.Log(g.Value)).ToArray();
        var acc = constrained.Select(g => g.MeanAccuracy).ToArray();
        var half = constrained.Select(g => g.AccuracyHalfRange).ToArray();
        double lo = cell.RatioLow * eta, hi = cell.RatioHigh * eta, mid = cell.EquivalentLearningRate;
        double predicted = Interpolate(x, acc, Math.Log(mid));
        var band = new List<double> { predicted, Interpolate(x, acc, Math.Log(lo)), Interpolate(x, acc, Math.Log(hi)) };
        band.AddRange(constrained.Where(g => g.Value > lo && g.Value < hi).Select(g => g.MeanAccuracy));
        double bandLow = band.Any(double.IsNaN) ? double.NaN : band.Min(), bandHigh = band.Any(double.IsNaN) ? double.NaN : band.Max();
        bool extrapolated = !(lo >= constrained[0].Value * (1 - 1e-9) && hi <= constrained[^1].Value * (1 + 1e-9));
        double hCon = Interpolate(x, half, Math.Log(mid));
        double tolerance = Math.Max(AccuracyFloor, SpreadMultiple * Math.Sqrt(free.AccuracyHalfRange * free.AccuracyHalfRange + hCon * hCon));
        double atEta = Interpolate(x, acc, Math.Log(eta));
        double measured = free.MeanAccuracy;
        bool finite = new[] { measured, predicted, bandLow, bandHigh, tolerance, atEta, cell.Ratio }.All(double.IsFinite);
        bool inside = finite && measured >= bandLow - tolerance && measured <= bandHigh + tolerance;
        int predictedSign = Sign(predicted - atEta, tolerance), measuredSign = Sign(measured - atEta, tolerance);
        string evidence = string.Create(CultureInfo.InvariantCulture,
            $"η = {eta:G4}: ρ = {cell.Ratio:G3} (band {cell.RatioLow:G3}–{cell.RatioHigh:G3}), η' = {mid:G4}{(extrapolated ? " (extrapolated)" : "")}; " +
            $"predicted accuracy {predicted:F4} (band {bandLow:F4}–{bandHigh:F4}), measured {measured:F4} ± {free.AccuracyHalfRange:F4}, " +
            $"constrained at η {atEta:F4}; tolerance {tolerance:F4}; {(finite ? inside ? "within" : "outside by " + Math.Max(bandLow - tolerance - measured, measured - bandHigh - tolerance).ToString("F4", CultureInfo.InvariantCulture) : "a value is not finite")}");
        return new ForecastScoreCellEntry(eta, cell.Ratio, mid, extrapolated, predicted, bandLow, bandHigh, measured, free.AccuracyHalfRange, atEta,
            tolerance, predictedSign, measuredSign, existing.Finished, existing.Runs, inside ? Holds : DoesNotHold, evidence);
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static int Sign(double gap, double tolerance) => !double.IsFinite(gap) ? 0 : gap > tolerance ? 1 : gap < -tolerance ? -1 : 0;

    /// <summary>Piecewise-linear interpolation of y over increasing x, extrapolated linearly from the end segments; NaN for a
    /// NaN argument.</summary>
    public static double Interpolate(IReadOnlyList<double> x, IReadOnlyList<double> y, double at)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count < 2 || x.Count != y.Count) throw new ArgumentException("interpolation needs two or more points with one value each.", nameof(x));
        if (double.IsNaN(at)) return double.NaN;
        int i = 0;
        while (i < x.Count - 2 && at > x[i + 1]) i++;
        double t = (at - x[i]) / (x[i + 1] - x[i]);
        return y[i] + (t * (y[i + 1] - y[i]));
    }
}

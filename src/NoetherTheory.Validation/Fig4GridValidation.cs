using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation;

/// <summary>The NLD Fig. 4 grid protocol: grid runs' loss curves and accuracies, seed statistics and the claims
/// (<see cref="Fig4Analysis"/>), as document entries.</summary>
public static class Fig4GridValidation
{
    /// <summary>A finished grid run with its training-loss curve (read from the run's metrics.csv).</summary>
    public static GridRunEntry Read(CellOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var c = outcome.Cell;
        return new GridRunEntry(c.Panel!, c.Value, c.Constrained, c.Seed, outcome.TestAccuracy, outcome.TestLoss,
            ReadLossCurve(Path.Combine(outcome.RunDirectory, "metrics.csv")));
    }

    /// <summary>train_loss at every logged step of a run's metrics.csv.</summary>
    /// <exception cref="InvalidDataException">The file has no train_loss column.</exception>
    public static IReadOnlyList<CurvePointEntry> ReadLossCurve(string metricsCsv)
    {
        var lines = File.ReadAllLines(metricsCsv);
        int col = Array.IndexOf(lines[0].Split(','), "train_loss");
        if (col < 0) throw new InvalidDataException($"{metricsCsv}:1: no train_loss column.");
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(p => new CurvePointEntry(long.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[col], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Seed statistics per grid cell and the Fig. 4 claims with their verdicts.</summary>
    public static Fig4Entry Analyse(IReadOnlyList<GridRunEntry> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var summary = Fig4Analysis.Analyse([.. runs.Select(ToRun)]);
        return new Fig4Entry(
            [.. summary.Cells.Select(c => new GridCellEntry(c.Panel, c.Value, c.Constrained, c.Seeds, c.MeanAccuracy, c.AccuracyHalfRange,
                c.MeanLoss, c.LossHalfRange))],
            [.. summary.Claims.Select(c => new Fig4ClaimEntry(c.Id, c.Statement, c.Measured, c.Spread, c.Evidence,
                FilterCheckValidation.DocumentName(c.Verdict)))]);
    }

    /// <summary>The seed-averaged loss curve of a cell's runs (steps common to all of them).</summary>
    public static IReadOnlyList<CurvePointEntry> MeanCurve(IEnumerable<GridRunEntry> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. Fig4Analysis.MeanCurve(runs.Select(ToRun)).Select(p => new CurvePointEntry(p.Step, p.Value))];
    }

    private static GridRun ToRun(GridRunEntry r) => new(r.Panel, r.Value, r.Constrained, r.Seed, r.TestAccuracy, r.TestLoss,
        [.. r.LossCurve.Select(p => new CurvePoint(p.Step, p.Value))]);
}

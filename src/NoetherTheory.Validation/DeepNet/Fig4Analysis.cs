using System.Globalization;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>A (step, value) point of a curve.</summary>
/// <param name="Step">Step.</param>
/// <param name="Value">Value.</param>
public readonly record struct CurvePoint(long Step, double Value);

/// <summary>One finished run of the Fig. 4 grid.</summary>
/// <param name="Panel">"A" (constant learning rate), "B" (momentum) or "C" (weight decay).</param>
/// <param name="Value">The panel's varied value (η, β or k).</param>
/// <param name="Constrained">Filter norms held at their initial values.</param>
/// <param name="Seed">Seed.</param>
/// <param name="TestAccuracy">Final test accuracy.</param>
/// <param name="TestLoss">Final test loss.</param>
/// <param name="LossCurve">Training loss at the logged steps.</param>
public sealed record GridRun(string Panel, double Value, bool Constrained, long Seed, double TestAccuracy, double TestLoss,
    IReadOnlyList<CurvePoint> LossCurve);

/// <summary>Seed statistics of one grid cell (panel, value, constrained).</summary>
/// <param name="Panel">Panel.</param>
/// <param name="Value">Varied value.</param>
/// <param name="Constrained">Constrained filter norms.</param>
/// <param name="Seeds">Number of seeds.</param>
/// <param name="MeanAccuracy">Mean final test accuracy.</param>
/// <param name="AccuracyHalfRange">(max − min)/2 of the accuracy over seeds.</param>
/// <param name="MeanLoss">Mean final test loss.</param>
/// <param name="LossHalfRange">(max − min)/2 of the test loss over seeds.</param>
public sealed record GridCellStatistics(string Panel, double Value, bool Constrained, int Seeds, double MeanAccuracy,
    double AccuracyHalfRange, double MeanLoss, double LossHalfRange);

/// <summary>How a claim fared.</summary>
public enum ClaimVerdict
{
    /// <summary>The grid lacks the cells the claim needs.</summary>
    NotTested,

    /// <summary>The effect is there and larger than the seed spread.</summary>
    Holds,

    /// <summary>The effect has the claimed sign but is within the seed spread.</summary>
    DirectionOnly,

    /// <summary>The effect is absent or reversed.</summary>
    DoesNotHold,
}

/// <summary>A Fig. 4 claim with its number and verdict.</summary>
/// <param name="Id">Short id (A-small-lr, A-large-lr, B-momentum, C-weight-decay).</param>
/// <param name="Statement">The claim, as NLD states it (theory/05-learning-dynamics.md#eq-5-6).</param>
/// <param name="Measured">The deciding number (an accuracy gap, in accuracy units).</param>
/// <param name="Spread">The seed spread it is compared with.</param>
/// <param name="Evidence">The numbers behind the verdict, in words.</param>
/// <param name="Verdict">Verdict.</param>
public sealed record Fig4Claim(string Id, string Statement, double Measured, double Spread, string Evidence, ClaimVerdict Verdict);

/// <summary>The Fig. 4 grid reduced to cell statistics and claim verdicts.</summary>
/// <param name="Cells">Statistics per (panel, value, constrained), sorted.</param>
/// <param name="Claims">The four claims.</param>
public sealed record Fig4Summary(IReadOnlyList<GridCellStatistics> Cells, IReadOnlyList<Fig4Claim> Claims);

/// <summary>Evaluates NLD's Fig. 4 claims (theory/05-learning-dynamics.md#eq-5-6) on a grid of constrained and unconstrained runs.</summary>
public static class Fig4Analysis
{
    /// <summary>Largest |accuracy gap| still called "near-identical" at the smallest learning rate: one percentage point,
    /// about the seed-to-seed spread of a few-thousand-step Fashion-MNIST run; the seed spread is used when larger.</summary>
    public const double NearIdenticalAccuracyGap = 0.01;

    /// <summary>Largest mean relative gap between the seed-averaged loss curves still called "near-identical" (5 %).</summary>
    public const double NearIdenticalLossCurveGap = 0.05;

    /// <summary>Groups runs into cells and evaluates the claims.</summary>
    public static Fig4Summary Analyse(IReadOnlyList<GridRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var cells = runs.GroupBy(r => (r.Panel, r.Value, r.Constrained))
            .Select(g => new GridCellStatistics(g.Key.Panel, g.Key.Value, g.Key.Constrained, g.Count(),
                g.Average(r => r.TestAccuracy), HalfRange(g.Select(r => r.TestAccuracy)), g.Average(r => r.TestLoss), HalfRange(g.Select(r => r.TestLoss))))
            .OrderBy(c => c.Panel, StringComparer.Ordinal).ThenBy(c => c.Value).ThenBy(c => c.Constrained).ToList();
        return new Fig4Summary(cells, [SmallLr(runs, cells), LargeLr(cells), Momentum(cells), WeightDecay(cells)]);
    }

    /// <summary>The seed-averaged loss curve of a cell (steps common to all its runs).</summary>
    public static IReadOnlyList<CurvePoint> MeanCurve(IEnumerable<GridRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToList();
        if (list.Count == 0) return [];
        var steps = list.Select(r => r.LossCurve.Select(p => p.Step).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        return steps.Order().Select(s => new CurvePoint(s, list.Average(r => r.LossCurve.First(p => p.Step == s).Value))).ToList();
    }

    private static double HalfRange(IEnumerable<double> values)
    {
        var v = values.ToList();
        return v.Count < 2 ? 0 : (v.Max() - v.Min()) / 2;
    }

    private static (GridCellStatistics U, GridCellStatistics C)? Pair(IReadOnlyList<GridCellStatistics> cells, string panel, double value)
    {
        var u = cells.FirstOrDefault(c => c.Panel == panel && c.Value == value && !c.Constrained);
        var c = cells.FirstOrDefault(c => c.Panel == panel && c.Value == value && c.Constrained);
        return u is null || c is null ? null : (u, c);
    }

    private static double Gap((GridCellStatistics U, GridCellStatistics C) p) => p.U.MeanAccuracy - p.C.MeanAccuracy;

    private static double Spread((GridCellStatistics U, GridCellStatistics C) p) => p.U.AccuracyHalfRange + p.C.AccuracyHalfRange;

    private static ClaimVerdict Positive(double effect, double spread) =>
        effect > spread ? ClaimVerdict.Holds : effect > 0 ? ClaimVerdict.DirectionOnly : ClaimVerdict.DoesNotHold;

    private static string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);

    private static List<double> Values(IReadOnlyList<GridCellStatistics> cells, string panel) =>
        cells.Where(c => c.Panel == panel).Select(c => c.Value).Distinct().Order().Where(v => Pair(cells, panel, v) is not null).ToList();

    private static Fig4Claim SmallLr(IReadOnlyList<GridRun> runs, IReadOnlyList<GridCellStatistics> cells)
    {
        // The statement names the learning rate the grid actually has (its smallest), not the paper's 0.001.
        var values = Values(cells, "A");
        if (values.Count == 0)
            return new Fig4Claim("A-small-lr", "At a small constant learning rate constrained and unconstrained runs are nearly identical.",
                double.NaN, double.NaN, "panel A not in the grid", ClaimVerdict.NotTested);
        double lr = values[0];
        string statement = string.Create(CultureInfo.InvariantCulture,
            $"At a small constant learning rate (η = {lr}, the grid's smallest) constrained and unconstrained runs are nearly identical.");
        var p = Pair(cells, "A", lr)!.Value;
        var uCurve = MeanCurve(runs.Where(r => r.Panel == "A" && r.Value == lr && !r.Constrained));
        var cCurve = MeanCurve(runs.Where(r => r.Panel == "A" && r.Value == lr && r.Constrained));
        var common = uCurve.Join(cCurve, a => a.Step, b => b.Step, (a, b) => Math.Abs(a.Value - b.Value) / Math.Abs(a.Value)).ToList();
        double curveGap = common.Count == 0 ? double.NaN : common.Average();
        double gap = Gap(p), bound = Math.Max(NearIdenticalAccuracyGap, Spread(p));
        // No common steps: the curves are not compared. A NaN gap from compared curves (a diverged run) is a failure:
        // !(NaN > bound) would be true.
        bool holds = Math.Abs(gap) <= bound && (common.Count == 0 || curveGap <= NearIdenticalLossCurveGap);
        string evidence = string.Create(CultureInfo.InvariantCulture,
            $"η = {lr}: accuracy unconstrained {F(p.U.MeanAccuracy)} ± {F(p.U.AccuracyHalfRange)}, constrained {F(p.C.MeanAccuracy)} ± {F(p.C.AccuracyHalfRange)} (gap {F(gap)}, allowed {F(bound)}); mean relative loss-curve gap {curveGap:0.000} (allowed {NearIdenticalLossCurveGap})");
        return new Fig4Claim("A-small-lr", statement, gap, Spread(p), evidence, holds ? ClaimVerdict.Holds : ClaimVerdict.DoesNotHold);
    }

    private static Fig4Claim LargeLr(IReadOnlyList<GridCellStatistics> cells)
    {
        var values = Values(cells, "A");
        if (values.Count < 2)
            return new Fig4Claim("A-large-lr", "At a large constant learning rate unconstrained runs reach a higher test accuracy than constrained ones.",
                double.NaN, double.NaN, "panel A needs at least two learning rates", ClaimVerdict.NotTested);
        double lr = values[^1];
        string statement = string.Create(CultureInfo.InvariantCulture,
            $"At a large constant learning rate (η = {lr}, the grid's largest) unconstrained runs reach a higher test accuracy than constrained ones.");
        var p = Pair(cells, "A", lr)!.Value;
        string evidence = string.Create(CultureInfo.InvariantCulture,
            $"η = {lr}: accuracy unconstrained {F(p.U.MeanAccuracy)} ± {F(p.U.AccuracyHalfRange)}, constrained {F(p.C.MeanAccuracy)} ± {F(p.C.AccuracyHalfRange)}; gaps by η: ")
            + string.Join(", ", values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v}: {F(Gap(Pair(cells, "A", v)!.Value))}")));
        return new Fig4Claim("A-large-lr", statement, Gap(p), Spread(p), evidence, Positive(Gap(p), Spread(p)));
    }

    private static Fig4Claim Momentum(IReadOnlyList<GridCellStatistics> cells)
    {
        const string statement = "Momentum (β ≈ 0.9) amplifies the advantage of unconstrained over constrained runs compared with β = 0.";
        var values = Values(cells, "B");
        if (values.Count < 2 || values[0] != 0)
            return new Fig4Claim("B-momentum", statement, double.NaN, double.NaN, "panel B needs β = 0 and a β > 0", ClaimVerdict.NotTested);
        double high = values.Skip(1).MinBy(v => Math.Abs(v - 0.9));
        var p0 = Pair(cells, "B", 0)!.Value;
        var ph = Pair(cells, "B", high)!.Value;
        double effect = Gap(ph) - Gap(p0), spread = Spread(ph) + Spread(p0);
        string evidence = string.Create(CultureInfo.InvariantCulture, $"gap(β = {high}) − gap(β = 0) = {F(effect)} (spread {F(spread)}); gaps by β: ")
            + string.Join(", ", values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v}: {F(Gap(Pair(cells, "B", v)!.Value))}")));
        return new Fig4Claim("B-momentum", statement, effect, spread, evidence, Positive(effect, spread));
    }

    private static Fig4Claim WeightDecay(IReadOnlyList<GridCellStatistics> cells)
    {
        const string statement = "Weight decay improves the final accuracy of unconstrained runs (it acts as RMSProp's discount factor).";
        var u = cells.Where(c => c.Panel == "C" && !c.Constrained).OrderBy(c => c.Value).ToList();
        if (u.Count < 2 || u[0].Value != 0)
            return new Fig4Claim("C-weight-decay", statement, double.NaN, double.NaN, "panel C needs k = 0 and a k > 0", ClaimVerdict.NotTested);
        var best = u.Skip(1).MaxBy(c => c.MeanAccuracy)!;
        double effect = best.MeanAccuracy - u[0].MeanAccuracy, spread = best.AccuracyHalfRange + u[0].AccuracyHalfRange;
        string evidence = string.Create(CultureInfo.InvariantCulture,
            $"best k = {best.Value}: {F(best.MeanAccuracy)} vs k = 0: {F(u[0].MeanAccuracy)} (spread {F(spread)}); unconstrained accuracy by k: ")
            + string.Join(", ", u.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value}: {F(c.MeanAccuracy)}")))
            + "; test loss by k: " + string.Join(", ", u.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value}: {F(c.MeanLoss)}")));
        return new Fig4Claim("C-weight-decay", statement, effect, spread, evidence, Positive(effect, spread));
    }
}

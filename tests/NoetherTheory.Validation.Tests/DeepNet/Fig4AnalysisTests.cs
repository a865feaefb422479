using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

public sealed class Fig4AnalysisTests
{
    private static GridRun Run(string panel, double value, bool constrained, long seed, double accuracy, double lossScale = 1) =>
        new(panel, value, constrained, seed, accuracy, 1 - accuracy, [new CurvePoint(0, 2 * lossScale), new CurvePoint(10, lossScale)]);

    private static IEnumerable<GridRun> Pair(string panel, double value, double free, double constrained, double lossGap = 1) =>
    [
        Run(panel, value, false, 1, free + 0.001), Run(panel, value, false, 2, free - 0.001),
        Run(panel, value, true, 1, constrained + 0.001, lossGap), Run(panel, value, true, 2, constrained - 0.001, lossGap),
    ];

    [Test]
    public void Analyse_PaperLikeGrid_EveryClaimHolds()
    {
        var runs = Pair("A", 0.001, 0.80, 0.80).Concat(Pair("A", 0.03, 0.90, 0.85))
            .Concat(Pair("B", 0, 0.85, 0.84)).Concat(Pair("B", 0.9, 0.90, 0.80))
            .Concat(Pair("C", 0, 0.84, 0.84)).Concat(Pair("C", 5e-4, 0.90, 0.84)).ToList();
        var summary = Fig4Analysis.Analyse(runs);
        Assert.That(summary.Cells, Has.Count.EqualTo(12));
        Assert.That(summary.Claims.Select(c => c.Verdict), Is.All.EqualTo(ClaimVerdict.Holds), string.Join("\n", summary.Claims.Select(c => c.Evidence)));
        Assert.That(summary.Claims.Single(c => c.Id == "A-large-lr").Measured, Is.EqualTo(0.05).Within(1e-12));
    }

    [Test]
    public void PanelAClaims_NameTheLearningRatesTheGridHas()
    {
        // A grid at 0.01 … 0.1 (fig4-equilibrium-cpu) must not be described with the paper's 0.001 and 0.03.
        var runs = Pair("A", 0.01, 0.80, 0.80).Concat(Pair("A", 0.1, 0.90, 0.85)).ToList();
        var claims = Fig4Analysis.Analyse(runs).Claims.ToDictionary(c => c.Id);
        Assert.That(claims["A-small-lr"].Statement, Does.Contain("η = 0.01,").And.Not.Contain("0.001"));
        Assert.That(claims["A-large-lr"].Statement, Does.Contain("η = 0.1,").And.Not.Contain("0.03"));
    }

    [Test]
    public void Analyse_ReversedOrTinyEffects_AreReportedAsSuch()
    {
        var runs = Pair("A", 0.001, 0.80, 0.70).Concat(Pair("A", 0.03, 0.85, 0.90))
            .Concat(Pair("B", 0, 0.85, 0.84)).Concat(Pair("B", 0.9, 0.855, 0.8435)).ToList();
        var claims = Fig4Analysis.Analyse(runs).Claims.ToDictionary(c => c.Id);
        Assert.That(claims["A-small-lr"].Verdict, Is.EqualTo(ClaimVerdict.DoesNotHold), "a 10-point gap is not near-identical");
        Assert.That(claims["A-large-lr"].Verdict, Is.EqualTo(ClaimVerdict.DoesNotHold));
        Assert.That(claims["B-momentum"].Verdict, Is.EqualTo(ClaimVerdict.DirectionOnly), "gap grows by 0.0015, within the 0.004 spread");
        Assert.That(claims["C-weight-decay"].Verdict, Is.EqualTo(ClaimVerdict.NotTested));
    }

    [Test]
    public void Analyse_LossCurvesApart_SmallLrIsNotNearIdentical()
    {
        var runs = Pair("A", 0.001, 0.80, 0.80, lossGap: 1.5).ToList();
        var claim = Fig4Analysis.Analyse(runs).Claims.Single(c => c.Id == "A-small-lr");
        Assert.That(claim.Verdict, Is.EqualTo(ClaimVerdict.DoesNotHold), claim.Evidence);
    }

    [Test]
    public void Analyse_DivergedLossCurve_SmallLrIsNotNearIdentical()
    {
        var runs = Pair("A", 0.001, 0.80, 0.80).ToList();
        Assert.That(Fig4Analysis.Analyse(runs).Claims.Single(c => c.Id == "A-small-lr").Verdict, Is.EqualTo(ClaimVerdict.Holds));
        // A NaN loss in one constrained run makes the curve gap NaN; !(NaN > 5 %) would call the curves near-identical.
        runs[2] = runs[2] with { LossCurve = [new CurvePoint(0, 2), new CurvePoint(10, double.NaN)] };
        var claim = Fig4Analysis.Analyse(runs).Claims.Single(c => c.Id == "A-small-lr");
        Assert.That(claim.Verdict, Is.EqualTo(ClaimVerdict.DoesNotHold), claim.Evidence);
    }
}

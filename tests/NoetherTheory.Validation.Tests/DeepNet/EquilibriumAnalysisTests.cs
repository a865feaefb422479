using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;
using NoetherTheory.Testing;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The per-layer equilibrium report (issue 16 item 3) on hand-made traces whose answer is known.</summary>
[TestFixture]
public sealed class EquilibriumAnalysisTests
{
    private static readonly LearningRule HeavyBall = Catalog.Load(RepositoryPaths.Combine("theory", "catalog")).Rule("heavy-ball");

    private static readonly Dictionary<Symbol, double> Values = new()
    {
        [Coordinates.Eta] = 0.1, [Coordinates.Beta] = 0.9, [Coordinates.K] = 5e-3, [Expr.Symbol("delta")] = 0,
    };

    // θ*² = 2ηk/(1 + β) = 1e-3/1.9; r⁴* = ηs/(2k(1 − β)) = 100·s.
    private static readonly double Theta = Math.Sqrt(1e-3 / 1.9);

    private static IReadOnlyList<FilterTrace> Traces(double angleFactor, double normFactor, int steps = 200)
    {
        const double s = 0.04;                       // |ĝ|² = |g|²|w|²
        double r2 = Math.Sqrt(100 * s) * normFactor; // r*² = 2
        var traces = new List<FilterTrace>();
        foreach (var layer in new[] { "features.0", "features.4" })
            for (int f = 0; f < 4; f++)
            {
                var samples = Enumerable.Range(0, steps).Select(n => new FilterSample(n, r2, s / r2, 0, 0, 0,
                    AngularUpdate: Theta * angleFactor * (1 + (0.01 * ((n + f) % 3 - 1))))).ToList();
                traces.Add(new FilterTrace(layer, f, samples));
            }
        return traces;
    }

    [Test]
    public void AtEquilibrium_ErrorsAreSmall_AndTheLayerIsReachedAtOnce()
    {
        var report = EquilibriumAnalysis.Analyse(Traces(1, 1), HeavyBall, Values);
        Assert.That(report.RelaxationSteps, Is.EqualTo(50).Within(1e-9), "(1 − β)/(4ηk)");
        foreach (var l in report.Layers)
        {
            Assert.That(l.PredictedAngle, Is.EqualTo(Theta).Within(1e-12));
            Assert.That(l.AngleError, Is.LessThan(0.01), "the ±1% wiggle only");
            Assert.That(l.NormError, Is.LessThan(1e-12));
            Assert.That(l.EffectiveLearningRateError, Is.LessThan(1e-12));
            Assert.That(l.ReachedAtStep, Is.EqualTo(7), "the first step with eight samples in the running RMS");
        }
        Assert.That(report.Note, Does.Contain("4.0 relaxation times"));
    }

    [Test]
    public void AnglesTwentyPercentHigh_AndNormsOff_AreReported_AndNeverReached()
    {
        var report = EquilibriumAnalysis.Analyse(Traces(1.2, 0.5), HeavyBall, Values);
        foreach (var l in report.Layers)
        {
            Assert.That(l.AngleError, Is.EqualTo(0.2).Within(0.01));
            Assert.That(l.NormError, Is.GreaterThan(0.2), "r² at half of r*² while s is what the law uses");
            Assert.That(l.ReachedAtStep, Is.Null);
        }
    }

    [Test]
    public void ARunShorterThanOneRelaxationTime_SaysSo()
    {
        var report = EquilibriumAnalysis.Analyse(Traces(1, 1, steps: 30), HeavyBall, Values);
        Assert.That(report.Note, Does.Contain("before one relaxation time"));
    }

    [Test]
    public void ALongRun_IsEquilibratedFromThreeRelaxationTimes_AShortOneUsesItsLastQuarter()
    {
        var longRun = EquilibriumAnalysis.Analyse(Traces(1, 1, steps: 1000), HeavyBall, Values);
        Assert.That(longRun.Equilibrated, Is.True);
        Assert.That(longRun.WindowStart, Is.EqualTo(150), "3 × 50 steps");
        Assert.That(longRun.MedianAngleError, Is.LessThan(0.01));
        var shortRun = EquilibriumAnalysis.Analyse(Traces(1, 1, steps: 100), HeavyBall, Values);
        Assert.That(shortRun.Equilibrated, Is.False);
        Assert.That(shortRun.WindowStart, Is.EqualTo(75));
        Assert.That(shortRun.Note, Does.Contain("not equilibrated"));
    }

    [Test]
    public void TheMomentumRatio_IsTheBufferOverTheGradient()
    {
        // |v|² = 1/(1 − β²)·|g|²: white gradients.
        var traces = Traces(1, 1).Select(t => t with
        {
            Samples = [.. t.Samples.Select(s => s with { VelocityNormSq = s.GradNormSq / (1 - (0.9 * 0.9)) })],
        }).ToList();
        var report = EquilibriumAnalysis.Analyse(traces, HeavyBall, Values);
        Assert.That(report.Layers.Select(l => l.MomentumRatio), Is.All.EqualTo(1 / 0.19).Within(1e-9));
        Assert.That(EquilibriumAnalysis.Analyse(Traces(1, 1), HeavyBall, Values).Layers[0].MomentumRatio, Is.NaN, "no buffer measured");
    }

    [Test]
    public void MedianOf_KeepsANaN()
    {
        Assert.That(EquilibriumAnalysis.MedianOf([0.1, double.NaN, 0.3]), Is.NaN);
        Assert.That(EquilibriumAnalysis.MedianOf([0.3, 0.1, 0.2]), Is.EqualTo(0.2));
        Assert.That(EquilibriumAnalysis.MedianOf([]), Is.NaN);
    }

    [Test]
    public void ALogWithoutAngles_IsRefused()
    {
        var traces = new[] { new FilterTrace("features.0", 0, [new FilterSample(0, 1, 1, 0, 0, 0)]) };
        Assert.That(() => EquilibriumAnalysis.Analyse(traces, HeavyBall, Values),
            Throws.TypeOf<NoetherTheoryException>().With.Message.Contains("angle"));
    }

    [Test]
    public void Csv_ReadsTheAngle_AndOlderLayoutsWithNaN()
    {
        var now = FilterCsv.Parse(new StringReader(FilterCsv.Header + "\n0,features.0,0,4,1,0,0.02,0,0.02,1,0.125\n"), "f.csv");
        Assert.That(now[0].Samples[0].AngularUpdate, Is.EqualTo(0.125));
        var before = FilterCsv.Parse(new StringReader(FilterCsv.PreAngleHeader + "\n0,features.0,0,4,1,0,0.02,0,0.02,1\n"), "f.csv");
        Assert.That(before[0].Samples[0].AngularUpdate, Is.NaN);
        Assert.That(before[0].Samples[0].BatchVariance, Is.EqualTo(1));
        Assert.That(() => FilterCsv.Parse(new StringReader(FilterCsv.Header + "\n0,features.0,0,4,1,0,0.02,0,0.02,1\n"), "f.csv"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("f.csv:2"));
    }
    private static readonly Catalog FullCatalog = Catalog.Load(RepositoryPaths.Combine("theory", "catalog"));

    [Test]
    public void MomentumReferences_AreReadOffTheRulesOwnBufferUpdate()
    {
        var hb = MomentumReferences.Of(HeavyBall, new Dictionary<Symbol, double>(Values) { [Expr.Symbol("delta")] = 0.5 });
        Assert.That(hb, Is.Not.Null);
        Assert.That(hb!.Decay, Is.EqualTo(0.9).Within(1e-15));
        Assert.That(hb.Gain, Is.EqualTo(0.5).Within(1e-15), "dampening δ scales the gradient by 1 − δ");
        Assert.That(hb.White, Is.EqualTo(0.25 / 0.19).Within(1e-12));
        Assert.That(hb.Persistent, Is.EqualTo(25).Within(1e-9));

        var adamValues = new Dictionary<Symbol, double>
        {
            [Coordinates.Eta] = 1e-3, [Expr.Symbol("beta1")] = 0.9, [Expr.Symbol("beta2")] = 0.999, [Expr.Symbol("eps")] = 1e-8, [Coordinates.K] = 1,
        };
        var adam = MomentumReferences.Of(FullCatalog.Rule("adamw"), adamValues);
        Assert.That(adam, Is.Not.Null);
        Assert.That(adam!.White, Is.EqualTo(0.1 / 1.9).Within(1e-12), "(1 − β₁)/(1 + β₁)");
        Assert.That(adam.Persistent, Is.EqualTo(1).Within(1e-12), "an average of one repeated gradient is that gradient");

        Assert.That(MomentumReferences.Of(FullCatalog.Rule("gd"), Values), Is.Null, "no buffer");
        Assert.That(MomentumReferences.Of(HeavyBall, new Dictionary<Symbol, double> { [Coordinates.Beta] = 0.9 }), Is.Null,
            "a hyperparameter without a value (δ) gives no references instead of a guess");
    }

    [Test]
    public void MomentumReferences_AgreeWithTheBufferDrivenByWhiteAndByPersistentGradients()
    {
        var refs = MomentumReferences.Of(HeavyBall, Values)!;
        var random = new Random(7);
        double v = 0, v2 = 0, g2 = 0, vp = 0;
        const int burnIn = 200, steps = 200_000;
        for (int n = 0; n < burnIn + steps; n++)
        {
            double g = (random.NextDouble() * 2) - 1;
            v = (refs.Decay * v) + (refs.Gain * g);
            vp = (refs.Decay * vp) + refs.Gain;
            if (n < burnIn) continue;
            v2 += v * v;
            g2 += g * g;
        }
        // White: the ratio's relative standard error is ≈ √(2(1+a²)/((1−a²)·N)) ≈ 1 % here; 4 % is four of them.
        Assert.That(v2 / g2, Is.EqualTo(refs.White).Within(4).Percent);
        Assert.That(vp * vp, Is.EqualTo(refs.Persistent).Within(1e-9).Percent, "a constant gradient: the buffer's fixed point c/(1 − a)");
        Assert.That(refs.White, Is.Not.EqualTo(refs.Persistent).Within(50).Percent, "the two references are far apart at β = 0.9");
    }
    [Test]
    public void TimeToEquilibrium_UsesTheRmsOverFilters_AndSeparatesFirstArrivalFromStaying()
    {
        // Three filters turn at 0.5·θ*, one at √3.25·θ*: the layer's RMS angle is θ* exactly, while the median of θ² is
        // (0.5·θ*)²; and steps 100–119 are an excursion 30% high (θ² × 1.69: the 8-step window is back within 10% once it
        // holds at most two of them, at step 125).
        var traces = new List<FilterTrace>();
        for (int f = 0; f < 4; f++)
        {
            double factor = f < 3 ? 0.5 : Math.Sqrt(3.25);
            var samples = Enumerable.Range(0, 200).Select(n => new FilterSample(n, 2, 0.02, 0, 0, 0,
                AngularUpdate: Theta * factor * (n is >= 100 and < 120 ? 1.3 : 1))).ToList();
            traces.Add(new FilterTrace("features.0", f, samples));
        }
        var layer = EquilibriumAnalysis.Analyse(traces, HeavyBall, Values).Layers.Single();
        Assert.That(layer.FirstWithinStep, Is.EqualTo(7), "the RMS over filters is θ* from the start");
        Assert.That(layer.ReachedAtStep, Is.EqualTo(125), "back inside once the running window has left the excursion");

        var low = traces.Select(t => t with
        {
            Samples = [.. t.Samples.Where(x => x.Step < 100).Select(x => x with { AngularUpdate = x.AngularUpdate * 0.85 })],
        }).ToList();
        var lowLayer = EquilibriumAnalysis.Analyse(low, HeavyBall, Values).Layers.Single();
        Assert.That(lowLayer.FirstWithinStep, Is.Null, "15% low is never within 10%");
        Assert.That(lowLayer.ReachedAtStep, Is.Null);
    }
    [Test]
    public void ANonFiniteValueInOneFiltersWindow_MakesItsLayerNaN_InsteadOfVanishingIntoTheMedian()
    {
        // One of four filters of features.0 diverges at step 150 (|w|² = NaN, the angle infinite), as a run logged with
        // on_non_finite: flag would record it; the other three are at equilibrium.
        var traces = Traces(1, 1).Select(t => t.Layer == "features.0" && t.Filter == 2
            ? t with { Samples = [.. t.Samples.Select(x => x.Step == 150 ? x with { WeightNormSq = double.NaN, AngularUpdate = double.PositiveInfinity } : x)] }
            : t).ToList();
        var report = EquilibriumAnalysis.Analyse(traces, HeavyBall, Values);
        var diverged = report.Layers.Single(l => l.Layer == "features.0");
        Assert.That(diverged.AngleError, Is.NaN);
        Assert.That(diverged.NormError, Is.NaN);
        Assert.That(diverged.EffectiveLearningRateError, Is.NaN);
        Assert.That(report.Layers.Single(l => l.Layer == "features.4").AngleError, Is.LessThan(0.01), "the healthy layer is unaffected");
        Assert.That(report.MedianAngleError, Is.NaN, "and the run's figure is NaN, not the healthy layer's");
        Assert.That(EquilibriumAnalysis.MedianOf([0.1, double.PositiveInfinity, 0.2]), Is.NaN);
    }
}

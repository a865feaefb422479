using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

public sealed class FilterChecksTests
{
    // float64 heavy ball: the recursion is an algebraic identity, so only a few ulps of a_n accumulate per step.
    private const double Float64RecursionBound = 1e-12;

    // theory-notes C.4 [VER]: the Green's-function law driven by the measured |v|² matches to ≤ 1e-3 relative at η = 0.01, β = 0.9.
    private const double GreenLawBound = 1e-3;

    // theory-notes G#10: Eq. 17 with persistent gradients is within 0.2 % at η = 0.01, β = 0.9.
    private const double Eq17PersistentBound = 2e-3;

    private const double Eta = 0.01, Beta = 0.9, K = 1e-3;

    /// <summary>
    /// A scale-invariant "filter" in d dimensions under PyTorch heavy ball with coupled decay, every step measured.
    /// Persistent: ĝ = s·J q̂ (a 90° rotation in the first two coordinates); white: ĝ = s·P⊥ξ/√(d−1). g = ĝ/r.
    /// </summary>
    internal static FilterTrace Simulate(bool persistent, int steps, double eta = Eta, double beta = Beta, double k = K, double s = 0.3,
        int seed = 4)
    {
        int d = persistent ? 2 : 10;
        var rng = new Random(seed);
        var q = new double[d];
        q[0] = 1;
        var v = new double[d];
        var samples = new List<FilterSample>();
        for (int n = 0; n < steps; n++)
        {
            double r2 = q.Sum(x => x * x), r = Math.Sqrt(r2);
            var g = new double[d];
            if (persistent) { g[0] = -s * q[1] / r / r; g[1] = s * q[0] / r / r; }
            else
            {
                for (int i = 0; i < d; i++) g[i] = Gaussian(rng);
                double along = g.Zip(q, (a, b) => a * b).Sum() / r2;
                for (int i = 0; i < d; i++) g[i] = (g[i] - along * q[i]) * s / Math.Sqrt(d - 1) / r;
            }
            samples.Add(new FilterSample(n, r2, g.Sum(x => x * x), v.Sum(x => x * x), g.Zip(q, (a, b) => a * b).Sum(), v.Zip(q, (a, b) => a * b).Sum()));
            for (int i = 0; i < d; i++)
            {
                v[i] = beta * v[i] + g[i] + k * q[i];
                q[i] -= eta * v[i];
            }
        }
        return new FilterTrace("features.0", 0, samples);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static FilterCheckSettings Settings(long end, double eta = Eta) => new(eta, Beta, K, 0, false, false, false, 0, end);

    [Test]
    public void Analyse_PersistentFilter_RecursionExact_GreenAndEq17Match_RegimePersistent()
    {
        var trace = Simulate(persistent: true, steps: 2001);
        var layer = FilterChecks.Analyse([trace], Settings(2001)).Layers.Single();
        Assert.That(layer.RecursionPairs, Is.EqualTo(2000));
        Assert.That(layer.RecursionWeightNorm.Max, Is.LessThan(Float64RecursionBound));
        Assert.That(layer.RecursionWeightDotVelocity.Max, Is.LessThan(Float64RecursionBound));
        Assert.That(layer.GreenLaw.Max, Is.LessThan(GreenLawBound));
        Assert.That(layer.Eq17.Max, Is.LessThan(Eq17PersistentBound));
        Assert.That(layer.Regime, Is.EqualTo(GradientRegime.Persistent), $"index {layer.PersistenceIndex}");
        Assert.That(layer.Curves[^1].Step, Is.EqualTo(2000));
    }

    [Test]
    public void Analyse_WhiteNoiseFilter_GreenMatches_Eq17OverPredicts_RegimeWhite()
    {
        var trace = Simulate(persistent: false, steps: 20001);
        var layer = FilterChecks.Analyse([trace], Settings(20001)).Layers.Single();
        Assert.That(layer.GreenLaw.Max, Is.LessThan(GreenLawBound));
        Assert.That(layer.Regime, Is.EqualTo(GradientRegime.WhiteNoise), $"index {layer.PersistenceIndex}");
        var last = layer.Curves[^1];
        Assert.That(last.Eq17R2 / last.MeasuredR2, Is.GreaterThan(2), "theory-notes C.4: Eq. 17 gives 9.245 where the simulation gives 2.155");
    }

    [Test]
    public void Analyse_WrongLearningRate_BreaksTheRecursion()
    {
        var trace = Simulate(persistent: true, steps: 200);
        var report = FilterChecks.Analyse([trace], Settings(200, eta: Eta * 1.01));
        Assert.That(report.RecursionHolds, Is.False, "a 1 % bookkeeping error in η must be caught");
        Assert.That(FilterChecks.Analyse([trace], Settings(200)).RecursionHolds, Is.True);
    }

    [Test]
    public void Analyse_OnlyEveryTenthStepMeasured_NoPairs_LawsStillRunOnHeldDrive()
    {
        var full = Simulate(persistent: true, steps: 2001);
        var sparse = full with { Samples = full.Samples.Where(s => s.Step % 10 == 0).ToList() };
        var report = FilterChecks.Analyse([sparse], Settings(2001));
        Assert.That(report.RecursionPairs, Is.Zero);
        Assert.That(report.RecursionHolds, Is.False, "nothing checked is not a pass");
        // Holding a slowly varying drive for 10 steps costs at most a few per mille here.
        Assert.That(report.Layers[0].GreenLaw.Max, Is.LessThan(10 * GreenLawBound));
    }

    [Test]
    public void Analyse_ConstrainedRun_SkipsTheRecursionAndSaysWhy()
    {
        var trace = Simulate(persistent: true, steps: 50);
        var report = FilterChecks.Analyse([trace], Settings(50) with { ConstrainedFilterNorms = true });
        Assert.That(report.RecursionPairs, Is.Zero);
        Assert.That(report.RecursionSkippedBecause, Does.Contain("constrained"));
    }

    [Test]
    public void Analyse_EffectiveLearningRate_TracksItsRmsPropAccumulator_WithPersistentGradients()
    {
        var layer = FilterChecks.Analyse([Simulate(persistent: true, steps: 2001)], Settings(2001)).Layers.Single();
        var last = layer.Curves[^1];
        Assert.That(last.EffectiveLearningRate, Is.EqualTo(Eta / ((1 - Beta) * last.MeasuredR2)).Within(1e-12).Percent);
        // G ← ρG + gain·|ĝ|² is Eq. 17 with a first-order decay factor: within Eq. 17's own accuracy plus O(ηk) = 1e-5.
        Assert.That(Math.Abs(last.RmsPropEffectiveLearningRate / last.EffectiveLearningRate - 1), Is.LessThan(Eq17PersistentBound));
    }

    [Test]
    public void Csv_RoundTrip_AndErrorsNameTheLine()
    {
        const string text = "step,layer,filter,w2,g2,v2,wg,wv\n0,features.0,0,1,2,0,0,0\n0,features.0,1,1,2,0,0,0\n1,features.0,0,1.5,2,3,1e-9,0.25\n";
        var traces = FilterCsv.Parse(new StringReader(text));
        Assert.That(traces, Has.Count.EqualTo(2));
        Assert.That(traces[0].Samples[1], Is.EqualTo(new FilterSample(1, 1.5, 2, 3, 1e-9, 0.25)));
        Assert.That(() => FilterCsv.Parse(new StringReader(text + "1,features.0,0,x,2,3,4,5\n"), "f.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("f.csv:5:"));
        Assert.That(() => FilterCsv.Parse(new StringReader("step,layer\n"), "f.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("f.csv:1:"));
    }

    [Test]
    public void Analyse_NaNRow_FailsTheVerdicts_NamingLayerFilterAndStep()
    {
        var trace = Simulate(persistent: true, steps: 60);
        var healthy = FilterChecks.Analyse([trace], Settings(60));
        Assert.That(healthy.RecursionHolds, Is.True);
        Assert.That(healthy.FirstNonFinite, Is.Null);

        var samples = trace.Samples.ToList();
        samples[23] = samples[23] with { WeightNormSq = double.NaN };
        samples[40] = samples[40] with { GradNormSq = double.PositiveInfinity };
        var report = FilterChecks.Analyse([trace with { Samples = samples }], Settings(60));
        Assert.That(report.RecursionHolds, Is.False);
        Assert.That(report.EpsilonIdentityHolds, Is.False);
        Assert.That(report.FirstNonFinite, Is.EqualTo("layer features.0, filter 0, step 23: |w|² = NaN"));
    }
}

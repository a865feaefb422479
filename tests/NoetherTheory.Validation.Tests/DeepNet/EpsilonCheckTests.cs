using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The BN-ε part of <see cref="FilterChecks"/> (theory/05-learning-dynamics.md#eq-5-7) and the filters.csv layouts.</summary>
public sealed class EpsilonCheckTests
{
    // The statistics below are a handful of float64 divisions of exactly representable inputs: equal to a few ulps.
    private const double Float64Ulps = 1e-14;

    private static FilterSample Sample(long step, double measured, double predicted, double w2 = 4, double g2 = 1) =>
        new(step, w2, g2, 0, measured, 0, predicted, 0.5);

    private static FilterCheckSettings Settings(double epsilon) => new(0.01, 0.9, 1e-3, 0, false, false, false, epsilon, 100);

    [Test]
    public void Analyse_ResidualViolationAndRelativeError_OnTheScaleOfWG()
    {
        // |w||g| = 2. Filter 0: violation 0.01, measured off by 2e-7 (residual 1e-7). Filter 1: violation 1e-6 (below the
        // resolved level), measured exactly 0 (residual 1e-6).
        var traces = new List<FilterTrace>
        {
            new("features.0", 0, [Sample(0, 0.02 + 2e-7, 0.02), Sample(1, -0.02, -0.02)]),
            new("features.0", 1, [Sample(0, 0, 2e-6)]),
        };
        var e = FilterChecks.Analyse(traces, Settings(0.1)).Layers.Single().Epsilon;
        Assert.That(e.Samples, Is.EqualTo(3));
        Assert.That(e.Violation.Max, Is.EqualTo(0.01).Within(Float64Ulps));
        Assert.That(e.Residual.Max, Is.EqualTo(1e-6).Within(Float64Ulps));
        Assert.That(e.ResolvedSamples, Is.EqualTo(2), "only filter 0's violation 0.01 ≥ FilterChecks.ResolvedViolation");
        Assert.That(e.RelativeError.Max, Is.EqualTo(1e-5).Within(Float64Ulps), "2e-7 / 0.02");
        Assert.That(FilterChecks.ResolvedViolation, Is.GreaterThan(1e-6).And.LessThan(0.01), "the two filters straddle the level");
    }

    [Test]
    public void Analyse_IdentityHolds_OnTheMedian_RoundOffTailAllowed_SystematicErrorFails()
    {
        // Three filter-steps right to 1e-6 relative and one round-off outlier (residual 5e-4): the median is round-off.
        var right = new List<FilterTrace>
        {
            new("features.0", 0, [Sample(0, 0.02, 0.02 * (1 + 1e-6)), Sample(1, 0.02, 0.02 * (1 + 1e-6)), Sample(2, 0.02, 0.02 * (1 + 1e-6)),
                Sample(3, 0.02 + 1e-3, 0.02)]),
        };
        // Every prediction 5 % high (as a wrong c would make it): residual 5e-4 everywhere.
        var wrong = new List<FilterTrace> { new("features.0", 0, [Sample(0, 0.02, 0.021), Sample(1, 0.02, 0.021)]) };
        var ok = FilterChecks.Analyse(right, Settings(0.1));
        var bad = FilterChecks.Analyse(wrong, Settings(0.1));
        Assert.That(ok.EpsilonIdentityHolds, Is.True, $"median residual {ok.EpsilonResidualMedianMax}");
        Assert.That(ok.EpsilonResidualMax, Is.EqualTo(5e-4).Within(Float64Ulps), "the tail is reported");
        Assert.That(bad.EpsilonIdentityHolds, Is.False, $"median residual {bad.EpsilonResidualMedianMax} = 5e-4 > {bad.EpsilonTolerance}");
        Assert.That(bad.EpsilonTolerance, Is.EqualTo(FilterChecks.EpsilonMedianTolerance));
    }

    [Test]
    public void Analyse_ZeroEpsilon_ResidualIsTheCosine_NothingResolved()
    {
        var traces = new List<FilterTrace> { new("features.0", 0, [Sample(0, 3e-8, 0), Sample(1, -1e-8, 0)]) };
        var report = FilterChecks.Analyse(traces, Settings(0));
        var e = report.Layers.Single().Epsilon;
        Assert.That(e.Residual.Max, Is.EqualTo(1.5e-8).Within(Float64Ulps));
        Assert.That(report.SymmetryCosineMax, Is.EqualTo(e.Residual.Max).Within(Float64Ulps), "ε = 0: residual = |cos(w,g)|, the round-off floor");
        Assert.That(e.Violation.Max, Is.Zero);
        Assert.That(e.ResolvedSamples, Is.Zero);
        Assert.That(report.EpsilonIdentityHolds, Is.True);
    }

    [Test]
    public void Analyse_LegacyLog_HasNoPrediction_AndNothingIsClaimed()
    {
        var traces = new List<FilterTrace> { new("features.0", 0, [new FilterSample(0, 4, 1, 0, 1e-3, 0)]) };
        var report = FilterChecks.Analyse(traces, Settings(1e-5));
        Assert.That(report.EpsilonSamples, Is.Zero);
        Assert.That(report.EpsilonResidualMax, Is.NaN);
        Assert.That(report.EpsilonIdentityHolds, Is.False, "nothing compared is not a pass");
    }

    [Test]
    public void Analyse_ZeroGradient_IsSkipped_NotADivisionByZero()
    {
        var traces = new List<FilterTrace> { new("features.0", 0, [Sample(0, 0, 0, g2: 0), Sample(1, 0.02, 0.02)]) };
        var e = FilterChecks.Analyse(traces, Settings(0.1)).Layers.Single().Epsilon;
        Assert.That(e.Samples, Is.EqualTo(1));
        Assert.That(e.Residual.Max, Is.Zero);
    }

    [Test]
    public void Csv_CurrentLayout_ReadsPredictionAndVariance()
    {
        const string text = FilterCsv.PreAngleHeader + "\n0,features.0,0,4,1,0,0.02,0,0.0199,0.75\n1,features.0,0,4,1,0.5,-0.01,0.1,NaN,NaN\n";
        var trace = FilterCsv.Parse(new StringReader(text)).Single();
        Assert.That(trace.Samples[0], Is.EqualTo(new FilterSample(0, 4, 1, 0, 0.02, 0, 0.0199, 0.75)));
        Assert.That(trace.Samples[1].HasPrediction, Is.False, "NaN (a step without a captured variance) reads as no prediction");
    }

    [Test]
    public void Csv_LegacyLayout_ReadsWithNaNPredictions()
    {
        const string text = FilterCsv.LegacyHeader + "\n0,features.0,0,4,1,0,0.02,0\n";
        var sample = FilterCsv.Parse(new StringReader(text)).Single().Samples.Single();
        Assert.That(sample.WeightDotGrad, Is.EqualTo(0.02));
        Assert.That(sample.PredictedWeightDotGrad, Is.NaN);
        Assert.That(sample.BatchVariance, Is.NaN);
    }

    [Test]
    public void Csv_RowsThatDoNotMatchTheHeader_NameTheLine()
    {
        // A legacy row in a current-layout file (mixed layouts) and a current row in a legacy file are both refused.
        Assert.That(() => FilterCsv.Parse(new StringReader(FilterCsv.Header + "\n0,features.0,0,4,1,0,0.02,0\n"), "f.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("f.csv:2:").And.Message.Contains("expected 11"));
        Assert.That(() => FilterCsv.Parse(new StringReader(FilterCsv.LegacyHeader + "\n0,features.0,0,4,1,0,0.02,0,0.02,1\n"), "f.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("f.csv:2:").And.Message.Contains("expected 8"));
        Assert.That(() => FilterCsv.Parse(new StringReader(FilterCsv.PreAngleHeader + "\n0,features.0,0,4,1,0,0.02,0,x,1\n"), "f.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("f.csv:2:").And.Message.Contains("'x'"));
    }
}

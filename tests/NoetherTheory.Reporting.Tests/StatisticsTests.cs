using CsCheck;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Testing;

namespace NoetherTheory.Reporting.Tests;

[TestFixture]
public sealed class StatisticsTests
{
    // log10 of data spanning ≤ 12 decades, a handful of sums: a few ulps of O(10) values.
    private static readonly Tolerance FitRoundOff = new(1e-10, 1e-10);

    [Test]
    public void Fit_ExactPowerLaw_RecoversExponentAndPrefactor() =>
        Gen.Select(Gen.Double[-5, 5], Gen.Double[-3, 3], Gen.Int[2, 8], Gen.Double[1.2, 4]).Sample((p, logC, n, ratio) =>
        {
            double c = Math.Pow(10, logC);
            double[] x = [.. Enumerable.Range(0, n).Select(i => 0.01 * Math.Pow(ratio, i))];
            double[] y = [.. x.Select(v => c * Math.Pow(v, p))];
            var fit = PowerLawFit.Fit(x, y);
            NumericAssert.Close(p, fit.Exponent, FitRoundOff);
            NumericAssert.Close(c, fit.Prefactor, FitRoundOff);
            NumericAssert.Close(1, fit.RSquared, FitRoundOff);
        });

    [Test]
    public void Fit_NoisyData_HasRSquaredBelowOne()
    {
        var fit = PowerLawFit.Fit([1, 2, 4, 8], [1, 5, 3, 70]);
        Assert.That(fit.RSquared, Is.LessThan(0.99).And.GreaterThan(0));
    }

    [Test]
    public void Fit_ZeroValue_ExplainsLogFit() =>
        Assert.That(() => PowerLawFit.Fit([1, 2], [1, 0]), Throws.ArgumentException.With.Message.Contains("point 1"));

    [Test]
    public void Fit_SinglePoint_IsRejected() =>
        Assert.That(() => PowerLawFit.Fit([1.0], [1.0]), Throws.ArgumentException.With.Message.Contains("at least two"));

    [Test]
    public void Fit_EqualX_IsRejected() =>
        Assert.That(() => PowerLawFit.Fit([2, 2], [1, 3]), Throws.ArgumentException.With.Message.Contains("all x values are equal"));

    [TestCase(0.0, 1.0)]
    [TestCase(0.25, 1.75)]
    [TestCase(0.5, 2.5)]
    [TestCase(1.0, 4.0)]
    public void QuantileSorted_IsType7(double q, double expected) =>
        Assert.That(SampleStatistics.QuantileSorted([1, 2, 3, 4], q), Is.EqualTo(expected));

    [Test]
    public void StandardDeviation_UsesNMinusOne()
    {
        // Σ(x − 5)² = 32 over 8 values: sample variance 32/7.
        NumericAssert.Close(Math.Sqrt(32.0 / 7), SampleStatistics.StandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]), Tolerance.RoundOff);
    }

    [Test]
    public void Box_WhiskersStopAtDataWithinOneAndAHalfIqr()
    {
        // 1…10: Q1 = 3.25, Q3 = 7.75, IQR 4.5, fences −3.5 and 14.5; 30 is an outlier, NaN is ignored.
        var box = SampleStatistics.Box([.. Enumerable.Range(1, 10).Select(i => (double)i), 30, double.NaN]);
        Assert.That((box.LowerWhisker, box.UpperWhisker), Is.EqualTo((1.0, 10.0)));
        Assert.That(box.Outliers, Is.EqualTo(new[] { 30.0 }));
    }

    [Test]
    public void Histogram_AutoBins_CoverAllValuesAndStayInClamp() =>
        Gen.Double[-1e3, 1e3].Array[2, 300].Sample(values =>
        {
            var (edges, counts) = Histogramming.Bin(values, 0);
            Assert.That(counts.Sum(), Is.EqualTo(values.Length));
            Assert.That(edges, Has.Length.EqualTo(counts.Length + 1));
            Assert.That(counts.Length, values.Distinct().Count() == 1 ? Is.EqualTo(1) : Is.InRange(5, 100));
        });
}

using NoetherTheory.Laws.Dynamics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Tests.Dynamics;

/// <summary>Every numeric check can fail: a perturbed law, a perturbed rate, a wrong degree, a wrong kind of law and a
/// diverging run are each caught (theory/07-laws-under-momentum.md#eq-7-5 … #eq-7-8).</summary>
[TestFixture]
public sealed class FailabilityTests
{
    private static readonly DriftCheckOptions Options = DriftCheckOptions.Default;

    [Test]
    public void GradientDescentOrder_PerturbedLaw_FailsWithSlopeNearZero()
    {
        var (phi, laws) = DynamicsFixtures.Relu(2, 3, 2);
        var runs = new DriftChecks(phi, Options);
        Assert.That(runs.GradientDescent(laws[0]).Passed, Is.True);
        var bad = runs.GradientDescent(DynamicsFixtures.Perturbed(laws[0]));
        Assert.That(bad.Passed, Is.False);
        Assert.That(bad.Measured, Is.LessThan(0.5), "a 1 % perturbation drifts at O(ε), independent of η");
    }

    [Test]
    public void Check_PerturbedLaw_IsNotALaw_AndTheReportFails([Values] Flow flow)
    {
        var (phi, laws) = DynamicsFixtures.Linear(2, 2, 2);
        var report = LawDynamics.Check(phi, [laws[0], DynamicsFixtures.Perturbed(laws[2])], flow);
        Assert.That(report.AllPassed, Is.False);
        Assert.That(report.Classification.Verdicts[1].Fate, Is.EqualTo(LawFate.NotALaw));
        Assert.That(report.Checks.Single(c => c.Subject.Contains("perturbed", StringComparison.Ordinal)).Passed, Is.False);
    }

    [Test]
    public void WeightDecayOrder_WrongDegree_Fails()
    {
        var (phi, laws) = DynamicsFixtures.Triple();
        var runs = new DriftChecks(phi, Options);
        Assert.That(runs.WeightDecay(laws[0], [2]).Passed, Is.True);
        Assert.That(runs.WeightDecay(laws[0], [3]).Passed, Is.False, "h·e^(3λt) is not conserved: O(1) drift");
        Assert.That(runs.WeightDecay(laws[0], [1]).Passed, Is.False, "h·e^(λt) is not conserved: O(1) drift");
    }

    [Test]
    public void ChargeDecay_PredictedRateOffByOnePercent_Fails()
    {
        var (phi, _) = DynamicsFixtures.Linear(2, 3, 2);
        var charge = LawDynamics.Classify(phi, [], Flow.Momentum).Charges[0];
        var runs = new DriftChecks(phi, Options);
        double rate = 1 / LawDynamics.DampingTime(Options.MomentumLearningRate, Options.Momentum);
        var k = LawDynamics.ToArray(charge.Generator);
        Assert.That(runs.ChargeDecay(charge.Name, k, rate).Passed, Is.True);
        Assert.That(runs.ChargeDecay(charge.Name, k, rate * 1.01).Passed, Is.False);
        Assert.That(runs.ChargeDecay(charge.Name, k, rate * 0.99).Passed, Is.False);
    }

    [Test]
    public void ChargeDecay_SymmetricGeneratorOfALostLaw_FailsTheGeometricFit()
    {
        var (phi, laws) = DynamicsFixtures.Linear(2, 2, 2);
        int d = phi.Dimension;
        // S = ∇²h of the law (U1U1ᵀ − U2ᵀU2)[0,1]: a symmetric generator, kinetically broken.
        var s = new Rational[d, d];
        foreach (var (m, c) in laws[1].Law.Terms)
        {
            var f = m.Factors;
            if (f.Length == 2) { s[f[0].Variable, f[1].Variable] += c; s[f[1].Variable, f[0].Variable] += c; }
            else s[f[0].Variable, f[0].Variable] += 2 * c;
        }
        var runs = new DriftChecks(phi, Options);
        double rate = 1 / LawDynamics.DampingTime(Options.MomentumLearningRate, Options.Momentum);
        Assert.That(runs.ChargeDecay("symmetric", s, rate).Passed, Is.False);
    }

    [Test]
    public void KineticBreaking_AffineLaw_FailsBecauseItDoesNotDrift()
    {
        var (phi, laws) = DynamicsFixtures.TranslationAndRescale();
        var runs = new DriftChecks(phi, Options);
        Assert.That(runs.KineticBreaking(laws[1]).Passed, Is.True, "the rescale law is lost");
        var affine = runs.KineticBreaking(laws[0]);
        Assert.That(affine.Passed, Is.False, $"an affine law survives the damped flow: Δh = {affine.Measured}");
    }

    [Test]
    public void KineticBreaking_PerturbedLaw_FailsTheIdentity()
    {
        var (phi, laws) = DynamicsFixtures.Triple();
        var runs = new DriftChecks(phi, Options);
        Assert.That(runs.KineticBreaking(DynamicsFixtures.Perturbed(laws[0])).Passed, Is.False);
    }

    [Test]
    public void MomentumExact_QuadraticLaw_Fails()
    {
        var (phi, laws) = DynamicsFixtures.TranslationAndRescale();
        var runs = new DriftChecks(phi, Options);
        Assert.That(runs.MomentumExact(laws[0]).Passed, Is.True);
        Assert.That(runs.MomentumExact(laws[1]).Passed, Is.False, "a quadratic law drifts under heavy ball");
    }

    [Test]
    public void Divergence_NaNOrInfinity_Fails()
    {
        var (phi, laws) = DynamicsFixtures.Relu(2, 3, 2);
        var options = Options with { Horizon = 40, LearningRates = [2, 1, 0.5] };
        var check = new DriftChecks(phi, options).GradientDescent(laws[0]);
        Assert.That(check.Passed, Is.False);
        Assert.That(double.IsFinite(check.Measured), Is.False, "the slope of a diverged sweep is NaN");
        Assert.That(DriftChecks.Slope([1, 2, 3], [1, double.PositiveInfinity, 3]), Is.NaN);
        Assert.That(DriftChecks.Slope([1, 2, 3], [1, double.NaN, 3]), Is.NaN);
        Assert.That(DriftChecks.Slope([1, 2, 3], [1, 0, 3]), Is.NaN, "a zero drift has no logarithm");
    }

    [Test]
    public void Options_Invalid_AreRejectedWithTheFieldName()
    {
        var (phi, laws) = DynamicsFixtures.Triple();
        var e = Assert.Throws<ArgumentException>(() => LawDynamics.Check(phi, laws, Flow.Momentum, Options with { Momentum = 1 }));
        Assert.That(e!.Message, Does.Contain("Momentum"));
        e = Assert.Throws<ArgumentException>(() => LawDynamics.Check(phi, laws, Flow.Gradient, Options with { LearningRates = [0.1, 0.05] }));
        Assert.That(e!.Message, Does.Contain("LearningRates"));
    }
}

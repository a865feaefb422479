using NoetherTheory.Mechanics;
using NoetherTheory.Testing;
using NoetherTheory.Validation.Generated;

namespace NoetherTheory.Validation.Tests.Generated;

/// <summary>
/// The generated equilibrium checks (issue 16 item 2): the rotational equilibrium the engine derives for every rule (θ*²
/// and the norm) against the rule's own compiled catalog update on the toy scale-invariant block; each check must fail when
/// its law is perturbed by 1%.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EquilibriumCheckTests
{
    /// <summary>The largest relative tolerance a check may have so that a 1% error in the law is detected.</summary>
    private const double DetectableRelativeError = 0.01;

    private DerivedCheckReport _report = null!;

    [OneTimeSetUp]
    public void RunChecks()
    {
        var catalog = Catalog.Load(RepositoryPaths.Combine("theory", "catalog"));
        _report = EquilibriumChecks.Run(catalog);
        TestContext.Progress.WriteLine(EquilibriumChecks.FormatTable(_report));
    }

    [Test]
    public void EveryDerivedEquilibriumMatchesTheSimulatedRule()
    {
        Assert.That(_report.Checks, Is.Not.Empty);
        foreach (var c in _report.Checks)
            Assert.That(c.Passed, Is.True, $"{c.Rule} {c.Law} {c.Forcing}: predicted {c.Predicted:G6}·(1 + {c.BiasCorrection:E2}), measured {c.Measured:G6}, tolerance {c.Tolerance:G3}");
    }

    [Test]
    public void EachCheckCatchesAOnePercentError()
    {
        foreach (var c in _report.Checks)
        {
            Assert.That(c.RelativeTolerance, Is.LessThan(DetectableRelativeError), $"{c.Rule} {c.Law} {c.Forcing}");
            Assert.That(c.Perturbed(+0.01).Passed && c.Perturbed(-0.01).Passed, Is.False, $"{c.Rule} {c.Law} {c.Forcing}");
        }
    }
}

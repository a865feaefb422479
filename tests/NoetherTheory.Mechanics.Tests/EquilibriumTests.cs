using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>Rotational equilibria derived from each rule's catalog update (issue 16 item 2), cross-checked against the
/// published formulas (Kosson, Messmer &amp; Jaggi, ICML 2024) and NLD's white-noise steady state.</summary>
[TestFixture]
public sealed class EquilibriumTests
{
    private static readonly Catalog TheCatalog = Catalog.Load(CatalogTests.CatalogDir);

    [Test]
    public void PrintAll()
    {
        foreach (var r in TheCatalog.Rules)
            foreach (var f in new[] { GradientForcing.Persistent, GradientForcing.White })
            {
                var e = Equilibrium.Derive(r, f);
                TestContext.Out.WriteLine($"{r.Id} {f}: theta2={e.AngularUpdateSquared} norm={e.NormLaw} etaEff={e.EffectiveLearningRate} relax={e.RelaxationSteps} not={e.NotDerived}");
            }
        Assert.Pass();
    }
}

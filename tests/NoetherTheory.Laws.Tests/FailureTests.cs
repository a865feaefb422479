using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;
using NoetherTheory.Testing;

namespace NoetherTheory.Laws.Tests;

/// <summary>The verdicts can fail: a wrong law is caught, a too-small algebra changes the count, bad input is refused.</summary>
[TestFixture]
public sealed class FailureTests
{
    [Test]
    public void Check_PerturbedCoefficient_IsNonZero()
    {
        var phi = Factorisations.Linear([2, 3, 2]);
        var law = ConservationLaws.Discover(phi).Laws[0].Law;
        var (m, c) = law.Terms[0];
        var wrong = law + Polynomial.Term(m, c / 1000);   // one coefficient off by 0.1 %
        Assert.Multiple(() =>
        {
            Assert.That(ConservationLaws.Check(phi, law).Kind, Is.EqualTo(ZeroTestKind.Proven));
            Assert.That(ConservationLaws.Check(phi, wrong).Kind, Is.EqualTo(ZeroTestKind.NonZero));
            Assert.That(ConservationLaws.IsConserved(phi, wrong), Is.False);
        });
    }

    [Test]
    public void Discover_DroppedComponent_ChangesTheCount()
    {
        var full = Factorisations.Linear([2, 2, 2]);
        var dropped = full with { Name = "dropped", Components = [full.Components[0]] };
        var a = ConservationLaws.Discover(full);
        var b = ConservationLaws.Discover(dropped);
        Assert.Multiple(() =>
        {
            Assert.That(a.Count, Is.EqualTo(3));
            Assert.That(b.Lie.Rank, Is.LessThan(a.Lie.Rank), "one field fewer generates a smaller algebra");
            Assert.That(b.Count, Is.GreaterThan(a.Count));
        });
    }

    [Test]
    public void Compute_DepthBudgetTooSmall_IsUpperBoundOnlyUnlessLawsMeetIt()
    {
        // Deep linear nets need brackets of depth 2–3; with depth 1 the rank is only a lower bound.
        var phi = Factorisations.Linear([2, 3, 3, 2]);
        var lie = LieAlgebraRank.Compute(phi, new LieRankOptions { MaxDepth = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(lie.Stop, Is.EqualTo(LieStop.Budget));
            Assert.That(lie.Rank, Is.LessThan(9));
            Assert.That(lie.LawCount, Is.GreaterThan(12), "too few brackets: too many laws claimed, so the verdict must not be Proven");
        });
        var r = ConservationLaws.Discover(phi, new LawOptions { Lie = new LieRankOptions { MaxDepth = 1 } });
        Assert.That(r.Verdict, Is.EqualTo(CountVerdict.UpperBoundOnly), r.Evidence);
    }

    [Test]
    public void FromExpressions_NonPolynomial_IsRefusedWithTheOffendingPart()
    {
        var ex = Assert.Throws<FactorisationException>(() => Factorisations.FromExpressions("bad", [Expr.Parse("x/y + exp(x)")]));
        Assert.That(ex!.Message, Does.Contain("not a polynomial"));
    }

    [Test]
    public void FromCatalogModel_LinearNet_HasTheLinearNetLaws()
    {
        var catalog = Catalog.Load(CatalogDirectory());
        var phi = Factorisations.FromCatalogModel(catalog.Model("linear-net"));
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            // W1 2x2, W2 1x2: inner width 2 → 3 laws (entries of W1 W1^T − W2^T W2), as for linear:2,2,1.
            Assert.That(phi.Dimension, Is.EqualTo(6));
            Assert.That(r.Count, Is.EqualTo(3), r.Evidence);
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), r.Evidence);
            Assert.That(ConservationLaws.Discover(Factorisations.Linear([2, 2, 1])).Count, Is.EqualTo(3));
        });
    }

    [TestCase("rayleigh", "not a polynomial")]
    [TestCase("relu-unit", "not a polynomial")]
    [TestCase("abstract-scale", "abstract")]
    public void FromCatalogModel_NotPolynomial_IsRefused(string id, string reason)
    {
        var catalog = Catalog.Load(CatalogDirectory());
        var ex = Assert.Throws<FactorisationException>(() => Factorisations.FromCatalogModel(catalog.Model(id)));
        Assert.That(ex!.Message, Does.Contain(reason));
    }

    [Test]
    public void Linear_BadWidths_AreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<FactorisationException>(() => Factorisations.Linear([3]));
            Assert.Throws<FactorisationException>(() => Factorisations.Linear([2, 0, 2]));
            Assert.Throws<FactorisationException>(() => Factorisations.Relu([50, 50, 50, 50], bias: false));
        });
    }

    private static string CatalogDirectory() => RepositoryPaths.Combine("theory", "catalog");
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Tests;

/// <summary>The counts asserted by Marcotte, Gribonval &amp; Peyré (2023), theory/06-conservation-laws.md#eq-6-6.</summary>
[TestFixture]
public sealed class KnownAnswerTests
{
    [TestCase(new[] { 2, 2, 2 }, 3)]
    [TestCase(new[] { 2, 3, 2 }, 6)]
    [TestCase(new[] { 4, 3, 5 }, 6)]
    [TestCase(new[] { 2, 5, 3 }, 15)]
    public void Discover_TwoLayerLinear_CountIsProvenAndMatchesPaper(int[] widths, int expected)
    {
        var r = ConservationLaws.Discover(Factorisations.Linear(widths));
        Assert.Multiple(() =>
        {
            Assert.That(r.Count, Is.EqualTo(expected), r.Evidence);
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), r.Evidence);
            Assert.That(r.Complete, Is.True, r.Completeness);
            Assert.That(r.Named, Is.True, "the kernel should be spanned by the entries of U1 U1^T - U2^T U2");
            Assert.That(r.Checks.Select(c => c.Kind), Is.All.EqualTo(ZeroTestKind.Proven));
            Assert.That(r.Laws, Has.Length.EqualTo(expected));
        });
    }

    [TestCase(new[] { 2, 3, 2 }, false)]
    [TestCase(new[] { 2, 3, 2 }, true)]
    [TestCase(new[] { 3, 4, 1 }, false)]
    [TestCase(new[] { 3, 4, 1 }, true)]
    public void Discover_TwoLayerRelu_OneLawPerHiddenUnit(int[] widths, bool bias)
    {
        var r = ConservationLaws.Discover(Factorisations.Relu(widths, bias));
        Assert.Multiple(() =>
        {
            Assert.That(r.Count, Is.EqualTo(widths[1]), r.Evidence);
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), r.Evidence);
            Assert.That(r.Named, Is.True, "one |in|^2 (+ b^2) - |out|^2 per unit should span the kernel");
            Assert.That(r.Laws.Select(l => l.Display), Has.All.StartWith("|U1["));
            Assert.That(r.Laws[0].Display, bias ? Does.Contain("b1[0]^2") : Does.Not.Contain("b1"));
        });
    }

    [Test]
    public void Discover_TripleProduct_LieDimensionOneAndTwoLaws()
    {
        var x = Expr.Symbols("x", 3);
        var phi = Factorisations.FromExpressions("x1x2x3", [Expr.Multiply(x[0], x[1], x[2])]);
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            Assert.That(r.Lie.Rank, Is.EqualTo(1));
            Assert.That(r.Count, Is.EqualTo(2));
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven));
            Assert.That(r.IndependentLaws, Is.EqualTo(2));
            // x0^2 - x1^2 and x0^2 - x2^2 (in some basis): every law is a combination of squares with coefficients summing to 0.
            Assert.That(r.Laws.Select(l => l.Law.Terms.Length), Is.All.EqualTo(2));
        });
    }

    [Test]
    public void Discover_SingleGenericPolynomialField_FourLawsInFiveDimensions()
    {
        var x = Expr.Symbols("x", 5);
        // A dense cubic with unrelated coefficients: generic enough for a single field.
        var f = Expr.Parse("3*x[0]^3 - 2*x[0]*x[1]*x[4] + 5*x[1]^2*x[2] + 7*x[2]*x[3]^2 - x[3]*x[4] + 11*x[4]^3 + x[0]*x[2] - 4*x[1]");
        var phi = Factorisations.FromExpressions("generic", [f]);
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            Assert.That(phi.Dimension, Is.EqualTo(5), "every x[i] occurs");
            Assert.That(x, Has.Length.EqualTo(5));
            Assert.That(r.Lie.Rank, Is.EqualTo(1));
            Assert.That(r.Count, Is.EqualTo(4));
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), "a single generator spans its own algebra");
            Assert.That(r.Complete, Is.False, "a generic cubic has no polynomial law of degree <= 2");
        });
    }

    [Test]
    public void Discover_GenericCubicAndItsSquare_IsProbablyCorrectWithABound()
    {
        // ∇(f²) = 2f∇f: two generators whose algebra has rank 1, but no exact argument caps it (two generators, no
        // polynomial law of degree ≤ 2 for a generic cubic), so the count D − 1 = 2 carries the Schwartz–Zippel bound.
        var f = Expr.Parse("2*x[0]^3 + 3*x[0]*x[1]*x[2] - 5*x[1]^2*x[2] + 7*x[2]^3 + x[0]*x[1]");
        var phi = Factorisations.FromExpressions("f and f^2", [f, Expr.Pow(f, 2)]);
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            Assert.That(r.Lie.Rank, Is.EqualTo(1));
            Assert.That(r.Count, Is.EqualTo(2));
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.ProbablyCorrect), r.Evidence);
            Assert.That(r.FailureProbabilityBound, Is.GreaterThan(0).And.LessThan(1e-20));
            Assert.That(r.Completeness, Does.StartWith("incomplete up to degree 2: 0 of 2"));
        });
    }
}

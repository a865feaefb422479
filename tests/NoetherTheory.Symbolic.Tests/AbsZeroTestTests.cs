using CsCheck;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>The exact proof through abs: each |u| of a real u is an atom a with a² = u², so identities that hold for
/// both signs of |u| are Proven, false ones stay NonZero, and |z| of a complex z stays opaque.</summary>
[TestFixture]
public sealed class AbsZeroTestTests
{
    private const string Relu = "((z + abs(z))/2)";
    private const string ReluNeg = "((-z + abs(z))/2)";

    [TestCase(Relu + "^2 - z*" + Relu)]                                   // relu(z)² = z·relu(z)
    [TestCase("((z + abs(z))/2)*((-z + abs(z))/2)")]                       // relu(z)·relu(−z) = 0
    [TestCase(Relu + " - " + ReluNeg + " - z")]                            // relu(z) − relu(−z) = z
    [TestCase(Relu + " + " + ReluNeg + " - abs(z)")]                       // relu(z) + relu(−z) = |z|
    [TestCase("abs(z)^3 - z^2*abs(z)")]
    [TestCase("1/abs(z) - abs(z)/z^2")]
    [TestCase("abs(w*x + b)^2 - (w*x + b)^2")]
    [TestCase("((w*x + b + abs(w*x + b))/2)^3 - (w*x + b)^2*(w*x + b + abs(w*x + b))/2")]
    [TestCase("abs(abs(x) - 1)^2 - x^2 + 2*abs(x) - 1")]                 // nested: (|x| − 1)² with |x|² = x²
    [TestCase("abs(sin(x))^2 - sin(x)^2")]
    [TestCase("abs(x)*(x^2 + y^2)^(1/2)*abs(x) - x^2*(x^2 + y^2)^(1/2)")] // with a radical alongside
    public void ReluAndAbsIdentities_Proven(string text)
    {
        var verdict = ZeroTest.Run(Expr.Parse(text));
        Assert.That(verdict.Kind, Is.EqualTo(ZeroTestKind.Proven), $"{text}: {verdict}");
        // Linear identities already cancel in the canonical form; the others need the relation.
        Assert.That(verdict.Evidence, Does.Contain("a² = u²").Or.EqualTo("the canonical form is 0"));
    }

    [TestCase("abs(z) - z")]
    [TestCase(Relu + " - z")]
    [TestCase("abs(x + y) - abs(x) - abs(y)")]
    [TestCase("abs(z)^3 - z^3")]
    [TestCase(Relu + "^2 - " + Relu)]
    public void FalseAbsIdentities_NonZero(string text)
    {
        var verdict = ZeroTest.Run(Expr.Parse(text));
        Assert.That(verdict.Kind, Is.EqualTo(ZeroTestKind.NonZero), $"{text}: {verdict}");
    }

    [Test]
    public void AbsOfComplexSymbol_StaysOpaque()
    {
        // |z|² = z·z̄, not z², for complex z: the relation must not be used.
        var e = Expr.Parse("abs(z)^2 - z^2", new ParseOptions { DefaultAssumptions = SymbolAssumptions.None });
        var verdict = ZeroTest.Run(e);
        Assert.That(verdict.Kind, Is.Not.EqualTo(ZeroTestKind.Proven), verdict.ToString());
    }

    [Test]
    public void AbsOfLog_StaysOpaque()
    {
        // log of a negative real is complex, so log(x) is not known to be real.
        var verdict = ZeroTest.Run(Expr.Parse("abs(log(x))^2 - log(x)^2"));
        Assert.That(verdict.Kind, Is.Not.EqualTo(ZeroTestKind.Proven), verdict.ToString());
    }

    /// <summary>A random polynomial in x and a: (coefficient, power of x, power of a) terms.</summary>
    private static readonly Gen<(int C, int I, int K)[]> Poly =
        Gen.Select(Gen.Int[-4, 4], Gen.Int[0, 2], Gen.Int[0, 3]).Array[1, 4];

    /// <summary>Σ c·x^i·a^k as an expression.</summary>
    private static Expr Build(IEnumerable<(int C, int I, int K)> terms, Expr x, Func<int, Expr> aPower) =>
        Expr.Add(terms.Select(t => Expr.Multiply(Expr.Number(t.C), Expr.Pow(x, t.I), aPower(t.K))));

    private static bool Excluded(Expr e) =>
        e is Power { Exponent: Number { Value.Denominator: var d } } && d == 2 || e is Call { Kind: FunctionKind.Exp }
        || e.Children.Any(Excluded);

    [Test]
    public void RandomPolynomialIdentitiesInAbs_Proven() =>
        // u without half-integer powers (inside |u| a radical √b is an opaque symbol not known to be real: b may be < 0)
        // and without exp (the canonical exp(u)^n = exp(nu) makes exp atoms dependent, which no atom proof sees).
        Gen.Select(Poly, Poly, ExprGen.Smooth(2).Where(u => !Excluded(u))).Sample((p1, p2, u) =>
        {
            var x = ExprGen.X;
            var a = Expr.Abs(u);
            // The product expanded by hand (coefficient lists), then a^k → u^(2⌊k/2⌋)·a^(k mod 2).
            var product = from s in p1 from t in p2 select (C: s.C * t.C, I: s.I + t.I, K: s.K + t.K);
            var lhs = Build(p1, x, k => Expr.Pow(a, k)) * Build(p2, x, k => Expr.Pow(a, k));
            var rhs = Build(product, x, k => Expr.Multiply(Expr.Pow(u, 2 * (k / 2)), Expr.Pow(a, k % 2)));
            var verdict = ZeroTest.Run(lhs - rhs);
            Assert.That(verdict.Kind, Is.EqualTo(ZeroTestKind.Proven), $"u = {u}: ({lhs}) − ({rhs}): {verdict}");
        }, iter: 150);

    [Test]
    public void RandomPolynomialIdentitiesInAbs_PerturbedAreNotProven() =>
        Gen.Select(Poly, Gen.Int[1, 3]).Sample((p, c) =>
        {
            // |x − 2y + 1| with one odd power changed: p(a) + c·a^(2m+1)·x vs the reduced form without it.
            var x = ExprGen.X;
            var u = Expr.Parse("x - 2*y + 1");
            var a = Expr.Abs(u);
            var lhs = Build(p, x, k => Expr.Pow(a, k)) + c * a * x;
            var rhs = Build(p, x, k => Expr.Multiply(Expr.Pow(u, 2 * (k / 2)), Expr.Pow(a, k % 2)));
            var verdict = ZeroTest.Run(lhs - rhs);
            Assert.That(verdict.Kind, Is.Not.EqualTo(ZeroTestKind.Proven), $"({lhs}) − ({rhs}): {verdict}");
            Assert.That(verdict.IsZero, Is.False, $"({lhs}) − ({rhs}): {verdict}");
        }, iter: 50);
}

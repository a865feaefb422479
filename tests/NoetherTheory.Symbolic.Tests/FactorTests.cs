using CsCheck;
using NoetherTheory.Symbolic;
using NoetherTheory.Testing;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>Algebra.Factor: display-oriented, exact, budgeted.</summary>
[TestFixture]
public sealed class FactorTests
{
    /// <summary>Factor reorders exact arithmetic only; differences are double round-off on O(1)–O(100) values.</summary>
    private static readonly Tolerance FactorRoundOff = new(1e-9, 1e-9);

    [TestCase("-beta*delta*eta/2 + beta*eta/2 - delta*eta/2 + eta/2", "eta*(1 - delta)*(1 + beta)/2")]
    [TestCase("x^2 + 2*x + 1", "(x + 1)^2")]
    [TestCase("x^2 - y^2", "(x - y)*(x + y)")]
    [TestCase("x^2*y + x*y^2", "x*y*(x + y)")]
    [TestCase("a^2 + 2*a*b + b^2 + 2*a*c + 2*b*c + c^2", "(a + b + c)^2")]
    [TestCase("2*x*y - 2*x", "-2*x*(1 - y)")]
    [TestCase("(beta*eta/2 + eta/2)/(-beta + 1)", "eta*(1 + beta)/2*(1 - beta)^(-1)")]
    [TestCase("-2*beta*eta*k^2 - 2*beta*k + 2*eta*k^2 + 2*k", "2*k*(1 - beta)*(1 + eta*k)")]
    [TestCase("exp(x^2*y + x*y^2)", "exp(x*y*(x + y))")]
    public void Factor_KnownForms_MatchesExpected(string input, string expected)
    {
        var f = Expr.Parse(input).Factor();
        Assert.That(f, Is.EqualTo(Expr.Parse(expected)), $"Factor({input}) = {f}");
    }

    [TestCase("x^2 + y^2")]
    [TestCase("x + 1")]
    [TestCase("2*x + 2*y")]
    public void Factor_IrreducibleOrUnrepresentable_ReturnsEquivalentNoLarger(string input)
    {
        var e = Expr.Parse(input);
        var f = e.Factor();
        Assert.That(f.NodeCount, Is.LessThanOrEqualTo(e.NodeCount));
        Assert.That(f.Expand(), Is.EqualTo(e.Expand()));
    }

    [Test]
    public void Factor_OverBudget_ReturnsInput()
    {
        var e = Expr.Parse("x^2 + 2*x + 1");
        Assert.That(e.Factor(new FactorOptions { MaxNodeCount = 3 }), Is.SameAs(e));
    }

    private static readonly Symbol[] Vars = ExprGen.Variables;

    /// <summary>Random polynomials built as products of small sums (so that there is something to factor), expanded.</summary>
    private static readonly Gen<Expr> ProductOfSums =
        Gen.Select(Gen.Int[1, 3], Gen.Int[-2, 2].Array[4].Array[3], Gen.Int[1, 3].Array[3])
           .Select((count, coefficients, powers) =>
           {
               var factors = new List<Expr>();
               for (int i = 0; i < count; i++)
               {
                   var c = coefficients[i];
                   factors.Add(Expr.Pow(Expr.Add(Expr.Number(c[0]), Expr.Number(c[1]) * Vars[0], Expr.Number(c[2]) * Vars[1], Expr.Number(c[3]) * Vars[2]), powers[i] % 3));
               }
               return Expr.Multiply(factors).Expand();
           });

    [Test]
    public void Factor_Property_ExpandOfFactorEqualsExpandOfInput() =>
        ProductOfSums.Sample(p => Assert.That(p.Factor().Expand(), Is.EqualTo(p.Expand()), p.ToString()), iter: 200);

    [Test]
    public void Factor_Property_ValueUnchangedAtRandomPoints() =>
        Gen.Select(ExprGen.Smooth(3), ExprGen.Point(1.5)).Sample((e, point) =>
        {
            double expected = e.Evaluate(point);
            if (!double.IsFinite(expected)) return;
            NumericAssert.Close(expected, e.Factor().Evaluate(point), FactorRoundOff);
        }, iter: 300);
}

/// <summary>Printing of c − t (constant first when the rest is a single negative term).</summary>
[TestFixture]
public sealed class ConstantFirstPrintingTests
{
    [TestCase("-beta + 1", "1 - beta", "1 - \\beta")]
    [TestCase("-2*x + 1/2", "1/2 - 2*x", "\\frac{1}{2} - 2 x")]
    [TestCase("-x - 1", "-x - 1", "-x - 1")]
    [TestCase("x + 1", "x + 1", "x + 1")]
    public void Print_ConstantFirstOnlyForSingleNegativeTerm(string input, string text, string latex)
    {
        var e = Expr.Parse(input);
        Assert.That(e.ToString(), Is.EqualTo(text));
        Assert.That(e.ToLatex(), Is.EqualTo(latex));
        Assert.That(Expr.Parse(e.ToString()), Is.EqualTo(e), "text reads back equal");
    }

    [Test]
    public void Print_FactoredHeavyBallMass_ReadsAsInPapers() =>
        Assert.That(Expr.Parse("-beta*delta*eta/2 + beta*eta/2 - delta*eta/2 + eta/2").Factor().ToString(),
            Is.EqualTo("eta*(beta + 1)*(1 - delta)/2"), "factors in canonical order, constant-first sums");
}

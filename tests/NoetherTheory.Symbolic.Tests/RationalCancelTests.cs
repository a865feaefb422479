using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary><see cref="RationalCancel.CancelWithRoots"/>: common factors x − r at small roots cancel even when the
/// denominator is one expanded polynomial in several symbols, and the value never changes.</summary>
[TestFixture]
public sealed class RationalCancelTests
{
    // Heavy ball's white-noise angle θ*² as the equilibrium derivation first produced it: numerator 2ηk(1 − δ)⁴(1 − β²),
    // denominator (1 − δ)³(1 + β)(1 − β²), both expanded; the value is 2ηk(1 − δ)/(1 + β).
    private const string HeavyBallAngle =
        "(8*beta^2*delta*eta*k - 12*beta^2*delta^2*eta*k + 8*beta^2*delta^3*eta*k - 2*beta^2*delta^4*eta*k - 2*beta^2*eta*k" +
        " - 8*delta*eta*k + 12*delta^2*eta*k - 8*delta^3*eta*k + 2*delta^4*eta*k + 2*eta*k)/(beta - 3*beta*delta + 3*beta*delta^2" +
        " - beta*delta^3 - beta^2 + 3*beta^2*delta - 3*beta^2*delta^2 + beta^2*delta^3 - beta^3 + 3*beta^3*delta - 3*beta^3*delta^2" +
        " + beta^3*delta^3 - 3*delta + 3*delta^2 - delta^3 + 1)";

    [TestCase(HeavyBallAngle, "2*eta*k*(1 - delta)/(1 + beta)", "delta", 1)]
    [TestCase("(x^2*y - y)/(x*y + y - x - 1)", "y*(x - 1)/(y - 1)", "x", -1)]
    [TestCase("(1 + beta)/((1 - beta)*(1 - beta^2))", "1/(1 - beta)^2", "beta", -1)]
    public void CommonRootFactors_Cancel_AndTheValueIsUnchanged(string input, string expected, string symbol, int root)
    {
        var e = Expr.Parse(input);
        var c = RationalCancel.CancelWithRoots(e);
        Assert.That(ZeroTest.Run(c - Expr.Parse(expected)).Kind, Is.EqualTo(ZeroTestKind.Proven), c.ToString());
        Assert.That(ZeroTest.Run(c - e).Kind, Is.EqualTo(ZeroTestKind.Proven), "exact: the value never changes");
        var atRoot = c.Together().Denominator.Substitute(Expr.Symbol(symbol), Expr.Number(root)).Expand();
        Assert.That(atRoot, Is.Not.EqualTo(Expr.Zero), $"{c}: the common factor {symbol} − ({root}) left the denominator");
    }

    [Test]
    public void AFactorThatDividesOnlyTheDenominator_Stays()
    {
        // (x − 1) divides the denominator but not the numerator: nothing to cancel, and nothing may be lost.
        var e = Expr.Parse("(x + y)/(x*y - y - x + 1)");
        var c = RationalCancel.CancelWithRoots(e);
        Assert.That(ZeroTest.Run(c - e).Kind, Is.EqualTo(ZeroTestKind.Proven));
        Assert.That(c.Together().Denominator.Substitute(Expr.Symbol("x"), Expr.One).Together().Numerator, Is.EqualTo(Expr.Zero),
            "the pole at x = 1 is still there");
    }
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class ZeroTestTests
{
    [Test]
    public void Run_Proven_ByCommonDenominator()
    {
        var r = ZeroTest.Run(Expr.Parse("1/(x - 1) - 1/(x + 1) - 2/(x^2 - 1)"));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.Proven), r.ToString());
        Assert.That(r.IsZero, Is.True);
    }

    [Test]
    public void Run_ProbablyZero_WhenProofIsOffAndStatesBound()
    {
        var r = ZeroTest.Run(Expr.Parse("(x + y)^3 - x^3 - 3*x^2*y - 3*x*y^2 - y^3"), new ZeroTestOptions { TryProof = false });
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.ProbablyZero), r.ToString());
        Assert.That(r.DegreeBound, Is.GreaterThanOrEqualTo(3));
        Assert.That(r.FailureProbabilityBound, Is.LessThan(1e-20));
        Assert.That(r.Evidence, Does.Contain("Schwartz"));
    }

    [Test]
    public void Run_NumericallyZero_ForTrigonometricIdentity()
    {
        var r = ZeroTest.Run(Expr.Parse("sin(x)^2 + cos(x)^2 - 1"));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NumericallyZero), r.ToString());
        Assert.That(r.MaxAbsValue, Is.LessThan(1e-12));
    }

    [Test]
    public void Run_NonZero_GivesExactWitness()
    {
        var e = Expr.Parse("(x + y)^2 - x^2 - y^2");
        var r = ZeroTest.Run(e);
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero), r.ToString());
        Assert.That(r.Witness, Is.Not.Null);
        Assert.That(e.Evaluate(r.Witness!), Is.Not.Zero, "the witness really is a non-zero point");
    }

    [Test]
    public void Run_NonZero_FromFloatEvaluation()
    {
        var r = ZeroTest.Run(Expr.Parse("sin(x)^2 - cos(x)^2"));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero), r.ToString());
    }

    [Test]
    public void Run_UndefinedFunctions_ProbablyZeroWhenIdentityHoldsForAnyFunction()
    {
        var x = Expr.Symbol("x");
        var v = Expr.Apply("V", Expr.Pow(x, 2));
        var r = ZeroTest.Run(v.Differentiate(x) - 2 * x * Expr.Apply("V", [Expr.Pow(x, 2)], [1]));
        Assert.That(r.IsZero, Is.True, r.ToString());
    }

    [Test]
    public void Run_UndefinedFunctions_InconclusiveOtherwise()
    {
        var r = ZeroTest.Run(Expr.Parse("V(x)^2 - V(x^2)"));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.Inconclusive), r.ToString());
        Assert.That(r.Evidence, Does.Contain("undefined functions"));
    }

    [Test]
    public void Run_ConstantNonZero()
    {
        var r = ZeroTest.Run(Expr.Number(3));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero));
    }
}

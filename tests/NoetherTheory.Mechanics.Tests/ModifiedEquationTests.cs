using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>The engine's backward error analysis against the theory notes' closed forms (typed from theory/01, not from the code).</summary>
[TestFixture]
public sealed class ModifiedEquationTests
{
    private Catalog _catalog = null!;

    [OneTimeSetUp]
    public void Load() => _catalog = Catalog.Load(CatalogTests.CatalogDir);

    private static void AssertEqual(Expr actual, string expected, string what)
    {
        var z = ZeroTest.Run(actual - Expr.Parse(expected));
        Assert.That(z.IsZero, Is.True, $"{what}: engine gave {actual}, theory says {expected} ({z})");
    }

    // rule, m, mu, kappa (theory/01-learning-lagrangian.md#eq-1-4, #eq-1-5; decoupled and Nesterov [DER], see README)
    [TestCase("gd", "eta/2", "1", "k")]
    [TestCase("heavy-ball", "eta*(1 - delta)*(1 + beta)/2", "1 - beta", "k")]
    [TestCase("nesterov", "eta*(1 - beta + 2*beta^2)/2", "1 - beta", "k")]
    [TestCase("heavy-ball-decoupled", "eta*(1 + beta)/2", "1 - beta + eta*k", "k*(1 - beta)*(1 + eta*k)")]
    public void ModifiedEquation_MatchesTheory(string rule, string mass, string friction, string decay)
    {
        var me = BackwardErrorAnalysis.Derive(_catalog.Rule(rule));
        Assert.That(me.HasLagrangian, Is.True, me.Problem);
        AssertEqual(me.Mass, mass, "m");
        AssertEqual(me.Friction, friction, "mu");
        AssertEqual(me.WeightDecay, decay, "kappa");
    }

    [Test]
    public void HeavyBall_TwoStepForm_IsThePyTorchRecursion()
    {
        var me = BackwardErrorAnalysis.Derive(_catalog.Rule("heavy-ball"));
        AssertEqual(me.TwoStep, "q_next - q - beta*(q - q_prev) + eta*(1 - delta)*(g(q) + k*q)", "two-step");
        AssertEqual(me.FirstOrder, "(1 - beta)*qdot + eta*(1 - delta)*(1 + beta)/2*qddot + (g(q) + k*q)/(1 - delta)*(1 - delta)", "first order");
    }

    [Test]
    public void Nesterov_ReducesTheHessianDampingTerm()
    {
        var me = BackwardErrorAnalysis.Derive(_catalog.Rule("nesterov"));
        Assert.That(me.Reduction, Is.Not.Null);
        Assert.That(me.FirstOrder.ToString(), Does.Contain("Derivative[1](g)(q)"));
    }

    [Test]
    public void RmsProp_Accumulator_DecayAndGain()
    {
        var acc = BackwardErrorAnalysis.DeriveAccumulator(_catalog.Rule("rmsprop"));
        AssertEqual(acc.Decay, "(1 - rho)/eta", "decay");
        AssertEqual(acc.Gain, "(1 - rho)/eta", "gain");
        Assert.That(() => BackwardErrorAnalysis.Derive(_catalog.Rule("rmsprop")), Throws.ArgumentException);
    }

    [Test]
    public void EulerLagrange_HarmonicOscillator_GivesUnitMassAndSpringForce()
    {
        var c = Coordinate.Of(0);
        var l = (Expr.Half * c.QDot * c.QDot) - (Expr.Half * c.Q * c.Q);
        var eom = EulerLagrange.Derive(new LagrangianSystem(l, [c], Coordinates.Time));
        Assert.That(eom.MassMatrix[0][0], Is.EqualTo(Expr.One));
        Assert.That(eom.Forcing[0], Is.EqualTo(-(Expr)c.Q));
        Assert.That(eom.OnShell(c.QDDot + c.Q), Is.EqualTo(Expr.Zero));
    }
}

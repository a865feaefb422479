using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>Presentation.Display: the researcher's form, each one proven equal to the derived expression.</summary>
[TestFixture]
public sealed class PresentationTests
{
    private static readonly Symbol Beta = Expr.Symbol("beta"), Eta = Expr.Symbol("eta"), K = Expr.Symbol("k"), Delta = Expr.Symbol("delta");

    /// <summary>The domains the catalog declares for heavy ball: 0 ≤ β &lt; 1, η &gt; 0, k ≥ 0, 0 ≤ δ &lt; 1.</summary>
    internal static readonly DisplayOptions HeavyBall = new()
    {
        Domains = new Dictionary<Symbol, SymbolDomain>
        {
            [Beta] = Domain("[0, 1)"), [Eta] = Domain("(0, inf)"), [K] = Domain("[0, inf)"), [Delta] = Domain("[0, 1)"),
        },
    };

    private static SymbolDomain Domain(string text) =>
        SymbolDomain.TryParse(text, out var d, out var error) ? d : throw new ArgumentException(error);

    // The derived forms printed by `derive --rule heavy-ball --symmetry scale` before this pass (issue #17), and the
    // forms a researcher writes.
    [TestCase("-eta*s*(1 - delta)/2/(k*(beta - 1))", "eta*(1 - delta)*s/(2*k*(1 - beta))")]
    [TestCase("-2*eta*(beta + 1)*(1 - delta)/(beta - 1)^3", "2*eta*(1 + beta)*(1 - delta)/(1 - beta)^3")]
    [TestCase("-4*k/(beta - 1)", "4*k/(1 - beta)")]
    [TestCase("(-beta - 1)/(beta - 1)^3", "(1 + beta)/(1 - beta)^3")]
    [TestCase("(beta - 4*delta*eta*k + 4*eta*k - 1)/(beta - 1)", "1 - 4*eta*k*(1 - delta)/(1 - beta)")]
    [TestCase("(-2*beta + 4*beta*delta*eta*k - 4*beta*eta*k + beta^2 + 4*delta*eta*k - 4*eta*k + 1)/(eta^2*(-beta + beta*delta + delta - 1)^2)",
        "((1 - beta)^2 - 4*eta*k*(1 + beta)*(1 - delta))/(eta^2*(1 + beta)^2*(1 - delta)^2)")]
    [TestCase("beta*eta*qddot*(1 - delta)/2 - beta*qdot - delta*k*q/(1 - delta) - delta*g(q)/(1 - delta) + eta*qddot*(1 - delta)/2 + k*q/(1 - delta) + qdot + g(q)/(1 - delta)",
        "eta*(1 + beta)*(1 - delta)*qddot/2 + k*q + (1 - beta)*qdot + g(q)")]
    [TestCase("exp(-(-4*k/(beta - 1))*(t - u))", "exp(-4*k*(t - u)/(1 - beta))")]
    [TestCase("eta*(beta + 1)*(1 - delta)/2/(1 - beta)", "eta*(1 + beta)*(1 - delta)/(2*(1 - beta))")]
    public void Display_HeavyBallForms_AreTheResearchersFormsAndProvenEqual(string derived, string expected)
    {
        var e = Expr.Parse(derived);
        var form = e.Display(HeavyBall);
        TestContext.Out.WriteLine($"{derived}\n  → {form.Text}   [{form.Check.Kind}]");
        Assert.That(form.Check.Kind, Is.EqualTo(ZeroTestKind.Proven), form.Check.Evidence);
        Assert.That(form.Text, Is.EqualTo(expected));
        Assert.That(ZeroTest.Run(Expr.Parse(form.Text) - e).Kind, Is.EqualTo(ZeroTestKind.Proven), "the printed text parses back equal");
    }

    // Nesterov and decoupled weight decay (heavy-ball-decoupled): their derived forms before this pass.
    [TestCase("(beta + 4*eta*k - 1)/(beta - 1)", "1 - 4*eta*k/(1 - beta)")]
    [TestCase("(-beta*eta/2 + beta^2*eta + eta/2)/(1 - beta)", "eta*(1 - beta + 2*beta^2)/(2*(1 - beta))")]
    [TestCase("(-beta + eta*k + 1)/(beta*eta + eta)", "(1 - beta + eta*k)/(eta*(1 + beta))")]
    [TestCase("(beta - 4*beta*eta*k - 4*beta*eta^2*k^2 + 3*eta*k + 4*eta^2*k^2 - 1)/(beta - eta*k - 1)",
        "1 - 4*eta*k*(1 - beta)*(1 + eta*k)/(1 - beta + eta*k)")]
    [TestCase("beta*eta*k*qdot + beta*eta*qddot/2 - beta*k*q - beta*qdot - eta*k*g(q) + eta*qddot/2 + k*q + qdot + g(q)",
        "eta*(1 + beta)*qddot/2 + k*(1 - beta)*q + (1 - beta*(1 - eta*k))*qdot + (1 - eta*k)*g(q)")]
    public void Display_NesterovAndDecoupledForms_AreTheResearchersFormsAndProvenEqual(string derived, string expected) =>
        Display_HeavyBallForms_AreTheResearchersFormsAndProvenEqual(derived, expected);

    [Test]
    public void Display_WithoutDomains_UsesTheConstantFirstConventionAndIsChecked()
    {
        // No declared domain: no sign is known (the convention "constant positive" decides: (x − 1) → −(1 − x)); each
        // term of the sum is cancelled on its own.
        var e = Expr.Parse("(x*y - y)/(x - 1)^3 + z/(2*y - 2)");
        var form = e.Display();
        Assert.That(form.Check.Kind, Is.EqualTo(ZeroTestKind.Proven), form.Check.Evidence);
        Assert.That(ZeroTest.Run(Expr.Parse(form.Text) - e).Kind, Is.EqualTo(ZeroTestKind.Proven), form.Text);
        Assert.That(form.Text, Does.Not.Contain("^3"), "the common factor (x − 1) is cancelled: " + form.Text);
    }

    [Test]
    public void DisplayForm_WhoseCheckFails_ShowsTheDerivedForm()
    {
        // A wrong display candidate (perturbed by one) must be caught by the zero test and never shown.
        var derived = Expr.Parse("eta*(1 + beta)/2");
        var wrong = derived + 1;
        var form = new DisplayForm(derived, wrong, ZeroTest.Run(wrong - derived));
        Assert.That(form.Check.Kind, Is.EqualTo(ZeroTestKind.NonZero));
        Assert.That(form.Verified, Is.False);
        Assert.That(form.Shown, Is.EqualTo(derived));
    }

    [TestCase("[0, 1)", 0.0, true)]
    [TestCase("[0, 1)", 1.0, false)]
    [TestCase("(0, inf)", 0.0, false)]
    [TestCase("[0, inf)", 0.0, true)]
    public void SymbolDomain_ParsesIntervalsAndItsPointsLieInside(string text, double x, bool contains)
    {
        Assert.That(SymbolDomain.TryParse(text, out var d, out var error), Is.True, error);
        Assert.That(d!.Contains(Rational.FromDouble(x)), Is.EqualTo(contains));
        const long count = (2L << 20) + 1;
        foreach (long i in new[] { 0L, 1L, count / 2, count - 1 })
            Assert.That(d.Contains(d.Point(i, count)), Is.True, $"point {i} of {count}: {d.Point(i, count)} outside {d}");
        Assert.That(d.Point(0, count), Is.Not.EqualTo(d.Point(1, count)), "the map is injective");
    }

    [TestCase("[1, 0)")]
    [TestCase("0, 1")]
    [TestCase("[0, inf]")]
    [TestCase("[x, 1)")]
    public void SymbolDomain_RejectsBadIntervalsWithAReason(string text)
    {
        Assert.That(SymbolDomain.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void ZeroTest_WithDomains_PutsTheNonZeroWitnessInsideThem()
    {
        // ∂_s T of heavy ball (scale): without domains the witness had beta = -270670 (issue #17).
        var e = Expr.Parse("eta*(1 + beta)*(1 - delta)*(qdot[0]^2 + qdot[1]^2)/2");
        var r = ZeroTest.Run(e, new ZeroTestOptions { Domains = HeavyBall.Domains });
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero));
        Assert.That(r.Witness![Beta], Is.GreaterThanOrEqualTo(0).And.LessThan(1));
        Assert.That(r.Witness![Delta], Is.GreaterThanOrEqualTo(0).And.LessThan(1));
        Assert.That(r.Witness![Eta], Is.GreaterThan(0));
        Assert.That(ZeroTest.Run(e - e, new ZeroTestOptions { Domains = HeavyBall.Domains }).IsZero, Is.True);
    }
}

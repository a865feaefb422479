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
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class LatexAndPrintingTests
{
    [TestCase("x^2 + 2*x + 1", "2*x + x^2 + 1")] // canonical order: powers of a base ascend, constant last
    [TestCase("x/(2*y)", "x/2/y")]
    [TestCase("-x", "-x")]
    [TestCase("x - y", "x - y")]
    [TestCase("1/(x + 1)", "1/(x + 1)")]
    [TestCase("(-2)^(1/2)", "(-2)^(1/2)")]
    [TestCase("exp(t/tau)", "exp(t/tau)")]
    [TestCase("q[0]*qdot[1]", "q[0]*qdot[1]")]
    public void ToString_IsReadable(string input, string expected) =>
        Assert.That(Expr.Parse(input).ToString(), Is.EqualTo(expected));

    [TestCase("x^2", "{x}^{2}")]
    [TestCase("sqrt(x)", @"\sqrt{x}")]
    [TestCase("1/x", @"\frac{1}{x}")]
    [TestCase("x/2", @"\frac{x}{2}")]
    [TestCase("exp(t/tau)", @"\exp\left(\frac{t}{\tau}\right)")]
    [TestCase("qdot[2]", @"\dot{q}_{2}")]
    [TestCase("qddot[0]", @"\ddot{q}_{0}")]
    [TestCase("abs(x)", @"\left|x\right|")]
    [TestCase("Derivative[1,0](V)(x, y)", @"\partial_{1} V\left(x, y\right)")]
    [TestCase("loss", @"\mathrm{loss}")]
    [TestCase("-(x + y)^2", @"-{\left(x + y\right)}^{2}")]
    public void ToLatex_RepresentativeExpressions(string input, string expected) =>
        Assert.That(Expr.Parse(input).ToLatex(), Is.EqualTo(expected));
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class ParserTests
{
    [TestCase("", ParseErrorKind.EmptyInput, 1, 1)]
    [TestCase("   ", ParseErrorKind.EmptyInput, 1, 1)]
    [TestCase("x + $", ParseErrorKind.UnexpectedCharacter, 1, 5)]
    [TestCase("x + * y", ParseErrorKind.UnexpectedToken, 1, 5)]
    [TestCase("2x", ParseErrorKind.UnexpectedToken, 1, 2)]
    [TestCase("x +", ParseErrorKind.UnexpectedEnd, 1, 4)]
    [TestCase("(x + 1", ParseErrorKind.UnbalancedParenthesis, 1, 7)]
    [TestCase("x + 1)", ParseErrorKind.UnbalancedParenthesis, 1, 6)]
    [TestCase("q[1.5]", ParseErrorKind.InvalidIndex, 1, 3)]
    [TestCase("q[x]", ParseErrorKind.InvalidIndex, 1, 3)]
    [TestCase("sin(x, y)", ParseErrorKind.WrongArgumentCount, 1, 1)]
    [TestCase("float(x)", ParseErrorKind.InvalidFloat, 1, 7)]
    [TestCase("1/0", ParseErrorKind.DivisionByZero, 1, 2)]
    [TestCase("0^(-1)", ParseErrorKind.DivisionByZero, 1, 2)]
    [TestCase("x +\n  * y", ParseErrorKind.UnexpectedToken, 2, 3)]
    [TestCase("Derivative[1](V)(x, y)", ParseErrorKind.WrongArgumentCount, 1, 1)]
    public void TryParse_ReportsErrorKindAndPosition(string text, ParseErrorKind kind, int line, int column)
    {
        Assert.That(Expr.TryParse(text, out var e, out var error), Is.False, $"parsed as {e}");
        Assert.That(error!.Kind, Is.EqualTo(kind), error.ToString());
        Assert.That((error.Line, error.Column), Is.EqualTo((line, column)), error.ToString());
        Assert.That(error.Message, Is.Not.Empty);
    }

    [Test]
    public void TryParse_InvalidNumber_IsReported()
    {
        // A literal with a decimal exponent beyond 10000 is rejected rather than materialised.
        Assert.That(Expr.TryParse("1e999999", out _, out var error), Is.False);
        Assert.That(error!.Kind, Is.EqualTo(ParseErrorKind.InvalidNumber));
    }

    [Test]
    public void TryParse_TooDeep_IsReportedNotStackOverflow()
    {
        string text = new string('(', 5000) + "x" + new string(')', 5000);
        Assert.That(Expr.TryParse(text, out _, out var error), Is.False);
        Assert.That(error!.Kind, Is.EqualTo(ParseErrorKind.TooDeep));
    }

    [Test]
    public void Parse_Throws_ParseExceptionWithPosition()
    {
        var ex = Assert.Throws<ParseException>(() => Expr.Parse("x + (y"));
        Assert.That(ex!.Error.Kind, Is.EqualTo(ParseErrorKind.UnbalancedParenthesis));
        Assert.That(ex.Message, Does.StartWith("1:7:").And.Contain("1:5"), "message names where the '(' was opened");
        Assert.That(ex, Is.InstanceOf<NoetherTheoryException>());
    }

    [TestCase("-x^2", "-(x^2)")]
    [TestCase("2^3^2", "2^9")]
    [TestCase("2**3", "8")]
    [TestCase("2^-1", "1/2")]
    [TestCase("0.5*x", "x/2")]
    [TestCase("1e-3", "1/1000")]
    [TestCase("a - b - c", "a + (-b) + (-c)")]
    [TestCase("a / b / c", "a * b^(-1) * c^(-1)")]
    [TestCase("sqrt(4*x^2)", "(4*x^2)^(1/2)")]
    public void Parse_Precedence(string text, string equivalent) =>
        Assert.That(Expr.Parse(text), Is.EqualTo(Expr.Parse(equivalent)));

    [Test]
    public void Parse_IndexedSymbolsAndFunctions()
    {
        var e = Expr.Parse("qdot[3] * V(q[0], q[1]) + Derivative[1,0](V)(q[0], q[1])");
        var q0 = Expr.Symbol("q", 0);
        var q1 = Expr.Symbol("q", 1);
        var expected = Expr.Symbol("qdot", 3) * Expr.Apply("V", q0, q1) + Expr.Apply("V", [q0, q1], [1, 0]);
        Assert.That(e, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_Float_IsInexactAndRoundTrips()
    {
        var e = Expr.Parse("float(0.1)");
        Assert.That(e, Is.InstanceOf<Float>());
        Assert.That(((Float)e).Value, Is.EqualTo(0.1));
        Assert.That(Expr.Parse(e.ToString()), Is.EqualTo(e));
        Assert.That(Expr.Parse("0.1"), Is.EqualTo(Expr.Number(1, 10)), "plain decimals are exact");
    }

    [Test]
    public void Parse_Options_SetAssumptions()
    {
        var options = new ParseOptions { Assumptions = new Dictionary<string, SymbolAssumptions> { ["tau"] = SymbolAssumptions.Positive } };
        var e = Expr.Parse("tau", options);
        Assert.That(((Symbol)e).Assumptions, Is.EqualTo(SymbolAssumptions.Positive));
        Assert.That(Expr.Parse("(tau^2)^(1/2)", options), Is.EqualTo(e));
    }

    [Test, SetCulture("de-DE")]
    public void PrintAndParse_AreCultureInvariant()
    {
        var e = Expr.Float(1.5) * Expr.Symbol("x") + Expr.Number(1, 2);
        Assert.That(e.ToString(), Does.Contain("1.5").And.Not.Contain("1,5"));
        Assert.That(Expr.Parse(e.ToString()), Is.EqualTo(e));
        Assert.That(Rational.Parse("0.25"), Is.EqualTo(new Rational(1, 4)));
    }
}

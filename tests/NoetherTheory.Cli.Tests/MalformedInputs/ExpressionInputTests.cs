using CsCheck;
using NoetherTheory.Cli;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The expression parser and <c>expr eval</c> under the error contract: a bad text is a located
/// <see cref="ParseError"/> (1-based line and column), never an exception; a non-finite value is exit 2.</summary>
[TestFixture]
public sealed class ExpressionInputTests
{
    private const int MutationCount = 80;
    private const int GeneratedCount = 60;

    internal static readonly string[] BadTexts =
    [
        "", "   ", "x +", "+", "*x", "x * * y", "(x", "x)", "((x)", "x]", "q[", "q[-1]", "q[1.5]", "q[99999999999]", "q[x]",
        "1/0", "0^-1", "x^", "^x", "2x", "x y", "sin()", "sin(x, y)", "exp(1,2)", "sqrt()", "float()", "float(x)", "float(1,2)",
        "Derivative(f)(x)", "Derivative[1](sin)(x)", "Derivative[1,0](V)(x)", "f(,)", "f(x,)", "x $ y", "x # y", "\"x\"", "x\0",
        "NaN", "nan", "NaN + x", "Infinity", "-Infinity", "inf", "x*inf", "INF", "Inf(x)", "x^NaN", "q[0] + NaN",
        "1e", "1e+", "1.2.3", "..5", "x,y", "x;y", "[x]", "{x}", "x = 1", "x == y", "x @ y", "€", "x\ny +", "\u00ff\u0000",
        new string('(', 100000) + "x" + new string(')', 100000), string.Concat(Enumerable.Repeat("x+", 50000)) + "+",
    ];

    internal static IEnumerable<string> ValidTexts() =>
        CatalogInputTests.RealFiles().SelectMany(f => f.Text.Split('\n'))
            .Where(l => l.TrimStart().StartsWith("potential:", StringComparison.Ordinal) || l.Contains("q_next", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('"'))
            .Where(t => t.Length > 0 && Expr.TryParse(t, out _, out _))
            .Concat(["x^2 + 1", "exp(t/tau)*(m/2*qdot[0]^2 - V(q[0],q[1]))", "float(NaN)", "float(Infinity)", "sin(x)^2 + cos(x)^2"]);

    internal static int InputCount => BadTexts.Length + MutationCount + GeneratedCount + NonFinite.Length + 1;

    private static ParseError? Parse(string text)
    {
        Expr? expr = null;
        ParseError? error = null;
        bool ok = false;
        var e = Bounded.Run(() => ok = Expr.TryParse(text, out expr, out error), "parse");
        Assert.That(e, Is.Null, $"TryParse threw on '{text[..Math.Min(text.Length, 60)]}':\n{e}");
        if (ok) return null;
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Line, Is.GreaterThanOrEqualTo(1));
        Assert.That(error.Column, Is.GreaterThanOrEqualTo(1));
        return error;
    }

    [TestCaseSource(nameof(BadTexts))]
    public void A_malformed_expression_is_a_located_parse_error(string text) => Assert.That(Parse(text), Is.Not.Null);

    [TestCase("NaN", 1)]
    [TestCase("x + Infinity", 5)]
    [TestCase("2*inf", 3)]
    public void Non_finite_words_are_not_symbol_names(string text, int column)
    {
        var error = Parse(text);
        Assert.That(error!.Column, Is.EqualTo(column));
        Assert.That(error.Message, Does.Contain("float(NaN)"));
    }

    [Test]
    public void Damaged_expressions_parse_or_fail_with_a_position()
    {
        var sources = ValidTexts().Select((t, i) => ($"expression {i}", t)).ToList();
        Assert.That(sources, Has.Count.GreaterThan(5));
        foreach (var (_, text) in Mutations.Of(sources, MutationCount, seed: 13, json: false))
            Parse(text);
    }

    [Test]
    public void Generated_texts_parse_or_fail_with_a_position() =>
        CsCheck.Gen.String[CsCheck.Gen.Char["xyq[]()0123456789+-*/^., eNaIfinty_sqrtexp\n"], 0, 40].Sample(t => { Parse(t); }, iter: GeneratedCount, threads: 1);

    internal static readonly string[][] NonFinite =
    [
        ["1/x", "x=0"], ["log(x)", "x=0"], ["log(x)", "x=-1"], ["sqrt(x)", "x=-1"], ["exp(x)", "x=1000"], ["x^y", "x=0,y=-1"],
        ["1/(x - y)", "x=2,y=2"], ["tan(x)*0 + 1/sin(x)", "x=0"],
    ];

    private static IEnumerable<TestCaseData> NonFiniteCases() => NonFinite.Select(c => new TestCaseData(c[0], c[1]).SetName($"expr eval {c[0]} at {c[1]}"));

    [TestCaseSource(nameof(NonFiniteCases))]
    public void A_non_finite_value_is_bad_input_naming_the_point(string text, string at)
    {
        var outcome = Bounded.Cli(["expr", "eval", text, "--at", at], "expr eval");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.BadInput), outcome.Out + outcome.Error);
        Assert.That(outcome.Error, Does.Contain("is not finite").And.Contain(at.Split(',')[0]));
        Assert.That(outcome.Out, Is.Empty);
    }

    [Test]
    public void A_division_by_zero_names_the_term()
    {
        var outcome = Bounded.Cli(["expr", "eval", "1 + 1/x", "--at", "x=0"], "expr eval");
        Assert.That(outcome.Error, Does.Contain("x^(-1)").Or.Contain("1/x"));
    }
}

using NoetherTheory.Symbolic;
using NoetherTheory.Testing;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class AlgebraAndCompilerTests
{
    private static readonly Symbol X = Expr.Symbol("x");
    private static readonly Symbol Y = Expr.Symbol("y");

    [Test]
    public void Expand_Binomial() =>
        Assert.That(Expr.Parse("(x + y)^2").Expand(), Is.EqualTo(Expr.Parse("x^2 + 2*x*y + y^2")));

    [Test]
    public void Together_GivesPolynomialNumerator()
    {
        var form = Expr.Parse("1/x + 1/y").Together();
        Assert.That(form.Numerator, Is.EqualTo(Expr.Parse("x + y")));
        Assert.That(form.Denominator, Is.EqualTo(Expr.Parse("x*y")));
    }

    [Test]
    public void Coefficients_SplitsLinearExpression()
    {
        var a = Expr.Symbol("a");
        var b = Expr.Symbol("b");
        var split = Expr.Parse("x^2*a + sin(y)*b + 3*a + x").Coefficients([a, b]);
        Assert.That(split.IsLinear, Is.True, split.Problem);
        Assert.That(split.Coefficients[0], Is.EqualTo(Expr.Parse("x^2 + 3")));
        Assert.That(split.Coefficients[1], Is.EqualTo(Expr.Parse("sin(y)")));
        Assert.That(split.Remainder, Is.EqualTo((Expr)X));
    }

    [Test]
    public void Coefficients_FlagsNonLinearity()
    {
        var a = Expr.Symbol("a");
        var split = Expr.Parse("a^2 + x*a").Coefficients([a]);
        Assert.That(split.IsLinear, Is.False);
        Assert.That(split.Problem, Does.Contain("a"));
    }

    [Test]
    public void Simplify_Pythagoras_ReportsRewrites()
    {
        var r = Expr.Parse("3*x*sin(y)^2 + 3*x*cos(y)^2 + 1").Simplify();
        Assert.That(r.Result, Is.EqualTo(Expr.Parse("3*x + 1")));
        Assert.That(r.RewritesUsed, Is.GreaterThan(0));
        Assert.That(r.RulesApplied, Has.Some.Contains("sin²+cos²"));
    }

    [Test]
    public void Simplify_RespectsBudget()
    {
        var r = Expr.Parse("3*x*sin(y)^2 + 3*x*cos(y)^2 + 1").Simplify(new SimplifyOptions { MaxRewrites = 0 });
        Assert.That(r.RewritesUsed, Is.Zero);
        Assert.That(r.BudgetExhausted, Is.True);
    }

    [Test]
    public void Compile_SharesCommonSubexpressions()
    {
        var s = Expr.Parse("(x^2 + y^2)");
        var f = ExprCompiler.Compile([Expr.Pow(s, -2) * X, Expr.Pow(s, -2) * Y, Expr.Sqrt(s)], [X, Y]);
        Assert.That(f.SharedSubexpressionCount, Is.GreaterThanOrEqualTo(2));
        var y = f.Evaluate([3.0, 4.0]);
        NumericAssert.AllClose([3.0 / 625, 4.0 / 625, 5.0], y, Tolerance.RoundOff);
    }

    [Test]
    public void CollectCommonFactors_PullsTheSharedFactorOutOfEveryComponent()
    {
        // ∂/∂x_k of Σᵢ xᵢ²/(x² + y² + z²) distributes the shared sum into every component; collected, every component
        // is (its own factor)·(one shared sum), and the shared sum is one node.
        var xs = new Expr[] { X, Y, Expr.Symbol("z") };
        var r2 = Expr.Add(xs.Select(x => Expr.Pow(x, 2)));
        var v = Expr.Add(xs.Select((x, i) => Expr.Pow(Expr.Pow(x, 2) / r2 - Expr.Number(1, i + 2), 2)));
        var grad = xs.Select(x => v.Differentiate((Symbol)x)).ToArray();
        var collected = grad.CollectCommonFactors();
        for (int k = 0; k < grad.Length; k++)
            Assert.That(ZeroTest.Run(grad[k] - collected[k]).IsZero, Is.True, $"component {k}");
        Assert.That(DagSize(collected), Is.LessThan(DagSize(grad)), "collecting should shrink the shared DAG");
        var point = new[] { 0.3, -0.7, 1.1 };
        var values = new Dictionary<Symbol, double> { [X] = point[0], [Y] = point[1], [(Symbol)xs[2]] = point[2] };
        var f = ExprCompiler.Compile(grad, [X, Y, (Symbol)xs[2]]);
        // A few dozen flops on O(1) values in a different order: agreement to accumulated round-off.
        NumericAssert.AllClose([.. grad.Select(g => g.Evaluate(values))], f.Evaluate(point), Tolerance.MachineAccumulated);
    }

    [Test]
    public void CollectCommonFactors_LeavesSumsWithoutSharedFactorsAlone()
    {
        var e = Expr.Parse("x + y^2 + 3");
        Assert.That(e.CollectCommonFactors(), Is.EqualTo(e));
        Assert.That(Expr.Parse("x*y + x*z").CollectCommonFactors().ToString(), Is.EqualTo("x*(y + z)"));
    }

    internal static int DagSize(IEnumerable<Expr> roots)
    {
        var seen = new HashSet<Expr>();
        var stack = new Stack<Expr>(roots);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (seen.Add(e)) foreach (var c in e.Children) stack.Push(c);
        }
        return seen.Count;
    }

    [Test]
    public void Compile_RejectsUnknownSymbolAndUndefinedFunction()
    {
        Assert.That(() => ExprCompiler.Compile([X * Y], [X]), Throws.ArgumentException.With.Message.Contains("y"));
        Assert.That(() => ExprCompiler.Compile([Expr.Apply("V", X)], [X]), Throws.ArgumentException.With.Message.Contains("V"));
    }

    [Test]
    public void Evaluate_MissingSymbol_SaysWhichOne() =>
        Assert.That(() => (X + Y).Evaluate(X, 1.0), Throws.TypeOf<EvaluationException>().With.Message.Contains("'y'"));

    [Test]
    public void TryEvaluateExact_RationalAndIrrational()
    {
        var values = new Dictionary<Symbol, Rational> { [X] = new Rational(1, 3), [Y] = 4 };
        Assert.That(Expr.Parse("x^2 + sqrt(y)").TryEvaluateExact(values, out var v, out _), Is.True);
        Assert.That(v, Is.EqualTo(new Rational(19, 9)));
        Assert.That(Expr.Parse("sqrt(x)").TryEvaluateExact(values, out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain("irrational"));
    }

    [Test]
    public void Differentiate_Apply_UsesChainRule()
    {
        var d = Expr.Apply("V", X * Y, X).Differentiate(X);
        var expected = Y * Expr.Apply("V", [X * Y, X], [1, 0]) + Expr.Apply("V", [X * Y, X], [0, 1]);
        Assert.That(d, Is.EqualTo(expected));
    }

    [Test]
    public void Substitute_IsSimultaneous() =>
        Assert.That(Expr.Parse("x - 2*y").Substitute(new Dictionary<Expr, Expr> { [X] = Y, [Y] = X }), Is.EqualTo(Expr.Parse("y - 2*x")));
}

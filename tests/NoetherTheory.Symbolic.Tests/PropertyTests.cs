using CsCheck;
using NoetherTheory.Symbolic;
using NoetherTheory.Testing;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class PropertyTests
{
    private const int Iterations = 300;

    /// <summary>Central difference with h = 1e−5: truncation O(h²)·|f‴| ≈ 1e−10·|f‴| and round-off ≈ 1e−16·|f|/h ≈ 1e−11·|f|;
    /// generated expressions reach |f|, |f‴| up to ~1e3, so 1e−6 absolute + relative leaves a wide margin.</summary>
    private static readonly Tolerance CentralDifference = new(1e-6, 1e-6);
    private const double Step = 1e-5;

    [Test]
    public void Differentiate_MatchesCentralDifference() =>
        Gen.Select(ExprGen.Smooth(3), ExprGen.Point(1.5), Gen.Int[0, 2]).Sample((e, point, k) =>
        {
            var x = ExprGen.Variables[k];
            var plus = new Dictionary<Symbol, double>(point) { [x] = point[x] + Step };
            var minus = new Dictionary<Symbol, double>(point) { [x] = point[x] - Step };
            double fd = (e.Evaluate(plus) - e.Evaluate(minus)) / (2 * Step);
            double exact = e.Differentiate(x).Evaluate(point);
            if (Math.Abs(exact) > 1e4) return; // too steep for a fixed-step difference to be meaningful
            NumericAssert.Close(fd, exact, CentralDifference, $"d/d{x} of {e}");
        }, iter: Iterations);

    [Test]
    public void Compiled_EqualsInterpreted() =>
        Gen.Select(ExprGen.Smooth(4), ExprGen.Smooth(3), ExprGen.Point(2)).Sample((a, b, point) =>
        {
            var f = ExprCompiler.Compile([a, b, a * b], ExprGen.Variables, new CompileOptions { CollectCommonFactors = false });
            var y = f.Evaluate([point[ExprGen.X], point[ExprGen.Y], point[ExprGen.Z]]);
            // Without collecting: same operations in the same order (integer powers by the same squaring chain): equal
            // up to the JIT's freedom to fuse, hence round-off rather than bitwise.
            NumericAssert.Close(a.Evaluate(point), y[0], Tolerance.RoundOff);
            NumericAssert.Close(b.Evaluate(point), y[1], Tolerance.RoundOff);
            NumericAssert.Close((a * b).Evaluate(point), y[2], Tolerance.RoundOff);
        }, iter: Iterations);

    [Test]
    public void CollectCommonFactors_KeepsTheValue_Exactly() =>
        Gen.Select(ExprGen.Smooth(4), ExprGen.Smooth(3), ExprGen.Smooth(3)).Sample((a, b, c) =>
        {
            // Sums of products that share factors, the shape collecting acts on.
            var e = (a * b) + (a * c) + (b * c * a) - (c * c);
            var collected = e.CollectCommonFactors();
            var verdict = ZeroTest.Run(e - collected);
            Assert.That(verdict.IsZero, Is.True, $"{e} collected to {collected}: {verdict.Evidence}");
        }, iter: Iterations / 3);

    [Test]
    public void ParsePrint_RoundTrips() =>
        ExprGen.Any(4).Sample(e =>
        {
            string text = e.ToString();
            Assert.That(Expr.TryParse(text, out var back, out var error), Is.True, $"{text}: {error}");
            Assert.That(back, Is.EqualTo(e), $"printed as {text}, read back as {back}");
        }, iter: Iterations);

    [Test]
    public void Canonical_IsIndependentOfArgumentOrder() =>
        Gen.Select(ExprGen.Any(3), ExprGen.Any(3), ExprGen.Any(2)).Sample((a, b, c) =>
        {
            Assert.That(Expr.Add(a, b, c), Is.EqualTo(Expr.Add(c, a, b)));
            Assert.That(Expr.Multiply(a, b, c), Is.EqualTo(Expr.Multiply(b, c, a)));
            Assert.That(Expr.Add(a, b, c).GetHashCode(), Is.EqualTo(Expr.Add(c, b, a).GetHashCode()));
        }, iter: Iterations);

    [Test]
    public void Canonical_IsIdempotent() =>
        ExprGen.Any(4).Sample(e =>
        {
            var rebuilt = e.WithChildren([.. e.Children.Select(c => c.WithChildren([.. c.Children]))]);
            Assert.That(rebuilt, Is.EqualTo(e));
            if (e is Sum s) Assert.That(Expr.Add(s.Terms.Append(Expr.Number(s.Constant))), Is.EqualTo(e));
            if (e is Product p) Assert.That(Expr.Multiply(p.Factors.Prepend(Expr.Number(p.Coefficient))), Is.EqualTo(e));
        }, iter: Iterations);

    [Test]
    public void CanonicalOrder_IsConsistentWithEquality() =>
        Gen.Select(ExprGen.Any(3), ExprGen.Any(3)).Sample((a, b) =>
        {
            int ab = CanonicalOrder.Compare(a, b), ba = CanonicalOrder.Compare(b, a);
            Assert.That(Math.Sign(ab), Is.EqualTo(-Math.Sign(ba)));
            Assert.That(ab == 0, Is.EqualTo(a.Equals(b)));
        }, iter: Iterations);

    /// <summary>Simplification may reorder float operations on values up to ~1e3 (see generator): 1e−9 relative.</summary>
    private static readonly Tolerance Rewritten = new(1e-9, 1e-9);

    [Test]
    public void Simplify_PreservesValue() =>
        Gen.Select(ExprGen.Smooth(3), ExprGen.Point(1.5)).Sample((e, point) =>
        {
            var r = e.Simplify();
            Assert.That(r.Result.NodeCount, Is.LessThanOrEqualTo(e.NodeCount));
            NumericAssert.Close(e.Evaluate(point), r.Result.Evaluate(point), Rewritten, $"{e} → {r.Result}");
        }, iter: 150);

    [Test]
    public void Expand_And_Together_PreserveValue() =>
        Gen.Select(ExprGen.Smooth(3), ExprGen.Point(1.5)).Sample((e, point) =>
        {
            double v = e.Evaluate(point);
            NumericAssert.Close(v, e.Expand().Evaluate(point), Rewritten, $"expand {e}");
            NumericAssert.Close(v, e.Together().ToExpr().Evaluate(point), Rewritten, $"together {e}");
        }, iter: 150);

    [Test]
    public void ZeroTest_OfDifferenceOfEqualForms_IsZero() =>
        ExprGen.Smooth(3).Sample(e =>
        {
            var verdict = ZeroTest.Run(e.Expand() - e);
            Assert.That(verdict.IsZero, Is.True, $"{e}: {verdict}");
        }, iter: 100);

    [Test]
    public void Parser_NeverThrowsOnMutatedInput() =>
        Gen.Select(ExprGen.Any(3), Gen.Int[0, 1000], Gen.Char["()[]+-*/^,.0123456789xyzV \n"]).Sample((e, pos, c) =>
        {
            string text = e.ToString();
            int i = pos % (text.Length + 1);
            foreach (var mutated in new[] { text.Insert(i, c.ToString()), i < text.Length ? text.Remove(i, 1) : text + c })
            {
                bool ok = Expr.TryParse(mutated, out var parsed, out var error);
                if (!ok)
                {
                    Assert.That(error!.Line, Is.GreaterThanOrEqualTo(1));
                    Assert.That(error.Column, Is.InRange(1, mutated.Length + 1));
                }
                else Assert.That(parsed, Is.Not.Null);
            }
        }, iter: 1000);

    [Test]
    public void Parser_NeverThrowsOnRandomStrings() =>
        Gen.String[Gen.Char["()[]+-*/^,.0123456789eExyzq_ \tfloatexpsinDerivative"], 0, 40].Sample(text =>
        {
            if (!Expr.TryParse(text, out _, out var error))
                Assert.That(error!.Column, Is.InRange(1, text.Length + 1), error.ToString());
        }, iter: 2000);
}

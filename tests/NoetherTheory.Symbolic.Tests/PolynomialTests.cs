using System.Collections.Immutable;
using System.Numerics;
using CsCheck;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>The polynomial layer (Symbolic/Polynomials): arithmetic against exact evaluation, the 128-bit and BigInteger
/// paths against each other, division, coefficient extraction, the atom table and exact linear algebra over Q.</summary>
[TestFixture]
public sealed class PolynomialTests
{
    private const int Iterations = 200;

    private static readonly Gen<Rational> SmallRational = Gen.Select(Gen.Int[-6, 6], Gen.Int[1, 4], (n, d) => new Rational(n, d));

    private static readonly Gen<Monomial> SmallMonomial =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 2], (a, b, c) => Monomial.FromExponents([(0, a), (1, b), (2, c)]));

    private static readonly Gen<Polynomial> SmallPolynomial =
        Gen.Select(SmallMonomial, SmallRational).Array[0, 6].Select(terms => Polynomial.FromTerms(terms.Select(t => (t.Item1, t.Item2))));

    private static readonly Gen<Dictionary<int, Rational>> RationalPoint =
        Gen.Select(SmallRational, SmallRational, SmallRational, (a, b, c) => new Dictionary<int, Rational> { [0] = a, [1] = b, [2] = c });

    [Test]
    public void Arithmetic_AgreesWithEvaluationAtRationalPoints() =>
        Gen.Select(SmallPolynomial, SmallPolynomial, RationalPoint, Gen.Int[0, 3]).Sample((p, q, point, k) =>
        {
            var (pv, qv) = (p.Evaluate(point), q.Evaluate(point));
            return (p + q).Evaluate(point) == pv + qv
                && (p - q).Evaluate(point) == pv - qv
                && (p * q).Evaluate(point) == pv * qv
                && p.Pow(k).Evaluate(point) == pv.Pow(k);
        }, iter: Iterations);

    [Test]
    public void Int128AndBigIntegerPaths_Agree_AlsoWhenTheProductOverflows()
    {
        // Coefficients near 2^100: products need ~200 bits, so the 128-bit path overflows and the BigInteger path takes over.
        var huge = BigInteger.Pow(2, 100) + 12345;
        Gen.Select(SmallPolynomial, SmallPolynomial, Gen.Int[-3, 3], RationalPoint).Sample((p, q, c, point) =>
        {
            var bigP = p + Polynomial.Term(Monomial.Variable(0, 4), new Rational(huge * c + 1, 1));
            var small = bigP * q;
            var big = bigP.ToBig() * q.ToBig();
            return small.Equals(big) && (small + q).Equals(big + q.ToBig())
                && small.Evaluate(point) == bigP.Evaluate(point) * q.Evaluate(point);
        }, iter: Iterations);
        var x = Polynomial.Term(Monomial.Variable(0), new Rational(huge, 1));
        Assert.That(x.IsSmall, Is.True, "2^100 fits 128 bits");
        Assert.That((x * x).IsSmall, Is.False, "2^200 does not");
        Assert.That((x * x).Coefficient(Monomial.Variable(0, 2)), Is.EqualTo(new Rational(huge * huge, 1)));
    }

    [Test]
    public void DivideWithRemainder_QuotientTimesDivisorPlusRemainderIsTheDividend() =>
        Gen.Select(SmallPolynomial, SmallPolynomial).Sample((p, d) =>
        {
            if (d.IsZero) return true;
            var (q, r) = p.DivideWithRemainder(d);
            var lead = d.LeadingTerm.Monomial;
            return (q * d + r).Equals(p) && r.Terms.All(t => !t.Monomial.TryDivide(lead, out _));
        }, iter: Iterations);

    [Test]
    public void DivideWithRemainder_ExactProductsDivideExactly() =>
        Gen.Select(SmallPolynomial, SmallPolynomial).Sample((a, b) =>
        {
            if (b.IsZero) return true;
            return (a * b).TryDivideExact(b, out var q) && q.Equals(a);
        }, iter: Iterations);

    [Test]
    public void DivideLinear_ReassemblesAndRemainderIsTheValueAtTheRoot() =>
        Gen.Select(SmallPolynomial, SmallPolynomial, RationalPoint).Sample((p, rootIn, point) =>
        {
            // The root must be free of x0: drop x0 from it.
            var root = rootIn.Substitute(new Dictionary<int, Polynomial> { [0] = Polynomial.One });
            var (q, r) = p.DivideLinear(0, root);
            var x = Polynomial.Variable(0);
            return ((x - root) * q + r).Equals(p) && r.Degree(0) <= 0
                && r.Equals(p.Substitute(new Dictionary<int, Polynomial> { [0] = root }));
        }, iter: Iterations);

    [Test]
    public void CoefficientsIn_ReassembleThePolynomial() =>
        Gen.Select(SmallPolynomial, Gen.Int[0, 2]).Sample((p, v) =>
        {
            var chosen = v == 2 ? new[] { 0, 2 } : [v];
            var parts = p.CoefficientsIn(chosen);
            var sum = parts.Aggregate(Polynomial.Zero, (acc, kv) => acc + (Polynomial.Term(kv.Key, Rational.One) * kv.Value));
            return sum.Equals(p)
                && parts.Keys.All(m => m.Factors.All(f => chosen.Contains(f.Variable)))
                && parts.Values.All(c => c.Variables.All(x => !chosen.Contains(x)));
        }, iter: Iterations);

    [Test]
    public void AtomTable_RoundTrip_EvaluatesEqual()
    {
        // Exact polynomial conversion, so the only error is the double evaluation of the two forms (a few ulps of the
        // largest intermediate, |value| ≤ ~1e4 for these generators).
        const double RoundOff = 1e-8;
        Gen.Select(ExprGen.Smooth(3), ExprGen.Point(1.5)).Sample((e, point) =>
        {
            var table = new AtomTable();
            var back = table.ToExpr(table.ToPolynomial(e));
            double a = e.Evaluate(point), b = back.Evaluate(point);
            return !double.IsFinite(a) || Math.Abs(a - b) <= RoundOff * (1 + Math.Abs(a));
        }, iter: Iterations);
    }

    [Test]
    public void AtomTable_ReplacesEachNonPolynomialPartOnce_AndRestores()
    {
        var e = Expr.Parse("sin(x)^2 + x*sin(x) + sqrt(y) + f(x, y)*sqrt(y)");
        var table = new AtomTable("ph");
        var atomized = table.Atomize(e);
        Assert.That(table.PlaceholderCount, Is.EqualTo(3), atomized.ToString());
        Assert.That(atomized.Nodes().Any(AtomTable.IsNonPolynomial), Is.False, atomized.ToString());
        Assert.That(table.Restore(atomized), Is.EqualTo(e));
        var p = table.ToPolynomial(atomized);
        Assert.That(p.TermCount, Is.EqualTo(4));
        Assert.That(table.ToExpr(p), Is.EqualTo(atomized));
    }

    [Test]
    public void Ansatz_HasEveryMonomialUpToTheDegreeWithItsOwnUnknown()
    {
        var (p, unknowns, monomials) = Polynomial.Ansatz([0, 1], 2, firstUnknown: 10);
        Assert.That(monomials, Has.Length.EqualTo(6)); // 1, x, y, x², xy, y²
        Assert.That(unknowns, Is.EqualTo(Enumerable.Range(10, 6)));
        var byMonomial = p.CoefficientsIn([0, 1]);
        Assert.That(byMonomial.Keys, Is.EquivalentTo(monomials));
        Assert.That(byMonomial.Values.Select(c => c.Variables.Single()), Is.EquivalentTo(unknowns));
    }

    [Test]
    public void Ansatz_AndKernel_FindTheInvariantsOfARotation()
    {
        // Which quadratics f(x, y) satisfy y·∂f/∂x − x·∂f/∂y = 0? Exactly the multiples of 1 and x² + y².
        var (f, unknowns, _) = Polynomial.Ansatz([0, 1], 2, firstUnknown: 2);
        var condition = (Polynomial.Variable(1) * Derivative(f, 0)) - (Polynomial.Variable(0) * Derivative(f, 1));
        var (a, b) = RationalMatrix.FromLinearPolynomials([condition], unknowns);
        Assert.That(b.All(x => x.IsZero), Is.True);
        var kernel = a.Kernel();
        Assert.That(kernel, Has.Length.EqualTo(2));
        var solutions = kernel.Select(k => f.Substitute(unknowns.Select((u, i) => (u, i)).ToDictionary(t => t.u, t => Polynomial.Constant(k[t.i])))).ToList();
        var circle = Polynomial.Variable(0, 2) + Polynomial.Variable(1, 2);
        Assert.That(solutions.Count(s => s.Equals(Polynomial.One)), Is.EqualTo(1), string.Join("; ", solutions));
        Assert.That(solutions.Count(s => s.Equals(circle)), Is.EqualTo(1), string.Join("; ", solutions));
    }

    private static Polynomial Derivative(Polynomial p, int variable) =>
        Polynomial.FromTerms(p.Terms.Where(t => t.Monomial.Exponent(variable) > 0).Select(t =>
            (t.Monomial.WithExponent(variable, t.Monomial.Exponent(variable) - 1), t.Coefficient * t.Monomial.Exponent(variable))));

    private static readonly Gen<RationalMatrix> SmallMatrix =
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 6], Gen.Int[0, 2]).SelectMany((rows, columns, dependent) =>
            SmallRational.Array[rows * columns].Select(values =>
            {
                var a = new Rational[rows + dependent, columns];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < columns; j++) a[i, j] = values[(i * columns) + j];
                for (int i = rows; i < rows + dependent; i++) // combinations of earlier rows: rank-deficient cases
                    for (int j = 0; j < columns; j++) a[i, j] = a[0, j] + (new Rational(i, 3) * a[i - rows, j]);
                return new RationalMatrix(a);
            }));

    [Test]
    public void Kernel_IsAnnihilated_AndRankPlusNullityIsTheColumnCount() =>
        SmallMatrix.Sample(a =>
        {
            var kernel = a.Kernel();
            return a.Rank() + kernel.Length == a.Columns
                && kernel.All(k => a.Multiply(k).All(x => x.IsZero))
                && (kernel.Length == 0 || new RationalMatrix(ToArray(kernel)).Rank() == kernel.Length);
        }, iter: Iterations);

    [Test]
    public void Solve_SatisfiesTheSystemWhenItIsConsistent() =>
        Gen.Select(SmallMatrix, SmallRational.Array[6]).Sample((a, x0) =>
        {
            var b = a.Multiply([.. x0.Take(a.Columns)]);
            var x = a.Solve(b);
            return x is { } s && a.Multiply(s).SequenceEqual(b);
        }, iter: Iterations);

    [Test]
    public void KnownSmallCases()
    {
        var a = RationalMatrix.FromRows([[1, 2], [2, 4]]);
        Assert.That(a.Rank(), Is.EqualTo(1));
        Assert.That(a.Kernel().Single(), Is.EqualTo(ImmutableArray.Create<Rational>(-2, 1)));
        Assert.That(a.Solve([1, 3]), Is.Null, "x + 2y = 1 and 2x + 4y = 3 are inconsistent");
        var h = RationalMatrix.FromRows([[1, new Rational(1, 2)], [new Rational(1, 2), new Rational(1, 3)]]);
        Assert.That(h.Rank(), Is.EqualTo(2));
        Assert.That(h.Solve([1, 0]), Is.EqualTo(ImmutableArray.Create<Rational>(4, -6)), "the inverse of the 2×2 Hilbert matrix is [[4, −6], [−6, 12]]");
        var x = Polynomial.Variable(0);
        var y = Polynomial.Variable(1);
        var (q, r) = ((x * x) - (y * y)).DivideLinear(0, y);
        Assert.That(q, Is.EqualTo(x + y));
        Assert.That(r.IsZero, Is.True);
    }

    private static Rational[,] ToArray(ImmutableArray<ImmutableArray<Rational>> rows)
    {
        var a = new Rational[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[0].Length; j++) a[i, j] = rows[i][j];
        return a;
    }
}

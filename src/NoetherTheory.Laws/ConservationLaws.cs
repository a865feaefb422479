using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Laws.Algebra;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>Discovers the conservation laws of gradient flow θ̇ = −∇ℓ(φ(θ)) shared by every loss ℓ: how many there are
/// (D − dim Lie(V), <see cref="LieAlgebraRank"/>) and which polynomials of degree ≤ k they include
/// (theory/06-conservation-laws.md#eq-6-4).</summary>
public static class ConservationLaws
{
    /// <summary>Counts and finds the laws, checks each with the zero test, and says whether the count is proven.</summary>
    /// <remarks>The polynomial laws are the exact kernel over ℚ of the linear conditions ⟨∇h, ∇φᵢ⟩ ≡ 0 on the coefficients of
    /// h = Σ c_m m over the monomials m of degree 1 … k (theory/06-conservation-laws.md#eq-6-4). Verdict: the number m of
    /// functionally independent laws found, each proven conserved, is a lower bound of the true count, and D − rank an upper
    /// bound (the rank is a lower bound of the generic rank); when they meet the count is Proven
    /// (theory/06-conservation-laws.md#eq-6-5).</remarks>
    /// <exception cref="FactorisationException">The ansatz would exceed <see cref="LawOptions.MaxUnknowns"/> unknowns.</exception>
    /// <exception cref="ArgumentException">A coefficient of φ has a denominator divisible by p.</exception>
    public static LawsResult Discover(Factorisation phi, LawOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(phi);
        options ??= LawOptions.Default;
        var lie = LieAlgebraRank.Compute(phi, options.Lie);
        var gradients = Gradients(phi);
        var basis = KernelBasis(phi, gradients, options.Degree);
        var (laws, named) = Display(phi, gradients, basis, options.Degree);
        var checks = laws.Select(l => Check(phi, l.Law, options.ZeroTest)).ToImmutableArray();
        var verified = laws.Where((_, i) => checks[i].IsZero).Select(l => l.Law).ToList();
        int independent = JacobianRank(phi.Dimension, verified, options.Lie.Seed);
        int failed = laws.Length - verified.Count;

        CountVerdict verdict;
        double bound;
        string why;
        if (independent == lie.LawCount)
        {
            (verdict, bound) = (CountVerdict.Proven, 0);
            why = $"{independent} functionally independent law(s) proven conserved ≤ the true count ≤ D − rank = {lie.LawCount}: both bounds meet";
        }
        else if (lie.UpperBoundProven)
        {
            (verdict, bound) = (CountVerdict.Proven, 0);
            why = $"the rank {lie.Rank} is proven from both sides, so the count D − rank = {lie.LawCount} is exact";
        }
        else if (lie.Stop == LieStop.Budget)
        {
            (verdict, bound) = (CountVerdict.UpperBoundOnly, 1);
            why = $"the bracket budget ran out: at most {lie.LawCount} law(s), at least {independent}";
        }
        else
        {
            (verdict, bound) = (CountVerdict.ProbablyCorrect, lie.FailureProbabilityBound);
            why = FormattableString.Invariant($"the count D − rank = {lie.LawCount} holds unless every random point hit a zero of a minor (P ≤ {lie.FailureProbabilityBound:G3}); {independent} law(s) of degree ≤ {options.Degree} found");
        }
        string evidence = FormattableString.Invariant(
            $"D = {phi.Dimension}, {phi.Components.Count} component(s) of φ; Lie rank: {lie.Evidence} Polynomial laws of degree ≤ {options.Degree}: kernel of dimension {basis.Count} over ℚ, ") +
            (failed == 0 ? "each proven conserved by the zero test; " : $"{failed} failed the zero test (not counted); ") +
            FormattableString.Invariant($"{independent} functionally independent (Jacobian rank at a random point modulo p). Count: {why}.");
        return new LawsResult(phi, options.Degree, lie, laws, checks, independent, verdict, bound, named, evidence);
    }

    /// <summary>Whether ⟨∇h, ∇φᵢ⟩ ≡ 0 for every component, by exact polynomial arithmetic.</summary>
    public static bool IsConserved(Factorisation phi, Polynomial law)
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(law);
        var gradients = Gradients(phi);
        return IsConserved(gradients, law);
    }

    /// <summary>The zero test of Σᵢ tᵢ⟨∇h, ∇φᵢ⟩ (fresh symbols tᵢ, so it is identically 0 exactly when every ⟨∇h, ∇φᵢ⟩ is),
    /// built as an expression and differentiated by the symbolic calculus, independently of the polynomial kernel.</summary>
    public static ZeroTestResult Check(Factorisation phi, Polynomial law, ZeroTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(law);
        var symbols = Enumerable.Range(0, phi.Dimension).Select(v => Expr.Symbol("theta", v)).ToArray();
        var h = ToExpr(law, symbols);
        var variables = law.Variables;
        var dh = variables.Select(v => (v, h.Differentiate(symbols[v]))).ToList();
        var sum = new List<Expr>();
        for (int i = 0; i < phi.Components.Count; i++)
        {
            var f = ToExpr(phi.Components[i], symbols);
            var inner = Expr.Add(dh.Select(t => Expr.Multiply(t.Item2, f.Differentiate(symbols[t.v]))));
            sum.Add(Expr.Multiply(Expr.Symbol("t", i), inner));
        }
        return ZeroTest.Run(Expr.Add(sum), options);
    }

    private static Expr ToExpr(Polynomial p, Symbol[] symbols) =>
        Expr.Add(p.Terms.Select(t => Expr.Multiply(t.Monomial.Factors.Select(f => Expr.Pow(symbols[f.Variable], f.Exponent)).Prepend(Expr.Number(t.Coefficient)))));

    /// <summary>∂p/∂x_variable.</summary>
    internal static Polynomial Derivative(Polynomial p, int variable) =>
        Polynomial.FromTerms(p.Terms.Where(t => t.Monomial.Exponent(variable) > 0).Select(t =>
        {
            int e = t.Monomial.Exponent(variable);
            return (t.Monomial.WithExponent(variable, e - 1), t.Coefficient * e);
        }));

    private static List<(int Variable, Polynomial Derivative)>[] Gradients(Factorisation phi) =>
        [.. phi.Components.Select(c => c.Variables.Select(v => (v, Derivative(c, v))).ToList())];

    private static bool IsConserved(List<(int Variable, Polynomial Derivative)>[] gradients, Polynomial law)
    {
        foreach (var g in gradients)
        {
            var s = Polynomial.Zero;
            foreach (var (v, d) in g) s += Derivative(law, v) * d;
            if (!s.IsZero) return false;
        }
        return true;
    }

    private static List<Polynomial> KernelBasis(Factorisation phi, List<(int Variable, Polynomial Derivative)>[] gradients, int degree)
    {
        int d = phi.Dimension;
        double count = 1;
        for (int i = 1; i <= degree; i++) count = count * (d + i) / i;
        if (count - 1 > LawOptions.MaxUnknowns)
            throw new FactorisationException(FormattableString.Invariant($"The degree-{degree} ansatz in D = {d} parameters has {count - 1:G4} unknowns; at most {LawOptions.MaxUnknowns} are supported (lower --degree)."));
        var monomials = new List<Monomial>();
        var frontier = new List<Monomial> { Monomial.One };
        for (int k = 1; k <= degree; k++)
        {
            var next = new List<Monomial>();
            foreach (var m in frontier)
            {
                int last = m.IsOne ? 0 : m.Factors[^1].Variable;   // non-decreasing variables: each monomial once
                for (int v = last; v < d; v++) next.Add(m.Multiply(Monomial.Variable(v)));
            }
            monomials.AddRange(next);
            frontier = next;
        }
        var kernel = new SparseKernel(monomials.Count);
        for (int i = 0; i < gradients.Length; i++)
        {
            var derivativeOf = gradients[i].ToDictionary(g => g.Variable, g => g.Derivative);
            var rows = new Dictionary<Monomial, Dictionary<int, Rational>>();
            for (int u = 0; u < monomials.Count; u++)
                foreach (var (j, e) in monomials[u].Factors)
                {
                    if (!derivativeOf.TryGetValue(j, out var dphi)) continue;
                    var dm = monomials[u].WithExponent(j, e - 1);
                    foreach (var (t, c) in dphi.Terms)
                    {
                        var key = dm.Multiply(t);
                        if (!rows.TryGetValue(key, out var row)) rows[key] = row = [];
                        row[u] = (row.TryGetValue(u, out var old) ? old : Rational.Zero) + c * e;
                    }
                }
            foreach (var row in rows.Values) kernel.Add(row);
        }
        return [.. kernel.Basis().Select(x => Primitive(Polynomial.FromTerms(x.Select((c, u) => (monomials[u], c)).Where(t => !t.c.IsZero))))];
    }

    /// <summary>The polynomial scaled to coprime integer coefficients with a positive leading one.</summary>
    private static Polynomial Primitive(Polynomial p)
    {
        if (p.IsZero) return p;
        System.Numerics.BigInteger lcm = 1, gcd = 0;
        foreach (var (_, c) in p.Terms) lcm = lcm / System.Numerics.BigInteger.GreatestCommonDivisor(lcm, c.Denominator) * c.Denominator;
        foreach (var (_, c) in p.Terms) gcd = System.Numerics.BigInteger.GreatestCommonDivisor(gcd, (c * lcm).Numerator);
        var scale = new Rational(lcm, gcd);
        if (p.LeadingTerm.Coefficient.Sign < 0) scale = -scale;
        return Polynomial.Scale(p, scale);
    }

    private static (ImmutableArray<ConservationLaw> Laws, bool Named) Display(
        Factorisation phi, List<(int Variable, Polynomial Derivative)>[] gradients, List<Polynomial> basis, int degree)
    {
        var fallback = basis.Select((p, i) => new ConservationLaw(
            string.Create(CultureInfo.InvariantCulture, $"h{i + 1}"), p, PolynomialText.Format(p, phi.Parameters))).ToImmutableArray();
        if (phi.Layout is not { } layout || degree < 2) return (fallback, false);
        var candidates = NamedLaws.For(layout);
        if (candidates.Count != basis.Count || candidates.Count == 0) return (fallback, false);
        if (!candidates.All(c => IsConserved(gradients, c.Law))) return (fallback, false);
        var monomials = candidates.SelectMany(c => c.Law.Terms.Select(t => t.Monomial)).Distinct().ToList();
        var index = monomials.Select((m, i) => (m, i)).ToDictionary(t => t.m, t => t.i);
        var rows = candidates.Select(c =>
        {
            var r = new Rational[monomials.Count];
            foreach (var (m, x) in c.Law.Terms) r[index[m]] = x;
            return (IReadOnlyList<Rational>)r;
        }).ToList();
        if (RationalMatrix.FromRows(rows).Rank() != candidates.Count) return (fallback, false);
        return ([.. candidates], true);
    }

    private static int JacobianRank(int dimension, List<Polynomial> laws, int seed)
    {
        var random = new Random(seed ^ 0x5eed);
        var point = new ulong[dimension];
        for (int j = 0; j < dimension; j++) point[j] = (ulong)random.NextInt64(0, (long)PrimeField.P);
        var rank = new PointRank(dimension);
        foreach (var h in laws)
        {
            var grad = new ulong[dimension];
            var mod = ModPolynomial.From(h);
            foreach (int v in h.Variables) grad[v] = mod.Derivative(v).Evaluate(point);
            rank.Add(grad);
        }
        return rank.Rank;
    }
}

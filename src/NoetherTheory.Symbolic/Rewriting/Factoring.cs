using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>Options for <see cref="Algebra.Factor(Expr, FactorOptions?)"/>.</summary>
public sealed record FactorOptions
{
    /// <summary>Defaults: inputs up to 4000 nodes, expansions up to 400 terms, trial division in up to 12 symbols.</summary>
    public static FactorOptions Default { get; } = new();

    /// <summary>Inputs (and sub-sums) with more nodes than this are returned unchanged.</summary>
    public int MaxNodeCount { get; init; } = 4000;

    /// <summary>Term budget of every expansion; a sub-sum whose expansion exceeds it is left as it was.</summary>
    public int MaxExpansionTerms { get; init; } = 400;

    /// <summary>Trial division is attempted in at most this many symbols of a polynomial.</summary>
    public int MaxTrialSymbols { get; init; } = 12;
}

public static partial class Algebra
{
    private static readonly Rational[] TrialRoots = [1, -1, 2, -2, new(1, 2), new(-1, 2)];

    /// <summary>Display-oriented exact factorisation: pulls the rational content and the common monomial out of sums and
    /// splits the rest into linear factors c ± x, x ± y (trial division, factor theorem) and perfect squares, recursing
    /// into numerators and denominators of rational forms, function arguments and powers. Never changes the value.</summary>
    /// <remarks>Budgeted (see <see cref="FactorOptions"/>): a sub-expression that is too large, or whose factored form is
    /// not smaller than it, is returned unchanged. The canonical form distributes a bare number over a sum, so
    /// 2x + 2y stays 2x + 2y while 2xy + 2x factors to 2x(1 + y). Not a complete factoriser: irreducible factors of
    /// degree ≥ 2 other than squares are not searched for.</remarks>
    public static Expr Factor(this Expr e, FactorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        options ??= FactorOptions.Default;
        if (e.NodeCount > options.MaxNodeCount) return e;
        return new Factorer(options).Factor(e);
    }

    private sealed class Factorer(FactorOptions options)
    {
        private readonly Dictionary<Expr, Expr> _memo = [];

        public Expr Factor(Expr e)
        {
            if (e.Children.Length == 0) return e;
            if (_memo.TryGetValue(e, out var done)) return done;
            Expr r;
            try
            {
                r = e switch
                {
                    Sum s => FactorSum(s),
                    _ => e.WithChildren([.. e.Children.Select(Factor)]),
                };
            }
            catch (ExpansionBudgetException)
            {
                r = e;
            }
            if (r.NodeCount > e.NodeCount) r = e;
            _memo[e] = r;
            return r;
        }

        private Expr FactorSum(Sum s)
        {
            if (s.NodeCount > options.MaxNodeCount) return s;
            // Atoms: function calls, undefined functions and non-integer powers (their insides factored first).
            var atoms = new AtomTable("__factor", SymbolAssumptions.None);
            var atomized = atoms.Atomize(s, Factor);
            var expander = new Expander(options.MaxExpansionTerms);
            var form = new Togetherer(expander).Run(atomized);
            var numerator = FactorPolynomial(form.Numerator, expander, atoms);
            Expr result;
            if (form.Denominator is Number { Value.IsOne: true }) result = numerator;
            else
            {
                var denominatorFactors = (form.Denominator is Product p ? p.Factors.AsEnumerable() : [form.Denominator])
                    .Select(f => f is Power { Exponent: Number k } pw ? Expr.Pow(FactorPolynomial(pw.Base, expander, atoms), k) : FactorPolynomial(f, expander, atoms));
                var coefficient = form.Denominator is Product pc ? pc.Coefficient : Rational.One;
                result = numerator / Canonical.Multiply(coefficient, denominatorFactors);
            }
            return atoms.Restore(result);
        }

        /// <summary>c · monomial · Π linear factors · (square or rest) for an expanded polynomial.</summary>
        private Expr FactorPolynomial(Expr p, Expander expander, AtomTable atoms)
        {
            if (p is not Sum s) return p;
            // Rational content, sign chosen so that the constant (else the first term) is positive.
            var coefficients = s.Terms.Select(t => Canonical.SplitCoefficient(t).Coefficient).ToList();
            if (!s.Constant.IsZero) coefficients.Add(s.Constant);
            BigInteger num = 0, den = 1;
            foreach (var c in coefficients)
            {
                num = BigInteger.GreatestCommonDivisor(num, c.Numerator);
                den = den / BigInteger.GreatestCommonDivisor(den, c.Denominator) * c.Denominator;
            }
            var content = new Rational(num, den);
            // Common monomial: the least exponent of each symbol over all terms (0 when there is a constant).
            var monomial = new List<Expr>();
            if (s.Constant.IsZero)
            {
                var exponents = Exponents(s.Terms[0]);
                foreach (var t in s.Terms.Skip(1))
                {
                    var et = Exponents(t);
                    foreach (var key in exponents.Keys.ToList())
                        exponents[key] = Math.Min(exponents[key], et.GetValueOrDefault(key));
                }
                monomial.AddRange(exponents.Where(kv => kv.Value > 0).Select(kv => Expr.Pow(kv.Key, kv.Value)));
            }
            var divisor = Canonical.Multiply(content, monomial);
            var rest = expander.Expand(Expr.Divide(p, divisor));
            if (rest is Sum rs && (rs.Constant.IsZero ? Canonical.SplitCoefficient(rs.Terms[0]).Coefficient : rs.Constant).Sign < 0)
            {
                content = -content; // shown as c·(1 − x), not −c·(x − 1): the constant (else the first term) is positive
                rest = Canonical.ScaleExpr(Rational.MinusOne, rest);
            }
            var factors = new List<Expr>();
            var scale = Rational.One;
            if (rest is Sum)
            {
                var symbols = rest.FreeSymbols().Where(x => !atoms.IsPlaceholder(x)).Take(options.MaxTrialSymbols).ToList();
                foreach (var x in symbols)
                {
                    var candidates = TrialRoots.Select(r => (Expr)Canonical.Num(r))
                        .Concat(symbols.Where(y => !y.Equals(x)).SelectMany(y => new Expr[] { y, -y }));
                    foreach (var root in candidates)
                    {
                        while (rest is Sum && Degree(rest, x) >= 1 && expander.Expand(rest.Substitute(x, root)) is Number { Value.IsZero: true })
                        {
                            rest = DivideLinear(rest, x, root, expander);
                            // x − r; for a rational r = a/b shown as ±(a − b·x) with a positive constant.
                            if (root is Number { Value: var rv })
                            {
                                var b = rv.Denominator;
                                var a = rv.Numerator;
                                var linear = Expr.Subtract(Expr.Number(a), Expr.Number(b) * x); // a − b·x = −b·(x − r)
                                if (a.Sign < 0) { linear = -linear; scale *= new Rational(1, b); }
                                else scale *= new Rational(-1, b);
                                factors.Add(linear);
                            }
                            else factors.Add(x - root);
                        }
                    }
                }
                if (rest is Sum && TrySquareRoot(rest, expander) is { } root2)
                {
                    factors.Add(Expr.Pow(root2, 2));
                    rest = Expr.One;
                }
            }
            if (rest is Sum rq && (rq.Constant.IsZero ? Canonical.SplitCoefficient(rq.Terms[0]).Coefficient : rq.Constant).Sign < 0)
            {
                scale = -scale;
                rest = Canonical.ScaleExpr(Rational.MinusOne, rest);
            }
            var all = new List<Expr>(monomial);
            all.AddRange(factors);
            all.Add(rest);
            var result = Canonical.Multiply(content * scale, all);
            return result.NodeCount <= p.NodeCount ? result : p;
        }

        private static Dictionary<Expr, int> Exponents(Expr term)
        {
            var d = new Dictionary<Expr, int>();
            foreach (var f in term is Product p ? p.Factors.AsEnumerable() : [term])
            {
                if (f is Power { Exponent: Number { Value: { IsInteger: true, Sign: > 0 } k } } pw && k.Numerator <= int.MaxValue)
                    d[pw.Base] = (int)k.Numerator;
                else if (f is not Number) d[f] = 1;
            }
            return d;
        }

        private static int Degree(Expr p, Symbol x) =>
            (p is Sum s ? s.Terms.AsEnumerable() : [p]).Select(t => Exponents(t).GetValueOrDefault(x)).DefaultIfEmpty(0).Max();

        /// <summary>p/(x − r) for p(r) = 0 by synthetic division on the coefficients of p in x.</summary>
        private static Expr DivideLinear(Expr p, Symbol x, Expr r, Expander expander)
        {
            int n = Degree(p, x);
            var c = new List<Expr>[n + 1];
            for (int i = 0; i <= n; i++) c[i] = [];
            foreach (var t in p is Sum s ? s.Terms.Append(Canonical.Num(s.Constant)) : [p])
            {
                int k = Exponents(t).GetValueOrDefault(x);
                c[k].Add(k == 0 ? t : Expr.Divide(t, Expr.Pow(x, k)));
            }
            var (q, _) = SyntheticDivision.Divide([.. c.Select(Expr.Add)], r, (a, b) => expander.Expand(a + b), (a, b) => a * b, Expr.Zero, withRemainder: false);
            return expander.Expand(Expr.Add(q.Select((ci, i) => ci * Expr.Pow(x, i))));
        }

        /// <summary>s with s² = p, from the signed square roots of p's perfect-square monomials (up to 4 of them).</summary>
        private static Expr? TrySquareRoot(Expr p, Expander expander)
        {
            var s = (Sum)p;
            var roots = new List<Expr>();
            if (s.Constant.Sign > 0 && s.Constant.TryRoot(2, out var rootOfConstant)) roots.Add(Canonical.Num(rootOfConstant));
            foreach (var t in s.Terms)
            {
                var (c, rest) = Canonical.SplitCoefficient(t);
                if (c.IsZero || c.Sign < 0 || !c.TryRoot(2, out var rc)) continue;
                var ex = Exponents(rest);
                if (ex.Values.Any(v => v % 2 != 0)) continue;
                roots.Add(Canonical.Multiply(rc, ex.Select(kv => Expr.Pow(kv.Key, kv.Value / 2))));
            }
            if (roots.Count < 2 || roots.Count > 4) return null;
            for (int signs = 0; signs < 1 << (roots.Count - 1); signs++)
            {
                var candidate = Expr.Add(roots.Select((r, i) => i > 0 && (signs & (1 << (i - 1))) != 0 ? -r : r));
                if (expander.Expand(Expr.Pow(candidate, 2)).Equals(p)) return candidate;
            }
            return null;
        }
    }
}

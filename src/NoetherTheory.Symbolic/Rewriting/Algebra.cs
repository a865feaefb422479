using System.Collections.Immutable;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>A rational function written as Numerator / Denominator.</summary>
/// <param name="Numerator">An expanded polynomial in the expression's atoms (symbols and non-polynomial sub-terms).</param>
/// <param name="Denominator">A product of powers of expanded polynomials (not expanded further, not reduced by gcd).</param>
public sealed record RationalForm(Expr Numerator, Expr Denominator)
{
    /// <summary>Numerator · Denominator⁻¹ (canonical).</summary>
    public Expr ToExpr() => Expr.Divide(Numerator, Denominator);
}

/// <summary>e = Σ Coefficients[i]·atoms[i] + Remainder.</summary>
/// <param name="Coefficients">One coefficient per atom.</param>
/// <param name="Remainder">The part free of the atoms.</param>
/// <param name="IsLinear">Whether e is affine in the atoms (no coefficient depends on an atom).</param>
/// <param name="Problem">When not linear: which coefficient depends on which atom.</param>
public sealed record LinearForm(ImmutableArray<Expr> Coefficients, Expr Remainder, bool IsLinear, string? Problem);

/// <summary>Thrown internally when an expansion exceeds its term budget.</summary>
internal sealed class ExpansionBudgetException(int limit) : Exception($"Expansion exceeded {limit} terms.")
{
    public int Limit { get; } = limit;
}

/// <summary>Polynomial and rational-function manipulation: expansion, common denominators, linear splitting.</summary>
public static partial class Algebra
{
    /// <summary>Distributes products over sums and expands positive integer powers of sums, recursively (also inside
    /// function arguments and denominators).</summary>
    public static Expr Expand(this Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Expander(int.MaxValue).Expand(e);
    }

    /// <summary>Brings e over a common denominator: numerator an expanded polynomial, denominator a product of powers.</summary>
    /// <remarks>Denominators are combined by their least common multiple over structurally equal bases; no polynomial
    /// gcd is taken, so the form is not reduced. e ≡ 0 wherever the denominator is non-zero iff the numerator is 0.</remarks>
    public static RationalForm Together(this Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Togetherer(new Expander(int.MaxValue)).Run(e);
    }

    /// <summary><see cref="Together(Expr)"/> with a budget on the number of terms in any intermediate expansion;
    /// null when exceeded.</summary>
    internal static RationalForm? TryTogether(Expr e, int maxTerms)
    {
        try
        {
            return new Togetherer(new Expander(maxTerms)).Run(e);
        }
        catch (ExpansionBudgetException)
        {
            return null;
        }
    }

    /// <summary>Splits e = Σ cᵢ·atomsᵢ + r and reports whether e is linear (affine) in the atoms.</summary>
    /// <remarks>cᵢ = ∂e/∂atomᵢ and r = e|atoms=0, so no expansion is needed; e is linear iff no cᵢ contains an atom.
    /// Use it to split Euler–Lagrange residuals M·q̈ − F (theory: the mass-matrix form, house-style §4.2).</remarks>
    /// <exception cref="ArgumentException">An atom is a number, or atoms repeat.</exception>
    public static LinearForm Coefficients(this Expr e, IReadOnlyList<Expr> atoms)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(atoms);
        if (atoms.Distinct().Count() != atoms.Count) throw new ArgumentException("Coefficients: the atoms must be distinct.", nameof(atoms));
        // Non-symbol atoms are replaced by fresh symbols so that differentiation applies.
        var symbols = new Symbol[atoms.Count];
        var toSymbols = new Dictionary<Expr, Expr>();
        for (int i = 0; i < atoms.Count; i++)
        {
            if (atoms[i] is Number or Float) throw new ArgumentException($"Coefficients: atom {i} is a number ({atoms[i]}).", nameof(atoms));
            if (atoms[i] is Symbol s) symbols[i] = s;
            else
            {
                symbols[i] = new Symbol("__atom" , i, SymbolAssumptions.None);
                toSymbols[atoms[i]] = symbols[i];
            }
        }
        var f = toSymbols.Count > 0 ? e.Substitute(toSymbols) : e;
        var back = toSymbols.ToDictionary(kv => (Expr)kv.Value, kv => kv.Key);
        var coefficients = ImmutableArray.CreateBuilder<Expr>(atoms.Count);
        string? problem = null;
        foreach (var s in symbols)
        {
            var c = f.Differentiate(s);
            if (problem is null)
                foreach (var t in symbols)
                    if (c.Contains(t))
                    {
                        problem = $"the coefficient of {Restore(s, back)} depends on {Restore(t, back)}: the expression is not linear in the atoms";
                        break;
                    }
            coefficients.Add(back.Count > 0 ? c.Substitute(back) : c);
        }
        Expr remainder;
        try
        {
            remainder = f.Substitute(symbols.ToDictionary(s => (Expr)s, _ => Expr.Zero));
        }
        catch (DivideByZeroException)
        {
            problem ??= "the expression divides by an atom";
            remainder = e;
        }
        if (back.Count > 0) remainder = remainder.Substitute(back);
        return new LinearForm(coefficients.MoveToImmutable(), remainder, problem is null, problem);
    }

    private static string Restore(Symbol s, Dictionary<Expr, Expr> back) => back.TryGetValue(s, out var a) ? a.ToString() : s.ToString();

    /// <summary>Expansion with a term budget and memo.</summary>
    internal sealed class Expander(int maxTerms)
    {
        private readonly Dictionary<Expr, Expr> _memo = [];

        public Expr Expand(Expr e)
        {
            if (e.Children.Length == 0) return e;
            if (_memo.TryGetValue(e, out var cached)) return cached;
            Expr r = e switch
            {
                Sum s => Canonical.Add(s.Constant, s.Terms.Select(Expand)),
                Product p => MultiplyOut(p.Coefficient, p.Factors.Select(Expand)),
                Power { Exponent: Number { Value: { IsInteger: true, Sign: > 0 } n } } pw => PowerOut(Expand(pw.Base), n.Numerator),
                Power pw => Expr.Pow(Expand(pw.Base), Expand(pw.Exponent)),
                Call or Apply => e.WithChildren([.. e.Children.Select(Expand)]),
                _ => throw new System.Diagnostics.UnreachableException($"{nameof(Expand)}: unhandled node {e.GetType().Name}"),
            };
            Check(r);
            _memo[e] = r;
            return r;
        }

        private void Check(Expr r)
        {
            if (r is Sum s && s.Terms.Length > maxTerms) throw new ExpansionBudgetException(maxTerms);
        }

        public Expr MultiplyOut(Rational coefficient, IEnumerable<Expr> factors)
        {
            Expr acc = Canonical.Num(coefficient);
            var plain = new List<Expr>();
            foreach (var f in factors)
            {
                if (f is Sum) acc = MultiplyTwo(acc, f);
                else plain.Add(f);
            }
            if (plain.Count == 0) return acc;
            var monomial = Canonical.Multiply(Rational.One, plain);
            return MultiplyTwo(acc, monomial);
        }

        public Expr MultiplyTwo(Expr a, Expr b)
        {
            if (a is not Sum && b is not Sum)
            {
                var m = Canonical.Multiply([a, b]);
                // x·(y+z)⁻¹·(y+z)² style merges can create a new sum; expand it too.
                return m is Product pm && pm.Factors.Any(f => f is Sum) ? MultiplyOut(pm.Coefficient, pm.Factors) : m;
            }
            var left = Terms(a);
            var right = Terms(b);
            if ((long)left.Count * right.Count > maxTerms * 4L && maxTerms != int.MaxValue) throw new ExpansionBudgetException(maxTerms);
            var acc = new Canonical.SumAccumulator();
            foreach (var x in left)
                foreach (var y in right)
                {
                    var m = Canonical.Multiply([x, y]);
                    if (m is Product pm && pm.Factors.Any(f => f is Sum)) acc.Add(MultiplyOut(pm.Coefficient, pm.Factors), Rational.One);
                    else acc.Add(m, Rational.One);
                }
            var r = acc.Build();
            Check(r);
            return r;
        }

        public Expr PowerOut(Expr b, BigInteger n)
        {
            if (b is not Sum) return Expr.Pow(b, Expr.Number(n));
            Expr result = Expr.One;
            var p = b;
            while (n > 0)
            {
                if (!n.IsEven) result = MultiplyTwo(result, p);
                n >>= 1;
                if (n > 0) p = MultiplyTwo(p, p);
            }
            return result;
        }

        private static List<Expr> Terms(Expr e)
        {
            if (e is not Sum s) return [e];
            var list = new List<Expr>(s.Terms.Length + 1);
            list.AddRange(s.Terms);
            if (!s.Constant.IsZero) list.Add(Canonical.Num(s.Constant));
            return list;
        }
    }

    /// <summary>Numerator/denominator-monomial form: den maps a base (an expanded polynomial or atom) to its exponent.</summary>
    private sealed class Togetherer(Expander expander)
    {
        private readonly Dictionary<Expr, (Expr Num, Dictionary<Expr, BigInteger> Den)> _memo = [];

        public RationalForm Run(Expr e)
        {
            var (num, den) = T(e);
            return new RationalForm(num, DenominatorExpr(den));
        }

        private static Expr DenominatorExpr(Dictionary<Expr, BigInteger> den) =>
            Canonical.Multiply(Rational.One, den.Select(kv => Expr.Pow(kv.Key, Expr.Number(kv.Value))));

        private (Expr Num, Dictionary<Expr, BigInteger> Den) T(Expr e)
        {
            if (_memo.TryGetValue(e, out var cached)) return cached;
            var r = Compute(e);
            _memo[e] = r;
            return r;
        }

        private (Expr, Dictionary<Expr, BigInteger>) Compute(Expr e)
        {
            switch (e)
            {
                case Number n:
                    return n.Value.IsInteger ? (e, []) : (Canonical.Num(n.Value.Numerator), new() { [Canonical.Num(n.Value.Denominator)] = 1 });
                case Float or Symbol:
                    return (e, []);
                case Call or Apply:
                    return (e.WithChildren([.. e.Children.Select(c => Run(c).ToExpr())]), []);
                case Power { Exponent: Number { Value: { IsInteger: true } k } } pw:
                {
                    var (nb, db) = T(pw.Base);
                    var m = BigInteger.Abs(k.Numerator);
                    var numPow = expander.PowerOut(nb, m);
                    var denPow = db.ToDictionary(kv => kv.Key, kv => kv.Value * m);
                    if (k.Sign > 0) return (numPow, denPow);
                    // (N/D)^−m = D^m / N^m: D's monomial becomes the numerator, N becomes a denominator base.
                    var newNum = expander.MultiplyOut(Rational.One, denPow.Select(kv => expander.PowerOut(kv.Key, kv.Value)));
                    var (c, baseN) = Normalise(nb);
                    var den = new Dictionary<Expr, BigInteger>();
                    if (!c.IsOne) newNum = Canonical.ScaleExpr(1 / c.Pow((int)m), newNum);
                    if (baseN is not Number) den[baseN] = m;
                    return (newNum, den);
                }
                case Power pw:
                {
                    // Non-integer or symbolic exponent: an atom (in the denominator when the exponent looks negative).
                    var b = Run(pw.Base).ToExpr();
                    if (Canonical.LooksNegative(pw.Exponent))
                        return (Expr.One, new() { [Expr.Pow(b, Canonical.ScaleExpr(Rational.MinusOne, pw.Exponent))] = 1 });
                    return (Expr.Pow(b, pw.Exponent), []);
                }
                case Product p:
                {
                    var nums = new List<Expr>();
                    var den = new Dictionary<Expr, BigInteger>();
                    var c = p.Coefficient;
                    if (!c.Denominator.IsOne) den[Canonical.Num(c.Denominator)] = 1;
                    foreach (var f in p.Factors)
                    {
                        var (nf, df) = T(f);
                        nums.Add(nf);
                        foreach (var kv in df) den[kv.Key] = den.GetValueOrDefault(kv.Key) + kv.Value;
                    }
                    return (expander.MultiplyOut(c.Numerator, nums), den);
                }
                case Sum s:
                {
                    var parts = new List<(Expr Num, Dictionary<Expr, BigInteger> Den)>();
                    if (!s.Constant.IsZero) parts.Add(T(Canonical.Num(s.Constant)));
                    foreach (var t in s.Terms) parts.Add(T(t));
                    var lcm = new Dictionary<Expr, BigInteger>();
                    foreach (var (_, d) in parts)
                        foreach (var kv in d)
                            if (!lcm.TryGetValue(kv.Key, out var old) || old < kv.Value) lcm[kv.Key] = kv.Value;
                    var acc = new Canonical.SumAccumulator();
                    foreach (var (n, d) in parts)
                    {
                        var missing = lcm.Where(kv => kv.Value > d.GetValueOrDefault(kv.Key))
                                         .Select(kv => expander.PowerOut(kv.Key, kv.Value - d.GetValueOrDefault(kv.Key)));
                        acc.Add(expander.MultiplyOut(Rational.One, missing.Append(n)), Rational.One);
                    }
                    var num = acc.Build();
                    return (num, lcm);
                }
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(Together)}: unhandled node {e.GetType().Name}");
            }
        }

        /// <summary>Splits a polynomial into c·P with P's first term having coefficient 1, so that
        /// equal denominators up to a constant share a key.</summary>
        private static (Rational, Expr) Normalise(Expr p)
        {
            if (p is Number n) return (n.Value, Expr.One);
            if (p is Sum s)
            {
                var (c, _) = Canonical.SplitCoefficient(s.Terms[0]);
                return (c, Canonical.ScaleExpr(1 / c, p));
            }
            var (c2, rest) = Canonical.SplitCoefficient(p);
            return (c2, rest);
        }
    }
}

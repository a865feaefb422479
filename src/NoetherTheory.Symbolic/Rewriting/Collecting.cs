using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>Options of <see cref="Algebra.CollectCommonFactors(Expr, CollectOptions?)"/>.</summary>
public sealed record CollectOptions
{
    /// <summary>Sums with more terms than this are left as they are (the greedy search is quadratic in the term count
    /// in the worst case).</summary>
    public int MaxTerms { get; init; } = 2000;

    /// <summary>A sum with at most this many terms that occurs only once in the input, as a factor of a term of another
    /// sum, is distributed into that sum before collecting (so its pieces can join the sibling terms' pattern).</summary>
    public int MaxDistributedTerms { get; init; } = 8;
}

public static partial class Algebra
{
    /// <summary>
    /// Greedy multivariate Horner form: in every sum, the power base shared by the most terms is pulled out
    /// (with the smallest exponent of that sign), then the same is done to the bracket and to the rest, recursively.
    /// </summary>
    /// <remarks>
    /// This undoes the distribution that differentiation produces: ∂/∂q_k of Σᵢ f(uᵢ) with uᵢ = qᵢ²/|q|² gives, in every
    /// component k, n terms −2q_k·qᵢ²·f′(uᵢ)/|q|⁴; collected, each component is q_k/|q|⁴·S with one sum S that is
    /// structurally the same in all components, so a compiler's common-subexpression elimination computes it once and
    /// a gradient costs O(n) instead of O(n²). The value is unchanged (exact rewriting, no expansion, no cancellation);
    /// floating-point evaluation order changes. Only rational exponents are split; numbers never leave a sum (the
    /// canonical form would distribute them back). Deterministic: ties go to the base first in canonical order.
    /// </remarks>
    public static Expr CollectCommonFactors(this Expr e, CollectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Collector(options ?? new CollectOptions(), [e]).Collect(e);
    }

    /// <summary><see cref="CollectCommonFactors(Expr, CollectOptions?)"/> of several expressions at once: a sub-expression
    /// is judged by its uses across all of them (a sum used by several outputs is never distributed), and equal inputs
    /// give equal (shared) results.</summary>
    public static ImmutableArray<Expr> CollectCommonFactors(this IReadOnlyList<Expr> expressions, CollectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var c = new Collector(options ?? new CollectOptions(), expressions);
        return [.. expressions.Select(c.Collect)];
    }

    private sealed class Collector
    {
        private readonly Dictionary<Expr, Expr> _memo = [];
        private readonly Dictionary<Expr, int> _uses = [];
        private readonly CollectOptions _options;

        public Collector(CollectOptions options, IReadOnlyList<Expr> roots)
        {
            _options = options;
            foreach (var r in roots) CountUses(r);
        }

        /// <summary>How many parents refer to each compound node (each distinct parent counted once per reference).</summary>
        private void CountUses(Expr e)
        {
            if (e.Children.Length == 0) return;
            int n = _uses.GetValueOrDefault(e);
            _uses[e] = n + 1;
            if (n > 0) return;
            foreach (var c in e.Children) CountUses(c);
        }

        /// <summary>A sum factor used once (or created by collecting) with few terms: distributing it loses no sharing.</summary>
        private bool Distributable(Expr f) =>
            f is Sum s && s.Terms.Length + (s.Constant.IsZero ? 0 : 1) <= _options.MaxDistributedTerms && _uses.GetValueOrDefault(f, 1) <= 1;

        public Expr Collect(Expr e)
        {
            if (e.Children.Length == 0) return e;
            if (_memo.TryGetValue(e, out var done)) return done;
            var children = e.Children;
            Expr[]? mapped = null;
            for (int i = 0; i < children.Length; i++)
            {
                var c = Collect(children[i]);
                if (!ReferenceEquals(c, children[i]))
                {
                    mapped ??= [.. children];
                    mapped[i] = c;
                }
            }
            Expr r = mapped is null ? e : e.WithChildren([.. mapped]);
            if (r is Sum s && s.Terms.Length >= 2 && s.Terms.Length <= _options.MaxTerms)
            {
                var terms = new List<Monomial>(s.Terms.Length);
                var constant = s.Constant;
                foreach (var t in s.Terms)
                {
                    int k = -1;
                    if (t is Product candidate)
                        for (int j = 0; j < candidate.Factors.Length && k < 0; j++)
                            if (Distributable(candidate.Factors[j])) k = j;
                    if (k < 0 || t is not Product tp)
                    {
                        terms.Add(Monomial.Of(t));
                        continue;
                    }
                    var inner = (Sum)tp.Factors[k];
                    var others = tp.Factors.RemoveAt(k);
                    var rest = Expr.Multiply([Expr.Number(tp.Coefficient), .. others]);
                    if (!inner.Constant.IsZero) terms.Add(Monomial.Of(Expr.Multiply(Expr.Number(inner.Constant), rest)));
                    foreach (var it in inner.Terms) terms.Add(Monomial.Of(Expr.Multiply(it, rest)));
                }
                r = Expr.Add(Expr.Number(constant), Group(terms));
            }
            _memo[e] = r;
            if (!ReferenceEquals(r, e)) _uses[r] = Math.Max(_uses.GetValueOrDefault(r), _uses.GetValueOrDefault(e));
            return r;
        }

        private static Expr Group(List<Monomial> terms)
        {
            if (terms.Count < 2) return Expr.Add(terms.Select(t => t.ToExpr()));
            // For each (base, sign of exponent): how many terms hold it, and the smallest |exponent| among them.
            var stats = new Dictionary<(Expr Base, int Sign), (int Count, Rational MinAbs)>();
            foreach (var t in terms)
                foreach (var (b, x) in t.Factors)
                {
                    if (b is Number or Float) continue;
                    var key = (b, x.Sign);
                    stats[key] = stats.TryGetValue(key, out var s) ? (s.Count + 1, Min(s.MinAbs, x.Abs())) : (1, x.Abs());
                }
            (Expr Base, int Sign)? best = null;
            (int Count, Rational MinAbs) bestStat = default;
            foreach (var (key, stat) in stats)
            {
                if (stat.Count < 2) continue;
                bool better = best is null || stat.Count > bestStat.Count
                    || (stat.Count == bestStat.Count && TieBreak(key, best.Value) < 0);
                if (better) (best, bestStat) = (key, stat);
            }
            if (best is not { } pick) return Expr.Add(terms.Select(t => t.ToExpr()));
            var exponent = pick.Sign * bestStat.MinAbs;
            var with = new List<Monomial>();
            var without = new List<Monomial>();
            foreach (var t in terms)
            {
                if (t.TryDivide(pick.Base, exponent, out var q)) with.Add(q);
                else without.Add(t);
            }
            var collected = Expr.Multiply(Expr.Pow(pick.Base, Expr.Number(exponent)), Group(with));
            return without.Count == 0 ? collected : Expr.Add(collected, Group(without));
        }

        private static int TieBreak((Expr Base, int Sign) a, (Expr Base, int Sign) b)
        {
            int c = CanonicalOrder.Compare(a.Base, b.Base);
            return c != 0 ? c : b.Sign.CompareTo(a.Sign);
        }

        private static Rational Min(Rational a, Rational b) => a < b ? a : b;
    }

    /// <summary>c·Π bᵢ^xᵢ with rational xᵢ (a factor with a non-numeric exponent is its own base with exponent 1).</summary>
    private sealed record Monomial(Rational Coefficient, List<(Expr Base, Rational Exponent)> Factors)
    {
        public static Monomial Of(Expr t)
        {
            var factors = new List<(Expr, Rational)>();
            var coefficient = Rational.One;
            IEnumerable<Expr> parts = [t];
            if (t is Product p) (coefficient, parts) = (p.Coefficient, p.Factors);
            foreach (var f in parts)
                factors.Add(f is Power { Exponent: Number n } pw ? (pw.Base, n.Value) : (f, Rational.One));
            return new Monomial(coefficient, factors);
        }

        /// <summary>This / b^x when this holds b with an exponent of the same sign and at least |x|.</summary>
        public bool TryDivide(Expr b, Rational x, out Monomial quotient)
        {
            for (int i = 0; i < Factors.Count; i++)
            {
                var (fb, fx) = Factors[i];
                if (fx.Sign != x.Sign || fx.Abs() < x.Abs() || !fb.Equals(b)) continue;
                var rest = new List<(Expr, Rational)>(Factors);
                var left = fx - x;
                if (left.IsZero) rest.RemoveAt(i);
                else rest[i] = (fb, left);
                quotient = new Monomial(Coefficient, rest);
                return true;
            }
            quotient = this;
            return false;
        }

        public Expr ToExpr()
        {
            var parts = new List<Expr>(Factors.Count + 1) { Expr.Number(Coefficient) };
            foreach (var (b, x) in Factors) parts.Add(x.IsOne ? b : Expr.Pow(b, Expr.Number(x)));
            return Expr.Multiply(parts);
        }
    }
}

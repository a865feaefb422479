using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>Differentiation: one function with a switch over the closed node set; per-function derivatives come from
/// the function table.</summary>
public static class Calculus
{
    /// <summary>∂e/∂x. The result is canonical but not simplified.</summary>
    /// <remarks>
    /// Shared sub-trees are differentiated once (memoised per call) and sub-trees that cannot contain x are skipped,
    /// so the cost is linear in the size of the DAG. Undefined functions follow the chain rule:
    /// ∂V(a₀,…)/∂x = Σᵢ (∂ᵢV)(a₀,…)·∂aᵢ/∂x, with ∂ᵢV an <see cref="Apply"/> whose order i is incremented.
    /// </remarks>
    public static Expr Differentiate(this Expr e, Symbol x)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(x);
        return new Differentiator(x).D(e);
    }

    /// <summary>The <paramref name="order"/>-th derivative ∂ⁿe/∂xⁿ.</summary>
    public static Expr Differentiate(this Expr e, Symbol x, int order)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        for (int i = 0; i < order; i++) e = e.Differentiate(x);
        return e;
    }

    /// <summary>The gradient (∂e/∂x₀, …) — one derivative per variable.</summary>
    public static ImmutableArray<Expr> Gradient(this Expr e, IReadOnlyList<Symbol> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var b = ImmutableArray.CreateBuilder<Expr>(variables.Count);
        foreach (var v in variables) b.Add(e.Differentiate(v));
        return b.MoveToImmutable();
    }

    /// <summary>Whether symbol <paramref name="x"/> occurs in <paramref name="e"/>.</summary>
    public static bool Contains(this Expr e, Symbol x)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(x);
        if ((e.SymbolMask & x.SymbolMask) == 0) return false;
        if (e is Symbol s) return s.Equals(x);
        foreach (var c in e.Children)
            if (c.Contains(x)) return true;
        return false;
    }

    /// <summary>The symbols occurring in <paramref name="e"/>, in canonical order.</summary>
    public static ImmutableArray<Symbol> FreeSymbols(this Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var set = new HashSet<Symbol>(e.Nodes(n => n.SymbolMask != 0).OfType<Symbol>());
        return [.. set.Order(CanonicalOrder.Comparer).Cast<Symbol>()];
    }

    private sealed class Differentiator(Symbol x)
    {
        private readonly Dictionary<Expr, Expr> _memo = [];

        public Expr D(Expr e)
        {
            if ((e.SymbolMask & x.SymbolMask) == 0) return Expr.Zero;
            if (_memo.TryGetValue(e, out var cached)) return cached;
            var r = Compute(e);
            _memo[e] = r;
            return r;
        }

        private Expr Compute(Expr e)
        {
            switch (e)
            {
                case Number or Float:
                    return Expr.Zero;
                case Symbol s:
                    return s.Equals(x) ? Expr.One : Expr.Zero;
                case Sum s:
                {
                    var parts = new List<Expr>(s.Terms.Length);
                    foreach (var t in s.Terms)
                    {
                        var d = D(t);
                        if (!IsZero(d)) parts.Add(d);
                    }
                    return Canonical.Add(Rational.Zero, parts);
                }
                case Product p:
                {
                    var fs = p.Factors;
                    var parts = new List<Expr>();
                    for (int i = 0; i < fs.Length; i++)
                    {
                        var d = D(fs[i]);
                        if (IsZero(d)) continue;
                        var factors = new List<Expr>(fs.Length) { d };
                        for (int j = 0; j < fs.Length; j++)
                            if (j != i) factors.Add(fs[j]);
                        parts.Add(Canonical.Multiply(p.Coefficient, factors));
                    }
                    return Canonical.Add(Rational.Zero, parts);
                }
                case Power p:
                {
                    var db = D(p.Base);
                    if ((p.Exponent.SymbolMask & x.SymbolMask) == 0 || IsZero(D(p.Exponent)))
                    {
                        // d(b^c) = c·b^(c−1)·b'
                        if (IsZero(db)) return Expr.Zero;
                        return Expr.Multiply(p.Exponent, Expr.Pow(p.Base, Expr.Add(p.Exponent, Expr.MinusOne)), db);
                    }
                    // d(b^e) = b^e·(e'·log b + e·b'/b)
                    var de = D(p.Exponent);
                    var inner = Expr.Add(Expr.Multiply(de, Expr.Log(p.Base)), Expr.Multiply(p.Exponent, db, Expr.Pow(p.Base, Expr.MinusOne)));
                    return Expr.Multiply(p, inner);
                }
                case Call c:
                {
                    var da = D(c.Argument);
                    return IsZero(da) ? Expr.Zero : Expr.Multiply(FunctionTable.Get(c.Kind).Derivative(c.Argument), da);
                }
                case Apply a:
                {
                    var parts = new List<Expr>();
                    for (int i = 0; i < a.Arguments.Length; i++)
                    {
                        var da = D(a.Arguments[i]);
                        if (IsZero(da)) continue;
                        var orders = a.DerivativeOrders.SetItem(i, a.DerivativeOrders[i] + 1);
                        parts.Add(Expr.Multiply(new Apply(a.Name, a.Arguments, orders), da));
                    }
                    return Canonical.Add(Rational.Zero, parts);
                }
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(Differentiate)}: unhandled node {e.GetType().Name}");
            }
        }

        private static bool IsZero(Expr e) => e is Number n && n.Value.IsZero;
    }
}

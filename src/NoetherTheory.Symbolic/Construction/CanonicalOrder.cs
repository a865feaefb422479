namespace NoetherTheory.Symbolic;

/// <summary>
/// The total structural order used to sort terms and factors. Compares powers by base first (so x, x², y sort
/// together) and products by their factor lists, so that like terms are adjacent and printing is stable.
/// </summary>
/// <remarks>Consistent with equality: <c>Compare(a, b) == 0</c> exactly when <c>a.Equals(b)</c>.</remarks>
public static class CanonicalOrder
{
    /// <summary>An <see cref="IComparer{T}"/> over the canonical order.</summary>
    public static IComparer<Expr> Comparer { get; } = Comparer<Expr>.Create(Compare);

    /// <summary>Negative, zero or positive as <paramref name="a"/> sorts before, with or after <paramref name="b"/>; null sorts first.</summary>
    public static int Compare(Expr? a, Expr? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        if (a is Product || b is Product) return CompareAsProducts(a, b);
        if (a is Power || b is Power)
        {
            int c = Compare(BaseOf(a), BaseOf(b));
            return c != 0 ? c : Compare(ExponentOf(a), ExponentOf(b));
        }
        int r = Rank(a).CompareTo(Rank(b));
        if (r != 0) return r;
        switch (a)
        {
            case Number na: return na.Value.CompareTo(((Number)b).Value);
            case Float fa: return fa.Value.CompareTo(((Float)b).Value);
            case Symbol sa:
            {
                var sb = (Symbol)b;
                int c = string.CompareOrdinal(sa.Name, sb.Name);
                if (c != 0) return c;
                c = Nullable.Compare(sa.Index, sb.Index);
                return c != 0 ? c : sa.Assumptions.CompareTo(sb.Assumptions);
            }
            case Apply aa:
            {
                var ab = (Apply)b;
                int c = string.CompareOrdinal(aa.Name, ab.Name);
                if (c != 0) return c;
                c = CompareSequences(aa.Arguments.AsSpan(), ab.Arguments.AsSpan());
                if (c != 0) return c;
                for (int i = 0; i < aa.DerivativeOrders.Length && i < ab.DerivativeOrders.Length; i++)
                {
                    c = aa.DerivativeOrders[i].CompareTo(ab.DerivativeOrders[i]);
                    if (c != 0) return c;
                }
                return aa.DerivativeOrders.Length.CompareTo(ab.DerivativeOrders.Length);
            }
            case Call ca:
            {
                var cb = (Call)b;
                int c = ca.Kind.CompareTo(cb.Kind);
                return c != 0 ? c : Compare(ca.Argument, cb.Argument);
            }
            case Sum sa:
            {
                var sb = (Sum)b;
                int c = CompareSequences(sa.Terms.AsSpan(), sb.Terms.AsSpan());
                return c != 0 ? c : sa.Constant.CompareTo(sb.Constant);
            }
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(CanonicalOrder)}: unhandled node {a.GetType().Name}");
        }
    }

    private static int CompareAsProducts(Expr a, Expr b)
    {
        ReadOnlySpan<Expr> fa = a is Product pa ? pa.Factors.AsSpan() : new ReadOnlySpan<Expr>(in a);
        ReadOnlySpan<Expr> fb = b is Product pb ? pb.Factors.AsSpan() : new ReadOnlySpan<Expr>(in b);
        int c = CompareSequences(fa, fb);
        if (c != 0) return c;
        var ca = a is Product p1 ? p1.Coefficient : Rational.One;
        var cb = b is Product p2 ? p2.Coefficient : Rational.One;
        return ca.CompareTo(cb);
    }

    private static int CompareSequences(ReadOnlySpan<Expr> a, ReadOnlySpan<Expr> b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static Expr BaseOf(Expr e) => e is Power p ? p.Base : e;

    private static Expr ExponentOf(Expr e) => e is Power p ? p.Exponent : Expr.One;

    private static int Rank(Expr e) => e switch
    {
        Number => 0,
        Float => 1,
        Symbol => 2,
        Apply => 3,
        Call => 4,
        Sum => 5,
        _ => throw new System.Diagnostics.UnreachableException($"{nameof(CanonicalOrder)}: unranked node {e.GetType().Name}"),
    };
}

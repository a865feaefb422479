using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>
/// An immutable symbolic expression in canonical form. Create expressions with the <c>Expr.*</c> factories,
/// the C# operators, or <see cref="Parse(string)"/>; the node types (<c>Number</c>,
/// <c>Float</c>, <c>Symbol</c>, <see cref="Sum"/>,
/// <see cref="Product"/>, <see cref="Power"/>, <c>Call</c>,
/// <c>Apply</c>) form a closed family.
/// </summary>
/// <remarks>
/// Equality is structural and the hash is computed once at construction. Because every node is canonical on
/// construction (flattened, sorted, numbers folded, like terms collected, powers merged), structurally equal means
/// "equal by the cheap canonical rules"; deciding equality in general is <c>ZeroTest</c>'s job.
/// </remarks>
public abstract partial record Expr : IComparable<Expr>
{
    private protected Expr(int hash, ulong symbolMask) => (Hash, SymbolMask) = (hash, symbolMask);

    /// <summary>The cached structural hash.</summary>
    internal int Hash { get; }

    /// <summary>A 64-bit Bloom filter of the symbols inside: if <c>(a.SymbolMask &amp; s.SymbolMask) == 0</c>, symbol s
    /// does not occur in a (lets differentiation and substitution skip whole sub-trees).</summary>
    internal ulong SymbolMask { get; }

    /// <summary>The sub-expressions, in canonical order (empty for atoms).</summary>
    public abstract ImmutableArray<Expr> Children { get; }

    /// <summary>Rebuilds this node (re-canonicalised) with new children; returns <c>this</c> when they are the same references.</summary>
    public abstract Expr WithChildren(ImmutableArray<Expr> children);

    /// <summary>Text that <see cref="Parse(string)"/> reads back to an equal expression.</summary>
    public sealed override string ToString() => TextPrinter.Print(this);

    /// <summary>The canonical total structural order (the order of terms in sums and factors in products).</summary>
    public int CompareTo(Expr? other) => CanonicalOrder.Compare(this, other);

    /// <summary>Number of nodes in the tree (shared sub-trees counted every time they occur).</summary>
    public int NodeCount => NodeCountCache;

    private protected abstract int NodeCountCache { get; }
}

/// <summary>Hash helpers for node children.</summary>
internal static class StructuralHash
{
    public static int Of(ImmutableArray<Expr> items)
    {
        var h = new HashCode();
        foreach (var e in items) h.Add(e.Hash);
        return h.ToHashCode();
    }

    public static bool SequenceEqual(ImmutableArray<Expr> a, ImmutableArray<Expr> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!ReferenceEquals(a[i], b[i]) && !a[i].Equals(b[i])) return false;
        return true;
    }

    public static bool SequenceReferenceEqual(ImmutableArray<Expr> a, ImmutableArray<Expr> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!ReferenceEquals(a[i], b[i])) return false;
        return true;
    }

    public static ulong Mask(ImmutableArray<Expr> items)
    {
        ulong m = 0;
        foreach (var e in items) m |= e.SymbolMask;
        return m;
    }

    public static int Count(ImmutableArray<Expr> items)
    {
        long n = 1;
        foreach (var e in items) n += e.NodeCount;
        return (int)Math.Min(n, int.MaxValue);
    }
}

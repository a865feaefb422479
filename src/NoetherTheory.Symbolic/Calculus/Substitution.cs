namespace NoetherTheory.Symbolic;

/// <summary>Simultaneous substitution of sub-expressions.</summary>
public static class Substitution
{
    /// <summary>
    /// Replaces every occurrence of each key (matched structurally, whole nodes only) by its value, simultaneously:
    /// {x→y, y→x} swaps x and y. Replacements are not substituted again. The result is re-canonicalised.
    /// </summary>
    /// <remarks>Whole-node matching means a key <c>x*y</c> matches the product x·y but not a factor of 2·x·y·z.</remarks>
    public static Expr Substitute(this Expr e, IReadOnlyDictionary<Expr, Expr> replacements)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(replacements);
        if (replacements.Count == 0) return e;
        ulong keyMask = 0;
        bool prune = true;
        foreach (var k in replacements.Keys)
        {
            if (k.SymbolMask == 0) prune = false;
            keyMask |= k.SymbolMask;
        }
        return new Substituter(replacements, prune ? keyMask : ulong.MaxValue).S(e);
    }

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/>.</summary>
    public static Expr Substitute(this Expr e, Expr from, Expr to) =>
        e.Substitute(new Dictionary<Expr, Expr> { [from] = to });

    private sealed class Substituter(IReadOnlyDictionary<Expr, Expr> map, ulong keyMask)
    {
        private readonly Dictionary<Expr, Expr> _memo = [];

        public Expr S(Expr e)
        {
            if ((e.SymbolMask & keyMask) == 0 && keyMask != ulong.MaxValue) return e;
            if (map.TryGetValue(e, out var r)) return r;
            if (e.Children.Length == 0) return e;
            if (_memo.TryGetValue(e, out var cached)) return cached;
            var result = e switch
            {
                Sum or Product or Power or Call or Apply => Rebuild(e),
                _ => throw new System.Diagnostics.UnreachableException($"{nameof(Substitute)}: unhandled node {e.GetType().Name}"),
            };
            _memo[e] = result;
            return result;
        }

        private Expr Rebuild(Expr e)
        {
            var children = e.Children;
            var builder = children.ToBuilder();
            bool changed = false;
            for (int i = 0; i < builder.Count; i++)
            {
                var s = S(builder[i]);
                if (!ReferenceEquals(s, builder[i])) { builder[i] = s; changed = true; }
            }
            return changed ? e.WithChildren(builder.ToImmutable()) : e;
        }
    }
}

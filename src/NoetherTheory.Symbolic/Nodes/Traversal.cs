namespace NoetherTheory.Symbolic;

/// <summary>The two walks over an expression DAG that the rewriters share: visiting each distinct node once, and
/// rebuilding with a rule that replaces whole nodes.</summary>
/// <remarks>Nodes are told apart by reference, so a sub-tree shared inside the DAG is visited (or rebuilt) once; equal
/// sub-trees built separately are visited once each, which only costs time.</remarks>
public static class Traversal
{
    /// <summary>Every distinct node of <paramref name="e"/>, parents before children, children left to right.</summary>
    /// <param name="e">The root.</param>
    /// <param name="enter">Whether to visit a node (and below it); null: every node. A node it refuses is not yielded.</param>
    public static IEnumerable<Expr> Nodes(this Expr e, Func<Expr, bool>? enter = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n) || (enter is not null && !enter(n))) continue;
            yield return n;
            for (int i = n.Children.Length - 1; i >= 0; i--) stack.Push(n.Children[i]);
        }
    }

    /// <summary>Rebuilds <paramref name="e"/> top-down: where <paramref name="rule"/> returns a replacement the node is
    /// replaced (and not descended into), elsewhere it is rebuilt from its rewritten children. Each distinct node is
    /// rewritten once (memoised), so the rule sees it once.</summary>
    public static Expr Replace(this Expr e, Func<Expr, Expr?> rule)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(rule);
        var memo = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        return Walk(e);

        Expr Walk(Expr x)
        {
            if (memo.TryGetValue(x, out var done)) return done;
            var r = rule(x) ?? (x.Children.Length == 0 ? x : x.WithChildren([.. x.Children.Select(Walk)]));
            memo[x] = r;
            return r;
        }
    }
}

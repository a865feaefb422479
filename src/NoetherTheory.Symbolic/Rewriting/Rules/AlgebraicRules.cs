namespace NoetherTheory.Symbolic;

/// <summary>Rules built on <see cref="Algebra"/>; the simplifier keeps their result only if it is not larger.</summary>
internal static class AlgebraicRules
{
    /// <summary>Term budget so that a rule never expands a large expression (simplification stays cheap).</summary>
    private const int MaxTerms = 200;

    public static IEnumerable<Rule> All =>
    [
        new("expand", e => e is Product or Power ? Expand(e) : null),
        new("together", e => e is Sum ? Algebra.TryTogether(e, MaxTerms)?.ToExpr() : null),
    ];

    private static Expr? Expand(Expr e)
    {
        try
        {
            return new Algebra.Expander(MaxTerms).Expand(e);
        }
        catch (ExpansionBudgetException)
        {
            return null;
        }
    }
}

namespace NoetherTheory.Symbolic;

/// <summary>The display style of the printers (<see cref="Presentation.ToDisplayText"/>): 1 + β before β + 1, a positive
/// term first in a sum, and in a product the coefficient factors (only symbols with a declared domain) before the rest,
/// so η(1 + β)(1 − δ)·q̈/2 rather than η·q̈·(1 + β)(1 − δ)/2. Ordering only: the printed text parses back equal.</summary>
internal sealed class PrintStyle(IReadOnlySet<Symbol> coefficientSymbols)
{
    /// <summary>The style with no coefficient symbols (only the sum rules apply).</summary>
    public static PrintStyle Plain { get; } = new(new HashSet<Symbol>());

    /// <summary>0 for a factor made of coefficient symbols and numbers only, 1 otherwise.</summary>
    public int Rank(Expr factor) =>
        coefficientSymbols.Count > 0 && !factor.Nodes().Any(n => n is Apply) && factor.FreeSymbols().All(coefficientSymbols.Contains) ? 0 : 1;

    /// <summary>Factors in display order (stable: coefficient factors first).</summary>
    public List<Expr> Order(List<Expr> factors) => [.. factors.OrderBy(Rank)];

    /// <summary>The items of a sum in display order: a positive constant first (1 − β + ηk), then the terms — sorted
    /// by size when they are all made of coefficient symbols ((1 − β)² − 4ηk(1 + β)), else in canonical order — rotated
    /// so that a term without a minus sign comes first; a negative constant last.</summary>
    public List<Expr> OrderTerms(Sum s)
    {
        List<Expr> terms = [.. s.Terms];
        if (coefficientSymbols.Count > 0 && terms.All(t => Rank(t) == 0)) terms = [.. terms.OrderBy(t => t.NodeCount)];
        int first = terms.FindIndex(t => !Canonical.LooksNegative(t));
        if (first > 0 && s.Constant.Sign <= 0) { var f = terms[first]; terms.RemoveAt(first); terms.Insert(0, f); }
        if (s.Constant.Sign > 0) terms.Insert(0, Canonical.Num(s.Constant));
        else if (s.Constant.Sign < 0) terms.Add(Canonical.Num(s.Constant));
        return terms;
    }
}

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

    /// <summary>Sum terms in display order: the canonical order, rotated so that a term without a minus sign comes first.</summary>
    public static IReadOnlyList<Expr> OrderTerms(IReadOnlyList<Expr> terms)
    {
        int first = -1;
        for (int i = 0; i < terms.Count; i++)
            if (!Canonical.LooksNegative(terms[i])) { first = i; break; }
        if (first <= 0) return terms;
        return [terms[first], .. terms.Where((_, i) => i != first)];
    }
}

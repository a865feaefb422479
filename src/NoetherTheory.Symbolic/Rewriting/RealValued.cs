namespace NoetherTheory.Symbolic;

/// <summary>
/// A conservative test that an expression is real wherever it is defined, used to decide when |u|² = u² may be used
/// (<see cref="SparseProof"/>). True only for numbers, real or positive symbols, and sums, products, integer powers and
/// real-preserving calls (exp, sin, cos, tan, tanh, sinh, cosh) of such; |z| is real for any z. Everything else
/// (complex symbols, log, non-integer powers, undefined functions) answers false, so |u| stays an opaque atom.
/// </summary>
/// <remarks>
/// For complex u, |u|² = u·ū ≠ u², so using the relation there would be unsound; a false negative only costs a proof.
/// </remarks>
internal static class RealValued
{
    /// <summary>True when e is provably real wherever defined.</summary>
    public static bool Is(Expr e) => e switch
    {
        Number or Float => true,
        Symbol s => s.Assumptions != SymbolAssumptions.None,
        Sum or Product => AllChildren(e),
        Power { Exponent: Number { Value.IsInteger: true } } p => Is(p.Base),
        Call { Kind: FunctionKind.Abs } => true,
        Call { Kind: FunctionKind.Exp or FunctionKind.Sin or FunctionKind.Cos or FunctionKind.Tan
            or FunctionKind.Tanh or FunctionKind.Sinh or FunctionKind.Cosh } c => Is(c.Argument),
        _ => false,
    };

    private static bool AllChildren(Expr e)
    {
        foreach (var c in e.Children)
            if (!Is(c)) return false;
        return true;
    }
}

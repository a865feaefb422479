namespace NoetherTheory.Symbolic;

/// <summary>Exponential and logarithm identities that hold for real arguments.</summary>
internal static class ExpLogRules
{
    public static IEnumerable<Rule> All =>
    [
        new("log(exp x)=x", e => e is Call { Kind: FunctionKind.Log, Argument: Call { Kind: FunctionKind.Exp } inner } && Canonical.IsReal(inner.Argument)
            ? inner.Argument : null),
        new("log(x^n)=n·log x", e => e is Call { Kind: FunctionKind.Log, Argument: Power { Exponent: Number { Value.IsInteger: true } n } p } && Canonical.IsPositive(p.Base)
            ? Expr.Multiply(n, Expr.Log(p.Base)) : null),
    ];
}

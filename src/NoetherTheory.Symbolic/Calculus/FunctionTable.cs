using System.Collections.Frozen;
using System.Reflection;

namespace NoetherTheory.Symbolic;

/// <summary>Symmetry of f under x → −x, used to pull signs out of arguments on construction.</summary>
internal enum Parity
{
    None,
    Even,
    Odd,
}

/// <summary>Everything the CAS knows about one elementary function.</summary>
/// <param name="Kind">The function.</param>
/// <param name="Name">Text name and parser keyword.</param>
/// <param name="Latex">LaTeX operator (e.g. <c>\sin</c>).</param>
/// <param name="Derivative">f′ as an expression of the argument.</param>
/// <param name="Numeric">Double evaluation.</param>
/// <param name="NumericMethod">The <c>Math.*</c> method the compiler calls (same as <paramref name="Numeric"/>).</param>
/// <param name="Parity">f(−x) = ±f(x).</param>
/// <param name="ExactValue">f at a rational point when that is again exact (e.g. exp 0 = 1), otherwise null.</param>
internal sealed record FunctionInfo(
    FunctionKind Kind,
    string Name,
    string Latex,
    Func<Expr, Expr> Derivative,
    Func<double, double> Numeric,
    MethodInfo NumericMethod,
    Parity Parity,
    Func<Rational, Expr?> ExactValue);

/// <summary>The one table of per-function facts, keyed by <see cref="FunctionKind"/>. Adding a function = one enum
/// member + one row here.</summary>
internal static class FunctionTable
{
    private static MethodInfo M(string name) =>
        typeof(Math).GetMethod(name, [typeof(double)]) ?? throw new InvalidOperationException($"Math.{name}(double) not found.");

    private static Expr? AtZero(Rational x, Expr value) => x.IsZero ? value : null;

    private static readonly FunctionInfo[] Rows =
    [
        new(FunctionKind.Exp, "exp", @"\exp", x => Expr.Exp(x), Math.Exp, M(nameof(Math.Exp)), Parity.None, x => AtZero(x, Expr.One)),
        new(FunctionKind.Log, "log", @"\log", x => Expr.Pow(x, Expr.MinusOne), Math.Log, M(nameof(Math.Log)), Parity.None,
            x => x.IsOne ? Expr.Zero : null),
        new(FunctionKind.Sin, "sin", @"\sin", x => Expr.Cos(x), Math.Sin, M(nameof(Math.Sin)), Parity.Odd, x => AtZero(x, Expr.Zero)),
        new(FunctionKind.Cos, "cos", @"\cos", x => -Expr.Sin(x), Math.Cos, M(nameof(Math.Cos)), Parity.Even, x => AtZero(x, Expr.One)),
        new(FunctionKind.Tan, "tan", @"\tan", x => 1 + Expr.Pow(Expr.Tan(x), 2), Math.Tan, M(nameof(Math.Tan)), Parity.Odd,
            x => AtZero(x, Expr.Zero)),
        new(FunctionKind.Tanh, "tanh", @"\tanh", x => 1 - Expr.Pow(Expr.Tanh(x), 2), Math.Tanh, M(nameof(Math.Tanh)), Parity.Odd,
            x => AtZero(x, Expr.Zero)),
        new(FunctionKind.Sinh, "sinh", @"\sinh", x => Expr.Cosh(x), Math.Sinh, M(nameof(Math.Sinh)), Parity.Odd, x => AtZero(x, Expr.Zero)),
        new(FunctionKind.Cosh, "cosh", @"\cosh", x => Expr.Sinh(x), Math.Cosh, M(nameof(Math.Cosh)), Parity.Even, x => AtZero(x, Expr.One)),
        new(FunctionKind.Abs, "abs", "", x => x / Expr.Abs(x), Math.Abs, M(nameof(Math.Abs)), Parity.Even, x => Expr.Number(x.Abs())),
    ];

    private static readonly FunctionInfo[] ByKind = BuildByKind();

    /// <summary>Parser keywords → kind.</summary>
    public static FrozenDictionary<string, FunctionKind> ByName { get; } =
        Rows.ToFrozenDictionary(r => r.Name, r => r.Kind, StringComparer.Ordinal);

    /// <summary>All rows.</summary>
    public static IReadOnlyList<FunctionInfo> All => Rows;

    /// <summary>The row for a kind.</summary>
    public static FunctionInfo Get(FunctionKind kind) =>
        (uint)kind < (uint)ByKind.Length && ByKind[(int)kind] is { } row ? row
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "No function-table row for this kind.");

    private static FunctionInfo[] BuildByKind()
    {
        var kinds = Enum.GetValues<FunctionKind>();
        var table = new FunctionInfo[kinds.Max(k => (int)k) + 1];
        foreach (var row in Rows) table[(int)row.Kind] = row;
        return table;
    }
}

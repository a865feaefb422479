using CsCheck;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>CsCheck generators of random expressions.</summary>
internal static class ExprGen
{
    public static readonly Symbol X = Expr.Symbol("x");
    public static readonly Symbol Y = Expr.Symbol("y");
    public static readonly Symbol Z = Expr.Symbol("z");
    public static readonly Symbol[] Variables = [X, Y, Z];

    private static readonly Gen<Expr> Leaf = Gen.OneOf(
        Gen.Int[-5, 5].Select(i => Expr.Number(i)),
        Gen.Select(Gen.Int[-5, 5], Gen.Int[1, 4]).Select((n, d) => Expr.Number(n, d)),
        Gen.Int[0, 2].Select(i => (Expr)Variables[i]));

    /// <summary>Smooth on ℝ³ away from nothing: sums, products, positive integer powers, exp/sin/cos/tanh/sinh/cosh,
    /// and 1/(1 + u²) — so derivative and evaluation checks never hit a singularity.</summary>
    public static Gen<Expr> Smooth(int depth) => depth <= 0 ? Leaf : Gen.Frequency(
        (3, Leaf),
        (3, Gen.Select(Smooth(depth - 1), Smooth(depth - 1)).Select((a, b) => a + b)),
        (3, Gen.Select(Smooth(depth - 1), Smooth(depth - 1)).Select((a, b) => a * b)),
        (1, Gen.Select(Smooth(depth - 1), Smooth(depth - 1)).Select((a, b) => a - b)),
        (1, Gen.Select(Smooth(depth - 1), Gen.Int[2, 3]).Select((a, n) => Expr.Pow(a, n))),
        (1, Smooth(depth - 1).Select(a => Expr.Pow(1 + Expr.Pow(a, 2), -1))),
        (1, Smooth(depth - 1).Select(a => Expr.Sqrt(2 + Expr.Pow(a, 2)))),
        (1, Gen.Select(Smooth(depth - 1), Gen.Int[0, 5].Select(i => new[] { FunctionKind.Sin, FunctionKind.Cos, FunctionKind.Tanh, FunctionKind.Exp,
            FunctionKind.Sinh, FunctionKind.Cosh }[i])).Select((a, k) => Expr.Call(k, k is FunctionKind.Exp or FunctionKind.Sinh or FunctionKind.Cosh ? Expr.Sin(a) : a))));

    /// <summary>Anything printable, including undefined functions and floats.</summary>
    public static Gen<Expr> Any(int depth) => depth <= 0
        ? Gen.OneOf(Leaf, Gen.Double[-3, 3].Select(Expr.Float))
        : Gen.Frequency(
            (4, Smooth(depth)),
            (1, Gen.Select(Any(depth - 1), Any(depth - 1)).Select((a, b) => Expr.Apply("V", a, b))),
            (1, Any(depth - 1).Select(a => Expr.Apply("W", [a], [2]))),
            (1, Gen.Select(Any(depth - 1), Any(depth - 1)).Select((a, b) => a / (2 + Expr.Pow(b, 2)))),
            (1, Any(depth - 1).Select(a => Expr.Log(2 + Expr.Pow(a, 2)))),
            (1, Any(depth - 1).Select(Expr.Abs)),
            (1, Any(depth - 1).Select(a => Expr.Pow(a, Expr.Symbol("y")))));

    public static Gen<Dictionary<Symbol, double>> Point(double radius) =>
        Gen.Select(Gen.Double[-radius, radius], Gen.Double[-radius, radius], Gen.Double[-radius, radius])
           .Select((a, b, c) => new Dictionary<Symbol, double> { [X] = a, [Y] = b, [Z] = c });
}

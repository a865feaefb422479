using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>One generalized coordinate with its jet-space symbols q[i], qdot[i], qddot[i] (theory/02-euler-lagrange.md#eq-2-1).</summary>
public sealed record Coordinate(Symbol Q, Symbol QDot, Symbol QDDot)
{
    /// <summary>The i-th coordinate of the family <c>q</c>.</summary>
    public static Coordinate Of(int index) =>
        new(Expr.Symbol(Coordinates.QName, index), Expr.Symbol(Coordinates.QDotName, index), Expr.Symbol(Coordinates.QDDotName, index));
}

/// <summary>The symbol conventions shared by the catalog, the engine and the CLI (theory/README.md, notation).</summary>
public static class Coordinates
{
    /// <summary>Family name of positions.</summary>
    public const string QName = "q";

    /// <summary>Family name of velocities.</summary>
    public const string QDotName = "qdot";

    /// <summary>Family name of accelerations.</summary>
    public const string QDDotName = "qddot";

    /// <summary>Time <c>t</c> (t = nη).</summary>
    public static Symbol Time { get; } = Expr.Symbol("t");

    /// <summary>Learning rate <c>eta</c>.</summary>
    public static Symbol Eta { get; } = Expr.Symbol("eta");

    /// <summary>Weight decay <c>k</c>.</summary>
    public static Symbol K { get; } = Expr.Symbol("k");

    /// <summary>Heavy-ball momentum <c>beta</c>.</summary>
    public static Symbol Beta { get; } = Expr.Symbol("beta");

    /// <summary>Names a model may not use for its own parameters.</summary>
    public static ImmutableHashSet<string> Reserved { get; } =
        ["q", "qdot", "qddot", "t", "eta", "beta", "delta", "k", "rho", "m", "mu", "tau", "s", "g", "q_next", "q_prev"];

    /// <summary>q[0..n-1].</summary>
    public static ImmutableArray<Symbol> Q(int n) => Expr.Symbols(QName, n);

    /// <summary>The coordinates 0..n-1.</summary>
    public static ImmutableArray<Coordinate> Of(int n) => [.. Enumerable.Range(0, n).Select(Coordinate.Of)];
}

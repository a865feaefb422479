using System.Collections.Immutable;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>
/// The square-root radicals of an expression: every distinct base b of a half-integer power b^(k/2) (k odd) becomes a
/// fresh symbol r with the relation r² = b, so b^(k/2) = r^k. Used by <see cref="ZeroTest"/> to decide identities
/// that involve √(Σq²) and its odd powers exactly instead of numerically.
/// </summary>
/// <remarks>
/// The relation r² = b holds for the principal square root on every branch (b^(k/2) = (√b)^k for odd k), so an identity
/// that holds in the quotient ring Q(x)[r₁…r_m]/(rᵢ² − bᵢ) holds for the expression. The converse is not true (√x·√y
/// vs √(xy), or a base that is a perfect square), so a non-zero reduced form never gives a NonZero verdict by itself.
/// Bases that contain a half-integer power are not registered (nested radicals stay opaque).
/// </remarks>
internal sealed class Radicals
{
    /// <summary>More radicals than this are not reduced (the ring has 2^m components per value).</summary>
    public const int MaxRadicals = 5;

    private readonly Dictionary<Expr, int> _index;

    private Radicals(ImmutableArray<Expr> bases, ImmutableArray<Symbol> symbols)
    {
        Bases = bases;
        Symbols = symbols;
        _index = [];
        for (int i = 0; i < bases.Length; i++) _index[bases[i]] = i;
    }

    /// <summary>The radicands bᵢ, in order of first occurrence.</summary>
    public ImmutableArray<Expr> Bases { get; }

    /// <summary>The fresh symbols rᵢ (complex assumptions, reserved names).</summary>
    public ImmutableArray<Symbol> Symbols { get; }

    public int Count => Bases.Length;

    /// <summary>Index of a registered base, or −1.</summary>
    public int IndexOf(Expr b) => _index.TryGetValue(b, out var i) ? i : -1;

    /// <summary>True for b^(k/2) with odd k.</summary>
    public static bool IsHalfIntegerPower(Expr e) =>
        e is Power { Exponent: Number { Value: var x } } && x.Denominator == 2;

    /// <summary>Finds the radicals of e; null when there are none or more than <see cref="MaxRadicals"/>.</summary>
    public static Radicals? Find(Expr e)
    {
        var bases = new List<Expr>();
        var seenBases = new HashSet<Expr>();
        foreach (var n in e.Nodes())
            if (IsHalfIntegerPower(n) && ((Power)n).Base is var b && !ContainsHalfIntegerPower(b) && seenBases.Add(b))
                bases.Add(b);
        if (bases.Count == 0 || bases.Count > MaxRadicals) return null;
        var symbols = Enumerable.Range(0, bases.Count).Select(i => new Symbol("__radical", i, SymbolAssumptions.None)).ToImmutableArray();
        return new Radicals([.. bases], symbols);
    }

    private static bool ContainsHalfIntegerPower(Expr e)
    {
        if (IsHalfIntegerPower(e)) return true;
        foreach (var c in e.Children)
            if (ContainsHalfIntegerPower(c)) return true;
        return false;
    }

    /// <summary>e with every b^(k/2) of a registered base replaced by r^k.</summary>
    public Expr ToSymbols(Expr e) => e.Replace(x =>
        x is Power { Exponent: Number { Value: var k } } p && k.Denominator == 2 && IndexOf(p.Base) is var i and >= 0
            ? Expr.Pow(Symbols[i], Expr.Number(k.Numerator))
            : null);

    /// <summary>For degree bounds: e with every b^(k/2) of a registered base replaced by the integer power
    /// b^(sign(k)·(|k|+1)/2), whose degree bounds that of r^k after reduction.</summary>
    public Expr ToIntegerPowers(Expr e) => e.Replace(x =>
        x is Power { Exponent: Number { Value: var k } } p && k.Denominator == 2 && IndexOf(p.Base) >= 0
            ? Expr.Pow(p.Base, Expr.Number(k.Sign * ((BigInteger.Abs(k.Numerator) + 1) / 2)))
            : null);
}

namespace NoetherTheory.Symbolic;

/// <summary>
/// Brings a rational expression over a common denominator and cancels denominator factors that are linear in some
/// symbol and divide the numerator (factor theorem + synthetic division). The CAS has no polynomial GCD; this covers
/// the factors that occur in learning-rule coefficients, such as (1 − δ) and (1 − ηk). Exact: the value never changes.
/// </summary>
public static class RationalCancel
{
    /// <summary>e over a common denominator with the linear denominator factors that divide the numerator cancelled
    /// (non-polynomial parts are atoms, see <see cref="AtomTable"/>; |u| of a real u to even powers is u to that power).</summary>
    public static Expr Cancel(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var together = RealPowers(e).Together();
        var atoms = new AtomTable();
        var numerator = atoms.Atomize(RealPowers(together.Numerator).Expand());
        var denominator = atoms.Atomize(RealPowers(together.Denominator));
        return atoms.Restore(CancelPolynomial(numerator / denominator));
    }

    private static readonly Expr[] SmallRoots = [Expr.One, Expr.MinusOne, Expr.Number(2), Expr.Number(-2), Expr.Half, Expr.Number(-1, 2)];

    /// <summary>
    /// <see cref="Cancel"/>, after splitting every polynomial denominator factor into linear factors x − r at small
    /// rational roots (±1, ±2, ±1/2) of any one of its symbols — a root for every value of the others, so that e.g.
    /// (1 + β)/((1 − β)(1 − β²)) becomes 1/(1 − β)², and an expanded (1 − δ)³(1 + β)(1 − β²) gives up its (1 − δ)³.
    /// </summary>
    public static Expr CancelWithRoots(Expr e)
    {
        var c = Cancel(e);
        var form = c.Together();
        var parts = new List<Expr>();
        bool changed = false;
        foreach (var (b, n) in Factors(form.Denominator))
        {
            var rest = b;
            var linear = new List<Expr>();
            if (b is Sum)
                foreach (var x in b.FreeSymbols().Order().ToList())
                    foreach (var r in SmallRoots)
                        while (rest.Contains(x) && IsZero(rest.Substitute(x, r)))
                        {
                            rest = DivideLinear(rest.Expand(), x, r);
                            linear.Add(x - r);
                            changed = true;
                        }
            parts.Add(Expr.Pow(rest * Expr.Multiply(linear), Expr.Number(n)));
        }
        return changed ? Cancel(form.Numerator / Expr.Multiply(parts)) : c;
    }

    private static Expr CancelPolynomial(Expr e)
    {
        var form = e.Together();
        var num = form.Numerator;
        if (num.Equals(Expr.Zero)) return Expr.Zero;
        var remaining = new List<Expr>();
        foreach (var (b, n) in Factors(form.Denominator).SelectMany(Content))
        {
            int left = n;
            if (b is Sum && left > 0)
                foreach (var x in b.FreeSymbols())
                {
                    while (left > 0 && TryDivide(num, b, x) is { } quotient)
                    {
                        num = quotient;
                        left--;
                    }
                    if (left == 0) break;
                }
            if (b is Sum or Symbol && left > 0)
                foreach (var x in LinearVariables(b))
                {
                    var slope = b.Differentiate(x);
                    var root = -b.Substitute(x, Expr.Zero) / slope;
                    while (left > 0 && IsZero(num.Substitute(x, root)))
                    {
                        var quotient = (DivideLinear(num, x, root) / slope).Together();
                        num = quotient.Numerator;
                        if (!quotient.Denominator.Equals(Expr.One)) remaining.Add(quotient.Denominator);
                        left--;
                    }
                    if (left == 0) break;
                }
            if (left != 0) remaining.Add(Expr.Pow(b, left));
        }
        return num / Expr.Multiply(remaining);
    }

    /// <summary>Rewrites |u|^(2j) → u^(2j) and |u|^(2j+1) → u^(2j)·|u| (real arguments).</summary>
    public static Expr RealPowers(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Children.Length == 0) return e;
        var rebuilt = e.WithChildren([.. e.Children.Select(RealPowers)]);
        if (rebuilt is Power { Base: Call { Kind: FunctionKind.Abs } abs, Exponent: Number { Value.IsInteger: true } k })
        {
            var n = k.Value.Numerator;
            if (n.IsEven) return Expr.Pow(abs.Argument, Expr.Number(n));
            return Expr.Pow(abs.Argument, Expr.Number(n - n.Sign)) * Expr.Pow(abs, Expr.Number(n.Sign));
        }
        return rebuilt;
    }

    /// <summary>num/b as a polynomial in x when b's leading coefficient in x is a number and the division is exact.</summary>
    private static Expr? TryDivide(Expr num, Expr b, Symbol x)
    {
        var bc = PolyCoefficients(b, x);
        if (bc is null || bc.Count < 2 || bc[^1] is not Number { Value.IsZero: false } lead) return null;
        var nc = PolyCoefficients(num, x);
        if (nc is null || nc.Count < bc.Count) return null;
        var rem = nc.ToArray();
        int db = bc.Count - 1;
        var quotient = new Expr[nc.Count - db];
        for (int i = nc.Count - 1; i >= db; i--)
        {
            var c = (rem[i] / lead).Expand();
            quotient[i - db] = c;
            for (int j = 0; j <= db; j++) rem[i - db + j] = (rem[i - db + j] - (c * bc[j])).Expand();
        }
        if (rem.Any(r => !r.Together().Numerator.Equals(Expr.Zero))) return null;
        return Expr.Add(quotient.Select((c, i) => c * Expr.Pow(x, i))).Expand();
    }

    private static List<Expr>? PolyCoefficients(Expr p, Symbol x)
    {
        var list = new List<Expr>();
        var d = p.Expand();
        for (int i = 0; i < 32; i++)
        {
            if (d.Equals(Expr.Zero)) return list;
            list.Add((d.Substitute(x, Expr.Zero) / Factorial(i)).Expand());
            d = d.Differentiate(x).Expand();
        }
        return null;
    }

    private static bool IsZero(Expr e) => e.Together().Numerator.Equals(Expr.Zero);

    private static IEnumerable<(Expr Base, int Exponent)> Factors(Expr d)
    {
        var factors = d is Product p ? p.Factors.AsEnumerable() : [d];
        if (d is Product pc && !pc.Coefficient.IsOne) yield return (Expr.Number(pc.Coefficient), 1);
        foreach (var f in factors)
        {
            if (f is Power { Exponent: Number { Value.IsInteger: true } k } pw) yield return (pw.Base, (int)k.Value.Numerator);
            else if (f is not Number { Value.IsOne: true }) yield return (f, 1);
        }
    }

    private static IEnumerable<Symbol> LinearVariables(Expr b)
    {
        foreach (var x in b.FreeSymbols())
        {
            var slope = b.Differentiate(x);
            if (!slope.Contains(x) && !slope.Equals(Expr.Zero)) yield return x;
        }
    }

    /// <summary>Splits symbols that divide every term of a sum base out of it: η(1+β) as η and (1+β).</summary>
    private static IEnumerable<(Expr Base, int Exponent)> Content((Expr Base, int Exponent) factor)
    {
        if (factor.Base is not Sum s || !s.Constant.IsZero)
        {
            yield return factor;
            yield break;
        }
        var rest = factor.Base;
        foreach (var x in s.FreeSymbols())
        {
            if (!s.Terms.All(t => t.Equals(x) || (t is Product p && p.Factors.Any(f => f.Equals(x) || (f is Power { Exponent: Number { Value: { IsInteger: true, Sign: > 0 } } } pw && pw.Base.Equals(x)))))) continue;
            yield return (x, factor.Exponent);
            rest = (rest / x).Expand();
        }
        yield return (rest, factor.Exponent);
    }

    /// <summary>N(x)/(x − r) for N with N(r) = 0, by synthetic division on N's coefficients in x.</summary>
    private static Expr DivideLinear(Expr n, Symbol x, Expr r)
    {
        var coefficients = new List<Expr>();
        var d = n;
        for (int i = 0; i < 64 && !d.Equals(Expr.Zero); i++)
        {
            coefficients.Add(d.Substitute(x, Expr.Zero) / Factorial(i));
            d = d.Differentiate(x).Expand();
        }
        var (q, _) = SyntheticDivision.Divide(coefficients, r, (a, b) => a + b, (a, b) => a * b, Expr.Zero, withRemainder: false);
        return Expr.Add(q.Select((c, i) => c * Expr.Pow(x, i))).Expand();
    }

    private static Expr Factorial(int n)
    {
        System.Numerics.BigInteger f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return Expr.Number(f);
    }
}

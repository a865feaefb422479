namespace NoetherTheory.Symbolic;

/// <summary>Pythagorean identities inside sums: c·R·sin(x)² + c·R·cos(x)² → c·R (and cosh² − sinh² → 1).</summary>
internal static class TrigonometricRules
{
    public static IEnumerable<Rule> All =>
    [
        new("sin²+cos²=1", e => Pythagoras(e, FunctionKind.Sin, FunctionKind.Cos, Rational.One)),
        new("cosh²−sinh²=1", e => Pythagoras(e, FunctionKind.Sinh, FunctionKind.Cosh, Rational.MinusOne)),
    ];

    /// <summary>For each term c·R·f(x)², look for sign·c·R·g(x)² and replace the pair by sign·c·R·g-free remainder
    /// (f² + g² = 1 for sign = +1; g² − f² = 1 for sign = −1, i.e. c·R·(g² − f²) → c·R).</summary>
    private static Expr? Pythagoras(Expr e, FunctionKind f, FunctionKind g, Rational sign)
    {
        if (e is not Sum s) return null;
        var terms = s.Terms.ToList();
        for (int i = 0; i < terms.Count; i++)
        {
            if (!TrySplit(terms[i], f, out var x, out var rest)) continue;
            // partner: for sign +1, c·R·g(x)²; for sign −1 (cosh² − sinh²), the f-term is −c·R·sinh², partner +c·R·cosh².
            var partner = Expr.Multiply(sign == Rational.One ? rest : -rest, Expr.Pow(Expr.Call(g, x), 2));
            int j = terms.FindIndex(t => t.Equals(partner));
            if (j < 0) continue;
            var replacement = sign == Rational.One ? rest : -rest;
            var remaining = terms.Where((_, k) => k != i && k != j).Append(replacement).Append(Expr.Number(s.Constant));
            return Expr.Add(remaining);
        }
        return null;
    }

    private static bool TrySplit(Expr term, FunctionKind f, out Expr argument, out Expr rest)
    {
        argument = Expr.Zero;
        rest = Expr.Zero;
        var factors = term is Product p ? p.Factors : [term];
        var coefficient = term is Product p2 ? p2.Coefficient : Rational.One;
        for (int k = 0; k < factors.Length; k++)
        {
            if (factors[k] is Power { Exponent: Number { Value: var n }, Base: Call c } && c.Kind == f && n == 2)
            {
                argument = c.Argument;
                rest = Expr.Multiply(factors.RemoveAt(k).Prepend(Expr.Number(coefficient)));
                return true;
            }
        }
        return false;
    }
}

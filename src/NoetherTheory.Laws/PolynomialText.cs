using System.Text;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>Writes a polynomial with parameter names: <c>U1[0,0]^2 + U1[0,1]^2 - U2[0,0]^2</c>.</summary>
public static class PolynomialText
{
    /// <summary>The polynomial in readable text, largest terms first, variable v written as names[v].</summary>
    public static string Format(Polynomial p, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(names);
        if (p.IsZero) return "0";
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (m, c) in p.Terms)
        {
            var abs = c.Abs();
            sb.Append(first ? (c.Sign < 0 ? "-" : "") : (c.Sign < 0 ? " - " : " + "));
            first = false;
            var factors = string.Join("*", m.Factors.Select(f => f.Exponent == 1 ? names[f.Variable] : $"{names[f.Variable]}^{f.Exponent}"));
            if (m.IsOne) sb.Append(abs);
            else if (abs.IsOne) sb.Append(factors);
            else sb.Append(abs).Append('*').Append(factors);
        }
        return sb.ToString();
    }
}

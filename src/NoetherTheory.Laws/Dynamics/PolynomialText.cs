using System.Globalization;
using System.Text;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>Writes a polynomial in θ and θ̇ with the parameter names: variable i &lt; D is <c>Parameters[i]</c>,
/// variable D + i is its velocity <c>Parameters[i]'</c>.</summary>
internal static class PolynomialText
{
    public static string Format(Polynomial p, IReadOnlyList<string> names)
    {
        if (p.IsZero) return "0";
        int d = names.Count;
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (m, c) in p.Terms)
        {
            var magnitude = c.Abs();
            if (first) sb.Append(c.Sign < 0 ? "-" : "");
            else sb.Append(c.Sign < 0 ? " - " : " + ");
            first = false;
            bool unit = magnitude.IsOne;
            if (m.IsOne || !unit) sb.Append(magnitude.ToString());
            bool needStar = !m.IsOne && !unit;
            foreach (var (v, e) in m.Factors)
            {
                if (needStar) sb.Append('*');
                needStar = true;
                sb.Append(v < d ? names[v] : v < 2 * d ? names[v - d] + "'" : "x" + v.ToString(CultureInfo.InvariantCulture));
                if (e > 1) sb.Append('^').Append(e.ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}

using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>The known quadratic laws of networks, with names, used to display a kernel basis readably when they span it.</summary>
public static class NamedLaws
{
    /// <summary>Linear network: the entries (a ≤ b) of U_l U_lᵀ − U_{l+1}ᵀ U_{l+1} for each inner width; ReLU network: for each
    /// hidden unit, |incoming weights|² + bias² − |outgoing weights|² (theory/06-conservation-laws.md#eq-6-6).</summary>
    public static IReadOnlyList<ConservationLaw> For(NetworkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var laws = new List<ConservationLaw>();
        var w = layout.Weights;
        for (int l = 1; l < layout.Widths.Length - 1; l++)
        {
            int n = layout.Widths[l];
            var incoming = w[l - 1];
            var outgoing = w[l];
            if (layout.Rectified)
                for (int a = 0; a < n; a++)
                {
                    var p = Polynomial.Zero;
                    for (int j = 0; j < incoming.GetLength(1); j++) p += Polynomial.Variable(incoming[a, j], 2);
                    string bias = "";
                    if (layout.HasBias)
                    {
                        p += Polynomial.Variable(layout.Biases[l - 1][a], 2);
                        bias = string.Create(CultureInfo.InvariantCulture, $" + b{l}[{a}]^2");
                    }
                    for (int i = 0; i < outgoing.GetLength(0); i++) p -= Polynomial.Variable(outgoing[i, a], 2);
                    laws.Add(new ConservationLaw(
                        string.Create(CultureInfo.InvariantCulture, $"unit {l}:{a}"), p,
                        string.Create(CultureInfo.InvariantCulture, $"|U{l}[{a},:]|^2{bias} - |U{l + 1}[:,{a}]|^2")));
                }
            else
                for (int a = 0; a < n; a++)
                    for (int b = a; b < n; b++)
                    {
                        var p = Polynomial.Zero;
                        for (int j = 0; j < incoming.GetLength(1); j++)
                            p += Polynomial.Variable(incoming[a, j]) * Polynomial.Variable(incoming[b, j]);
                        for (int i = 0; i < outgoing.GetLength(0); i++)
                            p -= Polynomial.Variable(outgoing[i, a]) * Polynomial.Variable(outgoing[i, b]);
                        laws.Add(new ConservationLaw(
                            string.Create(CultureInfo.InvariantCulture, $"(U{l} U{l}^T - U{l + 1}^T U{l + 1})[{a},{b}]"), p,
                            string.Create(CultureInfo.InvariantCulture, $"(U{l} U{l}^T - U{l + 1}^T U{l + 1})[{a},{b}] = ") + PolynomialText.Format(p, layout.Names)));
                    }
        }
        return laws;
    }
}

using System.Globalization;
using System.Text;

namespace NoetherTheory.Mechanics;

/// <summary>Plain text (names, evidence, prose with Unicode maths) made safe for a pdflatex document with only amsmath:
/// LaTeX specials escaped, the Unicode symbols the outputs use mapped to math commands, anything else named by code point.</summary>
public static class LatexText
{
    private static readonly Dictionary<char, string> Map = new()
    {
        ['\\'] = @"\textbackslash{}", ['{'] = @"\{", ['}'] = @"\}", ['$'] = @"\$", ['&'] = @"\&", ['#'] = @"\#", ['%'] = @"\%",
        ['_'] = @"\_", ['^'] = @"\^{}", ['~'] = @"\~{}", ['<'] = @"\textless{}", ['>'] = @"\textgreater{}", ['|'] = @"\textbar{}",
        ['∂'] = @"$\partial$", ['²'] = @"$^2$", ['³'] = @"$^3$", ['⁴'] = @"$^4$", ['·'] = @"$\cdot$", ['×'] = @"$\times$",
        ['−'] = "-", ['–'] = "--", ['—'] = "---", ['≤'] = @"$\le$", ['≥'] = @"$\ge$", ['≈'] = @"$\approx$", ['→'] = @"$\to$",
        ['↔'] = @"$\leftrightarrow$", ['⟨'] = @"$\langle$", ['⟩'] = @"$\rangle$", ['∫'] = @"$\int$", ['√'] = @"$\surd$",
        ['₀'] = @"$_0$", ['ᵗ'] = @"$^t$", ['∇'] = @"$\nabla$", ['±'] = @"$\pm$", ['∞'] = @"$\infty$", ['≠'] = @"$\ne$",
        ['ξ'] = @"$\xi$", ['η'] = @"$\eta$", ['β'] = @"$\beta$", ['δ'] = @"$\delta$", ['κ'] = @"$\kappa$", ['λ'] = @"$\lambda$",
        ['μ'] = @"$\mu$", ['τ'] = @"$\tau$", ['ρ'] = @"$\rho$", ['γ'] = @"$\gamma$", ['ω'] = @"$\omega$", ['Ω'] = @"$\Omega$",
        ['Γ'] = @"$\Gamma$", ['θ'] = @"$\theta$", ['φ'] = @"$\varphi$", ['ψ'] = @"$\psi$", ['σ'] = @"$\sigma$", ['ĝ'] = @"$\hat g$",
        ['ł'] = @"\l{}", ['’'] = "'", ['“'] = "``", ['”'] = "''", ['…'] = @"\ldots{}", ['‖'] = @"$\|$", ['ℓ'] = @"$\ell$",
    };

    /// <summary>Escapes <paramref name="text"/> for LaTeX text mode; after each comma, semicolon, '=' or ',' a line may break.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (Map.TryGetValue(c, out var s)) sb.Append(s);
            else if (c < 128) sb.Append(c);
            else sb.Append("[U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append(']');
            if (c is '*' or '/' or '+' or '=' or '(' ) sb.Append(@"\allowbreak{}"); // long formulas in prose may wrap
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <content>LaTeX: a fragment per derivation and a standalone appendix (article + amsmath only) with one section per
/// derivation, numbered equations broken over lines where they are long, the verdicts and every identity's check.</content>
public static partial class DerivationFormatter
{
    /// <summary>Estimated printed width (in characters of 10 pt maths) above which an equation is broken over lines; the
    /// article class's text width holds about 60 (the appendix test measures the result: no overfull box beyond its
    /// stated tolerance).</summary>
    public const int LatexLineWidth = 52;

    /// <summary>A LaTeX fragment (numbered amsmath environments) for one derivation, without a section heading.</summary>
    public static string ToLatex(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        WriteBody(sb, result, Presenter.For(result.Rule), includeGlossary: true);
        return sb.ToString();
    }

    /// <summary>A standalone document (<c>\documentclass{article}</c>, amsmath) with one section per derivation; it compiles
    /// with pdflatex.</summary>
    public static string ToLatexDocument(IEnumerable<DerivationResult> results, string title = "Derived learning-dynamics laws")
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(title);
        var list = results.ToList();
        var sb = new StringBuilder();
        Line(sb, @"\documentclass[10pt]{article}");
        Line(sb, @"\usepackage[utf8]{inputenc}");
        Line(sb, @"\usepackage{amsmath}");
        Line(sb, @"\allowdisplaybreaks");
        Line(sb, @"\setlength{\emergencystretch}{3em}");
        Line(sb, @"\sloppy");
        Line(sb, @"\title{" + LatexText.Escape(title) + "}");
        Line(sb, @"\author{NoetherTheory \texttt{noether derive}}");
        Line(sb, @"\date{}");
        Line(sb, @"\begin{document}");
        Line(sb, @"\maketitle");
        Line(sb, "Each section derives, for one learning rule, symmetry and model, the modified equation, its Lagrangian, "
                 + "the Noether charge and its equation, the symmetry verdicts and the charge law. Every identity below was checked by "
                 + "the computer-algebra zero test (verdict listed); every displayed expression is a display form proven equal to the "
                 + "derived expression by the same test. " + LatexText.Escape($"{list.Count} derivation(s), {list.Sum(r => r.Checks.Length)} identities: "
                 + (list.All(r => r.AllHold) ? "all hold." : "SOME DO NOT HOLD.")));
        foreach (var r in list)
        {
            Line(sb, "");
            Line(sb, @"\section{" + LatexText.Escape($"{r.Rule.Id} × {r.Symmetry.Id} × {r.ModelName}") + "}");
            WriteBody(sb, r, Presenter.For(r.Rule), includeGlossary: true);
        }
        Line(sb, @"\end{document}");
        return sb.ToString();
    }

    private static void WriteBody(StringBuilder sb, DerivationResult result, Presenter pr, bool includeGlossary)
    {
        var me = result.ModifiedEquation;
        Line(sb, LatexText.Escape($"Rule: {result.Rule.Name}. Symmetry: {result.Symmetry.Name}. Model: {result.ModelName} (n = {result.Dimension})"
                                  + (result.IsAbstract ? ", abstract loss." : ".") + $" Time t = n·{pr.T(me.Step)}."));
        if (includeGlossary)
        {
            Line(sb, @"\paragraph{Glossary.}");
            Line(sb, @"\begin{itemize}\setlength{\itemsep}{0pt}");
            foreach (var g in Glossary.For(result, pr))
                Line(sb, $@"  \item ${g.Latex}$ ({LatexText.Escape(g.Symbol)}): {LatexText.Escape(g.Meaning)}. \emph{{Units:}} {LatexText.Escape(g.Units)}.");
            Line(sb, @"\end{itemize}");
        }
        Line(sb, @"\paragraph{Modified equation and Lagrangian.}");
        Equation(sb, pr, "", me.FirstOrder, " = 0");
        Definitions(sb, [("m", pr.L(me.Mass)), (@"\mu", pr.L(me.Friction)), (@"\kappa", pr.L(me.WeightDecay)), (@"\tau", @"m/\mu")]);
        var compact = CompactForms.TryCreate(result);
        if (compact is not null)
        {
            Equation(sb, pr, @"\mathcal L = ", compact.Lagrangian, "");
            for (int i = 0; i < result.Dimension; i++)
                Equation(sb, pr, CompactForms.Left(result.Equations.System.Coordinates[i]).ToLatex() + " = ", compact.Forcing[i], "");
            Line(sb, LatexText.Escape($"(Euler–Lagrange equations divided by e^(t/τ); division verified by the zero test: "
                                      + string.Join(", ", compact.DivisionCheck.Select(c => c.Kind).Distinct()) + ".)"));
        }
        else
        {
            Equation(sb, pr, @"\mathcal L = ", result.Lagrangian, "");
            for (int i = 0; i < result.Dimension; i++)
                Equation(sb, pr, Paren(pr, result.Equations.MassMatrix[i][i]) + $@"\,\ddot q_{{{i}}} = ", result.Equations.Forcing[i], "");
        }
        Line(sb, @"\paragraph{Noether charge.}");
        Definitions(sb, [(@"\xi", @"\left(" + string.Join(", ", result.Generator.Select(pr.L)) + @"\right)")]);
        Equation(sb, pr, "J = ", result.Charge, "");
        Line(sb, @"\begin{equation}\dot J + J/\tau = \partial_s T - \partial_s V\end{equation}");
        Equation(sb, pr, @"\partial_s T = ", result.KineticBreaking, "");
        Equation(sb, pr, @"\partial_s V = ", result.LossBreaking + result.WeightDecayBreaking, "");
        Line(sb, @"\paragraph{Verdicts.}");
        Line(sb, @"\begin{itemize}\setlength{\itemsep}{0pt}");
        foreach (var v in result.Verdicts.All)
            Line(sb, $@"  \item {LatexText.Escape(v.Name)}: \textbf{{{v.Outcome.ToString().ToLowerInvariant()}}}"
                     + (v.Result is { } z ? LatexText.Escape($" ({z.Kind}: {z.Evidence})") : " (declared)"));
        Line(sb, @"\end{itemize}");
        if (result.Law is { } law)
        {
            Line(sb, @"\paragraph{Charge law.}");
            if (law.Kind == ChargeLawKind.None) Line(sb, LatexText.Escape("None: " + Reason(law)));
            else if (law.Kind == ChargeLawKind.Decay)
                Line(sb, LatexText.Escape(Statement(law, pr)));
            else
            {
                string x = law.Quantity;
                Definitions(sb, [(x, pr.L(law.Value))]);
                Equation(sb, pr, $@"m\ddot {x} + \mu\dot {x} + {Paren(pr, law.Stiffness)}\,{x} = ", law.Source, "");
                if (law.Green is { } g)
                {
                    Definitions(sb, [(@"\gamma", pr.L(g.Gamma)), (@"\omega^2", pr.L(g.OmegaSquared))]);
                    Equation(sb, pr, @"\gamma^2 - \omega^2 = ", g.Discriminant, "");
                }
                if (OverdampedLimit(law, result.Rule) is { } o)
                {
                    Line(sb, LatexText.Escape("Overdamped limit m → 0 (gradient flow), with μ₀ = μ at η = 0:"));
                    Equation(sb, pr, $@"\mu_0\dot {x} + {Paren(pr, o.Stiffness)}\,{x} = 0,\quad \mu_0 = {pr.L(o.Friction)},\quad {x}(t) = {x}(0)\,", o.Decay, "");
                    if (o.Kernel is not null)
                    {
                        Line(sb, LatexText.Escape($"To first order in m (m·{x}'' dropped, the O(m) source kept), with the gradient-flow velocity "
                                                  + "qdot_i ≈ −g_i/μ₀ (g = ∇f; the weight-decay part adds O(k²)):"));
                        Integral(sb, $@"{x}(t) = {x}(0)\,{pr.L(o.Decay)}", pr.L(o.Integrand!));
                        Line(sb, LatexText.Escape((o.ZeroedHyperparameters.Length == 0 ? "For" : "At " + string.Join(" = ", o.ZeroedHyperparameters) + " = 0,")
                                                  + " plain SGD with t = nη, this is Neural Mechanics' law |θ_A(t)|² = e^(−2λt)|θ_A(0)|² + η∫₀ᵗ e^(−2λ(t−u))|g_A|² du with λ = k:"));
                        Integral(sb, $@"{x}(t) = {x}(0)\,{pr.L(o.DecaySgd!)}", pr.L(o.IntegrandSgd!));
                    }
                }
            }
        }
        if (result.Adaptive is { } a)
        {
            Line(sb, @"\paragraph{The $r^4$ law (NLD Eq.~17).}");
            var t = Coordinates.Time;
            // r²(t) = (Γ ∫₀ᵗ e^{−D(t−u)}|ĝ(u)|² du + e^{−Dt} r⁴(0))^{1/2}, on two or three lines.
            string gain = $@"r^2(t) = \Bigl({pr.L(a.GainPersistent)}";
            string integral = $@"\int_0^t {pr.L(Expr.Exp(-a.Decay * (t - U)))}\,|\hat g(u)|^2\,du";
            Line(sb, @"\begin{multline}");
            Line(sb, Width(gain + integral) <= LatexLineWidth ? gain + integral + @" \\" : gain + @" \\" + "\n" + integral + @" \\");
            Line(sb, $@"+ {pr.L(Expr.Exp(-a.Decay * t))}\,r^4(0)\Bigr)^{{1/2}}");
            Line(sb, @"\end{multline}");
            Definitions(sb, [(@"r^4_{*,\mathrm{persistent}}", pr.L(a.SteadyStatePersistent)),
                (@"r^4_{*,\mathrm{white}}", a.SteadyStateWhite is { } w ? pr.L(w) : @"\text{not derived}")]);
            Definitions(sb, [(@"\rho_{\mathrm{eff}}", pr.L(a.DiscountPerStep)), (@"\eta_{\mathrm{eff}}", pr.L(a.EffectiveLearningRate))]);
            if (a.MomentumAmplification is { } amp) Definitions(sb, [(@"\Gamma(\beta)/\Gamma(0)", pr.L(amp))]);
            Line(sb, LatexText.Escape("Assumptions: " + AdaptiveAssumptions(a, pr)));
        }
        Line(sb, @"\paragraph{Identities checked.}");
        Line(sb, @"\begin{itemize}\setlength{\itemsep}{0pt}");
        foreach (var c in result.Checks)
            Line(sb, $@"  \item [{(c.Holds ? "ok" : "FAIL")}] {LatexText.Escape(c.Name)}: {c.Result.Kind}.");
        Line(sb, @"\end{itemize}");
        Line(sb, LatexText.Escape((result.AllHold ? "All identities hold. " : "SOME IDENTITIES DO NOT HOLD. ") + pr.Summary() + "."));
    }

    // "lhs + ∫₀ᵗ integrand du" on one line, or on two when too wide.
    private static void Integral(StringBuilder sb, string lhs, string integrand)
    {
        string integral = $@"\int_0^t {integrand}\,du";
        if (Width(lhs + integral) <= LatexLineWidth)
        {
            Line(sb, @"\begin{equation}" + lhs + " + " + integral + @"\end{equation}");
            return;
        }
        Line(sb, @"\begin{multline}");
        Line(sb, lhs + @" \\");
        Line(sb, "+ " + integral);
        Line(sb, @"\end{multline}");
    }

    private static string Paren(Presenter pr, Expr e) => pr.Show(e).Shown is Sum ? @"\left(" + pr.L(e) + @"\right)" : pr.L(e);

    // Definitions "a = …, b = …" packed into numbered lines of a gather environment.
    private static void Definitions(StringBuilder sb, IReadOnlyList<(string Name, string Latex)> items)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var (name, latex) in items)
        {
            var item = name + " = " + latex;
            if (current.Length > 0 && Width(current) + Width(item) + 2 > LatexLineWidth) { lines.Add(current); current = ""; }
            current = current.Length == 0 ? item : current + @",\quad " + item;
        }
        if (current.Length > 0) lines.Add(current);
        Line(sb, @"\begin{gather}");
        Line(sb, string.Join(" \\\\\n", lines));
        Line(sb, @"\end{gather}");
    }

    // lhs + rhs + tail as one numbered equation, or a multline broken between the terms of the (display) sum when it is
    // too wide; a product with one long sum factor breaks inside that factor's parentheses (\right. … \left. at the break).
    private static void Equation(StringBuilder sb, Presenter pr, string lhs, Expr rhs, string tail)
    {
        string whole = lhs + pr.L(rhs) + tail;
        if (Width(whole) <= LatexLineWidth)
        {
            Line(sb, @"\begin{equation}" + whole + @"\end{equation}");
            return;
        }
        var chunks = Chunks(pr, pr.Show(rhs).Shown);
        var lines = new List<string>();
        var current = lhs;
        bool started = false;
        foreach (var (text, depth) in chunks)
        {
            if (started && Width(current) + Width(text) > LatexLineWidth)
            {
                lines.Add(current + (depth > 0 ? @"\right." : ""));
                current = depth > 0 ? @"\left." : "";
            }
            current += text;
            started = true;
        }
        lines.Add(current + tail);
        Line(sb, @"\begin{multline}");
        Line(sb, string.Join(" \\\\\n", lines));
        Line(sb, @"\end{multline}");
    }

    // Pieces of an expression's LaTeX that may go on separate lines, with the parenthesis depth at their start: the terms
    // of a sum (with their signs), or for a product with a sum factor, the rest of the product and "\left(" then the
    // sum's terms at depth 1, the last closing with "\right)".
    private static List<(string Text, int Depth)> Chunks(Presenter pr, Expr e)
    {
        var coefficients = pr.Show(e).Coefficients;
        string L(Expr x) => x.ToDisplayLatex(coefficients);
        switch (e)
        {
            case Sum s:
            {
                var chunks = new List<(string, int)>();
                var terms = s.Terms.ToList();
                if (!s.Constant.IsZero) terms.Add(Expr.Number(s.Constant));
                int first = terms.FindIndex(t => !LooksNegative(t));
                if (first > 0) { var f = terms[first]; terms.RemoveAt(first); terms.Insert(0, f); }
                for (int i = 0; i < terms.Count; i++)
                {
                    var t = terms[i];
                    bool negative = LooksNegative(t);
                    var body = negative ? -t : t;
                    var sign = negative ? " - " : i == 0 ? "" : " + ";
                    var inner = Width(L(body)) > LatexLineWidth ? Chunks(pr, body) : [];
                    if (inner.Count > 1 && inner.All(c => c.Depth <= 1))
                    {
                        chunks.Add((sign + inner[0].Text, 0));
                        chunks.AddRange(inner.Skip(1));
                    }
                    else chunks.Add((sign + L(body), 0));
                }
                return chunks;
            }
            case Product p when p.Factors.Count(f => f is Sum) == 1 && !p.Factors.Any(f => f is Power { Exponent: Number { Value.Sign: < 0 } }):
            {
                var sum = (Sum)p.Factors.First(f => f is Sum);
                var rest = Expr.Multiply(Expr.Number(p.Coefficient), Expr.Multiply(p.Factors.Where(f => !ReferenceEquals(f, sum))));
                var restText = rest is Number { Value.IsOne: true } ? "" : rest is Number { Value: var c } && c == Rational.MinusOne ? "-" : L(rest) + " ";
                var inner = Chunks(pr, sum);
                if (inner.Count < 2 || inner.Any(c => c.Depth > 0)) return [(L(e), 0)];
                var chunks = new List<(string, int)> { (restText + @"\left(" + inner[0].Text, 0) };
                for (int i = 1; i < inner.Count; i++)
                    chunks.Add((inner[i].Text + (i == inner.Count - 1 ? @"\right)" : ""), 1));
                return chunks;
            }
            default:
                return [(L(e), 0)];
        }
    }

    private static bool LooksNegative(Expr e) => e is Product { Coefficient.Sign: < 0 } or Number { Value.Sign: < 0 };

    /// <summary>Rough printed width of LaTeX maths in characters: commands count as one glyph, braces, scripts' markers and
    /// sizing commands as nothing, a fraction as its wider part.</summary>
    internal static int Width(string latex)
    {
        var s = SizeCommands().Replace(latex, "");
        s = Fractions().Replace(s, m => Width(m.Groups[1].Value) >= Width(m.Groups[2].Value) ? m.Groups[1].Value : m.Groups[2].Value);
        s = Commands().Replace(s, "#");
        int width = 0;
        foreach (char c in s)
            if (c is not ('{' or '}' or '^' or '_' or ' ' or '\n')) width++;
        return width;
    }

    [GeneratedRegex(@"\\(left|right|mathrm|text|Bigl|Bigr|quad|,|!|;)(?![a-zA-Z])|\\left|\\right")]
    private static partial Regex SizeCommands();

    [GeneratedRegex(@"\\frac\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")]
    private static partial Regex Fractions();

    [GeneratedRegex(@"\\[a-zA-Z]+")]
    private static partial Regex Commands();
}

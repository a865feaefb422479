using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>
/// The display forms of one derivation's output (<see cref="Presentation.Display"/> with the rule's declared hyperparameter
/// domains, plus s = |ĝ|² ≥ 0 and r = |q_A| &gt; 0): every expression the text, LaTeX and JSON outputs show goes through
/// <see cref="Show"/>, which keeps each display form with the zero test that proved it equal to the derived expression.
/// </summary>
public sealed class Presenter
{
    private readonly DisplayOptions _options;
    private readonly Dictionary<Expr, DisplayForm> _forms = [];

    /// <summary>A presenter with the given hyperparameter domains.</summary>
    public Presenter(IReadOnlyDictionary<Symbol, SymbolDomain> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var all = new Dictionary<Symbol, SymbolDomain>(domains);
        all.TryAdd(S, NonNegative);
        all.TryAdd(R, Positive);
        _options = new DisplayOptions { Domains = all };
    }

    /// <summary>s = |ĝ|², the squared gradient norm at the unit-norm block (the r⁴ law's input).</summary>
    public static Symbol S { get; } = Expr.Symbol("s");

    /// <summary>r = |q_A|, the block's norm.</summary>
    public static Symbol R { get; } = Expr.Symbol("r");

    private static readonly SymbolDomain NonNegative = new(Rational.Zero, false, null, true);
    private static readonly SymbolDomain Positive = new(Rational.Zero, true, null, true);

    /// <summary>The presenter of a rule's derivations (its declared domains).</summary>
    public static Presenter For(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new Presenter(rule.Domains);
    }

    /// <summary>The display form of <paramref name="e"/> (memoised), checked against it.</summary>
    public DisplayForm Show(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_forms)
        {
            if (!_forms.TryGetValue(e, out var form))
                _forms[e] = form = e.Display(_options);
            return form;
        }
    }

    /// <summary>Display text of <paramref name="e"/>.</summary>
    public string T(Expr e) => Show(e).Text;

    /// <summary>Display LaTeX of <paramref name="e"/>.</summary>
    public string L(Expr e) => Show(e).Latex;

    /// <summary>Display text, in parentheses when it is a sum (for "(…)·x").</summary>
    public string TP(Expr e)
    {
        var f = Show(e);
        return f.Shown is Sum ? "(" + f.Text + ")" : f.Text;
    }

    /// <summary>Every display form shown so far.</summary>
    public IReadOnlyList<DisplayForm> Forms
    {
        get { lock (_forms) return [.. _forms.Values]; }
    }

    /// <summary>One line on the display checks: how many forms, how each was proven equal to the derived expression, and
    /// how many are shown as derived because the check did not say zero.</summary>
    public string Summary()
    {
        var forms = Forms;
        var rewritten = forms.Where(f => !f.Display.Equals(f.Derived)).ToList();
        var kinds = string.Join(", ", rewritten.GroupBy(f => f.Check.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        int failed = rewritten.Count(f => !f.Verified);
        string head = string.Create(CultureInfo.InvariantCulture,
            $"display forms: {forms.Count} expressions shown, {rewritten.Count} rewritten for display and checked equal to the derived form by the zero test");
        return head + " (" + (kinds.Length == 0 ? "none" : kinds) + ")"
               + (failed > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {failed} not confirmed, shown as derived") : "");
    }
}

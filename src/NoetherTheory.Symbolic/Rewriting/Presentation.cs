using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>Options of <see cref="Presentation.Display"/>.</summary>
public sealed record DisplayOptions
{
    /// <summary>No declared domains, default zero test.</summary>
    public static DisplayOptions Default { get; } = new();

    /// <summary>Declared domains of the hyperparameters (0 ≤ β &lt; 1, η &gt; 0, …). A sum that is negative on the whole
    /// domain is written negated ((1 − β) rather than (β − 1)); symbols with a domain are the coefficients that a display
    /// form collects by, every other atom (q, q̇, g(q), …) is a "state" atom that is collected.</summary>
    public IReadOnlyDictionary<Symbol, SymbolDomain> Domains { get; init; } = new Dictionary<Symbol, SymbolDomain>();

    /// <summary>The zero test that checks each display form against the derived one.</summary>
    public ZeroTestOptions Check { get; init; } = ZeroTestOptions.Default;

    /// <summary>Expressions with more nodes are only factored (<see cref="Algebra.Factor"/>), not searched.</summary>
    public int MaxNodeCount { get; init; } = 1500;
}

/// <summary>A display form and the zero test that proved it equal to the derived expression.</summary>
/// <param name="Derived">The expression as derived (what the checks are about).</param>
/// <param name="Display">The candidate display form.</param>
/// <param name="Check">The zero test of <c>Display − Derived</c>.</param>
public sealed record DisplayForm(Expr Derived, Expr Display, ZeroTestResult Check)
{
    /// <summary>True when the zero test says the display form equals the derived one.</summary>
    public bool Verified => Check.IsZero;

    /// <summary>What is printed: the display form when verified, else the derived form.</summary>
    public Expr Shown => Verified ? Display : Derived;

    /// <summary>The hyperparameters (symbols with a declared domain), printed first in products.</summary>
    public ImmutableArray<Symbol> Coefficients { get; init; } = [];

    /// <summary><see cref="Shown"/> in display-style text (see <see cref="Presentation.ToDisplayText"/>).</summary>
    public string Text => Shown.ToDisplayText(Coefficients);

    /// <summary><see cref="Shown"/> in display-style LaTeX.</summary>
    public string Latex => Shown.ToDisplayLatex(Coefficients);

    /// <summary><see cref="Text"/>.</summary>
    public override string ToString() => Text;
}

/// <summary>
/// A normal form for display: the form a researcher writes. Exact rewriting only (cancelled common factors, factored
/// coefficients, sums negative on the declared domain written negated, collection by the state atoms with each
/// coefficient in its own best form), choosing among candidate forms the shortest without negated factors; then the
/// display form is checked equal to the derived one by <see cref="ZeroTest"/>, and the derived form is shown when the
/// check does not say zero. Display never changes what is proven.
/// </summary>
public static class Presentation
{
    /// <summary>The display form of <paramref name="e"/>, checked against it.</summary>
    public static DisplayForm Display(this Expr e, DisplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        options ??= DisplayOptions.Default;
        var shown = Normal(e, options);
        var check = shown.Equals(e)
            ? new ZeroTestResult(ZeroTestKind.Proven, "the display form is the derived expression", null, null, null, null, null, null, options.Check)
            : ZeroTest.Run(shown - e, options.Check);
        return new DisplayForm(e, shown, check) { Coefficients = [.. options.Domains.Keys] };
    }

    /// <summary>Display-style text: like <see cref="Expr.ToString"/> (parses back to an equal value) but with
    /// <c>1 + beta</c> rather than <c>beta + 1</c>, a positive term first, numeric denominators inside the parenthesised
    /// denominator (<c>x/(2*k*(1 - beta))</c>) and, in products, factors of the <paramref name="coefficients"/> symbols
    /// before the rest.</summary>
    public static string ToDisplayText(this Expr e, IEnumerable<Symbol>? coefficients = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return TextPrinter.Print(e, Style(coefficients));
    }

    /// <summary>Display-style LaTeX (<c>1 + \beta</c>; see <see cref="ToDisplayText"/>).</summary>
    public static string ToDisplayLatex(this Expr e, IEnumerable<Symbol>? coefficients = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return LatexPrinter.Print(e, Style(coefficients));
    }

    private static PrintStyle Style(IEnumerable<Symbol>? coefficients) =>
        coefficients is null ? PrintStyle.Plain : new PrintStyle(coefficients.ToHashSet());

    /// <summary>The unchecked display normal form (what <see cref="Display"/> checks).</summary>
    internal static Expr Normal(Expr e, DisplayOptions options)
    {
        if (e.Children.Length == 0) return e;
        var signs = new SignOracle(options.Domains);
        if (e.NodeCount > options.MaxNodeCount) return Orient(e.Factor(), signs);
        // Function arguments first (exp(−(−4k/(β − 1))·t) → exp(−4k·t/(1 − β))).
        e = e.Replace(x => x is Call c ? Expr.Call(c.Kind, Normal(c.Argument, options)) : null);
        return Candidates(e, options, signs).MinBy(c => Cost(c, signs))!;
    }

    private static List<Expr> Candidates(Expr e, DisplayOptions options, SignOracle signs)
    {
        var candidates = new List<Expr> { e, Orient(e, signs), Orient(e.Factor(), signs) };
        // A sum of separate fractions, term by term (each term's own best form).
        if (e is Sum sum && sum.Terms.Length > 1) candidates.Add(Expr.Add(sum.Terms.Select(t => Normal(t, options)).Append(Expr.Number(sum.Constant))));
        Expr cancelled = RationalCancel.CancelWithRoots(e);
        candidates.Add(Orient(cancelled.Factor(), signs));
        if (Collected(cancelled, options, signs) is { } collected) candidates.Add(collected);
        // c + (N − c·D)/D for c = ±1 when that shortens N: 1 − 4ηk(1 − δ)/(1 − β).
        var form = cancelled.Together();
        if (form.Numerator is Sum n && form.Denominator is Sum d)
            foreach (var c in new[] { Rational.One, Rational.MinusOne })
                if ((n - (c * d)).Expand() is var r && !r.Equals(Expr.Zero) && (r is Sum rs ? rs.Terms.Length + (rs.Constant.IsZero ? 0 : 1) : 1) < n.Terms.Length + (n.Constant.IsZero ? 0 : 1))
                    candidates.Add(Expr.Number(c) + Orient(RationalCancel.CancelWithRoots(r / d).Factor(), signs));
        return candidates;
    }

    /// <summary>The candidate display forms and their costs (diagnostics for tests).</summary>
    internal static IEnumerable<(Expr Candidate, int Cost)> Candidates(Expr e, DisplayOptions options)
    {
        var signs = new SignOracle(options.Domains);
        e = e.Replace(x => x is Call c ? Expr.Call(c.Kind, Normal(c.Argument, options)) : null);
        return Candidates(e, options, signs).Select(c => (c, Cost(c, signs)));
    }

    // Collects c over a common denominator by the monomials in the state atoms (everything but the symbols with a
    // declared domain); each coefficient, a rational function of the hyperparameters alone, gets its own best form.
    private static Expr? Collected(Expr c, DisplayOptions options, SignOracle signs)
    {
        var form = c.Together();
        var atoms = new AtomTable();
        var numerator = atoms.ToPolynomial(form.Numerator);
        var denominatorPoly = atoms.ToPolynomial(form.Denominator);
        var state = Enumerable.Range(0, atoms.Count).Where(v => !(atoms[v] is Symbol s && options.Domains.ContainsKey(s))).ToList();
        if (denominatorPoly.Variables.Any(state.Contains))
            return state.Count == 0 ? null : CollectedWithStateDenominator(form, options, signs);
        var denominator = form.Denominator;
        if (state.Count == 0)
            return Coefficient(numerator, denominator, atoms, signs);
        var groups = numerator.CoefficientsIn(state);
        if (groups.Count < 2) return null;
        var terms = groups.OrderByDescending(kv => kv.Key)
            .Select(kv => Coefficient(kv.Value, denominator, atoms, signs) * atoms.ToExpr(Polynomial.Term(kv.Key, Rational.One)));
        return Expr.Add(terms);
    }

    // A denominator with state atoms (η(1 − δ)/(r²(1 − β))): only factor and orient.
    private static Expr? CollectedWithStateDenominator(RationalForm form, DisplayOptions options, SignOracle signs) =>
        form.Numerator.NodeCount > options.MaxNodeCount ? null : Orient(form.ToExpr().Factor(), signs);

    // The best form of N/D with N, D polynomials in the hyperparameters: factored; collected by one hyperparameter with
    // factored coefficients ((1 − β)² − 4ηk(1 + β)(1 − δ) over η²(1 + β)²(1 − δ)²); or a quotient plus a remainder
    // (1 − 4ηk(1 − δ)/(1 − β)).
    private static Expr Coefficient(Polynomial n, Expr denominator, AtomTable atoms, SignOracle signs)
    {
        var d = atoms.ToPolynomial(denominator);
        var whole = atoms.ToExpr(n) / denominator;
        var candidates = new List<Expr> { Orient(RationalCancel.CancelWithRoots(whole).Factor(), signs) };
        // 1/D written as scale·(oriented factors): (β − ηk − 1)⁻¹ = −(1 − β + ηk)⁻¹.
        var (inverse, scale) = OrientFactor(Expr.Pow(denominator.Factor(), -1), signs);
        if (n.TermCount > 1)
        {
            foreach (var v in n.Variables)
            {
                var coefficients = n.CoefficientsIn(v);
                if (coefficients.Count(c => !c.IsZero) < 2) continue;
                var terms = coefficients.Select((c, j) => c.IsZero
                    ? Expr.Zero
                    : Orient((Expr.Number(scale.Sign < 0 ? Rational.MinusOne : Rational.One) * atoms.ToExpr(c) * Expr.Pow(atoms[v], j)).Factor(), signs));
                candidates.Add(Expr.Multiply(Expr.Number(scale.Abs()), Expr.Add(terms), inverse));
            }
            // c + (N − c·D)/D for c = ±1 when that shortens N: 1 − 4ηk(1 − δ)/(1 − β).
            if (d.TermCount > 1)
                foreach (var c in new[] { Rational.One, Rational.MinusOne })
                {
                    var r = n - Polynomial.Scale(d, c);
                    if (!r.IsZero && r.TermCount < n.TermCount)
                        candidates.Add(Expr.Number(c) + Orient(RationalCancel.CancelWithRoots(atoms.ToExpr(r) / denominator).Factor(), signs));
                }
        }
        return candidates.MinBy(c => Cost(c, signs))!;
    }

    // Writes every sum factor that is negative on the whole domain negated, (β − 1)³ → −(1 − β)³, in products, powers,
    // sums and function arguments.
    private static Expr Orient(Expr e, SignOracle signs)
    {
        switch (e)
        {
            case Sum s:
                return Expr.Add(s.Constant == Rational.Zero ? Expr.Zero : Expr.Number(s.Constant), Expr.Add(s.Terms.Select(t => Orient(t, signs))));
            case Product p:
            {
                var scale = p.Coefficient;
                var factors = new List<Expr>(p.Factors.Length);
                foreach (var f in p.Factors)
                {
                    var (g, c) = OrientFactor(f, signs);
                    scale *= c;
                    factors.Add(g);
                }
                return Expr.Multiply(Expr.Number(scale), Expr.Multiply(factors));
            }
            case Power:
            {
                var (g, c) = OrientFactor(e, signs);
                return c.IsOne ? g : Expr.Multiply(Expr.Number(c), g);
            }
            case Call c:
                return Expr.Call(c.Kind, Orient(c.Argument, signs));
            default:
                return e;
        }
    }

    // A factor f = scale·g with g written as researchers do: a sum negative on the domain negated, its rational content
    // pulled out ((2 − 2β)⁻¹ = ½(1 − β)⁻¹: a number times a sum would be distributed again by the canonical form).
    private static (Expr Factor, Rational Scale) OrientFactor(Expr f, SignOracle signs)
    {
        switch (f)
        {
            case Sum s:
            {
                var c = Content(s) * Orientation(s, signs);
                return (Orient(Canonical.ScaleExpr(Rational.One / c, s), signs), c);
            }
            case Power { Base: Sum b, Exponent: Number { Value.IsInteger: true } n } when b.Factor() is not Sum and not Power:
                // (−β + βδ + δ − 1)² → (1 + β)²(1 − δ)² (Factor keeps the square of a sum when the product is larger).
                return (Orient(Expr.Pow(b.Factor(), n), signs), Rational.One);
            case Power { Base: Sum b, Exponent: Number { Value.IsInteger: true } n }:
            {
                var c = Content(b) * Orientation(b, signs);
                int k = (int)n.Value.Numerator;
                return (Expr.Pow(Orient(Canonical.ScaleExpr(Rational.One / c, b), signs), n), c.Pow(k));
            }
            case Power pw:
                return (Expr.Pow(Orient(pw.Base, signs), pw.Exponent), Rational.One);
            default:
                return (Orient(f, signs), Rational.One);
        }
    }

    // −1 for a sum negative on the domain, or of unknown sign with a negative constant ((ηk − 1) → −(1 − ηk)); else 1.
    private static Rational Orientation(Sum s, SignOracle signs)
    {
        int sign = signs.Sign(s);
        return sign < 0 || (sign == 0 && s.Constant.Sign < 0) ? Rational.MinusOne : Rational.One;
    }

    // The positive rational content of a sum: gcd of the numerators over lcm of the denominators of its coefficients.
    private static Rational Content(Sum s)
    {
        System.Numerics.BigInteger num = 0, den = 1;
        foreach (var c in s.Terms.Select(t => Canonical.SplitCoefficient(t).Coefficient).Append(s.Constant).Where(c => !c.IsZero))
        {
            num = System.Numerics.BigInteger.GreatestCommonDivisor(num, c.Numerator);
            den = den / System.Numerics.BigInteger.GreatestCommonDivisor(den, c.Denominator) * c.Denominator;
        }
        return num.IsZero ? Rational.One : new Rational(num, den);
    }

    // Readability cost: printed length, plus penalties for what researchers do not write (sums negative on the domain,
    // sums printed with a leading minus, a leading minus overall).
    private static int Cost(Expr e, SignOracle signs)
    {
        var text = e.ToDisplayText();
        int cost = text.Length;
        if (text.StartsWith('-')) cost += 1;
        foreach (var node in e.Nodes())
        {
            if (node is not Sum s) continue;
            if (!ReferenceEquals(node, e) && signs.Sign(s) < 0) cost += 12; // a factor (β − 1) where (1 − β) reads right
            if (s.ToDisplayText().StartsWith('-')) cost += 4;
            if (s.Constant.IsZero && s.Terms.Length > 1 && CommonSymbol(s)) cost += 6; // an uncancelled common factor (k − βk)
        }
        if (text.Contains("--", StringComparison.Ordinal) || text.Contains("(-", StringComparison.Ordinal)) cost += 6;
        return cost;
    }

    // Whether a symbol is a direct factor of every term (k and β·k share k; (1 − β)² and η·β do not share a factor).
    private static bool CommonSymbol(Sum s)
    {
        static IEnumerable<Expr> Direct(Expr t) => (t is Product p ? p.Factors.AsEnumerable() : [t])
            .Select(f => f is Power { Base: Symbol b, Exponent: Number { Value.Sign: > 0 } } ? b : f).Where(f => f is Symbol);
        var shared = Direct(s.Terms[0]).ToHashSet();
        foreach (var t in s.Terms.Skip(1)) shared.IntersectWith(Direct(t));
        return shared.Count > 0;
    }

    /// <summary>The sign of an expression on the declared domain, by evaluation at fixed points inside it (display only:
    /// a wrong answer would make a form less pretty, never wrong, since the form is checked by the zero test).</summary>
    private sealed class SignOracle(IReadOnlyDictionary<Symbol, SymbolDomain> domains)
    {
        private static readonly double[] Fractions = [0.0, 0.03, 0.17, 0.31, 0.5, 0.62, 0.77, 0.9, 0.97, 0.999];
        private readonly Dictionary<Expr, int> _memo = [];

        public int Sign(Expr e)
        {
            if (domains.Count == 0) return 0;
            if (_memo.TryGetValue(e, out var known)) return known;
            int sign = Compute(e);
            _memo[e] = sign;
            return sign;
        }

        // Bounded intervals evenly; half-lines from 10⁻³ to 10³ away from their end (hyperparameters such as η and k are
        // small in practice, so a sign that holds only for large values must not count as definite).
        private static double Point(SymbolDomain d, double u) => (d.Lower, d.Upper) switch
        {
            ({ }, { }) => d.Point(u),
            ({ } a, null) => a.ToDouble() + Math.Pow(10, -3 + (6 * u)),
            (null, { } b) => b.ToDouble() - Math.Pow(10, -3 + (6 * u)),
            _ => (2 * u) - 1,
        };

        private int Compute(Expr e)
        {
            var symbols = e.FreeSymbols();
            if (symbols.Length == 0 || e.Nodes().Any(x => x is Apply) || symbols.Any(s => !domains.ContainsKey(s))) return 0;
            int positive = 0, negative = 0;
            for (int i = 0; i < 40; i++)
            {
                var values = new Dictionary<Symbol, double>();
                for (int j = 0; j < symbols.Length; j++)
                    values[symbols[j]] = Point(domains[symbols[j]], Fractions[((i * 7) + (j * 3) + (i / 10)) % Fractions.Length]);
                double v;
                try
                {
                    v = e.Evaluate(values);
                }
                catch (EvaluationException)
                {
                    return 0;
                }
                if (!double.IsFinite(v) || v == 0) return 0;
                if (v > 0) positive++; else negative++;
                if (positive > 0 && negative > 0) return 0;
            }
            return positive > 0 ? 1 : -1;
        }
    }
}

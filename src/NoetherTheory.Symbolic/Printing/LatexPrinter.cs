using System.Globalization;
using System.Text;

namespace NoetherTheory.Symbolic;

/// <summary>Prints expressions as LaTeX (math mode, without delimiters).</summary>
/// <remarks>
/// Symbols: Greek names become commands (<c>tau</c> → <c>\tau</c>), a <c>dot</c>/<c>ddot</c> suffix becomes an accent
/// (<c>qdot[2]</c> → <c>\dot{q}_{2}</c>), other multi-letter names are upright (<c>\mathrm{loss}</c>).
/// Negative powers become <c>\frac</c>; exponent 1/2 becomes <c>\sqrt</c>.
/// </remarks>
internal static class LatexPrinter
{
    private const int PrecSum = 1;
    private const int PrecProduct = 2;
    private const int PrecPower = 4;
    private const int PrecAtom = 5;

    private static readonly HashSet<string> Greek = new(StringComparer.Ordinal)
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    };

    public static string Print(Expr e, PrintStyle? display = null)
    {
        var sb = new StringBuilder();
        Write(sb, e, 0, display);
        return sb.ToString();
    }

    private static int Precedence(Expr e) => e switch
    {
        Number n => n.Value.Sign < 0 ? PrecSum : n.Value.IsInteger ? PrecAtom : PrecProduct,
        Float f => f.Value < 0 ? PrecSum : PrecAtom,
        Symbol or Call or Apply => PrecAtom,
        Sum => PrecSum,
        Product p => p.Coefficient.Sign < 0 ? PrecSum : PrecProduct,
        Power p => Canonical.LooksNegative(p.Exponent) ? PrecProduct : IsSqrt(p) ? PrecAtom : PrecPower,
        _ => throw new System.Diagnostics.UnreachableException($"{nameof(LatexPrinter)}: unhandled node {e.GetType().Name}"),
    };

    private static bool IsSqrt(Power p) => p.Exponent is Number n && n.Value == new Rational(1, 2);

    private static void Write(StringBuilder sb, Expr e, int minPrec, PrintStyle? display)
    {
        bool parens = Precedence(e) < minPrec;
        if (parens) sb.Append(@"\left(");
        switch (e)
        {
            case Number n: WriteRational(sb, n.Value); break;
            case Float f: sb.Append(f.Value.ToString("R", CultureInfo.InvariantCulture)); break;
            case Symbol s: WriteSymbol(sb, s); break;
            case Sum s when display is not null:
            {
                var items = display.OrderTerms(s); // display style: 1 - \beta + \eta k
                for (int i = 0; i < items.Count; i++)
                {
                    var t = items[i];
                    bool negative = Canonical.LooksNegative(t);
                    if (i == 0) { Write(sb, t, PrecSum, display); continue; }
                    sb.Append(negative ? " - " : " + ");
                    Write(sb, negative ? Canonical.ScaleExpr(Rational.MinusOne, t) : t, PrecProduct, display);
                }
                break;
            }
            case Sum s when s.Constant.Sign > 0 && s.Terms.Length == 1 && Canonical.LooksNegative(s.Terms[0]):
                WriteRational(sb, s.Constant); // 1 - \beta rather than -\beta + 1
                sb.Append(" - ");
                Write(sb, Canonical.ScaleExpr(Rational.MinusOne, s.Terms[0]), PrecProduct, display);
                break;
            case Sum s:
                for (int i = 0; i < s.Terms.Length; i++)
                {
                    var t = s.Terms[i];
                    if (i == 0) Write(sb, t, PrecSum, display);
                    else if (Canonical.LooksNegative(t)) { sb.Append(" - "); Write(sb, Canonical.ScaleExpr(Rational.MinusOne, t), PrecProduct, display); }
                    else { sb.Append(" + "); Write(sb, t, PrecProduct, display); }
                }
                if (!s.Constant.IsZero)
                {
                    sb.Append(s.Constant.Sign < 0 ? " - " : " + ");
                    WriteRational(sb, s.Constant.Abs());
                }
                break;
            case Product p: WriteProduct(sb, p.Coefficient, p.Factors, display); break;
            case Power p when Canonical.LooksNegative(p.Exponent): WriteProduct(sb, Rational.One, [p], display); break;
            case Power p when IsSqrt(p):
                sb.Append(@"\sqrt{");
                Write(sb, p.Base, 0, display);
                sb.Append('}');
                break;
            case Power p:
                sb.Append('{');
                Write(sb, p.Base, PrecAtom, display);
                sb.Append("}^{");
                Write(sb, p.Exponent, 0, display);
                sb.Append('}');
                break;
            case Call { Kind: FunctionKind.Abs } c:
                sb.Append(@"\left|");
                Write(sb, c.Argument, 0, display);
                sb.Append(@"\right|");
                break;
            case Call c:
                sb.Append(FunctionTable.Get(c.Kind).Latex).Append(@"\left(");
                Write(sb, c.Argument, 0, display);
                sb.Append(@"\right)");
                break;
            case Apply a:
                for (int i = 0; i < a.DerivativeOrders.Length; i++)
                {
                    int o = a.DerivativeOrders[i];
                    if (o == 0) continue;
                    sb.Append(@"\partial_{").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append('}');
                    if (o > 1) sb.Append("^{").Append(o.ToString(CultureInfo.InvariantCulture)).Append('}');
                    sb.Append(' ');
                }
                WriteName(sb, a.Name);
                sb.Append(@"\left(");
                for (int i = 0; i < a.Arguments.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, a.Arguments[i], 0, display);
                }
                sb.Append(@"\right)");
                break;
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(LatexPrinter)}: unhandled node {e.GetType().Name}");
        }
        if (parens) sb.Append(@"\right)");
    }

    private static void WriteRational(StringBuilder sb, Rational r)
    {
        if (r.IsInteger) { sb.Append(r.Numerator.ToString(CultureInfo.InvariantCulture)); return; }
        if (r.Sign < 0) sb.Append('-');
        sb.Append(@"\frac{").Append(BigIntegerText(r.Numerator < 0 ? -r.Numerator : r.Numerator)).Append("}{")
          .Append(BigIntegerText(r.Denominator)).Append('}');
    }

    private static string BigIntegerText(System.Numerics.BigInteger n) => n.ToString(CultureInfo.InvariantCulture);

    private static void WriteProduct(StringBuilder sb, Rational coefficient, IReadOnlyList<Expr> factors, PrintStyle? display)
    {
        var numerator = new List<Expr>();
        var denominator = new List<Expr>();
        foreach (var f in factors)
        {
            if (f is Power p && Canonical.LooksNegative(p.Exponent))
                denominator.Add(Canonical.Pow(p.Base, Canonical.ScaleExpr(Rational.MinusOne, p.Exponent)));
            else
                numerator.Add(f);
        }
        if (display is not null)
        {
            numerator = display.Order(numerator);
            denominator = display.Order(denominator);
        }
        var c = coefficient.Abs();
        if (coefficient.Sign < 0) sb.Append('-');
        if (denominator.Count == 0 && !c.IsInteger && numerator.Count > 0)
        {
            // (1/2) x reads better as \frac{x}{2}
            denominator.Add(Canonical.Num(c.Denominator));
            c = new Rational(c.Numerator);
        }
        else if (!c.IsInteger)
        {
            denominator.Insert(0, Canonical.Num(c.Denominator));
            c = new Rational(c.Numerator);
        }
        if (denominator.Count > 0)
        {
            sb.Append(@"\frac{");
            if (display is not null && c.IsOne && numerator.Count == 1) Write(sb, numerator[0], 0, display); // \frac{1 - \beta}{…}
            else WriteFactors(sb, c, numerator, display);
            sb.Append("}{");
            if (display is not null && denominator.Count == 1) Write(sb, denominator[0], 0, display);
            else WriteFactors(sb, Rational.One, denominator, display);
            sb.Append('}');
        }
        else
        {
            WriteFactors(sb, c, numerator, display);
        }
    }

    private static void WriteFactors(StringBuilder sb, Rational c, List<Expr> factors, PrintStyle? display)
    {
        bool first = true;
        bool lastWasNumber = false;
        if (!c.IsOne || factors.Count == 0)
        {
            WriteRational(sb, c);
            first = false;
            lastWasNumber = true;
        }
        foreach (var f in factors)
        {
            if (!first) sb.Append(lastWasNumber && StartsWithDigit(f) ? @" \cdot " : " ");
            Write(sb, f, PrecProduct + 1, display);
            first = false;
            lastWasNumber = f is Number;
        }
    }

    private static bool StartsWithDigit(Expr e) => e is Number || e is Power { Base: Number };

    private static void WriteSymbol(StringBuilder sb, Symbol s)
    {
        string name = s.Name;
        string? accent = null;
        if (name.Length > 4 && name.EndsWith("ddot", StringComparison.Ordinal)) { accent = @"\ddot"; name = name[..^4]; }
        else if (name.Length > 3 && name.EndsWith("dot", StringComparison.Ordinal)) { accent = @"\dot"; name = name[..^3]; }
        if (accent is not null) { sb.Append(accent).Append('{'); WriteName(sb, name); sb.Append('}'); }
        else WriteName(sb, name);
        if (s.Index is { } i) sb.Append("_{").Append(i.ToString(CultureInfo.InvariantCulture)).Append('}');
    }

    private static void WriteName(StringBuilder sb, string name)
    {
        if (name.Length == 1) sb.Append(name);
        else if (Greek.Contains(name)) sb.Append('\\').Append(name);
        else sb.Append(@"\mathrm{").Append(name.Replace("_", @"\_", StringComparison.Ordinal)).Append('}');
    }
}

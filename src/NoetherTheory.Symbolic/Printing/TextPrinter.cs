using System.Globalization;
using System.Text;

namespace NoetherTheory.Symbolic;

/// <summary>Prints expressions as text that <see cref="Expr.Parse(string)"/> reads back to an equal expression.</summary>
/// <remarks>
/// Syntax: <c>+ - * /</c>, <c>^</c> (right-associative), <c>name[i]</c>, <c>exp(x)</c>, <c>float(0.1)</c> for inexact
/// constants, <c>V(x, y)</c> for undefined functions and <c>Derivative[1,0](V)(x, y)</c> for their derivatives.
/// Negative exponents print as division.
/// </remarks>
internal static class TextPrinter
{
    private const int PrecSum = 1;
    private const int PrecProduct = 2;
    private const int PrecUnary = 3;
    private const int PrecPower = 4;
    private const int PrecAtom = 5;

    public static string Print(Expr e, PrintStyle? display = null)
    {
        var sb = new StringBuilder();
        Write(sb, e, 0, display);
        return sb.ToString();
    }

    private static int Precedence(Expr e) => e switch
    {
        Number n => n.Value.Sign < 0 ? PrecSum : n.Value.IsInteger ? PrecAtom : PrecProduct,
        Float or Symbol or Call or Apply => PrecAtom,
        Sum => PrecSum,
        Product p => p.Coefficient.Sign < 0 ? PrecSum : PrecProduct,
        Power p => Canonical.LooksNegative(p.Exponent) ? PrecProduct : PrecPower,
        _ => throw new System.Diagnostics.UnreachableException($"{nameof(TextPrinter)}: unhandled node {e.GetType().Name}"),
    };

    private static void Write(StringBuilder sb, Expr e, int minPrec, PrintStyle? display)
    {
        bool parens = Precedence(e) < minPrec;
        if (parens) sb.Append('(');
        switch (e)
        {
            case Number n: sb.Append(n.Value.ToString()); break;
            case Float f: sb.Append("float(").Append(f.Value.ToString("R", CultureInfo.InvariantCulture)).Append(')'); break;
            case Symbol s: sb.Append(s.DisplayName); break;
            case Sum s: WriteSum(sb, s, display); break;
            case Product p: WriteProduct(sb, p.Coefficient, p.Factors, display); break;
            case Power p when Canonical.LooksNegative(p.Exponent): WriteProduct(sb, Rational.One, [p], display); break;
            case Power p:
                Write(sb, p.Base, PrecAtom, display);
                sb.Append('^');
                Write(sb, p.Exponent, PrecPower, display);
                break;
            case Call c:
                sb.Append(FunctionTable.Get(c.Kind).Name).Append('(');
                Write(sb, c.Argument, 0, display);
                sb.Append(')');
                break;
            case Apply a:
                if (a.IsDerivative)
                    sb.Append("Derivative[").AppendJoin(",", a.DerivativeOrders.Select(o => o.ToString(CultureInfo.InvariantCulture)))
                      .Append("](").Append(a.Name).Append(')');
                else
                    sb.Append(a.Name);
                sb.Append('(');
                for (int i = 0; i < a.Arguments.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, a.Arguments[i], 0, display);
                }
                sb.Append(')');
                break;
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(TextPrinter)}: unhandled node {e.GetType().Name}");
        }
        if (parens) sb.Append(')');
    }

    private static void WriteSum(StringBuilder sb, Sum s, PrintStyle? display)
    {
        if (display is not null)
        {
            var items = display.OrderTerms(s);
            for (int i = 0; i < items.Count; i++)
            {
                var t = items[i];
                bool negative = Canonical.LooksNegative(t);
                if (i == 0) { Write(sb, t, PrecSum, display); continue; }
                sb.Append(negative ? " - " : " + ");
                Write(sb, negative ? Canonical.ScaleExpr(Rational.MinusOne, t) : t, PrecProduct, display);
            }
            return;
        }
        if (s.Constant.Sign > 0 && s.Terms.Length == 1 && Canonical.LooksNegative(s.Terms[0]))
        {
            // 1 - beta rather than -beta + 1 (same value, reads as written in papers).
            sb.Append(s.Constant.ToString()).Append(" - ");
            Write(sb, Canonical.ScaleExpr(Rational.MinusOne, s.Terms[0]), PrecProduct, display);
            return;
        }
        for (int i = 0; i < s.Terms.Length; i++)
        {
            var t = s.Terms[i];
            if (i == 0) Write(sb, t, PrecSum, display);
            else if (Canonical.LooksNegative(t))
            {
                sb.Append(" - ");
                Write(sb, Canonical.ScaleExpr(Rational.MinusOne, t), PrecProduct, display);
            }
            else
            {
                sb.Append(" + ");
                Write(sb, t, PrecProduct, display);
            }
        }
        if (!s.Constant.IsZero)
        {
            sb.Append(s.Constant.Sign < 0 ? " - " : " + ");
            sb.Append(s.Constant.Abs().ToString());
        }
    }

    /// <summary>Writes c·Π factors as <c>-a*b/(c*d)</c>, moving negative powers into the denominator.</summary>
    private static void WriteProduct(StringBuilder sb, Rational coefficient, IReadOnlyList<Expr> factors, PrintStyle? display)
    {
        var numerator = new List<Expr>();
        var denominator = new List<Expr>();
        var c = coefficient.Abs();
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
        if (coefficient.Sign < 0) sb.Append('-');
        bool first = true;
        if (!c.Numerator.IsOne || numerator.Count == 0)
        {
            sb.Append(c.Numerator.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
        foreach (var f in numerator)
        {
            if (!first) sb.Append('*');
            Write(sb, f, PrecUnary, display);
            first = false;
        }
        // The numeric denominator is written on its own ("x/12/(y + 1)"): "x/(12*(y + 1))" would read back as
        // x/(12*y + 12), because a number times a sum distributes on construction.
        if (display is not null && !c.Denominator.IsOne && denominator.Count > 0)
        {
            // Display style: x/(2*k*(1 - beta)) (equal in value; the canonical style keeps the number apart, see below).
            denominator.Insert(0, Canonical.Num(c.Denominator));
            c = new Rational(c.Numerator);
        }
        if (!c.Denominator.IsOne) sb.Append('/').Append(c.Denominator.ToString(CultureInfo.InvariantCulture));
        if (denominator.Count == 0) return;
        sb.Append('/');
        if (denominator.Count == 1)
        {
            Write(sb, denominator[0], PrecUnary, display);
            return;
        }
        sb.Append('(');
        for (int i = 0; i < denominator.Count; i++)
        {
            if (i > 0) sb.Append('*');
            Write(sb, denominator[i], PrecUnary, display);
        }
        sb.Append(')');
    }
}

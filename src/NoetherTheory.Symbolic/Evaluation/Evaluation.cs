using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>Numeric (double) and exact (rational) evaluation.</summary>
public static class Evaluation
{
    /// <summary>Evaluates in double precision with the given symbol values.</summary>
    /// <exception cref="EvaluationException">A symbol has no value, or an undefined function occurs.</exception>
    public static double Evaluate(this Expr e, IReadOnlyDictionary<Symbol, double> values)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(values);
        return new DoubleEvaluator(values).Eval(e);
    }

    /// <summary>Evaluates a function of one symbol.</summary>
    /// <exception cref="EvaluationException">Another symbol occurs, or an undefined function.</exception>
    public static double Evaluate(this Expr e, Symbol x, double value) =>
        e.Evaluate(new Dictionary<Symbol, double> { [x] = value });

    /// <summary>Evaluates a constant expression (no symbols).</summary>
    /// <exception cref="EvaluationException">A symbol or undefined function occurs.</exception>
    public static double Evaluate(this Expr e) => e.Evaluate(new Dictionary<Symbol, double>());

    /// <summary>
    /// Evaluates exactly with rational symbol values. Returns false (with the reason) when the value is not rational
    /// (an irrational root, a transcendental function at a non-trivial point, a float), when a division by zero
    /// occurs, or when a symbol has no value.
    /// </summary>
    public static bool TryEvaluateExact(this Expr e, IReadOnlyDictionary<Symbol, Rational> values, out Rational value, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(values);
        var ev = new ExactEvaluator(values, opaque: null);
        var r = ev.Eval(e);
        value = r ?? default;
        reason = r is null ? ev.FailureReason : null;
        return r is not null;
    }

    private sealed class DoubleEvaluator(IReadOnlyDictionary<Symbol, double> values)
    {
        private readonly Dictionary<Expr, double> _memo = [];

        public double Eval(Expr e)
        {
            switch (e)
            {
                case Number n: return n.Value.ToDouble();
                case Float f: return f.Value;
                case Symbol s:
                    return values.TryGetValue(s, out var v) ? v
                        : throw new EvaluationException($"Symbol '{s.DisplayName}' has no value; bind it (e.g. --at {s.DisplayName}=1).");
            }
            if (_memo.TryGetValue(e, out var cached)) return cached;
            double r;
            switch (e)
            {
                case Sum s:
                    r = s.Constant.ToDouble();
                    foreach (var t in s.Terms) r += Eval(t);
                    break;
                case Product p:
                    r = p.Coefficient.ToDouble();
                    foreach (var f in p.Factors) r *= Eval(f);
                    break;
                case Power p:
                    r = PowDouble(Eval(p.Base), p.Exponent is Number n ? n.Value : null, p.Exponent);
                    break;
                case Call c:
                    r = FunctionTable.Get(c.Kind).Numeric(Eval(c.Argument));
                    break;
                case Apply a:
                    throw new EvaluationException($"Undefined function '{a.Name}' in {a}; substitute a concrete expression for it before evaluating.");
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(Evaluate)}: unhandled node {e.GetType().Name}");
            }
            _memo[e] = r;
            return r;
        }

        private double PowDouble(double b, Rational? exact, Expr exponent)
        {
            if (exact is { } x)
            {
                if (x.IsInteger && BigInteger.Abs(x.Numerator) <= 64) return IntegerPow(b, (int)x.Numerator);
                if (x == new Rational(1, 2)) return Math.Sqrt(b);
                if (x == new Rational(-1, 2)) return 1 / Math.Sqrt(b);
                return Math.Pow(b, x.ToDouble());
            }
            return Math.Pow(b, Eval(exponent));
        }
    }

    /// <summary>b^n by repeated squaring (what the compiler emits too, so both agree bit-for-bit on integer powers).</summary>
    internal static double IntegerPow(double b, int n)
    {
        if (n < 0) return 1 / IntegerPow(b, -n);
        double result = 1, p = b;
        bool any = false;
        while (n > 0)
        {
            if ((n & 1) != 0) { result = any ? result * p : p; any = true; }
            n >>= 1;
            if (n > 0) p *= p;
        }
        return any ? result : 1;
    }
}

/// <summary>
/// Exact rational evaluation, optionally treating nodes it cannot evaluate exactly (calls, irrational powers,
/// undefined functions) as opaque atoms whose values a callback supplies.
/// </summary>
internal sealed class ExactEvaluator(IReadOnlyDictionary<Symbol, Rational> values, Func<Expr, Rational?>? opaque)
{
    /// <summary>Integer powers above this are not evaluated exactly (rationals would explode).</summary>
    private const int MaxExactExponent = 1024;

    private readonly Dictionary<Expr, Rational?> _memo = [];

    public string? FailureReason { get; private set; }

    public bool DivisionByZero { get; private set; }

    public Rational? Eval(Expr e)
    {
        switch (e)
        {
            case Number n: return n.Value;
            case Symbol s:
                if (values.TryGetValue(s, out var v)) return v;
                return Fail($"symbol '{s.DisplayName}' has no value");
            case Float:
                return opaque?.Invoke(e) ?? Fail($"{e} is inexact");
        }
        if (_memo.TryGetValue(e, out var cached)) return cached;
        var r = Compute(e);
        _memo[e] = r;
        return r;
    }

    private Rational? Compute(Expr e)
    {
        switch (e)
        {
            case Sum s:
            {
                var acc = s.Constant;
                foreach (var t in s.Terms)
                {
                    if (Eval(t) is not { } tv) return null;
                    acc += tv;
                }
                return acc;
            }
            case Product p:
            {
                var acc = p.Coefficient;
                foreach (var f in p.Factors)
                {
                    if (Eval(f) is not { } fv) return null;
                    acc *= fv;
                    if (acc.IsZero) return acc;
                }
                return acc;
            }
            case Power p:
            {
                if (Eval(p.Base) is not { } b) return null;
                if (p.Exponent is Number { Value: var x })
                {
                    if (b.IsZero)
                    {
                        if (x.Sign < 0) { DivisionByZero = true; return Fail($"division by zero in {e}"); }
                        return Rational.Zero;
                    }
                    if (x.IsInteger)
                    {
                        if (BigInteger.Abs(x.Numerator) > MaxExactExponent) return opaque?.Invoke(e) ?? Fail($"exponent of {e} too large to evaluate exactly");
                        return b.Pow((int)x.Numerator);
                    }
                    if (x.Denominator <= MaxExactExponent && BigInteger.Abs(x.Numerator) <= MaxExactExponent
                        && b.TryRoot((int)x.Denominator, out var root) && (b.Sign > 0 || root.Sign >= 0))
                        return root.Pow((int)x.Numerator);
                    return opaque?.Invoke(e) ?? Fail($"{e} is irrational at this point");
                }
                return opaque?.Invoke(e) ?? Fail($"{e} has a symbolic exponent");
            }
            case Call c:
            {
                if (Eval(c.Argument) is not { } a) return null;
                if (FunctionTable.Get(c.Kind).ExactValue(a) is Number n) return n.Value;
                return opaque?.Invoke(e) ?? Fail($"{e} is not rational at this point");
            }
            case Apply:
                return opaque?.Invoke(e) ?? Fail($"undefined function in {e}");
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(ExactEvaluator)}: unhandled node {e.GetType().Name}");
        }
    }

    private Rational? Fail(string reason)
    {
        FailureReason ??= reason;
        return null;
    }
}

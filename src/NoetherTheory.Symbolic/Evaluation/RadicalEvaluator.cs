using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>
/// Exact evaluation in the ring Q[r₁…r_m]/(rᵢ² − βᵢ), βᵢ = bᵢ at the point: a value is a vector of 2^m rationals indexed
/// by subsets S of the radicals (the coefficient of Π_{i∈S} rᵢ). Registered half-integer powers b^(k/2) evaluate to
/// rᵢ^k = βᵢ^((k−1)/2)·rᵢ; sub-terms that are not rational (transcendental calls, other irrational powers, undefined
/// functions) get independent random values through <c>opaque</c>, as in <see cref="ExactEvaluator"/>.
/// </summary>
/// <remarks>
/// Evaluation at a point is a ring homomorphism on the elements whose denominators do not vanish there, so a formally zero
/// expression evaluates to the zero vector. Division by a zero divisor (possible when some βᵢ is a square) is reported
/// as a singular point, like a division by zero.
/// </remarks>
internal sealed class RadicalEvaluator
{
    private const int MaxExactExponent = 1024;

    private readonly IReadOnlyDictionary<Symbol, Rational> _values;
    private readonly Radicals _radicals;
    private readonly Func<Expr, Rational> _opaque;
    private readonly Dictionary<Expr, Rational[]?> _memo = [];
    private readonly Rational[] _beta;
    private readonly int _size;

    public RadicalEvaluator(IReadOnlyDictionary<Symbol, Rational> values, Radicals radicals, Func<Expr, Rational> opaque)
    {
        _values = values;
        _radicals = radicals;
        _opaque = opaque;
        _size = 1 << radicals.Count;
        _beta = new Rational[radicals.Count];
        Ready = true;
        for (int i = 0; i < radicals.Count; i++)
        {
            // Registered bases contain no half-integer power, so they evaluate to a plain rational.
            if (Eval(radicals.Bases[i]) is not { } b || !IsScalar(b)) { Ready = false; return; }
            _beta[i] = b[0];
        }
    }

    /// <summary>False when a radicand could not be evaluated (see <see cref="FailureReason"/>, <see cref="DivisionByZero"/>).</summary>
    public bool Ready { get; }

    public string? FailureReason { get; private set; }

    public bool DivisionByZero { get; private set; }

    /// <summary>The value as 2^m rational components, or null (failure or singular point).</summary>
    public Rational[]? Eval(Expr e)
    {
        switch (e)
        {
            case Number n: return Scalar(n.Value);
            case Symbol s:
                if (_values.TryGetValue(s, out var v)) return Scalar(v);
                return Fail($"symbol '{s.DisplayName}' has no value");
            case Float:
                return Scalar(_opaque(e));
        }
        if (_memo.TryGetValue(e, out var cached)) return cached;
        var r = Compute(e);
        _memo[e] = r;
        return r;
    }

    public static bool IsZero(Rational[] x) => x.All(c => c.IsZero);

    private static bool IsScalar(Rational[] x)
    {
        for (int i = 1; i < x.Length; i++)
            if (!x[i].IsZero) return false;
        return true;
    }

    private Rational[] Scalar(Rational c)
    {
        var r = new Rational[_size];
        r[0] = c;
        return r;
    }

    private Rational[]? Compute(Expr e)
    {
        switch (e)
        {
            case Sum s:
            {
                var acc = Scalar(s.Constant);
                foreach (var t in s.Terms)
                {
                    if (Eval(t) is not { } tv) return null;
                    for (int i = 0; i < _size; i++) acc[i] += tv[i];
                }
                return acc;
            }
            case Product p:
            {
                var acc = Scalar(p.Coefficient);
                foreach (var f in p.Factors)
                {
                    if (Eval(f) is not { } fv) return null;
                    acc = Multiply(acc, fv);
                    if (IsZero(acc)) return acc;
                }
                return acc;
            }
            case Power p:
                return EvalPower(p);
            case Call c:
            {
                if (Eval(c.Argument) is not { } a) return null;
                if (IsScalar(a) && FunctionTable.Get(c.Kind).ExactValue(a[0]) is Number n) return Scalar(n.Value);
                return Scalar(_opaque(e));
            }
            case Apply:
                return Scalar(_opaque(e));
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(RadicalEvaluator)}: unhandled node {e.GetType().Name}");
        }
    }

    private Rational[]? EvalPower(Power p)
    {
        if (p.Exponent is not Number { Value: var x }) return Scalar(_opaque(p));
        if (x.Denominator == 2 && _radicals.IndexOf(p.Base) is var ri and >= 0)
        {
            if (BigInteger.Abs(x.Numerator) > MaxExactExponent) return Scalar(_opaque(p));
            var beta = _beta[ri];
            int k = (int)x.Numerator;
            if (beta.IsZero)
            {
                if (k < 0) { DivisionByZero = true; return Fail($"division by zero in {p}"); }
                return Scalar(Rational.Zero);
            }
            var r = new Rational[_size];
            r[1 << ri] = beta.Pow((k - 1) / 2); // r^k = β^((k−1)/2)·r for odd k (k − 1 is even, also for k < 0)
            return r;
        }
        if (Eval(p.Base) is not { } b) return null;
        if (x.IsInteger)
        {
            if (BigInteger.Abs(x.Numerator) > MaxExactExponent) return Scalar(_opaque(p));
            int n = (int)x.Numerator;
            if (n < 0)
            {
                if (Inverse(b) is not { } inv) { DivisionByZero = true; return Fail($"division by zero in {p}"); }
                b = inv;
                n = -n;
            }
            return Power(b, n);
        }
        if (IsScalar(b))
        {
            var c = b[0];
            if (c.IsZero)
            {
                if (x.Sign < 0) { DivisionByZero = true; return Fail($"division by zero in {p}"); }
                return Scalar(Rational.Zero);
            }
            if (x.Denominator <= MaxExactExponent && BigInteger.Abs(x.Numerator) <= MaxExactExponent
                && c.TryRoot((int)x.Denominator, out var root) && (c.Sign > 0 || root.Sign >= 0))
                return Scalar(root.Pow((int)x.Numerator));
        }
        return Scalar(_opaque(p));
    }

    private Rational[] Multiply(Rational[] a, Rational[] b)
    {
        var r = new Rational[_size];
        for (int s = 0; s < _size; s++)
        {
            if (a[s].IsZero) continue;
            for (int t = 0; t < _size; t++)
            {
                if (b[t].IsZero) continue;
                var c = a[s] * b[t];
                for (int common = s & t, i = 0; common != 0; common >>= 1, i++)
                    if ((common & 1) != 0) c *= _beta[i];
                r[s ^ t] += c;
            }
        }
        return r;
    }

    private Rational[] Power(Rational[] b, int n)
    {
        var result = Scalar(Rational.One);
        var sq = b;
        while (n > 0)
        {
            if ((n & 1) != 0) result = Multiply(result, sq);
            n >>= 1;
            if (n > 0) sq = Multiply(sq, sq);
        }
        return result;
    }

    /// <summary>1/x by successive conjugates: x·conjᵢ(x) has no rᵢ component; null for a zero divisor.</summary>
    private Rational[]? Inverse(Rational[] x)
    {
        var y = x;
        var num = Scalar(Rational.One);
        for (int i = 0; i < _beta.Length; i++)
        {
            var conj = (Rational[])y.Clone();
            for (int s = 0; s < _size; s++)
                if ((s & (1 << i)) != 0) conj[s] = -conj[s];
            num = Multiply(num, conj);
            y = Multiply(y, conj);
        }
        if (!IsScalar(y) || y[0].IsZero) return null;
        var scale = 1 / y[0];
        for (int s = 0; s < _size; s++) num[s] *= scale;
        return num;
    }

    private Rational[]? Fail(string reason)
    {
        FailureReason ??= reason;
        return null;
    }
}

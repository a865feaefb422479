using System.Numerics;
using System.Runtime.InteropServices;

namespace NoetherTheory.Symbolic;

/// <summary>The arithmetic core of the polynomial layer: a sparse polynomial with integer coefficients of type
/// <typeparamref name="T"/> (<see cref="Int128"/> for the fast path, <see cref="BigInteger"/> after an overflow).
/// Mutable while it is built; zero coefficients are removed by <see cref="Clean"/>.</summary>
/// <remarks>All arithmetic is checked: with <see cref="Int128"/> an overflow throws <see cref="OverflowException"/>
/// (never wraps), and the caller redoes the work with <see cref="BigInteger"/>.</remarks>
internal sealed class SparsePolynomial<T> : Dictionary<Monomial, T>, IEquatable<SparsePolynomial<T>>
    where T : struct, IBinaryInteger<T>
{
    private int? _hash;

    public SparsePolynomial() { }

    public SparsePolynomial(int capacity) : base(capacity) { }

    public SparsePolynomial(SparsePolynomial<T> other) : base(other) { }

    public static SparsePolynomial<T> Constant(T c)
    {
        var p = new SparsePolynomial<T>(1);
        if (!T.IsZero(c)) p[Monomial.One] = c;
        return p;
    }

    public static SparsePolynomial<T> Term(Monomial m, T c)
    {
        var p = new SparsePolynomial<T>(1);
        if (!T.IsZero(c)) p[m] = c;
        return p;
    }

    /// <summary>into += p·scale (zeros may remain: call <see cref="Clean"/>).</summary>
    public static void AddScaled(SparsePolynomial<T> into, SparsePolynomial<T> p, T scale)
    {
        foreach (var kv in p)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(into, kv.Key, out _);
            slot = checked(slot + checked(kv.Value * scale));
        }
    }

    /// <summary>Removes zero coefficients; returns this.</summary>
    public SparsePolynomial<T> Clean()
    {
        List<Monomial>? zeros = null;
        foreach (var kv in this)
            if (T.IsZero(kv.Value)) (zeros ??= []).Add(kv.Key);
        if (zeros is not null) foreach (var z in zeros) Remove(z);
        _hash = null;
        return this;
    }

    public static SparsePolynomial<T> Multiply(SparsePolynomial<T> a, SparsePolynomial<T> b)
    {
        if (a.Count == 0 || b.Count == 0) return [];
        if (a.Count == 1 && a.First() is { Key.IsOne: true } ca) return Scale(b, ca.Value);
        if (b.Count == 1 && b.First() is { Key.IsOne: true } cb) return Scale(a, cb.Value);
        var r = new SparsePolynomial<T>((int)Math.Min((long)a.Count * b.Count, 1 << 24));
        foreach (var x in a)
            foreach (var y in b)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(r, x.Key.Multiply(y.Key), out _);
                slot = checked(slot + checked(x.Value * y.Value));
            }
        return r.Clean();
    }

    public static SparsePolynomial<T> Scale(SparsePolynomial<T> p, T c)
    {
        if (c == T.One) return p;
        var r = new SparsePolynomial<T>(p.Count);
        if (T.IsZero(c)) return r;
        foreach (var kv in p) r[kv.Key] = checked(kv.Value * c);
        return r;
    }

    public static SparsePolynomial<T> MultiplyMonomial(SparsePolynomial<T> p, Monomial m)
    {
        if (m.IsOne) return p;
        var r = new SparsePolynomial<T>(p.Count);
        foreach (var kv in p) r[kv.Key.Multiply(m)] = kv.Value;
        return r;
    }

    public static SparsePolynomial<T> Pow(SparsePolynomial<T> b, int k) => Power(b, k, Constant(T.One), Multiply);

    /// <summary>b^k by repeated squaring in any monoid (the one exponentiation of the polynomial layer).</summary>
    public static TValue Power<TValue>(TValue b, int k, TValue one, Func<TValue, TValue, TValue> multiply)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        TValue result = one, p = b;
        while (k > 0)
        {
            if ((k & 1) != 0) result = multiply(result, p);
            k >>= 1;
            if (k > 0) p = multiply(p, p);
        }
        return result;
    }

    public static T IntPow(T b, int k)
    {
        T r = T.One;
        for (int i = 0; i < k; i++) r = checked(r * b);
        return r;
    }

    public static T Gcd(T a, T b)
    {
        a = T.Abs(a);
        b = T.Abs(b);
        while (!T.IsZero(b)) (a, b) = (b, a % b);
        return a;
    }

    /// <summary>The gcd of the coefficients (0 for the zero polynomial).</summary>
    public T Content()
    {
        T g = T.Zero;
        foreach (var c in Values)
        {
            g = Gcd(g, c);
            if (g == T.One) break;
        }
        return g;
    }

    /// <summary>The coefficients in one variable: exponent → the polynomial (free of the variable) that multiplies it.</summary>
    public SortedDictionary<int, SparsePolynomial<T>> CoefficientsIn(int variable)
    {
        var byPower = new SortedDictionary<int, SparsePolynomial<T>>();
        foreach (var kv in this)
        {
            int k = kv.Key.Exponent(variable);
            if (!byPower.TryGetValue(k, out var g)) byPower[k] = g = [];
            g[k == 0 ? kv.Key : kv.Key.WithExponent(variable, 0)] = kv.Value;
        }
        return byPower;
    }

    /// <summary>The largest monomial in the monomial order (the polynomial must not be zero).</summary>
    public Monomial Leading()
    {
        Monomial best = default;
        bool first = true;
        foreach (var m in Keys)
            if (first || m.CompareTo(best) > 0) { best = m; first = false; }
        return best;
    }

    /// <summary>Division by one divisor in the monomial order: p = q·d + r where no term of r is divisible by the leading
    /// term of d (coefficient included, over the integers). Returns false and stops early when <paramref name="exactOnly"/>
    /// and a non-zero remainder term appears.</summary>
    public static bool Divide(SparsePolynomial<T> p, SparsePolynomial<T> d, bool exactOnly, out SparsePolynomial<T> quotient, out SparsePolynomial<T> remainder)
    {
        if (d.Count == 0) throw new DivideByZeroException("Polynomial division by the zero polynomial.");
        var lead = d.Leading();
        var leadCoefficient = d[lead];
        quotient = [];
        remainder = [];
        bool exact = MultivariateDivision.Divide(new SparsePolynomial<T>(p), d, lead,
            (T c, out T q) =>
            {
                q = c / leadCoefficient;
                return T.IsZero(c % leadCoefficient);
            },
            (slot, q, c) => checked(slot - checked(q * c)), T.IsZero, exactOnly, quotient, remainder);
        quotient.Clean();
        remainder.Clean();
        return exact && remainder.Count == 0;
    }

    public SparsePolynomial<TOther> Convert<TOther>() where TOther : struct, IBinaryInteger<TOther>
    {
        var r = new SparsePolynomial<TOther>(Count);
        foreach (var kv in this) r[kv.Key] = TOther.CreateChecked(kv.Value);
        return r;
    }

    public bool Equals(SparsePolynomial<T>? other)
    {
        if (other is null || other.Count != Count) return false;
        foreach (var kv in this)
            if (!other.TryGetValue(kv.Key, out var c) || c != kv.Value) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SparsePolynomial<T>);

    /// <summary>Order-independent hash, cached: do not change the polynomial after hashing it.</summary>
    public override int GetHashCode()
    {
        if (_hash is { } h) return h;
        int acc = Count;
        foreach (var kv in this) acc += HashCode.Combine(kv.Key.GetHashCode(), kv.Value);
        _hash = acc;
        return acc;
    }
}

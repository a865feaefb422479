using System.Collections.Immutable;
using System.Globalization;

namespace NoetherTheory.Symbolic;

/// <summary>A monomial Π xᵢ^eᵢ over numbered variables, stored sparsely: only the variables with a positive exponent,
/// ordered by variable number (so a monomial of degree 6 in a ring of 300 variables holds at most 6 entries).</summary>
/// <remarks>Immutable value with a cached hash. The monomial order (<see cref="CompareTo"/>) is graded lexicographic:
/// higher total degree first, then the larger exponent of the lowest-numbered variable where they differ.</remarks>
public readonly struct Monomial : IEquatable<Monomial>, IComparable<Monomial>
{
    // Each entry packs (variable << 32) | exponent; entries sorted by variable, exponents > 0.
    private readonly long[]? _entries;
    private readonly int _hash;
    private readonly int _degree;

    private Monomial(long[] entries)
    {
        _entries = entries;
        ulong h = 0x9E3779B97F4A7C15UL;
        long degree = 0;
        foreach (var e in entries)
        {
            h = (h ^ (ulong)e) * 0xBF58476D1CE4E5B9UL;
            degree += Exp(e);
        }
        _hash = (int)(h ^ (h >> 29));
        _degree = checked((int)degree);
    }

    /// <summary>The monomial 1.</summary>
    public static Monomial One { get; } = new([]);

    /// <summary>x_variable^exponent (1 when the exponent is 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative variable number or exponent.</exception>
    public static Monomial Variable(int variable, int exponent = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variable);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        return exponent == 0 ? One : new([Pack(variable, exponent)]);
    }

    /// <summary>The monomial with the given (variable, exponent) pairs; zero exponents are dropped, repeated variables
    /// multiply.</summary>
    public static Monomial FromExponents(IEnumerable<(int Variable, int Exponent)> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var m = One;
        foreach (var (v, e) in factors) m = m.Multiply(Variable(v, e));
        return m;
    }

    private static long Pack(int variable, int exponent) => ((long)variable << 32) | (uint)exponent;

    private static int Exp(long entry) => unchecked((int)entry);

    private long[] Entries => _entries ?? [];

    /// <summary>Total degree Σ eᵢ.</summary>
    public int Degree => _degree;

    /// <summary>Whether this is the monomial 1.</summary>
    public bool IsOne => Entries.Length == 0;

    /// <summary>The number of variables with a positive exponent.</summary>
    public int VariableCount => Entries.Length;

    /// <summary>The (variable, exponent) pairs with positive exponent, by variable number.</summary>
    public ImmutableArray<(int Variable, int Exponent)> Factors => [.. Entries.Select(e => ((int)(e >> 32), Exp(e)))];

    /// <summary>The exponent of one variable (0 when absent).</summary>
    public int Exponent(int variable)
    {
        var entries = Entries;
        int lo = 0, hi = entries.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int v = (int)(entries[mid] >> 32);
            if (v == variable) return Exp(entries[mid]);
            if (v < variable) lo = mid + 1; else hi = mid - 1;
        }
        return 0;
    }

    /// <summary>The product (exponents add).</summary>
    /// <exception cref="OverflowException">An exponent beyond <see cref="int.MaxValue"/>.</exception>
    public Monomial Multiply(Monomial other)
    {
        var a = Entries;
        var b = other.Entries;
        if (b.Length == 0) return this;
        if (a.Length == 0) return other;
        var r = new long[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            long va = a[i] >> 32, vb = b[j] >> 32;
            if (va == vb)
            {
                r[k++] = Pack((int)va, checked(Exp(a[i]) + Exp(b[j])));
                i++;
                j++;
            }
            else r[k++] = va < vb ? a[i++] : b[j++];
        }
        while (i < a.Length) r[k++] = a[i++];
        while (j < b.Length) r[k++] = b[j++];
        if (k < r.Length) Array.Resize(ref r, k);
        return new Monomial(r);
    }

    /// <summary>this / divisor when every exponent of the divisor is at most this one's.</summary>
    public bool TryDivide(Monomial divisor, out Monomial quotient)
    {
        var a = Entries;
        var b = divisor.Entries;
        quotient = this;
        if (b.Length == 0) return true;
        if (b.Length > a.Length) return false;
        var r = new List<long>(a.Length);
        int j = 0;
        foreach (var entry in a)
        {
            long v = entry >> 32;
            if (j < b.Length && (b[j] >> 32) == v)
            {
                int e = Exp(entry) - Exp(b[j]);
                if (e < 0) return false;
                if (e > 0) r.Add(Pack((int)v, e));
                j++;
            }
            else
            {
                if (j < b.Length && (b[j] >> 32) < v) return false;
                r.Add(entry);
            }
        }
        if (j < b.Length) return false;
        quotient = new Monomial([.. r]);
        return true;
    }

    /// <summary>The greatest common divisor: the smaller exponent of each variable.</summary>
    public Monomial Gcd(Monomial other)
    {
        var a = Entries;
        var b = other.Entries;
        var r = new List<long>();
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            long va = a[i] >> 32, vb = b[j] >> 32;
            if (va == vb)
            {
                r.Add(Pack((int)va, Math.Min(Exp(a[i]), Exp(b[j]))));
                i++;
                j++;
            }
            else if (va < vb) i++;
            else j++;
        }
        return new Monomial([.. r]);
    }

    /// <summary>This monomial with the exponents of the given variables set to 0 (selected: kept only those).</summary>
    public Monomial Restrict(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return new Monomial([.. Entries.Where(e => keep((int)(e >> 32)))]);
    }

    /// <summary>This monomial with one variable's exponent replaced.</summary>
    public Monomial WithExponent(int variable, int exponent)
    {
        var rest = Restrict(v => v != variable);
        return exponent == 0 ? rest : rest.Multiply(Variable(variable, exponent));
    }

    /// <inheritdoc/>
    public bool Equals(Monomial other) => _hash == other._hash && Entries.AsSpan().SequenceEqual(other.Entries);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Monomial m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <summary>Graded lexicographic order: positive when this monomial comes first (is larger).</summary>
    public int CompareTo(Monomial other)
    {
        if (_degree != other._degree) return _degree.CompareTo(other._degree);
        var a = Entries;
        var b = other.Entries;
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            long va = a[i] >> 32, vb = b[i] >> 32;
            if (va != vb) return va < vb ? 1 : -1; // the one with the lower-numbered variable is larger
            int ea = Exp(a[i]), eb = Exp(b[i]);
            if (ea != eb) return ea.CompareTo(eb);
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Monomial left, Monomial right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Monomial left, Monomial right) => !left.Equals(right);

    /// <summary>Order (see <see cref="CompareTo"/>).</summary>
    public static bool operator <(Monomial left, Monomial right) => left.CompareTo(right) < 0;

    /// <summary>Order (see <see cref="CompareTo"/>).</summary>
    public static bool operator >(Monomial left, Monomial right) => left.CompareTo(right) > 0;

    /// <summary>Order (see <see cref="CompareTo"/>).</summary>
    public static bool operator <=(Monomial left, Monomial right) => left.CompareTo(right) <= 0;

    /// <summary>Order (see <see cref="CompareTo"/>).</summary>
    public static bool operator >=(Monomial left, Monomial right) => left.CompareTo(right) >= 0;

    /// <summary><c>x0^2*x3</c>, or <c>1</c>.</summary>
    public override string ToString() => IsOne ? "1" : string.Join("*", Entries.Select(e =>
        Exp(e) == 1 ? string.Create(CultureInfo.InvariantCulture, $"x{e >> 32}") : string.Create(CultureInfo.InvariantCulture, $"x{e >> 32}^{Exp(e)}")));
}

using System.Globalization;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>
/// An exact rational number n/d with <see cref="BigInteger"/> parts, always normalised:
/// gcd(n, d) = 1 and d &gt; 0. <c>default(Rational)</c> is zero.
/// </summary>
/// <remarks>
/// The denominator is stored minus one so that the default value is the valid number 0/1.
/// Text form (<see cref="ToString()"/>, <see cref="Parse"/>) is invariant-culture: <c>-3/4</c>, <c>7</c>;
/// <see cref="Parse"/> also accepts decimals such as <c>0.25</c> or <c>1.5e-3</c>, read exactly.
/// </remarks>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>, IComparable
{
    /// <summary>Decimal exponents beyond ±10000 are rejected by the parser (10^10000 already has 33 000 bits).</summary>
    private const int MaxDecimalExponent = 10_000;

    private readonly BigInteger _denominatorMinusOne;

    private Rational(BigInteger numerator, BigInteger denominator, bool normalised)
    {
        _ = normalised;
        Numerator = numerator;
        _denominatorMinusOne = denominator - 1;
    }

    /// <summary>Creates n/d in lowest terms.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="denominator"/> is zero.</exception>
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
            throw new DivideByZeroException($"Rational {numerator}/0: the denominator must not be zero.");
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!g.IsOne && !g.IsZero) { numerator /= g; denominator /= g; }
        if (numerator.IsZero) denominator = BigInteger.One;
        Numerator = numerator;
        _denominatorMinusOne = denominator - 1;
    }

    /// <summary>The integer n.</summary>
    public Rational(BigInteger integer) : this(integer, BigInteger.One, normalised: true) { }

    /// <summary>Numerator (carries the sign).</summary>
    public BigInteger Numerator { get; }

    /// <summary>Denominator, always positive.</summary>
    public BigInteger Denominator => _denominatorMinusOne + 1;

    /// <summary>0.</summary>
    public static Rational Zero => default;

    /// <summary>1.</summary>
    public static Rational One => new(BigInteger.One);

    /// <summary>−1.</summary>
    public static Rational MinusOne => new(BigInteger.MinusOne);

    /// <summary>Whether the value is 0.</summary>
    public bool IsZero => Numerator.IsZero;

    /// <summary>Whether the value is 1.</summary>
    public bool IsOne => Numerator.IsOne && _denominatorMinusOne.IsZero;

    /// <summary>Whether the denominator is 1.</summary>
    public bool IsInteger => _denominatorMinusOne.IsZero;

    /// <summary>−1, 0 or +1.</summary>
    public int Sign => Numerator.Sign;

    /// <summary>|x|.</summary>
    public Rational Abs() => Sign < 0 ? -this : this;

    /// <summary>The largest integer ≤ x.</summary>
    public BigInteger Floor()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    /// <summary>x raised to an integer power, exactly.</summary>
    /// <exception cref="DivideByZeroException">Zero raised to a negative power.</exception>
    public Rational Pow(int exponent)
    {
        if (exponent == 0) return One;
        if (exponent < 0)
        {
            if (IsZero) throw new DivideByZeroException("0 raised to a negative power.");
            return new Rational(BigInteger.Pow(Denominator, -exponent), BigInteger.Pow(Numerator, -exponent));
        }
        return new Rational(BigInteger.Pow(Numerator, exponent), BigInteger.Pow(Denominator, exponent), normalised: true);
    }

    /// <summary>The exact k-th root if it is rational (for x ≥ 0, or odd k); otherwise false.</summary>
    public bool TryRoot(int k, out Rational root)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        root = default;
        if (Sign < 0 && k % 2 == 0) return false;
        if (!TryIntegerRoot(BigInteger.Abs(Numerator), k, out var n) || !TryIntegerRoot(Denominator, k, out var d))
            return false;
        root = new Rational(Sign < 0 ? -n : n, d, normalised: true);
        return true;
    }

    private static bool TryIntegerRoot(BigInteger value, int k, out BigInteger root)
    {
        if (value < 2) { root = value; return true; }
        // Newton iteration from a double estimate, then exact correction.
        double estimate = Math.Pow((double)value, 1.0 / k);
        root = double.IsFinite(estimate) ? new BigInteger(Math.Round(estimate)) : BigInteger.One << (int)((value.GetBitLength() + k - 1) / k);
        for (int i = 0; i < 200; i++)
        {
            var p = BigInteger.Pow(root, k - 1);
            var next = ((k - 1) * root + value / p) / k;
            if (BigInteger.Abs(next - root) <= 1) { root = next; break; }
            root = next;
        }
        for (var c = root - 2; c <= root + 2; c++)
            if (c.Sign >= 0 && BigInteger.Pow(c, k) == value) { root = c; return true; }
        return false;
    }

    /// <summary>Nearest double (correct to within one ulp even for huge parts).</summary>
    public double ToDouble()
    {
        if (IsInteger) return (double)Numerator;
        long nb = Numerator.IsZero ? 0 : (long)BigInteger.Abs(Numerator).GetBitLength();
        long db = (long)Denominator.GetBitLength();
        if (nb <= 53 && db <= 53) return (double)Numerator / (double)Denominator;
        // Scale so that the quotient has ~64 significant bits, divide in integers, then rescale.
        long shift = 64 - (nb - db);
        var q = shift >= 0 ? (Numerator << (int)shift) / Denominator : Numerator / (Denominator << (int)-shift);
        return Math.ScaleB((double)q, (int)-shift);
    }

    /// <summary>The exact value of a finite double.</summary>
    /// <exception cref="ArgumentException">NaN or infinity.</exception>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"Cannot convert {value.ToString(CultureInfo.InvariantCulture)} to an exact rational.", nameof(value));
        if (value == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++; else mantissa |= 1L << 52;
        exponent -= 1075;
        BigInteger m = negative ? -mantissa : mantissa;
        return exponent >= 0 ? new Rational(m << exponent) : new Rational(m, BigInteger.One << -exponent);
    }

    /// <summary>Parses <c>7</c>, <c>-3/4</c>, <c>0.25</c>, <c>1.5e-3</c> (invariant culture, exact).</summary>
    /// <exception cref="FormatException">The text is not a rational literal.</exception>
    public static Rational Parse(string text)
    {
        if (TryParse(text, out var value)) return value;
        throw new FormatException($"'{text}' is not a rational number; write an integer (7), a fraction (-3/4) or a decimal (0.25, 1e-3).");
    }

    /// <summary>Non-throwing <see cref="Parse"/>.</summary>
    public static bool TryParse(string? text, out Rational value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!TryParseDecimal(text[..slash].Trim(), out var n) || !TryParseDecimal(text[(slash + 1)..].Trim(), out var d) || d.IsZero)
                return false;
            value = n / d;
            return true;
        }
        return TryParseDecimal(text, out value);
    }

    internal static bool TryParseDecimal(string text, out Rational value)
    {
        value = default;
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+')) { negative = text[i] == '-'; i++; }
        int start = i;
        BigInteger digits = BigInteger.Zero;
        int scale = 0;
        bool any = false;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { digits = digits * 10 + (text[i] - '0'); i++; any = true; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { digits = digits * 10 + (text[i] - '0'); scale++; i++; any = true; }
        }
        if (!any || i == start) return false;
        int exp = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            bool expNeg = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+')) { expNeg = text[i] == '-'; i++; }
            int expStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                exp = exp * 10 + (text[i] - '0');
                if (exp > MaxDecimalExponent) return false;
                i++;
            }
            if (i == expStart) return false;
            if (expNeg) exp = -exp;
        }
        if (i != text.Length) return false;
        int power = exp - scale;
        if (negative) digits = -digits;
        value = power >= 0 ? new Rational(digits * BigInteger.Pow(10, power)) : new Rational(digits, BigInteger.Pow(10, -power));
        return true;
    }

    /// <summary>Invariant text: <c>n</c> or <c>n/d</c>.</summary>
    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture)
                  : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals(Rational other) => Numerator == other.Numerator && _denominatorMinusOne == other._denominatorMinusOne;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Numerator, _denominatorMinusOne);

    /// <inheritdoc/>
    public int CompareTo(Rational other) =>
        IsInteger && other.IsInteger ? Numerator.CompareTo(other.Numerator)
                                     : (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj is Rational r ? CompareTo(r)
        : throw new ArgumentException($"Cannot compare a Rational with {obj?.GetType().Name ?? "null"}.", nameof(obj));

#pragma warning disable CS1591 // operators are self-describing
    public static implicit operator Rational(int value) => new(value);
    public static implicit operator Rational(long value) => new(value);
    public static implicit operator Rational(BigInteger value) => new(value);
    public static explicit operator double(Rational value) => value.ToDouble();

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator, normalised: true);
    public static Rational operator +(Rational a, Rational b) =>
        a.IsInteger && b.IsInteger ? new Rational(a.Numerator + b.Numerator)
                                   : new Rational(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    public static Rational operator -(Rational a, Rational b) => a + -b;
    public static Rational operator *(Rational a, Rational b) =>
        a.IsInteger && b.IsInteger ? new Rational(a.Numerator * b.Numerator)
                                   : new Rational(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero) throw new DivideByZeroException($"Division of {a} by zero.");
        return new Rational(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    }
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
#pragma warning restore CS1591
}

using System.Numerics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Algebra;

/// <summary>Arithmetic in 𝔽_p for the Mersenne prime p = 2⁶¹ − 1 (products through <see cref="UInt128"/>).</summary>
internal static class PrimeField
{
    /// <summary>p = 2⁶¹ − 1.</summary>
    public const ulong P = (1UL << 61) - 1;

    public static ulong Add(ulong a, ulong b)
    {
        ulong s = a + b;
        return s >= P ? s - P : s;
    }

    public static ulong Sub(ulong a, ulong b) => a >= b ? a - b : a + P - b;

    public static ulong Neg(ulong a) => a == 0 ? 0 : P - a;

    public static ulong Mul(ulong a, ulong b)
    {
        UInt128 x = (UInt128)a * b;
        ulong lo = (ulong)(x & P), hi = (ulong)(x >> 61);
        ulong s = lo + hi;
        return s >= P ? s - P : s;
    }

    public static ulong Pow(ulong a, ulong e)
    {
        ulong r = 1;
        while (e > 0)
        {
            if ((e & 1) != 0) r = Mul(r, a);
            a = Mul(a, a);
            e >>= 1;
        }
        return r;
    }

    /// <summary>a⁻¹ (a ≠ 0) by Fermat.</summary>
    public static ulong Inverse(ulong a) =>
        a == 0 ? throw new DivideByZeroException("0 has no inverse modulo p.") : Pow(a, P - 2);

    public static ulong FromInteger(BigInteger n)
    {
        var r = BigInteger.Remainder(n, P);
        if (r.Sign < 0) r += P;
        return (ulong)r;
    }

    public static ulong FromInt(long n) => n >= 0 ? (ulong)n % P : Neg((ulong)(-n) % P);

    /// <summary>The image of a rational whose denominator is prime to p.</summary>
    /// <exception cref="ArgumentException">p divides the denominator.</exception>
    public static ulong FromRational(Rational q)
    {
        ulong d = FromInteger(q.Denominator);
        if (d == 0) throw new ArgumentException($"The coefficient {q} has a denominator divisible by p = 2^61 − 1.", nameof(q));
        return Mul(FromInteger(q.Numerator), Inverse(d));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoetherTheory.Numerics.LinearAlgebra;

/// <summary>Small dense-vector kernels on spans (the currency of integrators and optimizers).</summary>
/// <remarks>
/// <para>The full-length reductions (<see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>, <see cref="Norm2(ReadOnlySpan{double})"/>,
/// <see cref="Distance"/>, <see cref="Norm2AndWeightedNorm2"/>) are SIMD and use one fixed summation order, the same on every machine
/// and every run: element i of the first 16·⌊n/16⌋ goes into partial sum i mod 16; the 16 partials are combined by the fixed tree
/// ((p_j + p_{4+j}) + (p_{8+j} + p_{12+j})) for j = 0..3, then ((u₀ + u₁) + (u₂ + u₃)); the remaining n mod 16 terms are added
/// one by one. 256-bit and 128-bit hardware, and the scalar reference <see cref="LaneOrderedDot"/>, give the same bits.
/// No fused multiply-add is used, so each term is the correctly rounded product.</para>
/// <para>The blocked order is also more accurate than a sequential sum: the error bound grows like (n/16 + 4)·ε instead of n·ε.</para>
/// </remarks>
public static class Vec
{
    /// <summary>Number of independent partial sums of the reductions (see the type's remarks).</summary>
    public const int ReductionLanes = 16;

    /// <summary>⟨a, b⟩, SIMD in the fixed order of the type's remarks.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Dot: lengths differ ({a.Length} vs {b.Length}).", nameof(b));
        return Reduce(new DotTerm(a, b), a.Length);
    }

    /// <summary>|a|².</summary>
    public static double Norm2(ReadOnlySpan<double> a) => Reduce(new DotTerm(a, a), a.Length);

    /// <summary>|a|.</summary>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Norm2(a));

    /// <summary>|a − b| (Euclidean).</summary>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Distance: lengths differ ({a.Length} vs {b.Length}).", nameof(b));
        return Math.Sqrt(Reduce(new SquaredDifferenceTerm(a, b), a.Length));
    }

    /// <summary>Both |x|² = Σ xᵢ² and Σ wᵢxᵢ² in one pass over the data (each in the fixed order of the type's remarks).</summary>
    /// <remarks>What a Rayleigh quotient xᵀdiag(w)x/|x|² and its gradient need.</remarks>
    public static (double Norm2, double WeightedNorm2) Norm2AndWeightedNorm2(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        if (x.Length != w.Length)
            throw new ArgumentException($"Norm2AndWeightedNorm2: lengths differ ({x.Length} vs {w.Length}).", nameof(w));
        return ReducePair(new SquareAndWeightedSquareTerm(x, w), x.Length);
    }

    /// <summary>y ← y + αx (elementwise, SIMD; each element rounded as the scalar expression would be).</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"Axpy: lengths differ ({x.Length} vs {y.Length}).", nameof(y));
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i + 4 <= n; i += 4)
                (Vector256.LoadUnsafe(ref yr, i) + (va * Vector256.LoadUnsafe(ref xr, i))).StoreUnsafe(ref yr, i);
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) += alpha * Unsafe.Add(ref xr, i);
    }

    /// <summary>⟨a, b⟩ summed in the documented lane order with scalar code: the reference the SIMD reductions reproduce bit for bit.</summary>
    public static double LaneOrderedDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"LaneOrderedDot: lengths differ ({a.Length} vs {b.Length}).", nameof(b));
        Span<double> p = stackalloc double[ReductionLanes];
        p.Clear();
        int blocked = a.Length - (a.Length % ReductionLanes);
        for (int i = 0; i < blocked; i += ReductionLanes)
            for (int j = 0; j < ReductionLanes; j++) p[j] += a[i + j] * b[i + j];
        Span<double> u = stackalloc double[4];
        for (int j = 0; j < 4; j++) u[j] = (p[j] + p[4 + j]) + (p[8 + j] + p[12 + j]);
        double s = (u[0] + u[1]) + (u[2] + u[3]);
        for (int i = blocked; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Σ a[i] over the given indices.</summary>
    public static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i];
        return s;
    }

    /// <summary>Σ a[i]² over the given indices.</summary>
    public static double Norm2(ReadOnlySpan<double> a, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i] * a[i];
        return s;
    }

    /// <summary>Σ a[i]·b[i] over the given indices.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i] * b[i];
        return s;
    }

    /// <summary>A fresh copy.</summary>
    public static double[] Copy(ReadOnlySpan<double> a) => a.ToArray();

    /// <summary>The indices start, start+1, …, start+count−1.</summary>
    public static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();

    // ---- fixed-order reduction machinery -------------------------------------------------------------------------------

    /// <summary>The summands of a reduction, elementwise: lane vectors at offset i and the scalar at i.</summary>
    private interface ITerm
    {
        Vector256<double> At256(nuint i);
        Vector128<double> At128(nuint i);
        double At(nuint i);
    }

    /// <summary>Two reductions over the same data (one pass).</summary>
    private interface ITermPair
    {
        (Vector256<double> First, Vector256<double> Second) At256(nuint i);
        (Vector128<double> First, Vector128<double> Second) At128(nuint i);
        (double First, double Second) At(nuint i);
    }

    private readonly ref struct DotTerm : ITerm
    {
        private readonly ref double _a, _b;
        public DotTerm(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            _a = ref MemoryMarshal.GetReference(a);
            _b = ref MemoryMarshal.GetReference(b);
        }
        public Vector256<double> At256(nuint i) => Vector256.LoadUnsafe(ref _a, i) * Vector256.LoadUnsafe(ref _b, i);
        public Vector128<double> At128(nuint i) => Vector128.LoadUnsafe(ref _a, i) * Vector128.LoadUnsafe(ref _b, i);
        public double At(nuint i) => Unsafe.Add(ref _a, i) * Unsafe.Add(ref _b, i);
    }

    private readonly ref struct SquaredDifferenceTerm : ITerm
    {
        private readonly ref double _a, _b;
        public SquaredDifferenceTerm(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            _a = ref MemoryMarshal.GetReference(a);
            _b = ref MemoryMarshal.GetReference(b);
        }
        public Vector256<double> At256(nuint i)
        {
            var d = Vector256.LoadUnsafe(ref _a, i) - Vector256.LoadUnsafe(ref _b, i);
            return d * d;
        }
        public Vector128<double> At128(nuint i)
        {
            var d = Vector128.LoadUnsafe(ref _a, i) - Vector128.LoadUnsafe(ref _b, i);
            return d * d;
        }
        public double At(nuint i)
        {
            double d = Unsafe.Add(ref _a, i) - Unsafe.Add(ref _b, i);
            return d * d;
        }
    }

    private readonly ref struct SquareAndWeightedSquareTerm : ITermPair
    {
        private readonly ref double _x, _w;
        public SquareAndWeightedSquareTerm(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
        {
            _x = ref MemoryMarshal.GetReference(x);
            _w = ref MemoryMarshal.GetReference(w);
        }
        public (Vector256<double> First, Vector256<double> Second) At256(nuint i)
        {
            var x = Vector256.LoadUnsafe(ref _x, i);
            var sq = x * x;
            return (sq, Vector256.LoadUnsafe(ref _w, i) * sq);
        }
        public (Vector128<double> First, Vector128<double> Second) At128(nuint i)
        {
            var x = Vector128.LoadUnsafe(ref _x, i);
            var sq = x * x;
            return (sq, Vector128.LoadUnsafe(ref _w, i) * sq);
        }
        public (double First, double Second) At(nuint i)
        {
            double x = Unsafe.Add(ref _x, i), sq = x * x;
            return (sq, Unsafe.Add(ref _w, i) * sq);
        }
    }

    /// <summary>Σ terms in the documented order: 16 lanes as 4 × 256-bit or 8 × 128-bit accumulators, fixed tree, sequential tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce<T>(T t, int length) where T : ITerm, allows ref struct
    {
        nuint n = (nuint)length, blocked = n - (n % ReductionLanes), i = 0;
        double s;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i < blocked; i += ReductionLanes)
            {
                s0 += t.At256(i);
                s1 += t.At256(i + 4);
                s2 += t.At256(i + 8);
                s3 += t.At256(i + 12);
            }
            s = Fold((s0 + s1) + (s2 + s3));
        }
        else
        {
            // Lanes 4k..4k+1 live in a[k], lanes 4k+2..4k+3 in b[k]: the same partials, combined by the same tree.
            Vector128<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
            for (; i < blocked; i += ReductionLanes)
            {
                a0 += t.At128(i); b0 += t.At128(i + 2);
                a1 += t.At128(i + 4); b1 += t.At128(i + 6);
                a2 += t.At128(i + 8); b2 += t.At128(i + 10);
                a3 += t.At128(i + 12); b3 += t.At128(i + 14);
            }
            s = Fold((a0 + a1) + (a2 + a3), (b0 + b1) + (b2 + b3));
        }
        for (; i < n; i++) s += t.At(i);
        return s;
    }

    /// <summary>Two sums of <see cref="Reduce{T}"/>'s order in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double, double) ReducePair<T>(T t, int length) where T : ITermPair, allows ref struct
    {
        nuint n = (nuint)length, blocked = n - (n % ReductionLanes), i = 0;
        double s, r;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<double> r0 = default, r1 = default, r2 = default, r3 = default;
            for (; i < blocked; i += ReductionLanes)
            {
                var (x0, y0) = t.At256(i); s0 += x0; r0 += y0;
                var (x1, y1) = t.At256(i + 4); s1 += x1; r1 += y1;
                var (x2, y2) = t.At256(i + 8); s2 += x2; r2 += y2;
                var (x3, y3) = t.At256(i + 12); s3 += x3; r3 += y3;
            }
            s = Fold((s0 + s1) + (s2 + s3));
            r = Fold((r0 + r1) + (r2 + r3));
        }
        else
        {
            Vector128<double> sa0 = default, sb0 = default, sa1 = default, sb1 = default, sa2 = default, sb2 = default, sa3 = default, sb3 = default;
            Vector128<double> ra0 = default, rb0 = default, ra1 = default, rb1 = default, ra2 = default, rb2 = default, ra3 = default, rb3 = default;
            for (; i < blocked; i += ReductionLanes)
            {
                var (x, y) = t.At128(i); sa0 += x; ra0 += y;
                (x, y) = t.At128(i + 2); sb0 += x; rb0 += y;
                (x, y) = t.At128(i + 4); sa1 += x; ra1 += y;
                (x, y) = t.At128(i + 6); sb1 += x; rb1 += y;
                (x, y) = t.At128(i + 8); sa2 += x; ra2 += y;
                (x, y) = t.At128(i + 10); sb2 += x; rb2 += y;
                (x, y) = t.At128(i + 12); sa3 += x; ra3 += y;
                (x, y) = t.At128(i + 14); sb3 += x; rb3 += y;
            }
            s = Fold((sa0 + sa1) + (sa2 + sa3), (sb0 + sb1) + (sb2 + sb3));
            r = Fold((ra0 + ra1) + (ra2 + ra3), (rb0 + rb1) + (rb2 + rb3));
        }
        for (; i < n; i++)
        {
            var (x, y) = t.At(i);
            s += x;
            r += y;
        }
        return (s, r);
    }

    private static double Fold(Vector256<double> u) => (u.GetElement(0) + u.GetElement(1)) + (u.GetElement(2) + u.GetElement(3));

    private static double Fold(Vector128<double> low, Vector128<double> high) =>
        (low.GetElement(0) + low.GetElement(1)) + (high.GetElement(0) + high.GetElement(1));
}

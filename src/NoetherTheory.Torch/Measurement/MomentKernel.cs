using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoetherTheory.Torch.Measurement;

/// <summary>Hands out one float32 operand of <see cref="MomentKernel"/> (a host array, or a CPU tensor's storage read afresh
/// on each worker thread).</summary>
/// <returns>The operand's elements, row-major.</returns>
public delegate ReadOnlySpan<float> FloatSource();

/// <summary>Hands out one float32 operand of <see cref="MomentKernel.ComputeAndUpdate"/> that it writes in place.</summary>
/// <returns>The operand's elements, row-major.</returns>
public delegate Span<float> FloatTarget();

/// <summary>
/// One fused pass over a tensor θ, its gradient g and its momentum buffer v (float32, contiguous, on the host) giving, for
/// each index i along one axis, the moments the group and filter laws consume:
/// |θ_i|², ⟨θ_i, g_i⟩, ⟨θ_i, v_i⟩, |g_i|², |v_i|², ⟨g_i, v_i⟩ and the sums Σθ_i, Σg_i, Σv_i
/// (<see cref="Width"/> values per index, in that order; <see cref="WW"/> … <see cref="SV"/> name the places).
/// </summary>
/// <remarks>
/// <para>The tensor is viewed as [pre, rows, post] (the axis in the middle). Long contiguous runs (post ≥ <see cref="LongRun"/>)
/// are reduced run by run; otherwise the kernel walks the pre blocks in order through tiles of 256 adjacent elements of each
/// [rows·post] block, keeping the tile's sums in the first-level cache, and folds the elements into their indices at the end.
/// Either way each element is read once, products are
/// formed with fused multiply-adds in float32 SIMD lanes, and every lane's partial sum is moved into a float64 total after
/// at most <see cref="LaneTerms"/> terms, so a moment of K terms carries a float32 rounding of at most about
/// LaneTerms·2⁻²⁴ ≈ 1.9e-6 relative to the sum of its terms' magnitudes, whatever K (then float64 sums).</para>
/// <para>This replaces, on the CPU, the dozen libtorch operations per table (copies into blocks, transposes, a batched Gram
/// product, index selection, a float64 conversion) whose dispatch and extra passes dominated the measured step of small
/// networks. Where libnoether_moments.so was built (<see cref="NativeMoments"/>), the walks run in native code on libtorch's
/// own OpenMP threads, with the same arithmetic and the same bits; else a large tensor's work can be split with one
/// dedicated worker thread (<c>threads</c>), which in the training loop competes with libtorch's spinning threads.</para>
/// </remarks>
public static partial class MomentKernel
{
    /// <summary>Values per index.</summary>
    public const int Width = 9;

    /// <summary>Places of |θ|², ⟨θ,g⟩, ⟨θ,v⟩, |g|², |v|², ⟨g,v⟩, Σθ, Σg, Σv in an index's values.</summary>
    public const int WW = 0, WG = 1, WV = 2, GG = 3, VV = 4, GV = 5, SW = 6, SG = 7, SV = 8;

    /// <summary>Most products a float32 lane sums before its partial sum moves to float64 (32 per lane: rounding ≤ 32·2⁻²⁴
    /// ≈ 1.9e-6 relative, below the group laws' recursion tolerance of 1e-5 even at worst).</summary>
    public const int LaneTerms = 32;

    /// <summary>Shortest contiguous run (post) reduced run by run; shorter runs are walked in strips.</summary>
    public const long LongRun = 16;

    [ThreadStatic]
    private static double[]? t_totals;

    // Fewest elements for which a second thread takes half the work (its wake-up costs tens of microseconds).
    private const long SplitFrom = 1 << 18;

    // The same for the native walks, whose OpenMP threads are libtorch's, spinning between its operations (libtorch splits
    // element-wise work from 2¹⁵ elements).
    private const long NativeSplitFrom = 1 << 15;

    // Strips per tile: a tile's float32 sums (Width × 256 values, 9 KB) stay in the first-level cache while the rows of the
    // tile stream past.
    private const int TileStrips = 32;
    private const int TileElements = TileStrips * 8;

    /// <summary>
    /// Computes the moments of every index of θ, g, v viewed as [<paramref name="pre"/>, <paramref name="rows"/>,
    /// <paramref name="post"/>] into <paramref name="destination"/> (rows × <see cref="Width"/> values, overwritten).
    /// </summary>
    /// <param name="weights">θ.</param>
    /// <param name="gradients">g.</param>
    /// <param name="velocity">v; null: v = 0 (no buffer yet).</param>
    /// <param name="pre">Product of the dimensions before the axis.</param>
    /// <param name="rows">Length of the axis.</param>
    /// <param name="post">Product of the dimensions after it.</param>
    /// <param name="destination">rows × <see cref="Width"/> values.</param>
    /// <param name="threads">2 or more: the native walks split a tensor of at least 2¹⁵ elements over that many of libtorch's
    /// OpenMP threads; the managed ones split one of at least 2¹⁸ elements in two halves, the second done by one dedicated
    /// thread that blocks between calls (<see cref="HostWorker"/>). The results do not depend on it (each index or element
    /// is summed by one thread in one order).</param>
    /// <param name="exact">Form every product and sum in float64 (exact products of float32 values, float64 sums: what a
    /// float64 reduction of the widened tensors gives, up to summation order) at about twice the arithmetic; for quantities
    /// compared with round-off floors far below the float32 lanes' bound (the per-filter BN-ε residuals). One thread.</param>
    /// <param name="native">False: the managed walks even where <see cref="NativeMoments"/> would take the shape (tests compare
    /// the two; the results are the same bits).</param>
    /// <exception cref="ArgumentException">The operands' lengths are not pre·rows·post, or the destination is too short.</exception>
    public static void Compute(FloatSource weights, FloatSource gradients, FloatSource? velocity, long pre, long rows, long post,
        double[] destination, int threads = 1, bool exact = false, bool native = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradients);
        long n = Check(weights().Length, gradients().Length, velocity?.Invoke().Length ?? -1, pre, rows, post, destination);
        if (n == 0) return;
        // Without a buffer, g stands in for v and the v moments are zeroed afterwards (one code path). Nothing is written.
        FloatTarget w = () => Writable(weights()), v = () => Writable((velocity ?? gradients)());
        if (!exact) Drive(w, gradients, v, pre, rows, post, destination, threads, native, default(NoUpdate));
        else if (post >= LongRun) ExactRuns(weights(), gradients(), (velocity ?? gradients)(), pre, rows, post, destination);
        else Elements(weights(), gradients(), (velocity ?? gradients)(), pre, rows, post, destination);
        if (velocity is null) ZeroVelocity(destination, rows);
    }

    // Checks the operands and clears the destination; returns the element count.
    private static long Check(int weights, int gradients, int velocity, long pre, long rows, long post, double[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(pre);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(post);
        long n = pre * rows * post;
        if (weights != n || gradients != n || (velocity >= 0 && velocity != n))
            throw new ArgumentException($"Every operand must hold pre·rows·post = {n} elements.", nameof(weights));
        if (destination.Length < rows * Width)
            throw new ArgumentException($"The destination needs {rows * Width} values; it has {destination.Length}.", nameof(destination));
        Array.Clear(destination, 0, (int)(rows * Width));
        return n;
    }

    private static void ZeroVelocity(double[] destination, long rows)
    {
        for (long i = 0; i < rows; i++)
        {
            long a = i * Width;
            destination[a + WV] = destination[a + VV] = destination[a + GV] = destination[a + SV] = 0;
        }
    }

    // A read-only operand as the span type the shared loops take (NoUpdate never writes through it).
    private static Span<float> Writable(ReadOnlySpan<float> s) => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(s), s.Length);

    // What the loops do to each element after taking its products: nothing (Compute), or heavy ball's update (ComputeAndUpdate).
    // A struct type argument, so each loop is compiled once per kind with the call inlined (nothing left for NoUpdate).
    private interface IElementUpdate
    {
        // The update for the native walks (null: moments only).
        HeavyBallUpdate? Native { get; }

        void Apply(Vector256<float> a, Vector256<float> b, Vector256<float> c, ref float theta, ref float velocity, nuint at);

        void Apply(ref float theta, float b, ref float velocity);
    }

    private readonly struct NoUpdate : IElementUpdate
    {
        public HeavyBallUpdate? Native => null;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(Vector256<float> a, Vector256<float> b, Vector256<float> c, ref float theta, ref float velocity, nuint at)
        {
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref float theta, float b, ref float velocity)
        {
        }
    }

    // The two walks: long contiguous runs (post ≥ LongRun) index by index; shorter runs element by element in strips of 8,
    // folded into their indices at the end. Natively on libtorch's OpenMP threads where NativeMoments takes the shape (the
    // same numbers); else split in two halves (the second on the worker thread) for large tensors when threads ≥ 2.
    private static void Drive<TU>(FloatTarget w, FloatSource g, FloatTarget v, long pre, long rows, long post, double[] destination, int threads, bool native, TU u)
        where TU : struct, IElementUpdate
    {
        long n = pre * rows * post;
        bool split = threads >= 2 && n >= SplitFrom;
        int nativeThreads = threads >= 2 && n >= NativeSplitFrom ? threads : 1;
        if (post >= LongRun)
        {
            if (native && NativeMoments.TryRuns(w(), g(), v(), pre, rows, post, destination, u.Native, nativeThreads)) return;
            if (split && rows >= 2)
                HostWorker.Both(() => RunRange(w, g, v, pre, rows, post, 0, rows / 2, destination, u),
                    () => RunRange(w, g, v, pre, rows, post, rows / 2, rows, destination, u));
            else RunRange(w, g, v, pre, rows, post, 0, rows, destination, u);
            return;
        }
        // Each element j of the [rows·post] blocks gets float64 totals over the pre blocks, laid out moment by moment (in one
        // array per calling thread, reused: a fresh large array per call is a large-object allocation every step).
        long length = rows * post, strips = length / 8;
        if (t_totals is null || t_totals.Length < length * Width) t_totals = new double[length * Width];
        var totals = t_totals;
        // The native walk sets every total; the managed one adds into cleared ones.
        if (!(native && NativeMoments.TryStrips(w(), g(), v(), pre, rows, post, totals, u.Native, nativeThreads)))
        {
            Array.Clear(totals, 0, (int)(length * Width));
            if (split && strips >= 2)
                HostWorker.Both(() => StripRange(w, g, v, pre, length, 0, strips / 2, totals, u),
                    () => StripRange(w, g, v, pre, length, strips / 2, strips, totals, u));
            else StripRange(w, g, v, pre, length, 0, strips, totals, u);
        }
        // The last length mod 8 elements, one by one in float64.
        Span<float> x = w(), z = v();
        ReadOnlySpan<float> y = g();
        Span<double> sums = stackalloc double[Width];
        for (long j = strips * 8; j < length; j++)
        {
            sums.Clear();
            for (long p = 0; p < pre; p++)
            {
                int at = (int)((p * length) + j);
                Scalar(x[at], y[at], z[at], sums);
                u.Apply(ref x[at], y[at], ref z[at]);
            }
            for (int m = 0; m < Width; m++) totals[(m * length) + j] = sums[m];
        }
        for (long j = 0; j < length; j++)
        {
            var d = destination.AsSpan((int)(j / post * Width), Width);
            for (int m = 0; m < Width; m++) d[m] += totals[(m * length) + j];
        }
    }

    // Indices first … end − 1 of the long-run walk: index i's runs are the [post] blocks at (p·rows + i)·post.
    private static void RunRange<TU>(FloatTarget w, FloatSource g, FloatTarget v, long pre, long rows, long post, long first, long end, double[] destination, TU u)
        where TU : struct, IElementUpdate
    {
        Span<float> x = w(), z = v();
        ReadOnlySpan<float> y = g();
        for (long p = 0; p < pre; p++)
            for (long i = first; i < end; i++)
            {
                int at = checked((int)(((p * rows) + i) * post));
                Reduce(x.Slice(at, (int)post), y.Slice(at, (int)post), z.Slice(at, (int)post), destination.AsSpan((int)(i * Width), Width), u);
            }
    }

    // One contiguous run, added into sums: float32 lanes flushed to float64 every LaneTerms products per lane.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Reduce<TU>(Span<float> x, ReadOnlySpan<float> y, Span<float> z, Span<double> sums, TU u)
        where TU : struct, IElementUpdate
    {
        int n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rz = ref MemoryMarshal.GetReference(z);
        while (i + 8 <= n)
        {
            var ww = Vector256<float>.Zero;
            var wg = ww; var wv = ww; var gg = ww; var vv = ww; var gv = ww; var sw = ww; var sg = ww; var sv = ww;
            int end = Math.Min(n - 7, i + (8 * LaneTerms));
            for (; i < end; i += 8)
            {
                var a = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var b = Vector256.LoadUnsafe(ref ry, (nuint)i);
                var c = Vector256.LoadUnsafe(ref rz, (nuint)i);
                ww = Vector256.FusedMultiplyAdd(a, a, ww);
                wg = Vector256.FusedMultiplyAdd(a, b, wg);
                wv = Vector256.FusedMultiplyAdd(a, c, wv);
                gg = Vector256.FusedMultiplyAdd(b, b, gg);
                vv = Vector256.FusedMultiplyAdd(c, c, vv);
                gv = Vector256.FusedMultiplyAdd(b, c, gv);
                sw += a;
                sg += b;
                sv += c;
                u.Apply(a, b, c, ref rx, ref rz, (nuint)i);
            }
            sums[WW] += Total(ww); sums[WG] += Total(wg); sums[WV] += Total(wv); sums[GG] += Total(gg); sums[VV] += Total(vv);
            sums[GV] += Total(gv); sums[SW] += Total(sw); sums[SG] += Total(sg); sums[SV] += Total(sv);
        }
        for (; i < n; i++)
        {
            Scalar(x[i], y[i], z[i], sums);
            u.Apply(ref x[i], y[i], ref z[i]);
        }
    }

    // Strips first … end − 1, tile by tile: within a block of LaneTerms rows each row's run of the tile is read in order and
    // its products added to the tile's float32 sums (in memory, four rows per read and write of the sums); after the block
    // the sums move to the float64 totals. Walking the rows in order (rather than each strip down the rows) keeps the reads
    // sequential: strided reads whose stride is a multiple of 4 KiB all fall in one cache set and miss.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StripRange<TU>(FloatTarget w, FloatSource g, FloatTarget v, long pre, long length, long first, long end, double[] totals, TU u)
        where TU : struct, IElementUpdate
    {
        Span<float> x = w(), z = v();
        ReadOnlySpan<float> y = g();
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rz = ref MemoryMarshal.GetReference(z);
        ref double rt = ref MemoryMarshal.GetArrayDataReference(totals);
        Span<float> sums = stackalloc float[Width * TileElements];
        ref float rs = ref MemoryMarshal.GetReference(sums);
        const nuint te = TileElements;
        for (long s0 = first; s0 < end; s0 += TileStrips)
        {
            nuint count = (nuint)(Math.Min(TileStrips, end - s0) * 8), j0 = (nuint)(s0 * 8);
            for (long p0 = 0; p0 < pre; p0 += LaneTerms)
            {
                sums.Clear();
                long p1 = Math.Min(pre, p0 + LaneTerms), p = p0;
                for (; p + 4 <= p1; p += 4)
                {
                    nuint r0 = (nuint)(p * length) + j0, st = (nuint)length;
                    for (nuint e = 0; e < count; e += 8)
                    {
                        nuint e0 = r0 + e, e1 = e0 + st, e2 = e1 + st, e3 = e2 + st;
                        var a0 = Vector256.LoadUnsafe(ref rx, e0); var a1 = Vector256.LoadUnsafe(ref rx, e1);
                        var a2 = Vector256.LoadUnsafe(ref rx, e2); var a3 = Vector256.LoadUnsafe(ref rx, e3);
                        var b0 = Vector256.LoadUnsafe(ref ry, e0); var b1 = Vector256.LoadUnsafe(ref ry, e1);
                        var b2 = Vector256.LoadUnsafe(ref ry, e2); var b3 = Vector256.LoadUnsafe(ref ry, e3);
                        var c0 = Vector256.LoadUnsafe(ref rz, e0); var c1 = Vector256.LoadUnsafe(ref rz, e1);
                        var c2 = Vector256.LoadUnsafe(ref rz, e2); var c3 = Vector256.LoadUnsafe(ref rz, e3);
                        Four(ref rs, (WW * te) + e, a0, a0, a1, a1, a2, a2, a3, a3);
                        Four(ref rs, (WG * te) + e, a0, b0, a1, b1, a2, b2, a3, b3);
                        Four(ref rs, (WV * te) + e, a0, c0, a1, c1, a2, c2, a3, c3);
                        Four(ref rs, (GG * te) + e, b0, b0, b1, b1, b2, b2, b3, b3);
                        Four(ref rs, (VV * te) + e, c0, c0, c1, c1, c2, c2, c3, c3);
                        Four(ref rs, (GV * te) + e, b0, c0, b1, c1, b2, c2, b3, c3);
                        (a0 + a1 + (a2 + a3) + Vector256.LoadUnsafe(ref rs, (SW * te) + e)).StoreUnsafe(ref rs, (SW * te) + e);
                        (b0 + b1 + (b2 + b3) + Vector256.LoadUnsafe(ref rs, (SG * te) + e)).StoreUnsafe(ref rs, (SG * te) + e);
                        (c0 + c1 + (c2 + c3) + Vector256.LoadUnsafe(ref rs, (SV * te) + e)).StoreUnsafe(ref rs, (SV * te) + e);
                        u.Apply(a0, b0, c0, ref rx, ref rz, e0);
                        u.Apply(a1, b1, c1, ref rx, ref rz, e1);
                        u.Apply(a2, b2, c2, ref rx, ref rz, e2);
                        u.Apply(a3, b3, c3, ref rx, ref rz, e3);
                    }
                }
                for (; p < p1; p++)
                {
                    nuint row = (nuint)(p * length) + j0;
                    for (nuint e = 0; e < count; e += 8)
                    {
                        var a = Vector256.LoadUnsafe(ref rx, row + e);
                        var b = Vector256.LoadUnsafe(ref ry, row + e);
                        var c = Vector256.LoadUnsafe(ref rz, row + e);
                        Vector256.FusedMultiplyAdd(a, a, Vector256.LoadUnsafe(ref rs, (WW * te) + e)).StoreUnsafe(ref rs, (WW * te) + e);
                        Vector256.FusedMultiplyAdd(a, b, Vector256.LoadUnsafe(ref rs, (WG * te) + e)).StoreUnsafe(ref rs, (WG * te) + e);
                        Vector256.FusedMultiplyAdd(a, c, Vector256.LoadUnsafe(ref rs, (WV * te) + e)).StoreUnsafe(ref rs, (WV * te) + e);
                        Vector256.FusedMultiplyAdd(b, b, Vector256.LoadUnsafe(ref rs, (GG * te) + e)).StoreUnsafe(ref rs, (GG * te) + e);
                        Vector256.FusedMultiplyAdd(c, c, Vector256.LoadUnsafe(ref rs, (VV * te) + e)).StoreUnsafe(ref rs, (VV * te) + e);
                        Vector256.FusedMultiplyAdd(b, c, Vector256.LoadUnsafe(ref rs, (GV * te) + e)).StoreUnsafe(ref rs, (GV * te) + e);
                        (a + Vector256.LoadUnsafe(ref rs, (SW * te) + e)).StoreUnsafe(ref rs, (SW * te) + e);
                        (b + Vector256.LoadUnsafe(ref rs, (SG * te) + e)).StoreUnsafe(ref rs, (SG * te) + e);
                        (c + Vector256.LoadUnsafe(ref rs, (SV * te) + e)).StoreUnsafe(ref rs, (SV * te) + e);
                        u.Apply(a, b, c, ref rx, ref rz, row + e);
                    }
                }
                for (nuint m = 0; m < Width; m++)
                    for (nuint e = 0; e < count; e += 8)
                        Add(Vector256.LoadUnsafe(ref rs, (m * te) + e), ref rt, (m * (nuint)length) + j0 + e);
            }
        }
    }

    // The exact mode's long runs, index by index.
    private static void ExactRuns(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, long pre, long rows, long post, double[] destination)
    {
        for (long p = 0; p < pre; p++)
            for (long i = 0; i < rows; i++)
            {
                int at = checked((int)(((p * rows) + i) * post));
                ReduceExact(x.Slice(at, (int)post), y.Slice(at, (int)post), z.Slice(at, (int)post), destination.AsSpan((int)(i * Width), Width));
            }
    }

    // Short runs in float64, element by element (the exact mode's path where runs are too short for SIMD to pay).
    private static void Elements(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, long pre, long rows, long post, double[] destination)
    {
        for (long p = 0; p < pre; p++)
            for (long i = 0; i < rows; i++)
            {
                var sums = destination.AsSpan((int)(i * Width), Width);
                for (long k = 0, at = ((p * rows) + i) * post; k < post; k++, at++) Scalar(x[(int)at], y[(int)at], z[(int)at], sums);
            }
    }

    // One contiguous run in float64 lanes: each float32 vector widened exactly, products exact, sums in float64.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceExact(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<double> sums)
    {
        int n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rz = ref MemoryMarshal.GetReference(z);
        var ww = Vector256<double>.Zero;
        var wg = ww; var wv = ww; var gg = ww; var vv = ww; var gv = ww; var sw = ww; var sg = ww; var sv = ww;
        for (; i + 8 <= n; i += 8)
        {
            var (a0, a1) = Vector256.Widen(Vector256.LoadUnsafe(ref rx, (nuint)i));
            var (b0, b1) = Vector256.Widen(Vector256.LoadUnsafe(ref ry, (nuint)i));
            var (c0, c1) = Vector256.Widen(Vector256.LoadUnsafe(ref rz, (nuint)i));
            ww = Vector256.FusedMultiplyAdd(a1, a1, Vector256.FusedMultiplyAdd(a0, a0, ww));
            wg = Vector256.FusedMultiplyAdd(a1, b1, Vector256.FusedMultiplyAdd(a0, b0, wg));
            wv = Vector256.FusedMultiplyAdd(a1, c1, Vector256.FusedMultiplyAdd(a0, c0, wv));
            gg = Vector256.FusedMultiplyAdd(b1, b1, Vector256.FusedMultiplyAdd(b0, b0, gg));
            vv = Vector256.FusedMultiplyAdd(c1, c1, Vector256.FusedMultiplyAdd(c0, c0, vv));
            gv = Vector256.FusedMultiplyAdd(b1, c1, Vector256.FusedMultiplyAdd(b0, c0, gv));
            sw += a0 + a1;
            sg += b0 + b1;
            sv += c0 + c1;
        }
        sums[WW] += Vector256.Sum(ww); sums[WG] += Vector256.Sum(wg); sums[WV] += Vector256.Sum(wv); sums[GG] += Vector256.Sum(gg);
        sums[VV] += Vector256.Sum(vv); sums[GV] += Vector256.Sum(gv); sums[SW] += Vector256.Sum(sw); sums[SG] += Vector256.Sum(sg);
        sums[SV] += Vector256.Sum(sv);
        for (; i < n; i++) Scalar(x[i], y[i], z[i], sums);
    }

    // sums[at … at + 7] += x0·y0 + x1·y1 + x2·y2 + x3·y3, as four fused multiply-adds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four(ref float sums, nuint at, Vector256<float> x0, Vector256<float> y0, Vector256<float> x1, Vector256<float> y1,
        Vector256<float> x2, Vector256<float> y2, Vector256<float> x3, Vector256<float> y3)
    {
        var t = Vector256.FusedMultiplyAdd(x0, y0, Vector256.LoadUnsafe(ref sums, at));
        t = Vector256.FusedMultiplyAdd(x1, y1, t);
        t = Vector256.FusedMultiplyAdd(x2, y2, t);
        Vector256.FusedMultiplyAdd(x3, y3, t).StoreUnsafe(ref sums, at);
    }

    // Adds 8 float32 lanes, widened exactly, to 8 consecutive float64 totals.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Vector256<float> lanes, ref double totals, nuint at)
    {
        var (lo, hi) = Vector256.Widen(lanes);
        (Vector256.LoadUnsafe(ref totals, at) + lo).StoreUnsafe(ref totals, at);
        (Vector256.LoadUnsafe(ref totals, at + 4) + hi).StoreUnsafe(ref totals, at + 4);
    }

    /// <summary>
    /// The angle (rad) between two float32 vectors, 2·asin(|x̂' − x̂|/2) in float64 (accurate for small angles, where the
    /// cosine form loses its digits): each value widened exactly, the norms and the squared distance of the normalised
    /// vectors summed in float64 lanes.
    /// </summary>
    /// <param name="before">x.</param>
    /// <param name="after">x' (as long as x).</param>
    /// <returns>The angle in [0, π]; NaN when either vector is zero or not finite.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Angle(ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        if (before.Length != after.Length) throw new ArgumentException("Both vectors must have one length.", nameof(after));
        int n = before.Length, i;
        ref float rx = ref MemoryMarshal.GetReference(before);
        ref float ry = ref MemoryMarshal.GetReference(after);
        var n0 = Vector256<double>.Zero;
        var n1 = n0;
        for (i = 0; i + 8 <= n; i += 8)
        {
            var (x0, x1) = Vector256.Widen(Vector256.LoadUnsafe(ref rx, (nuint)i));
            var (y0, y1) = Vector256.Widen(Vector256.LoadUnsafe(ref ry, (nuint)i));
            n0 = Vector256.FusedMultiplyAdd(x1, x1, Vector256.FusedMultiplyAdd(x0, x0, n0));
            n1 = Vector256.FusedMultiplyAdd(y1, y1, Vector256.FusedMultiplyAdd(y0, y0, n1));
        }
        double s0 = Vector256.Sum(n0), s1 = Vector256.Sum(n1);
        for (int j = i; j < n; j++)
        {
            s0 += (double)before[j] * before[j];
            s1 += (double)after[j] * after[j];
        }
        double u0 = 1 / Math.Sqrt(s0), u1 = 1 / Math.Sqrt(s1);
        var a = Vector256.Create(u0);
        var b = Vector256.Create(u1);
        var d = Vector256<double>.Zero;
        for (i = 0; i + 8 <= n; i += 8)
        {
            var (x0, x1) = Vector256.Widen(Vector256.LoadUnsafe(ref rx, (nuint)i));
            var (y0, y1) = Vector256.Widen(Vector256.LoadUnsafe(ref ry, (nuint)i));
            var e0 = (y0 * b) - (x0 * a);
            var e1 = (y1 * b) - (x1 * a);
            d = Vector256.FusedMultiplyAdd(e1, e1, Vector256.FusedMultiplyAdd(e0, e0, d));
        }
        double sum = Vector256.Sum(d);
        for (int j = i; j < n; j++)
        {
            double e = (after[j] * u1) - (before[j] * u0);
            sum += e * e;
        }
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(sum) / 2));
    }

    // A lane vector's sum in float64 (each lane widened exactly).
    private static double Total(Vector256<float> lanes)
    {
        var (lo, hi) = Vector256.Widen(lanes);
        return Vector256.Sum(lo + hi);
    }

    // One element in float64 (products of float32 values are exact there).
    private static void Scalar(double a, double b, double c, Span<double> sums)
    {
        sums[WW] += a * a; sums[WG] += a * b; sums[WV] += a * c; sums[GG] += b * b; sums[VV] += c * c; sums[GV] += b * c;
        sums[SW] += a; sums[SG] += b; sums[SV] += c;
    }
}

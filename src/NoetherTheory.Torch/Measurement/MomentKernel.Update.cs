using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// Heavy ball's element-wise update in PyTorch's float32 arithmetic, as <see cref="MomentKernel.ComputeAndUpdate"/> applies it
/// in its pass: d = fma(k, θ, g) with coupled decay (else g); v' = d at the first step, else fma(1 − δ, d, round(β·v));
/// s = fma(β, v', d) with Nesterov, else v' (d without a buffer); θ' = fma(−η, s, θ); with decoupled decay θ'·(1 − ηk).
/// These are the roundings of libtorch's CPU kernels for <c>add(other, alpha)</c> (one fused multiply-add), <c>mul_</c> and
/// <c>add_</c>, so the update is bit for bit the one <see cref="Optimization.HeavyBall"/> performs with tensor operations
/// (a test compares them).
/// </summary>
/// <param name="LearningRate">η (as float32, as libtorch converts the scalar).</param>
/// <param name="CoupledDecay">k added to the gradient (0: none).</param>
/// <param name="Momentum">β.</param>
/// <param name="BufferScale">1 − δ.</param>
/// <param name="Nesterov">Nesterov's step.</param>
/// <param name="HasBuffer">Whether the rule keeps a momentum buffer (β ≠ 0).</param>
/// <param name="FirstStep">The buffer is set to d (its first step; it holds zeros before).</param>
/// <param name="DecoupledFactor">1 − ηk for decoupled decay (1: none).</param>
public readonly record struct HeavyBallUpdate(float LearningRate, float CoupledDecay, float Momentum, float BufferScale, bool Nesterov,
    bool HasBuffer, bool FirstStep, float DecoupledFactor)
{
    /// <summary>One element (the scalar tails).</summary>
    internal (float Theta, float Velocity) Apply(float a, float b, float c)
    {
        float d = CoupledDecay != 0 ? MathF.FusedMultiplyAdd(CoupledDecay, a, b) : b;
        float v = c, s = d;
        if (HasBuffer)
        {
            v = FirstStep ? d : MathF.FusedMultiplyAdd(BufferScale, d, Momentum * c);
            s = Nesterov ? MathF.FusedMultiplyAdd(Momentum, v, d) : v;
        }
        float t = MathF.FusedMultiplyAdd(-LearningRate, s, a);
        return (DecoupledFactor != 1 ? t * DecoupledFactor : t, v);
    }

    /// <summary>Eight elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal (Vector256<float> Theta, Vector256<float> Velocity) Apply(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
        var d = CoupledDecay != 0 ? Vector256.FusedMultiplyAdd(Vector256.Create(CoupledDecay), a, b) : b;
        var v = c;
        var s = d;
        if (HasBuffer)
        {
            var beta = Vector256.Create(Momentum);
            v = FirstStep ? d : Vector256.FusedMultiplyAdd(Vector256.Create(BufferScale), d, beta * c);
            s = Nesterov ? Vector256.FusedMultiplyAdd(beta, v, d) : v;
        }
        var t = Vector256.FusedMultiplyAdd(Vector256.Create(-LearningRate), s, a);
        return (DecoupledFactor != 1 ? t * Vector256.Create(DecoupledFactor) : t, v);
    }
}

public static partial class MomentKernel
{
    /// <summary>
    /// <see cref="Compute"/>'s moments of the pre-update θ, g, v, formed in the same pass that applies heavy ball's update to θ
    /// and v in place: the measurement then reads nothing the optimizer does not read anyway (on a network whose first layer
    /// does not fit the caches, that pass over θ, g and v is what measuring costs otherwise).
    /// </summary>
    /// <param name="weights">θ, updated in place.</param>
    /// <param name="gradients">g.</param>
    /// <param name="velocity">v, updated in place (holds zeros at the first step); null without a buffer.</param>
    /// <param name="pre">Product of the dimensions before the axis.</param>
    /// <param name="rows">Length of the axis.</param>
    /// <param name="post">Product of the dimensions after it.</param>
    /// <param name="destination">rows × <see cref="Width"/> values.</param>
    /// <param name="update">The update.</param>
    /// <param name="threads">2 or more: a tensor of at least 2¹⁸ elements is split in two halves, the second done by one
    /// dedicated thread that blocks in the kernel between calls (a spinning pool thread would take a core from libtorch's
    /// OpenMP threads); the results do not depend on it (each index or element is done by one thread in one order).</param>
    /// <exception cref="ArgumentException">The operands' lengths are not pre·rows·post, or the destination is too short.</exception>
    public static void ComputeAndUpdate(FloatTarget weights, FloatSource gradients, FloatTarget? velocity, long pre, long rows, long post,
        double[] destination, HeavyBallUpdate update, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(destination);
        long n = pre * rows * post;
        if (pre < 0 || rows < 0 || post < 0 || weights().Length != n || gradients().Length != n || (velocity is null ? update.HasBuffer : velocity().Length != n || !update.HasBuffer))
            throw new ArgumentException($"θ and g must hold pre·rows·post = {n} elements, v as many with a buffer and none without.", nameof(weights));
        if (destination.Length < rows * Width)
            throw new ArgumentException($"The destination needs {rows * Width} values; it has {destination.Length}.", nameof(destination));
        Array.Clear(destination, 0, (int)(rows * Width));
        if (n == 0) return;
        // Without a buffer, g is read in v's place (its v moments zeroed afterwards) and v is never written.
        FloatTarget v = velocity ?? (() =>
        {
            var g = gradients();
            return MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(g), g.Length);
        });
        bool split = threads >= 2 && n >= SplitFrom;
        if (post >= LongRun)
        {
            if (split && rows >= 2)
                HostWorker.Both(() => RunsUpdate(weights, gradients, v, pre, rows, post, 0, rows / 2, destination, update),
                    () => RunsUpdate(weights, gradients, v, pre, rows, post, rows / 2, rows, destination, update));
            else RunsUpdate(weights, gradients, v, pre, rows, post, 0, rows, destination, update);
        }
        else
        {
            long length = rows * post, strips = length / 8;
            if (t_totals is null || t_totals.Length < length * Width) t_totals = new double[length * Width];
            var totals = t_totals;
            Array.Clear(totals, 0, (int)(length * Width));
            if (split && strips >= 2)
                HostWorker.Both(() => StripsUpdate(weights, gradients, v, pre, length, 0, strips / 2, totals, update),
                    () => StripsUpdate(weights, gradients, v, pre, length, strips / 2, strips, totals, update));
            else StripsUpdate(weights, gradients, v, pre, length, 0, strips, totals, update);
            Span<float> x = weights(), z = v();
            ReadOnlySpan<float> y = gradients();
            Span<double> tail = stackalloc double[Width];
            for (long j = strips * 8; j < length; j++)
            {
                tail.Clear();
                for (long p = 0; p < pre; p++)
                {
                    int at = (int)((p * length) + j);
                    ScalarUpdate(ref x[at], y[at], ref z[at], tail, update);
                }
                for (int m = 0; m < Width; m++) totals[(m * length) + j] = tail[m];
            }
            for (long j = 0; j < length; j++)
            {
                var d = destination.AsSpan((int)(j / post * Width), Width);
                for (int m = 0; m < Width; m++) d[m] += totals[(m * length) + j];
            }
        }
        if (!update.HasBuffer)
            for (long i = 0; i < rows; i++)
            {
                long a = i * Width;
                destination[a + WV] = destination[a + VV] = destination[a + GV] = destination[a + SV] = 0;
            }
    }

    // Fewest elements for which a second thread takes half the work.
    private const long SplitFrom = 1 << 18;

    // Indices first … end − 1 of the long-run path.
    private static void RunsUpdate(FloatTarget w, FloatSource g, FloatTarget v, long pre, long rows, long post, long first, long end, double[] destination, HeavyBallUpdate u)
    {
        Span<float> x = w(), z = v();
        ReadOnlySpan<float> y = g();
        for (long p = 0; p < pre; p++)
            for (long i = first; i < end; i++)
            {
                int at = checked((int)(((p * rows) + i) * post));
                ReduceUpdate(x.Slice(at, (int)post), y.Slice(at, (int)post), z.Slice(at, (int)post), destination.AsSpan((int)(i * Width), Width), u);
            }
    }

    // Reduce, with the update applied to each vector after its products are taken.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceUpdate(Span<float> x, ReadOnlySpan<float> y, Span<float> z, Span<double> sums, HeavyBallUpdate u)
    {
        int n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rz = ref MemoryMarshal.GetReference(z);
        bool writeV = u.HasBuffer;
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
                var (theta, velocity) = u.Apply(a, b, c);
                theta.StoreUnsafe(ref rx, (nuint)i);
                if (writeV) velocity.StoreUnsafe(ref rz, (nuint)i);
            }
            sums[WW] += Total(ww); sums[WG] += Total(wg); sums[WV] += Total(wv); sums[GG] += Total(gg); sums[VV] += Total(vv);
            sums[GV] += Total(gv); sums[SW] += Total(sw); sums[SG] += Total(sg); sums[SV] += Total(sv);
        }
        for (; i < n; i++) ScalarUpdate(ref x[i], y[i], ref z[i], sums, u);
    }

    // Strips first … end − 1, with the update applied after each vector's products are taken (as StripRange sums them).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StripsUpdate(FloatTarget w, FloatSource g, FloatTarget v, long pre, long length, long first, long end, double[] totals, HeavyBallUpdate u)
    {
        Span<float> x = w(), z = v();
        ReadOnlySpan<float> y = g();
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rz = ref MemoryMarshal.GetReference(z);
        ref double rt = ref MemoryMarshal.GetArrayDataReference(totals);
        bool writeV = u.HasBuffer;
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
                // Four rows at a time (one read and write of the tile's sums per four rows' products), as StripRange.
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
                        Store(u.Apply(a0, b0, c0), ref rx, ref rz, e0, writeV);
                        Store(u.Apply(a1, b1, c1), ref rx, ref rz, e1, writeV);
                        Store(u.Apply(a2, b2, c2), ref rx, ref rz, e2, writeV);
                        Store(u.Apply(a3, b3, c3), ref rx, ref rz, e3, writeV);
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
                        var (theta, velocity) = u.Apply(a, b, c);
                        theta.StoreUnsafe(ref rx, row + e);
                        if (writeV) velocity.StoreUnsafe(ref rz, row + e);
                    }
                }
                for (nuint m = 0; m < Width; m++)
                    for (nuint e = 0; e < count; e += 8)
                        Add(Vector256.LoadUnsafe(ref rs, (m * te) + e), ref rt, (m * (nuint)length) + j0 + e);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store((Vector256<float> Theta, Vector256<float> Velocity) updated, ref float theta, ref float velocity, nuint at, bool writeV)
    {
        updated.Theta.StoreUnsafe(ref theta, at);
        if (writeV) updated.Velocity.StoreUnsafe(ref velocity, at);
    }

    private static void ScalarUpdate(ref float a, float b, ref float c, Span<double> sums, HeavyBallUpdate u)
    {
        Scalar(a, b, c, sums);
        var (theta, velocity) = u.Apply(a, b, c);
        a = theta;
        if (u.HasBuffer) c = velocity;
    }
}

using CsCheck;
using NoetherTheory.Torch.Measurement;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// <see cref="MomentKernel"/> against its definitions evaluated in float64 on the host: every shape class (long contiguous
/// runs, short runs walked in strips, tails that are not a multiple of the SIMD width, one index, an empty axis), with and
/// without a momentum buffer, on one and (large tensors) two threads; and its rounding bound on a long, one-signed sum.
/// </summary>
[TestFixture]
public sealed class MomentKernelTests
{
    /// <summary>
    /// A moment's allowed error relative to the sum of its terms' magnitudes: the kernel's float32 lanes sum at most
    /// <see cref="MomentKernel.LaneTerms"/> products (≤ 32·2⁻²⁴ ≈ 1.9e-6 relative) before moving to float64, and each fused
    /// product is rounded once; twice that for margin. A wrong index, a lost tail or a moment in the wrong place is off by
    /// O(1) of the scale.
    /// </summary>
    internal static readonly double LaneRounding = 2 * ((MomentKernel.LaneTerms + 1) * Math.Pow(2, -24));

    private static (float[] W, float[] G, float[] V) Operands(long n, int seed)
    {
        var random = new Random(seed);
        float Draw() => (float)((random.NextDouble() * 2) - 1);
        var w = new float[n];
        var g = new float[n];
        var v = new float[n];
        for (long i = 0; i < n; i++)
        {
            w[i] = Draw();
            g[i] = Draw();
            v[i] = Draw();
        }
        return (w, g, v);
    }

    // The definitions: for each index i of the [pre, rows, post] view, products and sums in float64 (exact products).
    internal static (double[] Values, double[] Scale) Reference(float[] w, float[] g, float[]? v, long pre, long rows, long post)
    {
        var values = new double[rows * MomentKernel.Width];
        var scale = new double[rows * MomentKernel.Width];
        for (long p = 0; p < pre; p++)
            for (long i = 0; i < rows; i++)
                for (long k = 0; k < post; k++)
                {
                    long at = (((p * rows) + i) * post) + k;
                    double a = w[at], b = g[at], c = v is null ? 0 : v[at];
                    double[] terms = [a * a, a * b, a * c, b * b, c * c, b * c, a, b, c];
                    for (int m = 0; m < MomentKernel.Width; m++)
                    {
                        values[(i * MomentKernel.Width) + m] += terms[m];
                        scale[(i * MomentKernel.Width) + m] += Math.Abs(terms[m]);
                    }
                }
        return (values, scale);
    }

    internal static void AssertMatches(double[] actual, (double[] Values, double[] Scale) expected, string what)
    {
        for (int j = 0; j < expected.Values.Length; j++)
        {
            double error = Math.Abs(actual[j] - expected.Values[j]);
            Assert.That(double.IsFinite(actual[j]) && error <= (LaneRounding * expected.Scale[j]) + double.Epsilon, Is.True,
                $"{what}: value {j} (index {j / MomentKernel.Width}, moment {j % MomentKernel.Width}) is {actual[j]:R}, defined {expected.Values[j]:R}");
        }
    }

    [TestCase(1, 5, 3072, TestName = "Runs: rows of a matrix")]
    [TestCase(1, 4, 845, TestName = "Runs: a length that is no multiple of 8")]
    [TestCase(3, 7, 16, TestName = "Runs: the shortest run, several pre blocks")]
    [TestCase(300, 37, 1, TestName = "Strips: columns, a tail of 5, several row blocks")]
    [TestCase(6, 10, 9, TestName = "Strips: conv inputs (post 9)")]
    [TestCase(1, 11, 1, TestName = "Strips: a vector")]
    [TestCase(65, 1, 3, TestName = "Strips: one index")]
    [TestCase(4, 3, 15, TestName = "Strips: the longest short run")]
    public void Compute_MatchesTheFloat64Definitions(long pre, long rows, long post)
    {
        var (w, g, v) = Operands(pre * rows * post, (int)(pre + (rows * 7) + (post * 13)));
        var actual = new double[rows * MomentKernel.Width];
        MomentKernel.Compute(() => w, () => g, () => v, pre, rows, post, actual);
        AssertMatches(actual, Reference(w, g, v, pre, rows, post), "with a buffer");
        MomentKernel.Compute(() => w, () => g, null, pre, rows, post, actual);
        AssertMatches(actual, Reference(w, g, null, pre, rows, post), "without a buffer");
    }

    [Test]
    public void Compute_AnyShape_MatchesTheDefinitions()
    {
        // Shapes of at most 64 000 elements stay on one thread (the split starts at 2¹⁸): the worker split is checked on large
        // tensors below, where it runs.
        var shapes = Gen.Select(Gen.Long[1, 40], Gen.Long[1, 40], Gen.Long[1, 40], Gen.Int[0, 1000]);
        shapes.Sample((pre, rows, post, seed) =>
        {
            var (w, g, v) = Operands(pre * rows * post, seed);
            var one = new double[rows * MomentKernel.Width];
            MomentKernel.Compute(() => w, () => g, () => v, pre, rows, post, one, threads: 1);
            AssertMatches(one, Reference(w, g, v, pre, rows, post), $"[{pre}, {rows}, {post}]");
        }, iter: 60);
    }

    [Test]
    public void Compute_LargeTensorOnSeveralWorkers_IsBitIdenticalToOne()
    {
        // Large enough (≥ 2¹⁸ elements) for the work to be split with the worker thread, in both walks.
        foreach (var (pre, rows, post) in new (long, long, long)[] { (1, 300, 1024), (520, 600, 1) })
        {
            var (w, g, v) = Operands(pre * rows * post, 5);
            var one = new double[rows * MomentKernel.Width];
            var two = new double[rows * MomentKernel.Width];
            MomentKernel.Compute(() => w, () => g, () => v, pre, rows, post, one, threads: 1);
            MomentKernel.Compute(() => w, () => g, () => v, pre, rows, post, two, threads: 2);
            Assert.That(two, Is.EqualTo(one), $"[{pre}, {rows}, {post}]");
            AssertMatches(one, Reference(w, g, v, pre, rows, post), $"[{pre}, {rows}, {post}]");
        }
    }

    [Test]
    public void Compute_LongOneSignedSum_StaysWithinTheLaneBound()
    {
        // 200 000 equal terms: a float32 running sum rounds the same way for long stretches and drifts by up to
        // ~K·2⁻²⁴ ≈ 1e-2 relative; the lanes' flush to float64 every LaneTerms products keeps it at the lane bound.
        const long n = 200_000;
        var w = Enumerable.Repeat(1.1f, (int)n).ToArray();
        var g = Enumerable.Repeat(0.7f, (int)n).ToArray();
        var v = Enumerable.Repeat(-1.3f, (int)n).ToArray();
        var actual = new double[MomentKernel.Width];
        MomentKernel.Compute(() => w, () => g, () => v, 1, 1, n, actual);
        AssertMatches(actual, Reference(w, g, v, 1, 1, n), "one long run");
        var columns = new double[MomentKernel.Width];
        MomentKernel.Compute(() => w, () => g, () => v, n, 1, 1, columns);
        AssertMatches(columns, Reference(w, g, v, n, 1, 1), "one long column");
    }

    [Test]
    public void Compute_NonFiniteInput_GivesNonFiniteMoments()
    {
        var (w, g, v) = Operands(64, 3);
        g[17] = float.NaN;
        var actual = new double[2 * MomentKernel.Width];
        MomentKernel.Compute(() => w, () => g, () => v, 1, 2, 32, actual);
        Assert.That(double.IsNaN(actual[MomentKernel.WG]), Is.True, "index 0 holds the NaN gradient: ⟨θ,g⟩ is NaN");
        Assert.That(double.IsFinite(actual[MomentKernel.Width + MomentKernel.WG]), Is.True, "index 1 does not");
    }

    [Test]
    public void Compute_WrongLengths_AreRejected()
    {
        var (w, g, v) = Operands(12, 1);
        var destination = new double[3 * MomentKernel.Width];
        Assert.That(() => MomentKernel.Compute(() => w, () => g, () => v, 1, 3, 5, destination), Throws.ArgumentException.With.Message.Contains("15"));
        Assert.That(() => MomentKernel.Compute(() => w, () => g, () => v, 1, 3, 4, new double[5]), Throws.ArgumentException.With.Message.Contains("destination"));
    }
}

/// <summary><see cref="MomentKernel.ComputeAndUpdate"/> on a tensor large enough to be split between two threads: the same
/// bits as on one, for the long-run and the strip path, and the same moments as <see cref="MomentKernel.Compute"/> of the
/// pre-update values.</summary>
[TestFixture]
public sealed class MomentKernelUpdateTests
{
    [TestCase(1L, 600L, 512L, TestName = "Split: rows")]
    [TestCase(600L, 512L, 1L, TestName = "Split: columns")]
    public void ComputeAndUpdate_SplitBetweenTwoThreads_GivesTheBitsOfOne(long pre, long rows, long post)
    {
        long n = pre * rows * post;
        var random = new Random(9);
        float[] Draw() => [.. Enumerable.Range(0, (int)n).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] w = Draw(), g = Draw(), v = Draw();
        var update = new HeavyBallUpdate(0.05f, 5e-4f, 0.9f, 1f, false, true, false, 1f);
        var (w1, v1, w2, v2) = ((float[])w.Clone(), (float[])v.Clone(), (float[])w.Clone(), (float[])v.Clone());
        var one = new double[rows * MomentKernel.Width];
        var two = new double[rows * MomentKernel.Width];
        MomentKernel.ComputeAndUpdate(() => w1, () => g, () => v1, pre, rows, post, one, update, threads: 1);
        MomentKernel.ComputeAndUpdate(() => w2, () => g, () => v2, pre, rows, post, two, update, threads: 2);
        Assert.That(two, Is.EqualTo(one), "moments");
        Assert.That(w2, Is.EqualTo(w1), "updated θ");
        Assert.That(v2, Is.EqualTo(v1), "updated v");
        Assert.That(w1, Is.Not.EqualTo(w), "θ moved");
        MomentKernelTests.AssertMatches(one, MomentKernelTests.Reference(w, g, v, pre, rows, post), "pre-update moments");
        // The update itself, element by element: v' = fma(1, d, round(0.9 v)), d = fma(k, θ, g); θ' = fma(−η, v', θ).
        for (int i = 0; i < n; i += 997)
        {
            float d = MathF.FusedMultiplyAdd(5e-4f, w[i], g[i]);
            float vn = MathF.FusedMultiplyAdd(1f, d, 0.9f * v[i]);
            Assert.That(v1[i], Is.EqualTo(vn), $"v'[{i}]");
            Assert.That(w1[i], Is.EqualTo(MathF.FusedMultiplyAdd(-0.05f, vn, w[i])), $"θ'[{i}]");
        }
    }

    /// <summary>
    /// The native walks (libnoether_moments.so, on libtorch's OpenMP threads) against the managed ones: the same bits for the
    /// moments and for the update, for every update option, rows and columns, one thread and two. Where the build made the
    /// library (a C++ compiler on the host) it must load: a missing load would silently cost the training loop its second
    /// core.
    /// </summary>
    [TestCase(1L, 40L, 256L, TestName = "Native: runs")]
    [TestCase(3L, 7L, 16L, TestName = "Native: shortest runs, three pre blocks")]
    [TestCase(37L, 64L, 1L, TestName = "Native: columns, a partial row block")]
    [TestCase(5L, 40L, 1L, TestName = "Native: columns of a small matrix")]
    [TestCase(6L, 8L, 9L, TestName = "Native: conv inputs (post 9)")]
    [TestCase(64L, 1024L, 1L, TestName = "Native: columns split over threads")]
    public void Native_GivesTheManagedBits_ForEveryUpdate(long pre, long rows, long post)
    {
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libnoether_moments.so");
        if (!File.Exists(library)) Assert.Ignore("libnoether_moments.so was not built here (no C++ compiler or patchelf): the managed kernel runs alone");
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported || !System.Runtime.Intrinsics.X86.Fma.IsSupported) Assert.Ignore("no AVX2/FMA: the native walks are not used");
        Assert.That(NativeMoments.Available, Is.True, "built here, so it loads");
        Assert.That(NativeMoments.Takes(rows, post), Is.True, "a shape the native walks take");
        long n = pre * rows * post;
        var random = new Random(11);
        float[] Draw() => [.. Enumerable.Range(0, (int)n).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] w = Draw(), g = Draw(), v = Draw();
        HeavyBallUpdate?[] updates =
        [
            null,
            new HeavyBallUpdate(0.05f, 5e-4f, 0.9f, 1f, false, true, false, 1f),
            new HeavyBallUpdate(0.05f, 0f, 0.5f, 0.7f, false, true, false, 1f),
            new HeavyBallUpdate(0.05f, 1e-2f, 0.9f, 1f, true, true, false, 1f),
            new HeavyBallUpdate(0.05f, 0f, 0.9f, 1f, false, true, false, 1f - (0.05f * 1e-2f)),
            new HeavyBallUpdate(0.05f, 5e-4f, 0.9f, 1f, false, true, true, 1f),
            new HeavyBallUpdate(0.05f, 5e-4f, 0f, 1f, false, false, false, 1f),
        ];
        foreach (var update in updates)
            foreach (int threads in new[] { 1, 2 })
            {
                var runs = new List<(double[] Moments, float[] W, float[] V)>();
                foreach (bool native in new[] { false, true })
                {
                    var (w1, v1) = ((float[])w.Clone(), (float[])v.Clone());
                    var moments = new double[rows * MomentKernel.Width];
                    if (update is { } u)
                        MomentKernel.ComputeAndUpdate(() => w1, () => g, u.HasBuffer ? () => v1 : null, pre, rows, post, moments, u, threads, native);
                    else MomentKernel.Compute(() => w1, () => g, () => v1, pre, rows, post, moments, threads, native: native);
                    runs.Add((moments, w1, v1));
                }
                string what = $"{update?.ToString() ?? "moments only"}, {threads} thread(s)";
                Assert.That(runs[1].Moments, Is.EqualTo(runs[0].Moments), what + ": moments");
                Assert.That(runs[1].W, Is.EqualTo(runs[0].W), what + ": updated θ");
                Assert.That(runs[1].V, Is.EqualTo(runs[0].V), what + ": updated v");
                if (update is not null) Assert.That(runs[1].W, Is.Not.EqualTo(w), what + ": θ moved");
            }
    }
}

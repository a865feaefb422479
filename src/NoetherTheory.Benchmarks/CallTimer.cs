using System.Diagnostics;

namespace NoetherTheory.Benchmarks;

/// <summary>The time of one call of a kernel: best and median over samples of a warm loop.</summary>
/// <param name="BestSeconds">Fastest sample, per call (what timeit's "best of" reports on the Python side).</param>
/// <param name="MedianSeconds">Median sample, per call.</param>
/// <param name="Calls">Calls timed in all samples (warm-up not counted).</param>
internal sealed record CallTiming(double BestSeconds, double MedianSeconds, long Calls);

/// <summary>
/// Times a kernel <c>f(inputs, outputs)</c> with a Stopwatch loop: a warm-up long enough for tiered JIT to install the
/// optimised code, then samples of a fixed batch of calls, each sample at least <see cref="MinSampleSeconds"/> long.
/// </summary>
/// <remarks>BenchmarkDotNet would add overhead subtraction and outlier statistics, but needs a separate process per
/// benchmark and ~20 s per case; for kernels of 10 ns to 100 µs called with arrays a warm loop of ≥ 1e5 calls is
/// precise to a few percent, which is far below the ratios reported.</remarks>
internal static class CallTimer
{
    /// <summary>Warm-up wall time. .NET's tiered compilation promotes a method after 30 calls plus a 100 ms back-off,
    /// and dynamic PGO recompiles it once more; 0.3 s covers both.</summary>
    public const double WarmUpSeconds = 0.3;

    /// <summary>Minimum length of one timed sample (Stopwatch resolution is ~100 ns; 20 ms keeps it below 1e-5).</summary>
    public const double MinSampleSeconds = 0.02;

    /// <summary>Number of timed samples (best and median are taken over them).</summary>
    public const int Samples = 7;

    /// <summary>Minimum number of timed calls in all samples together.</summary>
    public const long MinCalls = 100_000;

    public static CallTiming Measure(Action<double[], double[]> kernel, double[] inputs, double[] outputs)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        long batch = 1;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < WarmUpSeconds)
        {
            for (long i = 0; i < batch; i++) kernel(inputs, outputs);
            batch = Math.Min(batch * 2, 1 << 20);
        }
        // Calibrate: the smallest batch whose run takes at least MinSampleSeconds.
        batch = 1;
        while (true)
        {
            clock.Restart();
            for (long i = 0; i < batch; i++) kernel(inputs, outputs);
            if (clock.Elapsed.TotalSeconds >= MinSampleSeconds) break;
            batch *= 2;
        }
        batch = Math.Max(batch, (MinCalls + Samples - 1) / Samples);
        var perCall = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            clock.Restart();
            for (long i = 0; i < batch; i++) kernel(inputs, outputs);
            perCall[s] = clock.Elapsed.TotalSeconds / batch;
        }
        Array.Sort(perCall);
        return new CallTiming(perCall[0], perCall[Samples / 2], batch * Samples);
    }
}

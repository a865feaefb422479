using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// <see cref="MomentKernel"/>'s float32 walks in native code (native/moment_kernel.cpp, built into libnoether_moments.so
/// beside libtorch), split over libtorch's own OpenMP threads. In the training loop the managed kernel's second thread
/// gains nothing, because libtorch's OpenMP threads spin after every operation and hold the core it needs; the native
/// library runs its parallel region on those threads. The same arithmetic operation for operation (the update bit for bit,
/// the moments too: each index or element is summed in the same order), for the shapes without scalar tails; the managed
/// kernel does everything else, and everything where the library was not built (no C++ compiler), cannot be loaded, or
/// the CPU lacks AVX2 and FMA.
/// </summary>
public static class NativeMoments
{
    private const string LibraryName = "libnoether_moments.so";

    [StructLayout(LayoutKind.Sequential)]
    private struct UpdateArgs
    {
        public int Enabled;
        public float LearningRate;
        public float CoupledDecay;
        public float Momentum;
        public float BufferScale;
        public int Nesterov;
        public int HasBuffer;
        public int FirstStep;
        public float DecoupledFactor;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void RunsFunction(ref float x, ref float y, ref float z, long pre, long rows, long post, ref double destination, ref UpdateArgs update, int threads);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void StripsFunction(ref float x, ref float y, ref float z, long pre, long length, ref double totals, ref UpdateArgs update, int threads);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SupportedFunction();

    private static readonly RunsFunction? s_runs;
    private static readonly StripsFunction? s_strips;

    static NativeMoments()
    {
        if (!OperatingSystem.IsLinux() || !Avx2.IsSupported || !Fma.IsSupported) return;
        foreach (string dir in new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), AppContext.BaseDirectory })
        {
            string path = Path.Combine(dir, LibraryName);
            if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "noether_moments_runs", out var runs)
                || !NativeLibrary.TryGetExport(handle, "noether_moments_strips", out var strips)
                || !NativeLibrary.TryGetExport(handle, "noether_moments_supported", out var supported)
                || Marshal.GetDelegateForFunctionPointer<SupportedFunction>(supported)() != 1)
                return;
            s_runs = Marshal.GetDelegateForFunctionPointer<RunsFunction>(runs);
            s_strips = Marshal.GetDelegateForFunctionPointer<StripsFunction>(strips);
            Available = true;
            return;
        }
    }

    /// <summary>Whether the native walks are loaded (tests compare them with the managed ones where they are).</summary>
    public static bool Available { get; }

    /// <summary>Whether the native walks take the shape: long runs of a multiple of 8 (<see cref="TryRuns"/>), or a strip walk
    /// over a multiple of 8 elements (<see cref="TryStrips"/>); the managed kernel's scalar tails are left to it.</summary>
    public static bool Takes(long rows, long post) =>
        Available && (post >= MomentKernel.LongRun ? post % 8 == 0 : rows * post % 8 == 0);

    /// <summary>The managed long-run walk natively (post ≥ <see cref="MomentKernel.LongRun"/>): index i's moments added into
    /// destination[i·9 …] with <paramref name="update"/> applied (null: moments only); false where <see cref="Takes"/> is
    /// false (nothing done).</summary>
    internal static bool TryRuns(Span<float> x, ReadOnlySpan<float> y, Span<float> z, long pre, long rows, long post, double[] destination,
        HeavyBallUpdate? update, int threads)
    {
        if (post < MomentKernel.LongRun || !Takes(rows, post)) return false;
        var args = Args(update);
        s_runs!(ref MemoryMarshal.GetReference(x), ref Unsafe.AsRef(in MemoryMarshal.GetReference(y)), ref MemoryMarshal.GetReference(z),
            pre, rows, post, ref MemoryMarshal.GetArrayDataReference(destination), ref args, threads);
        return true;
    }

    /// <summary>The managed strip walk natively (post &lt; <see cref="MomentKernel.LongRun"/>): totals[m·length + j] set to
    /// moment m of element j of the [rows·post] blocks over the pre ≥ 1 blocks, with <paramref name="update"/> applied;
    /// false where <see cref="Takes"/> is false (nothing done).</summary>
    internal static bool TryStrips(Span<float> x, ReadOnlySpan<float> y, Span<float> z, long pre, long rows, long post, double[] totals,
        HeavyBallUpdate? update, int threads)
    {
        if (post >= MomentKernel.LongRun || !Takes(rows, post)) return false;
        var args = Args(update);
        s_strips!(ref MemoryMarshal.GetReference(x), ref Unsafe.AsRef(in MemoryMarshal.GetReference(y)), ref MemoryMarshal.GetReference(z),
            pre, rows * post, ref MemoryMarshal.GetArrayDataReference(totals), ref args, threads);
        return true;
    }

    // The update as the natives read it (disabled: moments only). The references passed pin the spans for the call; y is
    // read only on the native side.
    private static UpdateArgs Args(HeavyBallUpdate? update) => update is { } u
        ? new UpdateArgs
        {
            Enabled = 1, LearningRate = u.LearningRate, CoupledDecay = u.CoupledDecay, Momentum = u.Momentum, BufferScale = u.BufferScale,
            Nesterov = u.Nesterov ? 1 : 0, HasBuffer = u.HasBuffer ? 1 : 0, FirstStep = u.FirstStep ? 1 : 0, DecoupledFactor = u.DecoupledFactor,
        }
        : default;
}

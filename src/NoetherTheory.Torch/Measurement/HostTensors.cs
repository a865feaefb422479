using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Measurement;

/// <summary>Reading CPU tensors' storage in place for <see cref="MomentKernel"/>.</summary>
internal static class HostTensors
{
    /// <summary>Whether the host kernels may read <paramref name="tensors"/>: all on the CPU and float32.</summary>
    public static bool Readable(IEnumerable<Tensor> tensors) =>
        tensors.All(t => t.device_type == TorchSharp.DeviceType.CPU && t.dtype == ScalarType.Float32);

    /// <summary>The tensor itself when its storage is already in order (no new handle), else a contiguous copy (in the
    /// caller's dispose scope).</summary>
    public static Tensor Contiguous(Tensor t) => t.is_contiguous() ? t : t.detach().contiguous();

    /// <summary>The float32 storage of a contiguous CPU tensor, in place, for writing (bypasses autograd's version counter:
    /// only for tensors no graph holds, as an optimizer's parameters after backward).</summary>
    public static Span<float> Writable(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>A new float64 CPU tensor holding <paramref name="values"/>, allocated by libtorch and filled in place
    /// (<c>torch.tensor(double[])</c> keeps a pinned managed copy instead, a large object per call for long vectors, whose churn
    /// at every measured step brought full collections).</summary>
    public static Tensor Float64(ReadOnlySpan<double> values)
    {
        var t = empty(values.Length, dtype: ScalarType.Float64);
        values.CopyTo(MemoryMarshal.Cast<byte, double>(t.bytes));
        return t;
    }

    /// <summary>The float32 storage of a contiguous CPU tensor, in place.</summary>
    public static ReadOnlySpan<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>The float64 storage of a contiguous CPU float64 tensor, in place, for reading and writing (only for tensors no
    /// graph holds, as the training step's accumulators).</summary>
    public static Span<double> DoublesInPlace(Tensor t) => MemoryMarshal.Cast<byte, double>(t.bytes);

    /// <summary>The float64 storage of a CPU float64 tensor (a contiguous copy first where it is not in order).</summary>
    public static ReadOnlySpan<double> Doubles(Tensor t) => MemoryMarshal.Cast<byte, double>(Contiguous(t).bytes);

    /// <summary><see cref="MomentKernel.Compute"/> on CPU float32 tensors read in place (contiguous copies, in the caller's
    /// dispose scope, where they are not in order); <paramref name="velocity"/> null: v = 0. As many threads as libtorch's
    /// (the native walks run on its OpenMP threads; the results do not depend on the count).</summary>
    public static void Moments(Tensor weights, Tensor gradients, Tensor? velocity, long pre, long rows, long post, double[] destination, bool exact = false)
    {
        var (x, g, v) = (Contiguous(weights), Contiguous(gradients), velocity is null ? null : Contiguous(velocity));
        MomentKernel.Compute(() => Floats(x), () => Floats(g), v is null ? null : () => Floats(v), pre, rows, post, destination,
            threads: exact ? 1 : get_num_threads(), exact: exact);
    }
}

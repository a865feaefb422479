using NoetherTheory.Torch.Runtime;
using TorchSharp;

namespace NoetherTheory.Torch.Benchmarks;

/// <summary>What the benchmarks need to know about libtorch, as plain managed values (the Benchmarks assembly does not
/// reference TorchSharp).</summary>
public static class BenchmarkRuntime
{
    /// <summary>libtorch's intra-op thread count (what the PyTorch reference is pinned to on the CPU).</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public static int IntraOpThreads()
    {
        TorchRuntime.Require();
        return torch.get_num_threads();
    }

    /// <summary>Loads libtorch and resolves a device name (cpu, cuda, cuda:i); returns the device as libtorch names it.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded, or the device is not available.</exception>
    public static string RequireDevice(string device)
    {
        TorchRuntime.Require();
        return TorchRuntime.ResolveDevice(device).ToString();
    }
}

using System.Runtime.InteropServices;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Torch.Tests;

/// <summary>Decides whether a missing libtorch is a failure (CPU package present here) or a reason to skip.</summary>
internal static class TorchTestEnvironment
{
    /// <summary>True on linux-x64 when the TorchSharp-cpu natives were copied next to the tests.</summary>
    public static bool CpuPackagePresent =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 &&
        File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so"));

    /// <summary>Loads TorchSharp; fails the calling test where it must load, otherwise marks it ignored.</summary>
    public static TorchRuntimeInfo RequireTorch()
    {
        if (TorchRuntime.TryLoad(out var info)) return info;
        if (CpuPackagePresent)
            Assert.Fail("TorchSharp failed to load although the CPU natives are present:" + Environment.NewLine + info.Trace);
        Assert.Ignore("libtorch unavailable on this machine:" + Environment.NewLine + info.Trace);
        return info;
    }

    /// <summary>Loads TorchSharp and requires CUDA; ignores the test without a GPU.</summary>
    public static TorchRuntimeInfo RequireCuda()
    {
        var info = RequireTorch();
        if (!info.CudaAvailable) Assert.Ignore("no CUDA device: GPU test not run");
        return info;
    }
}

namespace NoetherTheory.Torch.Runtime;

/// <summary>What <see cref="TorchRuntime.TryLoad(out TorchRuntimeInfo)"/> found and did.</summary>
/// <param name="Loaded">TorchSharp and libtorch are loaded and a tensor operation succeeded.</param>
/// <param name="Trace">Every step tried, in order, with its outcome (multi-line; print it when a load fails).</param>
/// <param name="NativeDirectory">The folder holding libLibTorchSharp.so ("" when none was found).</param>
/// <param name="LibTorchSource">Where libtorch came from: the bundled CPU natives, NOETHER_LIBTORCH_DIR or LD_LIBRARY_PATH.</param>
/// <param name="LibTorchDirectory">The folder libtorch was loaded from ("" when none was found).</param>
/// <param name="CompatStepApplied">Whether the build's libstdc++ compatibility step patched this libLibTorchSharp.so.</param>
/// <param name="TorchSharpVersion">The managed TorchSharp assembly version.</param>
/// <param name="LibTorchVersion">libtorch's version: PyTorch's torch/version.py for a host libtorch, else the version
/// TorchSharp was built against.</param>
/// <param name="CudaAvailable">libtorch reports a usable CUDA device.</param>
/// <param name="CudaDeviceCount">Number of CUDA devices (0 without CUDA).</param>
/// <param name="DeviceName">The first GPU's model name where the driver exposes it, else null.</param>
public sealed record TorchRuntimeInfo(
    bool Loaded,
    string Trace,
    string NativeDirectory,
    string LibTorchSource,
    string LibTorchDirectory,
    bool CompatStepApplied,
    string TorchSharpVersion,
    string LibTorchVersion,
    bool CudaAvailable,
    int CudaDeviceCount,
    string? DeviceName);

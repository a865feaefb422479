using System.CommandLine;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>--tf32</c>: let CUDA convolutions and matmuls use TF32 (default: strict float32; no effect on the CPU).</summary>
internal sealed class Tf32Option : Option<bool>
{
    public Tf32Option() : base("--tf32")
    {
        Description = "CUDA only: let cuDNN convolutions and cuBLAS matmuls use TF32 (faster; the filter-level identities then hold " +
            "only to ≈ 1e-3). Default: strict float32";
    }

    /// <summary>Resolves <paramref name="device"/> and applies the precision; returns it in words.</summary>
    /// <exception cref="UsageException">The device is unavailable (no CUDA, libtorch missing).</exception>
    public static string Apply(string device, bool tf32)
    {
        try
        {
            return TorchRuntime.ConfigureNamedDevice(device, tf32);
        }
        catch (TorchUnavailableException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

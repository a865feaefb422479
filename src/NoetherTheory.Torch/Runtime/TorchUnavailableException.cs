namespace NoetherTheory.Torch.Runtime;

/// <summary>
/// libtorch or TorchSharp's native library could not be loaded, or a requested device (CUDA) is not present.
/// The message carries the whole load trace of <see cref="TorchRuntime.TryLoad(out TorchRuntimeInfo)"/>: what
/// was tried, what failed and how to fix it.
/// </summary>
public sealed class TorchUnavailableException : NoetherTheoryException
{
    /// <summary>Creates the exception from a load result.</summary>
    public TorchUnavailableException(string message, TorchRuntimeInfo info)
        : base(message + Environment.NewLine + info.Trace) => Info = info;

    /// <summary>Creates the exception with a message.</summary>
    public TorchUnavailableException(string message) : base(message) => Info = null;

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TorchUnavailableException(string message, Exception innerException) : base(message, innerException) => Info = null;

    /// <summary>Creates the exception with a default message.</summary>
    public TorchUnavailableException() : base("libtorch is unavailable.") => Info = null;

    /// <summary>The load result, when the exception comes from the runtime loader.</summary>
    public TorchRuntimeInfo? Info { get; }
}

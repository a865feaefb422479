using System.Globalization;
using System.Runtime.InteropServices;
using NoetherTheory.Torch.Runtime;
using TorchSharp;

namespace NoetherTheory.Torch.Diagnostics;

/// <summary>The versions doctor prints: libtorch (host and the one TorchSharp was built for), CUDA, cuDNN.</summary>
/// <remarks>TorchSharp 0.107 exposes neither torch.version.cuda nor cudnn.version(): the CUDA version is read from PyTorch's
/// torch/version.py next to a host libtorch, and the cuDNN version from <c>cudnnGetVersion</c> of the libcudnn that
/// libtorch_cuda already loaded. Whatever cannot be found is reported as "unknown", never guessed.</remarks>
internal static class RuntimeFacts
{
    // torch.__version__ of TorchSharp is the libtorch its native layer was compiled against.
    public static KeyValuePair<string, string>[] Collect(TorchRuntimeInfo info)
    {
        var facts = new List<KeyValuePair<string, string>>
        {
            new("load-trace", info.Trace.TrimEnd()),
            new("torchsharp", info.TorchSharpVersion),
            new("libtorch", info.LibTorchVersion),
            new("libtorch-built-for", torch.__version__),
            new("libtorch-source", $"{info.LibTorchSource}: {info.LibTorchDirectory}"),
            new("cuda-available", info.CudaAvailable ? "yes" : "no"),
            new("cuda-devices", info.CudaDeviceCount.ToString(CultureInfo.InvariantCulture)),
            new("cuda-device-name", info.DeviceName ?? (info.CudaAvailable ? "unknown" : "none")),
            new("cuda-version", HostVersionField(info.LibTorchDirectory, "cuda") ?? (info.CudaAvailable ? "unknown" : "none")),
        };
        bool cudnn = info.CudaAvailable && CudnnAvailable();
        facts.Add(new("cudnn-available", info.CudaAvailable ? (cudnn ? "yes" : "no") : "no (no CUDA)"));
        facts.Add(new("cudnn-version", cudnn ? CudnnVersion() ?? "unknown" : "none"));
        return [.. facts];
    }

    private static bool CudnnAvailable()
    {
        try
        {
            return torch.cuda.is_cudnn_available();
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint CudnnGetVersion();

    // cudnnGetVersion() = major·10000 + minor·100 + patch from cuDNN 9 on (major·1000 + minor·100 + patch before).
    private static string? CudnnVersion()
    {
        foreach (string name in new[] { "libcudnn.so.9", "libcudnn.so.8", "libcudnn.so" })
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cudnnGetVersion", out nint export)) continue;
            ulong v = Marshal.GetDelegateForFunctionPointer<CudnnGetVersion>(export)();
            ulong major = v >= 90000 ? v / 10000 : v / 1000, rest = v >= 90000 ? v % 10000 : v % 1000;
            return string.Create(CultureInfo.InvariantCulture, $"{major}.{rest / 100}.{rest % 100} ({name}, cudnnGetVersion = {v})");
        }
        return null;
    }

    // PyTorch wheels keep torch/version.py one level above torch/lib: cuda = '12.8'.
    private static string? HostVersionField(string libDir, string field)
    {
        if (libDir.Length == 0) return null;
        string file = Path.Combine(libDir, "..", "version.py");
        if (!File.Exists(file)) return null;
        foreach (string line in File.ReadLines(file))
        {
            string l = line.Trim();
            if (!l.StartsWith(field, StringComparison.Ordinal)) continue;
            int eq = l.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || l[..eq].Trim() != field) continue;
            string value = l[(eq + 1)..].Split(':')[0].Trim().Trim('\'', '"');
            return value is "None" or "" ? null : value;
        }
        return null;
    }
}

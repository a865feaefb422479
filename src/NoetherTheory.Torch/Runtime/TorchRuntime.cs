using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace NoetherTheory.Torch.Runtime;

/// <summary>
/// Loads libtorch and TorchSharp's native library once per process and explains any failure.
/// </summary>
/// <remarks>
/// <para>Where libtorch comes from, in order: the folder named by <c>NOETHER_LIBTORCH_DIR</c> (for example PyTorch's
/// <c>torch/lib</c> on a CUDA machine), the CPU natives that the TorchSharp-cpu package copies next to the program, and
/// the folders of <c>LD_LIBRARY_PATH</c>. The libtorch libraries are loaded by absolute path first so that the later
/// load of <c>libLibTorchSharp.so</c> binds to them by soname.</para>
/// <para>On hosts whose libstdc++ predates GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04) the build patches its copy of
/// <c>libLibTorchSharp.so</c> (eng/NoetherTheory.TorchCompat.targets); a stamp file next to it records that, and a
/// load failure that mentions GLIBCXX_3.4.32 is explained with the fix.</para>
/// <para>TorchSharp 0.107 exposes neither autocast (mixed precision) nor memory formats (channels_last), so the engine
/// trains in float32, NCHW.</para>
/// </remarks>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a folder with a host libtorch (libtorch.so, libtorch_cpu.so, …).</summary>
    public const string LibTorchDirectoryVariable = "NOETHER_LIBTORCH_DIR";

    /// <summary>File the build's compatibility step writes next to the patched libLibTorchSharp.so.</summary>
    public const string CompatStampFileName = "noether-torch-compat.txt";

    private const string TorchSharpNative = "libLibTorchSharp.so";

    // libtorch's own libraries in dependency order; the CUDA ones are optional.
    private static readonly (string Name, bool Required)[] LibTorchLibraries =
    [
        ("libc10.so", true), ("libc10_cuda.so", false), ("libtorch_cpu.so", true), ("libtorch_cuda.so", false), ("libtorch.so", true),
    ];

    private static readonly Lazy<TorchRuntimeInfo> Result = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the runtime (once per process) and reports what happened.</summary>
    /// <param name="info">The load result, with the full trace on failure.</param>
    /// <returns>Whether TorchSharp is usable.</returns>
    public static bool TryLoad(out TorchRuntimeInfo info)
    {
        info = Result.Value;
        return info.Loaded;
    }

    /// <summary>Loads the runtime or throws an exception that explains why it cannot.</summary>
    /// <exception cref="TorchUnavailableException">libtorch or TorchSharp's native library could not be loaded.</exception>
    public static TorchRuntimeInfo Require()
    {
        if (!TryLoad(out var info))
            throw new TorchUnavailableException("TorchSharp could not be loaded.", info);
        return info;
    }

    /// <summary>Resolves a device name ("cpu", "cuda", "cuda:1") after checking that the runtime supports it.</summary>
    /// <exception cref="TorchUnavailableException">The runtime is missing, or CUDA was asked for and is unavailable.</exception>
    /// <exception cref="ArgumentException">The name is not cpu or cuda[:index].</exception>
    public static torch.Device ResolveDevice(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var info = Require();
        string n = name.Trim().ToLowerInvariant();
        if (n == "cpu") return torch.CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!info.CudaAvailable)
                throw new TorchUnavailableException(
                    $"Device '{name}' was requested but libtorch reports no CUDA device. Use --device cpu, or run with a CUDA " +
                    $"build of libtorch (set {LibTorchDirectoryVariable} to PyTorch's torch/lib; see scripts/gpu-run.sh).", info);
            return torch.device(n);
        }
        throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:<index>.", nameof(name));
    }

    /// <summary>Resolves the device named <paramref name="deviceName"/> (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) and applies
    /// <see cref="ConfigurePrecision"/> to it: the entry for callers that hold no TorchSharp types (the CLI).</summary>
    /// <returns>The precision in words, for logs and summaries.</returns>
    /// <exception cref="TorchUnavailableException">libtorch did not load or the device is not available.</exception>
    public static string ConfigureNamedDevice(string deviceName, bool tf32) => ConfigurePrecision(ResolveDevice(deviceName), tf32);

    /// <summary>Chooses the float32 arithmetic of CUDA convolutions and matmuls for this process: with
    /// <paramref name="tf32"/> cuDNN convolutions and cuBLAS float32 matmuls may use TF32 (10-bit mantissa products, faster
    /// on Ampere and later); without it they are strict float32. libtorch's own default is TF32 for cuDNN convolutions, so
    /// a CUDA run that never calls this is not strict. No effect on the CPU.</summary>
    /// <remarks>Process-wide (libtorch keeps one flag): concurrent runs in one process share it. The filter-level identities
    /// (theory/05-learning-dynamics.md#eq-5-7) are checked at float32 round-off and need strict float32.</remarks>
    /// <returns>The precision in words, for logs and summaries.</returns>
    public static string ConfigurePrecision(torch.Device device, bool tf32)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != DeviceType.CUDA) return "float32";
        torch.backends.cudnn.allow_tf32 = tf32;
        torch.backends.cuda.matmul.allow_tf32 = tf32;
        return tf32 ? "tf32 (cuDNN convolutions, cuBLAS matmuls)" : "float32 (TF32 off)";
    }

    /// <summary>Environment variable through which OpenMP (and so libtorch) takes its CPU thread count.</summary>
    public const string OpenMpThreadsVariable = "OMP_NUM_THREADS";

    /// <summary>Chooses libtorch's CPU (intra-op) thread count for this process, for <paramref name="jobs"/> runs training at
    /// once: <paramref name="threads"/> when given; else what <c>OMP_NUM_THREADS</c> set, when it is set; else the cores
    /// divided among the jobs (at least 1). libtorch's own default is one thread per core for every run, so concurrent runs
    /// oversubscribe the cores, and its waiting threads spin: on cores shared with other work a run then slows many-fold.</summary>
    /// <remarks>libtorch keeps the count process-wide, but OpenMP keeps it per thread, and a thread reads the process-wide
    /// count only the first time it runs a parallel operation: a run on a reused worker thread must call
    /// <see cref="UseThreads"/> on that thread (ExperimentRunner does, per cell).</remarks>
    /// <param name="threads">The count asked for (null: choose).</param>
    /// <param name="jobs">Runs that will train concurrently in this process (≥ 1).</param>
    /// <returns>The count, and the count in words for logs and summaries.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> or <paramref name="jobs"/> is below 1.</exception>
    /// <exception cref="TorchUnavailableException">libtorch did not load.</exception>
    public static (int Count, string Words) ConfigureThreads(int? threads, int jobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        if (threads is { } t) ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(threads));
        Require();
        string source;
        int n;
        if (threads is { } asked)
        {
            n = asked;
            source = "--threads";
        }
        else if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OpenMpThreadsVariable)))
        {
            n = torch.get_num_threads();
            source = OpenMpThreadsVariable;
        }
        else
        {
            n = ThreadsPerJob(Environment.ProcessorCount, jobs);
            source = jobs == 1 ? "one per core" : $"{Environment.ProcessorCount} cores / {jobs} concurrent runs";
        }
        UseThreads(n);
        return (n, string.Create(CultureInfo.InvariantCulture, $"{n} CPU thread{(n == 1 ? "" : "s")} per run ({source})"));
    }

    /// <summary>Sets libtorch's CPU thread count, process-wide and for the calling thread.</summary>
    /// <param name="threads">The count (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    /// <exception cref="TorchUnavailableException">libtorch did not load.</exception>
    public static void UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Require();
        torch.set_num_threads(threads);
    }

    /// <summary>The cores divided among concurrent runs, rounded down, at least 1.</summary>
    /// <param name="cores">Cores of the machine.</param>
    /// <param name="jobs">Concurrent runs.</param>
    public static int ThreadsPerJob(int cores, int jobs) => Math.Max(1, cores / Math.Max(1, jobs));

    private static TorchRuntimeInfo Load()
    {
        var trace = new StringBuilder();
        void Log(string line) => trace.AppendLine(line);
        string torchSharpVersion = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        Log($"TorchSharp {torchSharpVersion} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture}).");

        TorchRuntimeInfo Fail(string why, string nativeDir = "", string source = "", string libDir = "", bool compat = false)
        {
            Log("FAILED: " + why);
            return new TorchRuntimeInfo(false, trace.ToString(), nativeDir, source, libDir, compat, torchSharpVersion,
                torch.__version__, false, 0, null);
        }

        if (!Environment.Is64BitProcess) return Fail("TorchSharp needs a 64-bit process.");
        if (!OperatingSystem.IsLinux())
            return InitialiseAndProbe(trace, Log, "", "package natives (not Linux: the loader's Linux checks were skipped)", "", false, torchSharpVersion, Fail);

        // 1. libLibTorchSharp.so: next to the program (RID-specific publish) or under runtimes/linux-x64/native.
        var nativeCandidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
            AppContext.BaseDirectory,
            Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
        };
        string? nativeDir = null;
        foreach (string dir in nativeCandidates)
        {
            bool found = File.Exists(Path.Combine(dir, TorchSharpNative));
            Log($"  look for {TorchSharpNative} in {dir}: {(found ? "found" : "absent")}");
            if (found) { nativeDir = Path.GetFullPath(dir); break; }
        }
        if (nativeDir is null)
            return Fail($"{TorchSharpNative} is not in the program's folders. The TorchSharp package did not reach this output; " +
                        "rebuild the project that references NoetherTheory.Torch.");

        string stamp = Path.Combine(nativeDir, CompatStampFileName);
        bool compat = File.Exists(stamp);
        Log(compat
            ? $"  libstdc++ compatibility step: applied ({string.Join("; ", File.ReadAllLines(stamp).Where(l => l.StartsWith("reason:", StringComparison.Ordinal)))})"
            : "  libstdc++ compatibility step: not applied (the build found GLIBCXX_3.4.32 on the build host, or NoetherTorchCompat=never)");

        // 2. libtorch: NOETHER_LIBTORCH_DIR, then bundled CPU natives, then LD_LIBRARY_PATH.
        string? env = Environment.GetEnvironmentVariable(LibTorchDirectoryVariable);
        string source, libDir;
        if (!string.IsNullOrWhiteSpace(env))
        {
            libDir = Path.GetFullPath(env);
            source = LibTorchDirectoryVariable;
            Log($"  {LibTorchDirectoryVariable}={env}");
            if (!File.Exists(Path.Combine(libDir, "libtorch.so")))
                return Fail($"{LibTorchDirectoryVariable}={env} holds no libtorch.so. Point it at a libtorch lib folder, e.g. " +
                            "$(python3 -c \"import torch,os;print(os.path.dirname(torch.__file__))\")/lib.", nativeDir, source, libDir, compat);
        }
        else if (File.Exists(Path.Combine(nativeDir, "libtorch_cpu.so")))
        {
            libDir = nativeDir;
            source = "bundled TorchSharp-cpu natives";
        }
        else
        {
            string? ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            Log($"  no bundled libtorch; LD_LIBRARY_PATH={ld ?? "(unset)"}");
            libDir = (ld ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so"))) ?? "";
            source = "LD_LIBRARY_PATH";
            if (libDir.Length == 0)
                return Fail("No libtorch found: this build has no CPU natives (NoetherTorchNatives=none) and neither " +
                            $"{LibTorchDirectoryVariable} nor LD_LIBRARY_PATH names a folder with libtorch.so. Set {LibTorchDirectoryVariable} " +
                            "to PyTorch's torch/lib, or rebuild without -p:NoetherTorchNatives=none.", nativeDir, "", "", compat);
        }
        Log($"  libtorch from {source}: {libDir}");
        foreach (var (name, required) in LibTorchLibraries)
        {
            string path = Path.Combine(libDir, name);
            if (!File.Exists(path))
            {
                if (required) return Fail($"{path} is missing: the libtorch folder is incomplete.", nativeDir, source, libDir, compat);
                Log($"  {name}: absent (optional)");
                continue;
            }
            if (!TryLoadLibrary(path, Log, out string error))
                return Fail($"loading {path} failed: {error}", nativeDir, source, libDir, compat);
        }

        // 3. TorchSharp's native library; its DT_NEEDED libtorch entries bind to the libraries loaded above.
        string torchSharpPath = Path.Combine(nativeDir, TorchSharpNative);
        if (!TryLoadLibrary(torchSharpPath, Log, out string tsError))
        {
            string hint = tsError.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal)
                ? " This host's libstdc++ lacks GLIBCXX_3.4.32 and the build's compatibility step was not applied to this copy: " +
                  "install patchelf and gcc and rebuild (the step runs automatically), or build with -p:NoetherTorchCompat=always."
                : "";
            return Fail($"loading {torchSharpPath} failed: {tsError}.{hint}", nativeDir, source, libDir, compat);
        }
        return InitialiseAndProbe(trace, Log, nativeDir, source, libDir, compat, torchSharpVersion, Fail);
    }

    private static TorchRuntimeInfo InitialiseAndProbe(StringBuilder trace, Action<string> log, string nativeDir, string source,
        string libDir, bool compat, string torchSharpVersion, Func<string, string, string, string, bool, TorchRuntimeInfo> fail)
    {
        // 4. TorchSharp's own initialisation, then one real tensor operation.
        try
        {
            if (!torch.TryInitializeDeviceType(DeviceType.CPU))
                return fail("torch.TryInitializeDeviceType(CPU) returned false.", nativeDir, source, libDir, compat);
            using var t = torch.arange(4, dtype: torch.float32);
            float sum = t.sum().item<float>();
            log($"  tensor check: sum(0..3) = {sum.ToString(CultureInfo.InvariantCulture)}");
            if (sum != 6f) return fail($"tensor check returned {sum} instead of 6.", nativeDir, source, libDir, compat);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException
                                      or InvalidOperationException or TypeInitializationException or ExternalException)
        {
            return fail($"TorchSharp initialisation threw {e.GetType().Name}: {e.Message}", nativeDir, source, libDir, compat);
        }

        bool cuda = false;
        int count = 0;
        try
        {
            cuda = torch.cuda.is_available();
            count = cuda ? torch.cuda.device_count() : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException or ExternalException)
        {
            log($"  CUDA probe threw {e.GetType().Name}: {e.Message}");
        }
        string? deviceName = cuda ? NvidiaDeviceName() : null;
        log($"  CUDA: {(cuda ? $"available, {count} device(s){(deviceName is null ? "" : ", " + deviceName)}" : "not available")}");
        string version = HostTorchVersion(libDir) ?? torch.__version__;
        log($"  libtorch version: {version}");
        log("Loaded.");
        return new TorchRuntimeInfo(true, trace.ToString(), nativeDir, source, libDir, compat, torchSharpVersion, version, cuda, count, deviceName);
    }

    private static bool TryLoadLibrary(string path, Action<string> log, out string error)
    {
        try
        {
            NativeLibrary.Load(path);
            log($"  load {path}: ok");
            error = "";
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            error = e.Message;
            log($"  load {path}: {e.Message}");
            return false;
        }
    }

    // PyTorch wheels keep torch/version.py one level above torch/lib: __version__ = '2.11.0+cu128'.
    private static string? HostTorchVersion(string libDir)
    {
        if (libDir.Length == 0) return null;
        string file = Path.Combine(libDir, "..", "version.py");
        if (!File.Exists(file)) return null;
        foreach (string line in File.ReadLines(file))
        {
            string l = line.Trim();
            if (!l.StartsWith("__version__", StringComparison.Ordinal)) continue;
            int eq = l.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? null : l[(eq + 1)..].Trim().Trim('\'', '"');
        }
        return null;
    }

    // TorchSharp 0.107 has no get_device_name; the NVIDIA driver exposes it under /proc.
    private static string? NvidiaDeviceName()
    {
        const string root = "/proc/driver/nvidia/gpus";
        if (!Directory.Exists(root)) return null;
        foreach (string dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            string file = Path.Combine(dir, "information");
            if (!File.Exists(file)) continue;
            string? model = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("Model:", StringComparison.Ordinal));
            if (model is not null) return model["Model:".Length..].Trim();
        }
        return null;
    }
}

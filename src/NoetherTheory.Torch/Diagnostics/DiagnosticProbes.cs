using System.Runtime.InteropServices;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Diagnostics;

/// <summary>
/// The probes of <c>noether doctor</c>: each kind of libtorch operation the trainer uses, once, in the order the trainer
/// meets them, plus a deliberate error per device (an operation libtorch must reject, which must arrive as a managed
/// exception). Each probe runs alone (<see cref="Run"/>); the CLI runs each in a child process, so a native crash is
/// attributed to one probe and the others still run.
/// </summary>
/// <remarks>
/// <para>Why a deliberate error: TorchSharp's native layer catches <c>c10::Error</c> (compiled against the libtorch headers
/// it was built for) and hands the text to the managed side. Against a different libtorch (0.107 is built for 2.10; PyTorch
/// 2.11 on the only CUDA host tried so far) the error object may not match, and then any libtorch error — not just a bug —
/// may end the process with SIGSEGV instead of an exception. The engine therefore checks shapes, dtypes and devices of
/// training batches on the managed side before libtorch sees them (<see cref="TrainingStep"/>).</para>
/// <para>The device generator is an expected failure on CUDA: TorchSharp's <c>THSGenerator_new</c> always creates a CPU
/// generator, so a "CUDA" generator handed to a CUDA kernel is a libtorch error. The engine uses one CPU generator.</para>
/// </remarks>
public static class DiagnosticProbes
{
    /// <summary>The probe that loads libtorch and collects the versions (always first).</summary>
    public const string RuntimeProbe = "runtime";

    private const string DeviceGeneratorReason =
        "TorchSharp 0.107's THSGenerator_new always creates a CPU generator, so a CUDA kernel rejects it; the engine draws " +
        "every random number from one CPU generator instead";

    /// <summary>The probes for <paramref name="deviceName"/> (cpu, cuda, cuda:&lt;i&gt;), in order; touches no native code.</summary>
    /// <param name="deviceName">The device under test.</param>
    /// <param name="includeTestProbes">Add the probes that crash or hang on purpose (for testing doctor's isolation).</param>
    public static IReadOnlyList<DiagnosticProbe> For(string deviceName, bool includeTestProbes = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        bool cuda = deviceName.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        var probes = new List<DiagnosticProbe>
        {
            new(RuntimeProbe, false, "load libtorch and TorchSharp's native layer; libtorch, CUDA and cuDNN versions", null, ProbeRole.Operation)
            {
                Body = _ => DiagnosticProbeResult.Pass("", RuntimeFacts.Collect(TorchRuntime.Require())),
            },
            new("deliberate-error-cpu", false, "a [2,3]×[4,5] matmul on the CPU, which libtorch must reject with a managed exception", null, ProbeRole.DeliberateError)
            {
                Body = DeliberateError,
            },
        };
        if (includeTestProbes)
        {
            probes.Add(new("test-abort", false, "aborts the process on purpose (Environment.FailFast: SIGABRT)", null, ProbeRole.Test)
            {
                Body = _ => { Environment.FailFast("doctor test probe: aborting on purpose"); return DiagnosticProbeResult.Fail("still alive"); },
            });
            probes.Add(new("test-segfault", false, "a segmentation fault in native code on purpose (strlen of the null pointer)", null, ProbeRole.Test) { Body = _ => RaiseSegmentationFault() });
            probes.Add(new("test-hang", false, "never returns (for the per-probe timeout)", null, ProbeRole.Test)
            {
                Body = _ => { Thread.Sleep(Timeout.Infinite); return DiagnosticProbeResult.Fail("woke up"); },
            });
        }
        probes.AddRange(
        [
            new("tensor-arithmetic", true, "ones, matmul, sum and a device → host copy", null, ProbeRole.Operation) { Body = TensorArithmetic },
            new("global-seed", false, "torch.manual_seed (the global generators of every device)", null, ProbeRole.Operation)
            {
                Body = _ => { manual_seed(1); return DiagnosticProbeResult.Pass(); },
            },
            new("cpu-generator", false, "a seeded CPU generator drawing a permutation", null, ProbeRole.Operation)
            {
                Body = _ => { using var g = new Generator(1, CPU); using var r = randperm(10, generator: g); return DiagnosticProbeResult.Pass(); },
            },
            new("host-to-device-copy", true, "pinned host memory copied to the device without blocking", null, ProbeRole.Operation) { Body = HostToDeviceCopy },
            new("uint8-batch", true, "uint8 images on the device: index_select, float conversion, normalisation", null, ProbeRole.Operation) { Body = Uint8Batch },
            new("conv-batchnorm", true, "conv + batch norm forward and backward", null, ProbeRole.Operation) { Body = ConvBatchNorm },
            new("precision-switch", true, "TF32 on, then strict float32 (cuDNN and cuBLAS flags)", null, ProbeRole.Operation)
            {
                Body = d => { TorchRuntime.ConfigurePrecision(d, true); TorchRuntime.ConfigurePrecision(d, false); return DiagnosticProbeResult.Pass(); },
            },
            new("training-step", true, "three VGG11-BN training steps (heavy ball, per-filter measurement, augmentation)", null, ProbeRole.Operation)
            {
                Body = TrainingStepProbe,
            },
        ]);
        if (cuda)
            probes.Add(new("deliberate-error-cuda", true, "a [2,3]×[4,5] matmul on the device, which libtorch must reject with a managed exception", null, ProbeRole.DeliberateError)
            {
                Body = DeliberateError,
            });
        probes.Add(new("device-generator", true, "a generator created for the device, drawing a permutation on the device",
            cuda ? DeviceGeneratorReason : null, ProbeRole.Operation)
        {
            Body = d => { using var g = new Generator(1, d); using var r = randperm(10, generator: g, device: d); return DiagnosticProbeResult.Pass(); },
        });
        return probes;
    }

    /// <summary>Runs one probe in this process: loads libtorch, resolves the device, runs the probe and turns any managed
    /// exception into a failure. A native crash ends the process (which is why the CLI runs each probe in its own).</summary>
    /// <param name="probe">A probe of <see cref="For"/>.</param>
    /// <param name="deviceName">The device under test (probes not on the target device run on the CPU).</param>
    public static DiagnosticProbeResult Run(DiagnosticProbe probe, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (!TorchRuntime.TryLoad(out var info))
            return DiagnosticProbeResult.Fail("libtorch could not be loaded", new KeyValuePair<string, string>("load-trace", info.Trace));
        try
        {
            var device = probe.OnTargetDevice ? TorchRuntime.ResolveDevice(deviceName) : CPU;
            return probe.Body(device);
        }
#pragma warning disable CA1031 // a probe reports every managed exception as its outcome; only a native crash may escape
        catch (Exception e)
#pragma warning restore CA1031
        {
            return DiagnosticProbeResult.Fail($"{e.GetType().Name}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>The first line of a (multi-line) libtorch message: the reason, without libtorch's C++ backtrace.</summary>
    internal static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private static DiagnosticProbeResult DeliberateError(Device device)
    {
        using var scope = NewDisposeScope();
        var a = ones(2, 3, device: device);
        var b = ones(4, 5, device: device);
        try
        {
            _ = a.matmul(b);
        }
        catch (ExternalException e)
        {
            return DiagnosticProbeResult.Pass("arrived as a managed exception",
                new KeyValuePair<string, string>("deliberate-error", $"{e.GetType().Name}: {FirstLine(e.Message)}"));
        }
        return DiagnosticProbeResult.Fail("libtorch accepted a [2,3]×[4,5] matmul");
    }

    private static DiagnosticProbeResult TensorArithmetic(Device device)
    {
        using var scope = NewDisposeScope();
        var a = ones(4, 4, device: device);
        float sum = a.matmul(a).sum().cpu().item<float>();
        return sum == 64f ? DiagnosticProbeResult.Pass() : DiagnosticProbeResult.Fail($"sum of ones(4,4)² is {sum}, not 64");
    }

    private static DiagnosticProbeResult HostToDeviceCopy(Device device)
    {
        using var scope = NewDisposeScope();
        var host = arange(16, dtype: ScalarType.Int64);
        var moved = device.type == DeviceType.CPU ? host : host.pin_memory().to(device, non_blocking: true);
        long sum = moved.sum().cpu().item<long>();
        return sum == 120 ? DiagnosticProbeResult.Pass() : DiagnosticProbeResult.Fail($"the copied tensor sums to {sum}, not 120");
    }

    private static DiagnosticProbeResult Uint8Batch(Device device)
    {
        using var scope = NewDisposeScope();
        var images = randint(0, 255, [32, 3, 8, 8], dtype: ScalarType.Byte).to(device);
        var x = images.index_select(0, arange(8, dtype: ScalarType.Int64, device: device)).to(ScalarType.Float32).div(255).sub(0.5);
        float sum = x.sum().cpu().item<float>();
        return float.IsFinite(sum) ? DiagnosticProbeResult.Pass() : DiagnosticProbeResult.Fail($"the batch sums to {sum}");
    }

    private static DiagnosticProbeResult ConvBatchNorm(Device device)
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(3, 8, 3, padding: 1).to(device);
        var bn = nn.BatchNorm2d(8).to(device);
        var x = randn(4, 3, 8, 8, device: device);
        bn.forward(conv.forward(x)).square().mean().backward();
        float g = conv.weight!.grad!.abs().sum().cpu().item<float>();
        return float.IsFinite(g) && g > 0 ? DiagnosticProbeResult.Pass() : DiagnosticProbeResult.Fail($"the conv gradient's |sum| is {g}");
    }

    // Three steps of the trainer's own step on a narrow net: measured, silent and logged, as in a run.
    private static DiagnosticProbeResult TrainingStepProbe(Device device)
    {
        using var scope = NewDisposeScope();
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(64, 16, 3, 16, 4, Seed: 1));
        using var data = pair.Train.To(device);
        using var model = new Vgg11Bn(new Vgg11BnOptions(3, 16, 4, 0.125));
        model.to(device);
        using var optimizer = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9, WeightDecay: 5e-4));
        using var generator = new Generator(1, CPU);
        using var step = new TrainingStep(model, optimizer, new TrainingStepOptions(new AugmentationOptions(2, true)), generator);
        var indices = arange(16, dtype: ScalarType.Int64, device: device);
        var logged = step.Run(0, data, indices, 0.01, StepLogging.LogAndMeasure);
        _ = step.Run(1, data, indices, 0.01, StepLogging.None);
        _ = step.Run(2, data, indices, 0.01, StepLogging.Log);
        if (logged is null || !double.IsFinite(logged.Loss) || logged.Measurement is null || logged.Measurement.Layers.Count == 0)
            return DiagnosticProbeResult.Fail($"the measured step reported loss {logged?.Loss} and no filter measurement");
        return DiagnosticProbeResult.Pass();
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint StrlenFunction(nint text);

    // A real segmentation fault in native code, as a crash inside libtorch would be: libc's strlen of the null pointer (the
    // runtime turns a fault in managed code into an exception, but not one in native code; a SIGSEGV sent with kill(2) is
    // not a fault and is ignored by the runtime).
    private static DiagnosticProbeResult RaiseSegmentationFault()
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc) || !NativeLibrary.TryGetExport(libc, "strlen", out nint strlen))
            return DiagnosticProbeResult.Fail("libc's strlen is not available on this system");
        nuint length = Marshal.GetDelegateForFunctionPointer<StrlenFunction>(strlen)(0);
        return DiagnosticProbeResult.Fail($"strlen(NULL) returned {length} instead of faulting");
    }
}

using System.CommandLine;
using System.Globalization;
using NoetherTheory.Torch.Diagnostics;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether doctor [--device cuda] [--format json]</c>: runs each probe of <see cref="DiagnosticProbes"/> in a
/// child process of its own (so a native crash is reported against one probe and the others still run) and prints the
/// libtorch, CUDA and cuDNN versions found. Exit 0 when every required probe passed, 1 otherwise, 2 when libtorch cannot
/// be loaded or the device is unavailable.</summary>
internal static class DoctorCommand
{
    /// <summary>Set to 1 to add the probes that crash or hang on purpose (tests of doctor's isolation).</summary>
    public const string TestProbesVariable = "NOETHER_DOCTOR_TEST_PROBES";

    private const string ErrorsFatal =
        "libtorch errors are fatal on this host: an operation libtorch rejects ends the process instead of raising an exception " +
        "(the native entry point has no C++ catch handler — TorchSharp 0.107 leaves 174 of its THS* functions unguarded, " +
        "matmul among them — or the compatibility step's guard library is not in use). Training relies on managed-side " +
        "validation: batch shapes, dtypes and devices are checked against the model before libtorch sees them, so a " +
        "mistake in a run is reported as a message, not a crash.";

    /// <summary>The least time the runtime probe (loading libtorch) is given, whatever <c>--probe-timeout</c> says.</summary>
    internal const int RuntimeProbeMinimumSeconds = 120;

    public static Command Create(CliContext context)
    {
        var device = new DeviceOption();
        var format = new Option<OutputFormat>("--format") { Description = "text (default) or json", DefaultValueFactory = _ => OutputFormat.Text };
        var timeout = new Option<int>("--probe-timeout")
        {
            Description = "Seconds each probe may run before it is killed and reported as timed out",
            DefaultValueFactory = _ => 300,
        };
        var only = new Option<string?>("--only") { Description = "Comma-separated probe names to run (default: all; runtime always runs)" };
        var probe = new Option<string?>("--probe") { Description = "Run one probe in this process (used by doctor itself)", Hidden = true };
        var command = new Command("doctor", "Check the libtorch installation and the device: each probe in its own process.")
        {
            device, format, timeout, only, probe,
        };
        command.SetAction(parse =>
        {
            string deviceName = parse.GetValue(device)!;
            return parse.GetValue(probe) is { } name
                ? RunOne(context, name, deviceName)
                : Run(context, deviceName, parse.GetValue(format), parse.GetValue(timeout), parse.GetValue(only));
        });
        return command;
    }

    private static bool TestProbes => Environment.GetEnvironmentVariable(TestProbesVariable) == "1";

    // The child: one probe, its result on one stdout line.
    private static int RunOne(CliContext context, string name, string deviceName)
    {
        var probe = DiagnosticProbes.For(deviceName, TestProbes).FirstOrDefault(p => p.Name == name)
            ?? throw new UsageException($"no doctor probe '{name}' for device {deviceName}");
        var result = DiagnosticProbes.Run(probe, deviceName);
        context.Out.WriteLine(ProbeProcess.ResultLine(result));
        return result.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static int Run(CliContext context, string deviceName, OutputFormat format, int timeoutSeconds, string? only)
    {
        if (timeoutSeconds < 1) throw new UsageException("--probe-timeout must be at least 1 second");
        var probes = DiagnosticProbes.For(deviceName, TestProbes);
        if (only is not null)
        {
            var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = names.Where(n => probes.All(p => p.Name != n)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"unknown doctor probe(s) {string.Join(", ", unknown)}; probes for {deviceName}: {string.Join(", ", probes.Select(p => p.Name))}");
            probes = [.. probes.Where(p => p.Name == DiagnosticProbes.RuntimeProbe || names.Contains(p.Name))];
        }
        bool text = format != OutputFormat.Json;
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        if (text)
            context.Out.WriteLine($"noether doctor: device {deviceName}; each probe in its own process (timeout {timeoutSeconds} s)");

        var records = new List<ProbeRecord>();
        // Loading libtorch is the slowest thing a probe does and depends on the machine's load, not on the device; the runtime
        // probe (which every other probe needs) gets at least RuntimeProbeMinimumSeconds whatever --probe-timeout says.
        var runtime = ProbeProcess.Run(probes[0], deviceName, TimeSpan.FromSeconds(Math.Max(timeoutSeconds, RuntimeProbeMinimumSeconds)));
        records.Add(runtime);
        var facts = runtime.Facts.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        // Text: everything on stdout. JSON: the document on stdout, the same progress lines on stderr as each probe ends.
        var progress = text ? context.Out : context.Error;
        if (text && facts.TryGetValue("load-trace", out string? trace)) context.Out.WriteLine(trace);
        Print(progress, runtime);
        PrintVersions(progress, facts);
        if (runtime.Outcome == ProbeOutcome.Failed)
        {
            // libtorch did not load: the trace says why (exit 2, as every other command that needs libtorch).
            if (!text) WriteJson(context, deviceName, records, facts);
            return ExitCodes.BadInput;
        }
        bool cuda = deviceName.StartsWith("cuda", StringComparison.Ordinal);
        if (runtime.Outcome == ProbeOutcome.Ok && cuda && facts.GetValueOrDefault("cuda-available") != "yes")
        {
            context.Error.WriteLine($"noether: device '{deviceName}' was requested but libtorch reports no CUDA device. Use --device cpu, " +
                "or run with a CUDA build of libtorch (NOETHER_LIBTORCH_DIR; see scripts/gpu-run.sh).");
            if (!text) WriteJson(context, deviceName, records, facts);
            return ExitCodes.BadInput;
        }
        foreach (var probe in probes.Skip(1))
        {
            var record = runtime.Outcome == ProbeOutcome.Ok
                ? ProbeProcess.Run(probe, deviceName, timeout)
                : new ProbeRecord(probe.Name, probe.OnTargetDevice ? deviceName : "cpu", probe.Exercises, probe.Role, probe.Required, probe.ExpectedFailure,
                    ProbeOutcome.Skipped, "libtorch did not load in the runtime probe", null, null, 0, [], null);
            records.Add(record);
            Print(progress, record);
        }

        bool fatal = records.Any(r => r.Role == ProbeRole.DeliberateError && r.Outcome == ProbeOutcome.Crashed);
        int failures = records.Count(r => r.Required && r.Outcome != ProbeOutcome.Ok);
        progress.WriteLine(Summary(records));
        if (fatal) progress.WriteLine(ErrorsFatal);
        if (records.Any(r => r.Outcome == ProbeOutcome.Crashed) && Environment.GetEnvironmentVariable("DOTNET_EnableCrashReport") == "1")
            progress.WriteLine("A .NET crash report of each crashed probe is written next to DOTNET_DbgMiniDumpName " +
                $"({Environment.GetEnvironmentVariable("DOTNET_DbgMiniDumpName") ?? "the working folder"}).");
        progress.WriteLine(failures == 0 ? "doctor: every required probe passed." : $"doctor: {failures} required probe(s) did not pass.");
        if (!text) WriteJson(context, deviceName, records, facts, fatal);
        return failures == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static void Print(TextWriter writer, ProbeRecord r)
    {
        string seconds = string.Create(CultureInfo.InvariantCulture, $"{r.Seconds:0.0} s");
        string line = r.Outcome switch
        {
            ProbeOutcome.Ok => r.Message.Length > 0 ? $"ok: {r.Message}" : "ok",
            ProbeOutcome.Failed => $"FAILED: {r.Message}",
            ProbeOutcome.Crashed when r.Role == ProbeRole.DeliberateError => $"CRASHED: {r.Message}: libtorch errors are fatal on this host (see below)",
            ProbeOutcome.Crashed => $"CRASHED: {r.Message}",
            ProbeOutcome.TimedOut => $"TIMED OUT: {r.Message}",
            ProbeOutcome.ExpectedFailure => $"expected failure ({r.Message}): {r.ExpectedFailure}",
            ProbeOutcome.UnexpectedPass => $"passed, though expected to fail ({r.ExpectedFailure})",
            ProbeOutcome.Skipped => $"skipped: {r.Message}",
            _ => r.Outcome.ToString(),
        };
        writer.WriteLine($"  [{r.Device}] {r.Name} … {line} ({seconds})");
        foreach (var (key, value) in r.Facts.Where(f => f.Key == "deliberate-error"))
            writer.WriteLine($"      {key}: {value}");
        if (r.Outcome is ProbeOutcome.Crashed or ProbeOutcome.Failed or ProbeOutcome.TimedOut && !string.IsNullOrEmpty(r.StderrTail))
            foreach (string l in r.StderrTail!.Split('\n'))
                writer.WriteLine($"      | {l}");
        writer.Flush();
    }

    private static void PrintVersions(TextWriter writer, Dictionary<string, string> f)
    {
        if (!f.TryGetValue("libtorch", out string? libtorch)) return;
        writer.WriteLine($"  libtorch {libtorch} (TorchSharp {f["torchsharp"]}, built for libtorch {f["libtorch-built-for"]}) from {f["libtorch-source"]}");
        writer.WriteLine($"  CUDA: {(f["cuda-available"] == "yes" ? $"available, {f["cuda-devices"]} device(s), {f["cuda-device-name"]}" : "not available")}; " +
            $"CUDA version {f["cuda-version"]}; cuDNN available: {f["cudnn-available"]}, version {f["cudnn-version"]}");
    }

    private static string Summary(List<ProbeRecord> records)
    {
        var counts = Enum.GetValues<ProbeOutcome>()
            .Select(o => (o, n: records.Count(r => r.Outcome == o)))
            .Where(c => c.n > 0)
            .Select(c => $"{c.n} {Words(c.o)}");
        return "Summary: " + string.Join(", ", counts) + ".";
    }

    private static string Words(ProbeOutcome o) => o switch
    {
        ProbeOutcome.Ok => "ok",
        ProbeOutcome.Failed => "failed",
        ProbeOutcome.Crashed => "crashed",
        ProbeOutcome.TimedOut => "timed out",
        ProbeOutcome.ExpectedFailure => "expected failure(s)",
        ProbeOutcome.UnexpectedPass => "unexpected pass(es)",
        _ => "skipped",
    };

    private static void WriteJson(CliContext context, string device, List<ProbeRecord> records, Dictionary<string, string> facts, bool fatal = false)
    {
        var versions = facts.Where(f => f.Key != "load-trace").ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        context.Out.WriteLine(Json.Serialize(new
        {
            schema = "noether-doctor/1",
            device,
            passed = records.All(r => !r.Required || r.Outcome == ProbeOutcome.Ok),
            libtorchErrorsFatal = fatal,
            libtorchErrorsNote = fatal ? ErrorsFatal : null,
            versions,
            loadTrace = facts.GetValueOrDefault("load-trace"),
            probes = records.Select(r => new
            {
                r.Name,
                r.Device,
                r.Exercises,
                r.Role,
                r.Required,
                r.ExpectedFailure,
                r.Outcome,
                r.Message,
                r.ExitCode,
                r.Signal,
                r.Seconds,
                facts = r.Name == DiagnosticProbes.RuntimeProbe ? null : r.Facts.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
                r.StderrTail,
            }),
        }));
    }
}

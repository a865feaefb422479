using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NoetherTheory.Torch.Diagnostics;

namespace NoetherTheory.Cli.Commands;

/// <summary>How a probe run in a child process ended.</summary>
internal enum ProbeOutcome
{
    /// <summary>The probe passed.</summary>
    Ok,

    /// <summary>The probe returned a failure (a managed exception or a wrong value).</summary>
    Failed,

    /// <summary>The child process died (a signal, or an exit without a result).</summary>
    Crashed,

    /// <summary>The child ran past the per-probe timeout and was killed.</summary>
    TimedOut,

    /// <summary>A probe known to fail on this device failed (or crashed, or timed out).</summary>
    ExpectedFailure,

    /// <summary>A probe known to fail on this device passed.</summary>
    UnexpectedPass,

    /// <summary>Not run (libtorch did not load).</summary>
    Skipped,
}

/// <summary>One probe's outcome as the parent saw it.</summary>
internal sealed record ProbeRecord(
    string Name, string Device, string Exercises, ProbeRole Role, bool Required, string? ExpectedFailure, ProbeOutcome Outcome, string Message,
    int? ExitCode, string? Signal, double Seconds, IReadOnlyList<KeyValuePair<string, string>> Facts, string? StderrTail);

/// <summary>Runs one doctor probe in a child process of this CLI (<c>doctor --probe &lt;name&gt;</c>) and decodes how it
/// ended, so that a native crash is reported against that probe instead of ending doctor.</summary>
internal static class ProbeProcess
{
    /// <summary>Prefix of the one stdout line on which a child reports its result.</summary>
    public const string ResultMarker = "noether-probe-result ";

    private static readonly JsonSerializerOptions LineOptions = new(Json.Options) { WriteIndented = false };

    private sealed record ChildResult(bool Passed, string Message, List<KeyValuePair<string, string>> Facts);

    /// <summary>The child's side: the result line for <paramref name="result"/>.</summary>
    public static string ResultLine(DiagnosticProbeResult result) =>
        ResultMarker + JsonSerializer.Serialize(new ChildResult(result.Passed, result.Message, [.. result.Facts]), LineOptions);

    /// <summary>The parent's side: runs <paramref name="probe"/> in a child and waits at most <paramref name="timeout"/>.</summary>
    public static ProbeRecord Run(DiagnosticProbe probe, string device, TimeSpan timeout)
    {
        var (file, prefix) = SelfInvocation();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in prefix.Concat(["doctor", "--probe", probe.Name, "--device", device]))
            info.ArgumentList.Add(a);
        string where = probe.OnTargetDevice ? device : "cpu";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit();   // drains the redirected streams
        }
        double seconds = clock.Elapsed.TotalSeconds;
        string tail = Tail(stderr.Result, 9);
        ProbeRecord Record(ProbeOutcome outcome, string message, int? code = null, string? signal = null,
            IReadOnlyList<KeyValuePair<string, string>>? facts = null) =>
            new(probe.Name, where, probe.Exercises, probe.Role, probe.Required, probe.ExpectedFailure, Expected(probe, outcome), message, code, signal,
                seconds, facts ?? [], outcome == ProbeOutcome.Ok ? null : tail);

        if (!exited)
            return Record(ProbeOutcome.TimedOut, string.Create(CultureInfo.InvariantCulture, $"no result after {timeout.TotalSeconds:0} s; killed"));
        int exitCode = process.ExitCode;
        var result = ParseResult(stdout.Result);
        if (result is not null)
            return Record(result.Passed ? ProbeOutcome.Ok : ProbeOutcome.Failed, result.Message, exitCode, null, result.Facts);
        string? signal = SignalOf(exitCode);
        string why = signal is null
            ? string.Create(CultureInfo.InvariantCulture, $"the process exited with {exitCode} without a result")
            : string.Create(CultureInfo.InvariantCulture, $"killed by {signal} (exit {exitCode})");
        return Record(ProbeOutcome.Crashed, why, exitCode, signal ?? "none");
    }

    /// <summary>The signal behind an exit status: 128 + n (how .NET and the shell report a child killed by signal n), or a
    /// negative status; null for an ordinary exit code.</summary>
    public static string? SignalOf(int exitCode)
    {
        int n = exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : exitCode < 0 && exitCode > -65 ? -exitCode : 0;
        if (n == 0) return null;
        return n switch
        {
            1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT", 7 => "SIGBUS",
            8 => "SIGFPE", 9 => "SIGKILL", 11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM",
            _ => string.Create(CultureInfo.InvariantCulture, $"signal {n}"),
        };
    }

    private static ProbeOutcome Expected(DiagnosticProbe probe, ProbeOutcome outcome) => probe.ExpectedFailure is null
        ? outcome
        : outcome == ProbeOutcome.Ok ? ProbeOutcome.UnexpectedPass : ProbeOutcome.ExpectedFailure;

    private static ChildResult? ParseResult(string stdout)
    {
        string? line = stdout.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal));
        if (line is null) return null;
        try
        {
            return JsonSerializer.Deserialize<ChildResult>(line[ResultMarker.Length..], LineOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The first lines (libtorch's "terminate called after throwing …" and its what()) and the last ones (the crash site).
    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        if (all.Length <= lines) return string.Join('\n', all);
        return string.Join('\n', all.Take(3).Append("…").Concat(all.TakeLast(lines - 3)));
    }

    // How to start this CLI again: its apphost when that is the running program, else the dotnet host with noether.dll
    // (gpu-run.sh and the tests run `dotnet noether.dll`; a test host runs the CLI in-process, hence the dll's location).
    private static (string File, string[] Prefix) SelfInvocation()
    {
        string dll = typeof(ProbeProcess).Assembly.Location;
        string apphost = Path.ChangeExtension(dll, null);
        string? current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFullPath(current), apphost, StringComparison.Ordinal))
            return (current, []);
        string host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)
                ? h
                : Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
                    ? Path.Combine(root, "dotnet")
                    : "dotnet";
        return (host, [dll]);
    }
}

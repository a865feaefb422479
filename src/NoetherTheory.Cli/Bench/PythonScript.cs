using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NoetherTheory.Cli.Bench;

/// <summary>How a side-by-side Python run ended.</summary>
internal enum PythonOutcome
{
    /// <summary>It printed a JSON object.</summary>
    Ok,
    /// <summary>It ran past its time limit and was killed.</summary>
    Timeout,
    /// <summary>The interpreter or a module it needs is missing.</summary>
    Unavailable,
    /// <summary>It ran and failed (non-zero exit or unreadable output).</summary>
    Failed,
}

/// <summary>The result of one Python run: the parsed JSON on success, otherwise a one-line reason.</summary>
internal sealed record PythonRun(PythonOutcome Outcome, JsonElement? Json, string Detail, double WallSeconds)
{
    public bool IsOk => Outcome == PythonOutcome.Ok && Json is not null;

    /// <summary>What to print in a table cell instead of a number.</summary>
    public string Cell => Outcome switch
    {
        PythonOutcome.Ok => "ok",
        PythonOutcome.Timeout => "timeout",
        PythonOutcome.Unavailable => "n/a",
        _ => "failed",
    };
}

/// <summary>Runs the reference scripts under Bench/ (shipped beside the executable) with an explicit interpreter.</summary>
internal static class PythonScript
{
    /// <summary>Debian's interpreter: python3-sympy and python3-numpy install for it, and another python3 may come first on PATH.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>Exit code the scripts use when a module they need is not importable.</summary>
    public const int MissingModuleExitCode = 3;

    /// <summary>The path of a shipped script: beside the executable, else in the source tree.</summary>
    public static string Locate(string fileName)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "Bench", fileName);
        if (File.Exists(beside)) return beside;
        string source = Path.Combine(RepositoryLayout.Root(), "src", "NoetherTheory.Cli", "Bench", fileName);
        if (File.Exists(source)) return source;
        throw new UsageException($"the benchmark script {fileName} is neither in {Path.GetDirectoryName(beside)} nor in {Path.GetDirectoryName(source)}; rebuild the CLI.");
    }

    /// <summary>Runs <c>python script args…</c>, kills it (and its children) after <paramref name="timeout"/>, and parses the
    /// last line of standard output as a JSON object.</summary>
    public static PythonRun Run(string python, string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{python} did not start.");
        }
        catch (Win32Exception e)
        {
            return new PythonRun(PythonOutcome.Unavailable, null, $"cannot start {python}: {e.Message}", 0);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new PythonRun(PythonOutcome.Timeout, null,
                    string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(script)} ran past {timeout.TotalSeconds:0.#} s and was stopped"),
                    clock.Elapsed.TotalSeconds);
            }
            process.WaitForExit();   // drains the redirected streams
            double wall = clock.Elapsed.TotalSeconds;
            string output = stdout.Result, errors = stderr.Result.Trim();
            string lastError = errors.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            if (process.ExitCode == MissingModuleExitCode)
                return new PythonRun(PythonOutcome.Unavailable, null, lastError, wall);
            if (process.ExitCode != 0)
                return new PythonRun(PythonOutcome.Failed, null,
                    string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(script)} exited with {process.ExitCode}: {lastError}"), wall);
            string? line = output.Split('\n').LastOrDefault(l => l.Trim().Length > 0);
            try
            {
                using var doc = JsonDocument.Parse(line ?? "");
                return new PythonRun(PythonOutcome.Ok, doc.RootElement.Clone(), "", wall);
            }
            catch (JsonException e)
            {
                return new PythonRun(PythonOutcome.Failed, null, $"{Path.GetFileName(script)} printed no JSON object ({e.Message})", wall);
            }
        }
    }
}

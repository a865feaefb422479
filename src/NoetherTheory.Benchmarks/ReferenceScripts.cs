using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NoetherTheory.Benchmarks;

/// <summary>How a side-by-side reference run (Python, Maxima) ended.</summary>
internal enum ReferenceOutcome
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

/// <summary>The result of one reference run: the parsed JSON on success, otherwise a one-line reason.</summary>
internal sealed record ReferenceRun(ReferenceOutcome Outcome, JsonElement? Json, string Detail, double WallSeconds)
{
    public bool IsOk => Outcome == ReferenceOutcome.Ok && Json is not null;

    /// <summary>What to print in a table cell instead of a number.</summary>
    public string Cell => Outcome switch
    {
        ReferenceOutcome.Ok => "ok",
        ReferenceOutcome.Timeout => "timeout",
        ReferenceOutcome.Unavailable => "n/a",
        _ => "failed",
    };
}

/// <summary>
/// The reference scripts of the repository's bench/reference/ folder (SymPy, NumPy, PyTorch, Maxima), which the build copies
/// beside the assemblies as bench/reference/, and how one is run with an explicit interpreter.
/// </summary>
/// <param name="Folder">The folder that holds the scripts.</param>
internal sealed record ReferenceScripts(string Folder)
{
    /// <summary>Debian's interpreter: python3-sympy and python3-numpy install for it, and another python3 may come first on PATH.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>Debian's Maxima (package maxima), found on PATH.</summary>
    public const string Maxima = "maxima";

    /// <summary>Exit code the scripts use when a module they need is not importable.</summary>
    public const int MissingModuleExitCode = 3;

    /// <summary>The scripts' folder relative to the repository root, and beside the built assemblies.</summary>
    public static readonly string RelativeFolder = Path.Combine("bench", "reference");

    /// <summary>The copy beside the built assemblies, if the build made one; otherwise null.</summary>
    public static ReferenceScripts? BesideAssemblies()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, RelativeFolder);
        return Directory.Exists(beside) ? new ReferenceScripts(beside) : null;
    }

    /// <summary>The path of one script.</summary>
    /// <exception cref="BenchmarkException">It is not in <see cref="Folder"/>.</exception>
    public string Locate(string fileName)
    {
        string path = Path.Combine(Folder, fileName);
        return File.Exists(path) ? path
            : throw new BenchmarkException($"the benchmark script {fileName} is not in {Folder}; rebuild the CLI (the build copies {RelativeFolder}/ beside it).");
    }

    /// <summary>Runs <c>python script args…</c>, kills it (and its children) after <paramref name="timeout"/>, and parses the
    /// last line of standard output as a JSON object.</summary>
    public static ReferenceRun Run(string python, string script, IEnumerable<string> args, TimeSpan timeout) =>
        RunProcess(python, [script, .. args], Path.GetFileName(script), timeout);

    /// <summary>Runs <c>program args…</c>, kills it (and its children) after <paramref name="timeout"/>, and parses the last
    /// non-empty line of standard output as a JSON object; <paramref name="name"/> names the run in messages.</summary>
    public static ReferenceRun RunProcess(string program, IEnumerable<string> args, string name, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (Win32Exception e)
        {
            return new ReferenceRun(ReferenceOutcome.Unavailable, null, $"cannot start {program}: {e.Message}", 0);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new ReferenceRun(ReferenceOutcome.Timeout, null,
                    string.Create(CultureInfo.InvariantCulture, $"{name} ran past {timeout.TotalSeconds:0.#} s and was stopped"),
                    clock.Elapsed.TotalSeconds);
            }
            process.WaitForExit();   // drains the redirected streams
            double wall = clock.Elapsed.TotalSeconds;
            string output = stdout.Result, errors = stderr.Result.Trim();
            string lastError = errors.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            if (process.ExitCode == MissingModuleExitCode)
                return new ReferenceRun(ReferenceOutcome.Unavailable, null, lastError, wall);
            if (process.ExitCode != 0)
                return new ReferenceRun(ReferenceOutcome.Failed, null,
                    string.Create(CultureInfo.InvariantCulture, $"{name} exited with {process.ExitCode}: {lastError}"), wall);
            string? line = output.Split('\n').LastOrDefault(l => l.Trim().Length > 0);
            try
            {
                using var doc = JsonDocument.Parse(line ?? "");
                return new ReferenceRun(ReferenceOutcome.Ok, doc.RootElement.Clone(), "", wall);
            }
            catch (JsonException e)
            {
                return new ReferenceRun(ReferenceOutcome.Failed, null, $"{name} printed no JSON object ({e.Message})", wall);
            }
        }
    }
}

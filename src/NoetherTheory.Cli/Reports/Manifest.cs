using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NoetherTheory.Cli.Reports;

/// <summary>What a kept report records so it can be reproduced or compared: commit, versions, hardware, options.</summary>
internal sealed record Manifest(
    string Kind,
    string Commit,
    bool WorkingTreeDirty,
    string CreatedUtc,
    string Command,
    string Runtime,
    string Os,
    string Cpu,
    int CpuCount,
    IReadOnlyDictionary<string, string> Packages,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Extra,
    double WallSeconds)
{
    public static Manifest Create(string command, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> extra, double wallSeconds)
    {
        var (commit, dirty) = GitInfo.Read(RepositoryLayoutSafe());
        return new Manifest("noether.report/1", commit, dirty, DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            command, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, CpuModel(), Environment.ProcessorCount,
            PackageVersions(), inputs, extra, Math.Round(wallSeconds, 2));
    }

    private static string? RepositoryLayoutSafe()
    {
        try
        {
            return RepositoryLayout.Root();
        }
        catch (UsageException)
        {
            return null;
        }
    }

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
            return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static Dictionary<string, string> PackageVersions()
    {
        var wanted = new[] { "MathNet.Numerics", "TorchSharp", "OxyPlot", "SkiaSharp", "System.CommandLine", "YamlDotNet" };
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            try
            {
                var assembly = Assembly.Load(name);
                result[name] = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                    ?? assembly.GetName().Version?.ToString() ?? "?";
            }
            catch (FileNotFoundException)
            {
                result[name] = "not deployed";
            }
        }
        return result;
    }
}

/// <summary>Reads the commit of a checkout without running git (HEAD, loose refs, packed-refs).</summary>
internal static class GitInfo
{
    public static (string Commit, bool Dirty) Read(string? root)
    {
        if (root is null)
            return ("unknown (not a checkout)", false);
        var gitDir = Path.Combine(root, ".git");
        var commonDir = gitDir;
        // A linked worktree's .git is a file "gitdir: <path>"; its refs live in the common dir that path's commondir names.
        if (File.Exists(gitDir) && File.ReadAllText(gitDir).Trim() is { } link && link.StartsWith("gitdir: ", StringComparison.Ordinal))
        {
            gitDir = Path.GetFullPath(link[8..].Trim(), root);
            var common = Path.Combine(gitDir, "commondir");
            commonDir = File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDir) : gitDir;
        }
        var headFile = Path.Combine(gitDir, "HEAD");
        if (!File.Exists(headFile))
            return ("unknown (not a git checkout)", false);
        var head = File.ReadAllText(headFile).Trim();
        string commit = head;
        if (head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            var reference = head[5..];
            gitDir = File.Exists(Path.Combine(gitDir, reference)) ? gitDir : commonDir;
            var loose = Path.Combine(gitDir, reference);
            if (File.Exists(loose))
                commit = File.ReadAllText(loose).Trim();
            else
            {
                var packed = Path.Combine(gitDir, "packed-refs");
                commit = File.Exists(packed)
                    ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference)?[0] ?? "unknown"
                    : "unknown";
            }
        }
        return (commit, IsDirty(root));
    }

    private static bool IsDirty(string root)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "status --porcelain --untracked-files=no")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
                return false;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // git not installed: the commit is still known, cleanliness is not checked
        }
    }
}

using NoetherTheory.Cli.Commands;

namespace NoetherTheory.Cli.Reports;

/// <summary>Everything a report can draw from; any part may be missing.</summary>
internal sealed record ReportInputs
{
    public ResultsFile.Document? Verification { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Sorts <c>--from</c> paths by what they hold.</summary>
    public static ReportInputs FromPaths(IEnumerable<string> paths)
    {
        var inputs = new ReportInputs();
        var sources = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                var text = File.ReadAllText(path);
                if (text.Contains("\"noether.verify/1\"", StringComparison.Ordinal))
                    inputs = inputs with { Verification = ResultsFile.Read(path) };
                else
                    throw new UsageException($"--from '{path}': not a file `noether verify --out` wrote (its kind field should be noether.verify/1).");
            }
            else if (Directory.Exists(path))
            {
                var results = Path.Combine(path, "results.json");
                if (!File.Exists(results))
                    throw new UsageException($"--from '{path}': a folder must hold results.json (from `noether verify --out`).");
                inputs = inputs with { Verification = ResultsFile.Read(results) };
            }
            else
            {
                throw new UsageException($"--from '{path}': no such file or folder.");
            }
            sources.Add(Path.GetFullPath(path));
        }
        return inputs with { Sources = sources };
    }
}

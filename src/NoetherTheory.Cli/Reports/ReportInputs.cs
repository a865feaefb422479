using NoetherTheory.Cli.Commands;

namespace NoetherTheory.Cli.Reports;

/// <summary>Everything a report can draw from; any part may be missing.</summary>
internal sealed record ReportInputs
{
    public ResultsFile.Document? Verification { get; init; }
    public IReadOnlyList<ValidateCommand.Summary> DeepNet { get; init; } = [];
    public System.Text.Json.JsonDocument? Derivations { get; init; }
    public ComparisonsFile.Document? Comparisons { get; init; }
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
                else if (text.Contains($"\"{ComparisonsFile.Kind}\"", StringComparison.Ordinal))
                    inputs = inputs with { Comparisons = ComparisonsFile.Read(path) };
                else if (DerivationSection.LooksLikeDerivations(text))
                    inputs = inputs with { Derivations = System.Text.Json.JsonDocument.Parse(text) };
                else if (Path.GetFileName(path) == "summary.json")
                    inputs = inputs with { DeepNet = [.. inputs.DeepNet, ReadDeepNet(path)] };
                else
                    throw new UsageException($"--from '{path}': neither a `noether verify --out` results file nor a `noether validate` summary.json.");
            }
            else if (Directory.Exists(path))
            {
                var results = Path.Combine(path, "results.json");
                var summary = Path.Combine(path, "summary.json");
                var derivations = Path.Combine(path, "derivations.json");
                if (!File.Exists(results) && !File.Exists(summary) && !File.Exists(derivations))
                    throw new UsageException($"--from '{path}': a folder must hold results.json (`noether verify --out`), summary.json (`noether validate`) or derivations.json (`noether derive --all --format json --out`).");
                var comparisons = Path.Combine(path, "comparisons.json");
                if (File.Exists(comparisons))
                    inputs = inputs with { Comparisons = ComparisonsFile.Read(comparisons) };
                if (File.Exists(derivations))
                    inputs = inputs with { Derivations = System.Text.Json.JsonDocument.Parse(File.ReadAllText(derivations)) };
                if (File.Exists(results))
                    inputs = inputs with { Verification = ResultsFile.Read(results) };
                if (File.Exists(summary))
                    inputs = inputs with { DeepNet = [.. inputs.DeepNet, ReadDeepNet(summary)] };
            }
            else
            {
                throw new UsageException($"--from '{path}': no such file or folder.");
            }
            sources.Add(Path.GetFullPath(path));
        }
        return inputs with { Sources = sources };
    }

    private static ValidateCommand.Summary ReadDeepNet(string path)
    {
        try
        {
            return ValidateCommand.ReadSummary(path);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new UsageException($"{path}: not a `noether validate` summary.json: {Json.Describe(e)}.");
        }
    }
}

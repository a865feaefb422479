using NoetherTheory.Core.Documents;

namespace NoetherTheory.Cli.Reports;

/// <summary>A derivation the report shows in full (Lagrangian, equations of motion, charge, charge law).</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Symmetry">Symmetry id.</param>
/// <param name="Model">Catalog model id.</param>
internal sealed record FeaturedDerivation(string Rule, string Symmetry, string Model)
{
    /// <summary>Parses <c>rule:symmetry:model</c>.</summary>
    public static FeaturedDerivation Parse(string text, string where)
    {
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            throw new UsageException($"{where}: '{text}' is not rule:symmetry:model (e.g. heavy-ball:scale:cosine).");
        return new FeaturedDerivation(parts[0], parts[1], parts[2]);
    }
}

/// <summary>Everything a report can draw from; any part may be missing.</summary>
internal sealed record ReportInputs
{
    public VerifyDocument? Verification { get; init; }
    public IReadOnlyList<ValidateDocument> DeepNet { get; init; } = [];
    public DeriveDocument? Derivations { get; init; }
    public CompareDocument? Comparisons { get; init; }
    public IReadOnlyList<EquilibriumDocument> Equilibria { get; init; } = [];
    public ForecastDocument? Forecast { get; init; }
    public ForecastScoreDocument? ForecastScore { get; init; }
    public IReadOnlyList<GroupChecksDocument> GroupChecks { get; init; } = [];
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Derivations shown in full; the rest are only in the table.</summary>
    public IReadOnlyList<FeaturedDerivation> Featured { get; init; } = [];

    /// <summary>The template file listing the derivations a report shows in full.</summary>
    public const string FeaturedTemplate = "featured-derivations.txt";

    /// <summary>The featured derivations: those given (<c>--feature</c>), else the template's list, else none.</summary>
    public static IReadOnlyList<FeaturedDerivation> Featuring(IReadOnlyList<string> given)
    {
        if (given.Count > 0)
            return [.. given.Select(g => FeaturedDerivation.Parse(g, "--feature"))];
        if (RepositoryLayout.ReportTemplate(FeaturedTemplate) is not { } path)
            return [];
        return [.. File.ReadAllLines(path).Select((line, i) => (Line: line.Trim(), Number: i + 1))
            .Where(l => l.Line.Length > 0 && !l.Line.StartsWith('#'))
            .Select(l => FeaturedDerivation.Parse(l.Line, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}:{l.Number}")))];
    }

    /// <summary>Reads <c>--from</c> paths: each file typed by its kind tag; a folder by its file names (results.json,
    /// summary.json, derivations.json, group-checks.json of a training run, comparisons.json; equilibrium.json, forecast.json,
    /// forecast-score.json beside them),
    /// each of which must hold the matching kind.</summary>
    public static ReportInputs FromPaths(IEnumerable<string> paths)
    {
        var inputs = new ReportInputs();
        var sources = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                inputs = Add(inputs, Read(path));
            }
            else if (Directory.Exists(path))
            {
                var results = Path.Combine(path, "results.json");
                var summary = Path.Combine(path, "summary.json");
                var derivations = Path.Combine(path, "derivations.json");
                var groupChecks = Path.Combine(path, GroupChecksDocument.FileName);
                if (!File.Exists(results) && !File.Exists(summary) && !File.Exists(derivations) && !File.Exists(groupChecks))
                    throw new UsageException($"--from '{path}': a folder must hold results.json (`noether verify --out`), summary.json (`noether validate`), derivations.json (`noether derive --all --format json --out`) or {GroupChecksDocument.FileName} (a `noether train` run that measured symmetry groups).");
                if (File.Exists(groupChecks))
                    inputs = inputs with { GroupChecks = [.. inputs.GroupChecks, Read<GroupChecksDocument>(groupChecks)] };
                var comparisons = Path.Combine(path, "comparisons.json");
                if (File.Exists(comparisons))
                    inputs = inputs with { Comparisons = Read<CompareDocument>(comparisons) };
                if (File.Exists(derivations))
                    inputs = inputs with { Derivations = Read<DeriveDocument>(derivations) };
                if (File.Exists(results))
                    inputs = inputs with { Verification = Read<VerifyDocument>(results) };
                if (File.Exists(summary))
                    inputs = inputs with { DeepNet = [.. inputs.DeepNet, Read<ValidateDocument>(summary)] };
                foreach (var name in new[] { "equilibrium.json", "forecast.json", "forecast-score.json" })
                    if (File.Exists(Path.Combine(path, name)))
                        inputs = Add(inputs, Read(Path.Combine(path, name)));
            }
            else
            {
                throw new UsageException($"--from '{path}': no such file or folder.");
            }
            sources.Add(Path.GetFullPath(path));
        }
        return inputs with { Sources = sources };
    }

    private static ReportInputs Add(ReportInputs inputs, ResultDocument document) => document switch
    {
        VerifyDocument v => inputs with { Verification = v },
        CompareDocument c => inputs with { Comparisons = c },
        DeriveDocument d => inputs with { Derivations = d },
        ValidateDocument s => inputs with { DeepNet = [.. inputs.DeepNet, s] },
        EquilibriumDocument e => inputs with { Equilibria = [.. inputs.Equilibria, e] },
        ForecastDocument f => inputs with { Forecast = f },
        ForecastScoreDocument f => inputs with { ForecastScore = f },
        GroupChecksDocument g => inputs with { GroupChecks = [.. inputs.GroupChecks, g] },
        _ => throw new UsageException($"a {document.Kind} document cannot go into a report."),
    };

    private static ResultDocument Read(string path)
    {
        try
        {
            return ResultDocuments.Read(path);
        }
        catch (DocumentFormatException e)
        {
            throw new UsageException($"--from {e.Message}");
        }
    }

    private static T Read<T>(string path) where T : ResultDocument
    {
        try
        {
            return ResultDocuments.Read<T>(path);
        }
        catch (DocumentFormatException e)
        {
            throw new UsageException($"--from {e.Message}");
        }
    }
}

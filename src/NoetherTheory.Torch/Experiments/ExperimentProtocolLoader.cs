using System.Globalization;
using NoetherTheory.Torch.Runs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NoetherTheory.Torch.Experiments;

/// <summary>
/// Reads a protocol file: <c>name</c>, <c>description</c>, <c>seeds</c>, a <c>base</c> training config (the
/// <c>noether train</c> format; name and seed are set per cell), a <c>grid</c> (Fig. 4 panels × constrained flags × seeds)
/// and a list of <c>filters</c> runs (first seed), each with a few overrides. Errors name file:line:column.
/// </summary>
/// <remarks>Panels follow theory/05-learning-dynamics.md#eq-5-6: A varies the constant learning rate, B the momentum, C the
/// weight decay. A panel or filter run may override lr, momentum, weight_decay, milestones, bn_epsilon, steps, log_every, transfer_every,
/// measure_every, measure_window; unknown keys are errors.</remarks>
public static class ExperimentProtocolLoader
{
    private static readonly string[] Variables = ["lr", "momentum", "weight_decay"];

    /// <summary>Loads a protocol file.</summary>
    /// <exception cref="TrainingConfigException">The file is missing or malformed (the message says where).</exception>
    public static ExperimentProtocol Load(string path)
    {
        if (!File.Exists(path)) throw new TrainingConfigException($"{path}: experiment protocol not found.");
        string full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full));
    }

    /// <summary>Parses protocol text; <paramref name="source"/> names it in messages, relative data paths resolve against
    /// <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="TrainingConfigException">The text is malformed (the message says where).</exception>
    public static ExperimentProtocol Parse(string yaml, string source = "<protocol>", string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new TrainingConfigException($"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e); }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new TrainingConfigException($"{source}:1:1: expected one YAML document holding a mapping (name, base, grid, filters).");
        TrainingConfigException Error(YamlNode at, string message) =>
            new($"{source}:{at.Start.Line}:{at.Start.Column}: {message}");

        string name = "experiment", description = "";
        List<long> seeds = [1];
        YamlMappingNode? baseNode = null, grid = null;
        YamlSequenceNode? filters = null;
        foreach (var (k, v) in root.Children)
        {
            switch (((YamlScalarNode)k).Value)
            {
                case "name": name = Scalar(v, "name", Error); break;
                case "description": description = Scalar(v, "description", Error); break;
                case "seeds": seeds = Sequence(v, "seeds", Error).Select(s => ParseLong(s, "seeds", Error)).ToList(); break;
                case "base": baseNode = v as YamlMappingNode ?? throw Error(v, "base: expected a training config mapping"); break;
                case "grid": grid = v as YamlMappingNode ?? throw Error(v, "grid: expected a mapping (constrained, panels)"); break;
                case "filters": filters = v as YamlSequenceNode ?? throw Error(v, "filters: expected a list of runs (- id: …)"); break;
                default: throw Error(k, $"unknown field '{((YamlScalarNode)k).Value}' (known: name, description, seeds, base, grid, filters)");
            }
        }
        if (baseNode is null) throw Error(root, "missing section 'base' (a training config: steps, batch_size, model, optimizer, …)");
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count) throw Error(root, "seeds: give one or more distinct seeds, e.g. [1, 2]");
        if (grid is null && filters is null) throw Error(root, "nothing to run: add a 'grid' and/or a 'filters' section");
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw Error(root, "name: must be a non-empty file-name-safe string");

        var baseConfig = TrainingConfigLoader.Parse(SectionText(yaml, baseNode, name), source, baseDirectory);
        var cells = new List<ExperimentCell>();
        if (grid is not null) AddGrid(grid, baseConfig, seeds, cells, Error);
        if (filters is not null)
        {
            foreach (var item in filters.Children)
            {
                var map = item as YamlMappingNode ?? throw Error(item, "filters: each entry is a mapping (id: …, overrides)");
                string? id = null;
                var config = baseConfig;
                foreach (var (k, v) in map.Children)
                {
                    string key = ((YamlScalarNode)k).Value!;
                    if (key == "id") id = Scalar(v, "filters.id", Error);
                    else config = Override(config, key, v, "filters." + key, Error);
                }
                if (string.IsNullOrWhiteSpace(id)) throw Error(map, "filters: every run needs an 'id'");
                AddCell(cells, new ExperimentCell("filters-" + id, CellKind.Filters, null, null, double.NaN, config.ConstrainFilterNorms, seeds[0],
                    config), map, Error);
            }
        }
        return new ExperimentProtocol(name, description, source, cells);
    }

    private static void AddGrid(YamlMappingNode grid, TrainingConfig baseConfig, List<long> seeds, List<ExperimentCell> cells,
        Func<YamlNode, string, TrainingConfigException> error)
    {
        List<bool> constrained = [false, true];
        YamlMappingNode? panels = null;
        foreach (var (k, v) in grid.Children)
        {
            switch (((YamlScalarNode)k).Value)
            {
                case "constrained":
                    constrained = Sequence(v, "grid.constrained", error).Select(s => s switch
                    {
                        "true" => true, "false" => false, _ => throw error(v, $"grid.constrained: '{s}' is not true or false"),
                    }).ToList();
                    break;
                case "panels": panels = v as YamlMappingNode ?? throw error(v, "grid.panels: expected a mapping A:, B:, C:"); break;
                default: throw error(k, $"unknown field 'grid.{((YamlScalarNode)k).Value}' (known: constrained, panels)");
            }
        }
        if (panels is null) throw error(grid, "grid: missing 'panels'");
        foreach (var (pk, pv) in panels.Children)
        {
            string panel = ((YamlScalarNode)pk).Value!;
            if (panel is not ("A" or "B" or "C")) throw error(pk, $"grid.panels: unknown panel '{panel}' (A: learning rate, B: momentum, C: weight decay)");
            var map = pv as YamlMappingNode ?? throw error(pv, $"grid.panels.{panel}: expected a mapping (vary, values, overrides)");
            string? vary = null;
            List<double> values = [];
            var config = baseConfig;
            foreach (var (k, v) in map.Children)
            {
                string key = ((YamlScalarNode)k).Value!;
                string field = $"grid.panels.{panel}.{key}";
                if (key == "vary")
                {
                    vary = Scalar(v, field, error);
                    if (!Variables.Contains(vary)) throw error(v, $"{field}: '{vary}' is not one of {string.Join(", ", Variables)}");
                }
                else if (key == "values") values = Sequence(v, field, error).Select(s => ParseDouble(s, field, v, error)).ToList();
                else config = Override(config, key, v, field, error);
            }
            if (vary is null || values.Count == 0) throw error(map, $"grid.panels.{panel}: needs 'vary' and a non-empty 'values' list");
            foreach (double value in values)
            foreach (bool c in constrained)
            foreach (long seed in seeds)
            {
                var cellConfig = config with { ConstrainFilterNorms = c };
                cellConfig = vary switch
                {
                    "lr" => cellConfig with { Schedule = cellConfig.Schedule with { BaseRate = value } },
                    "momentum" => cellConfig with { Optimizer = cellConfig.Optimizer with { Momentum = value } },
                    _ => cellConfig with { Optimizer = cellConfig.Optimizer with { WeightDecay = value } },
                };
                string id = string.Create(CultureInfo.InvariantCulture, $"{panel}-{vary}{value:R}-{(c ? "constrained" : "free")}-s{seed}");
                AddCell(cells, new ExperimentCell(id, CellKind.Grid, panel, vary, value, c, seed, cellConfig), map, error);
            }
        }
    }

    private static void AddCell(List<ExperimentCell> cells, ExperimentCell cell, YamlNode at, Func<YamlNode, string, TrainingConfigException> error)
    {
        var config = cell.Config with { Name = cell.Id, Seed = cell.Seed };
        try { config.Validate(); }
        catch (ArgumentException e) { throw error(at, $"run '{cell.Id}': {e.Message}"); }
        if (cells.Any(c => c.Id == cell.Id)) throw error(at, $"run id '{cell.Id}' appears twice");
        cells.Add(cell with { Config = config });
    }

    private static TrainingConfig Override(TrainingConfig c, string key, YamlNode v, string field, Func<YamlNode, string, TrainingConfigException> error)
    {
        double D() => ParseDouble(Scalar(v, field, error), field, v, error);
        int I() => checked((int)ParseLong(Scalar(v, field, error), field, error, v));
        return key switch
        {
            "lr" => c with { Schedule = c.Schedule with { BaseRate = D() } },
            "momentum" => c with { Optimizer = c.Optimizer with { Momentum = D() } },
            "weight_decay" => c with { Optimizer = c.Optimizer with { WeightDecay = D() } },
            "milestones" => c with { Schedule = c.Schedule with { Milestones = Sequence(v, field, error).Select(s => ParseLong(s, field, error, v)).ToList() } },
            "bn_epsilon" => c with { Model = c.Model with { BatchNormEpsilon = D() } },
            "constrain_filter_norms" => c with { ConstrainFilterNorms = Scalar(v, field, error) == "true" },
            "steps" => c with { Steps = ParseLong(Scalar(v, field, error), field, error, v) },
            "log_every" => c with { LogEvery = I() },
            "transfer_every" => c with { TransferEvery = I() },
            "measure_every" => c with { MeasureEvery = I() },
            "measure_window" => c with { MeasureWindow = I() },
            _ => throw error(v, $"unknown override '{field}' (known: lr, momentum, weight_decay, milestones, bn_epsilon, constrain_filter_norms, steps, log_every, measure_every, measure_window, transfer_every)"),
        };
    }

    // The base mapping's own lines, everything else blanked, so TrainingConfigLoader reports the protocol's line numbers.
    private static string SectionText(string yaml, YamlMappingNode node, string name)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        long first = node.Start.Line, last = lines.Length;
        for (long i = first; i < lines.Length; i++)
        {
            string l = lines[i];   // 0-based index i is line i+1
            if (l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] != '#') { last = i; break; }
        }
        var kept = lines.Select((l, i) => i + 1 >= first && i + 1 <= last ? l : "").ToList();
        bool hasName = node.Children.Any(p => p.Key is YamlScalarNode { Value: "name" });
        if (!hasName) kept[0] = "name: '" + name.Replace("'", "''", StringComparison.Ordinal) + "'";   // placeholder, replaced per cell
        int indent = lines[(int)first - 1].TakeWhile(char.IsWhiteSpace).Count();
        if (!hasName && indent > 0) kept[0] = new string(' ', indent) + kept[0];
        return string.Join('\n', kept);
    }

    private static string Scalar(YamlNode v, string field, Func<YamlNode, string, TrainingConfigException> error) =>
        (v as YamlScalarNode)?.Value ?? throw error(v, $"{field}: expected a single value");

    private static List<string> Sequence(YamlNode v, string field, Func<YamlNode, string, TrainingConfigException> error) =>
        (v as YamlSequenceNode ?? throw error(v, $"{field}: expected a list such as [1, 2]")).Children.Select(c => Scalar(c, field, error)).ToList();

    private static long ParseLong(string s, string field, Func<YamlNode, string, TrainingConfigException> error, YamlNode? at = null) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x
            : throw error(at ?? new YamlScalarNode(s), $"{field}: '{s}' is not an integer");

    private static double ParseDouble(string s, string field, YamlNode at, Func<YamlNode, string, TrainingConfigException> error) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x
            : throw error(at, $"{field}: '{s}' is not a number (use '.' as decimal separator, e.g. 0.1 or 5e-4)");
}

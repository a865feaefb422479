using System.Globalization;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Runs;

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

    /// <summary>Most runs one protocol may define (grid cells and filter runs together): far above any real protocol
    /// (the GPU grid has a few dozen), and low enough that a mistyped list is refused before the cells are built.</summary>
    public const int MaxRuns = 10_000;

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
        try
        {
            return Parse(YamlDocument.ParseMapping(yaml, source,
                "expected one YAML document holding a mapping (name, base, grid, filters)."), baseDirectory);
        }
        catch (YamlInputException e)
        {
            throw new TrainingConfigException(e.Message, e);
        }
    }

    private static ExperimentProtocol Parse(YamlMap root, string? baseDirectory)
    {
        string name = "experiment", description = "";
        List<long> seeds = [1];
        YamlMap? baseNode = null, grid = null;
        YamlList? filters = null;
        foreach (var (k, v) in root.Entries)
        {
            switch (k.Text)
            {
                case "name": name = v.AsScalar("name").Text; break;
                case "description": description = v.AsScalar("description").Text; break;
                case "seeds": seeds = Scalars(v, "seeds").Select(s => s.AsLong("seeds")).ToList(); break;
                case "base": baseNode = v.AsMap("base", "a training config"); break;
                case "grid": grid = v.AsMap("grid", "constrained, panels"); break;
                case "filters": filters = v.AsList("filters", "- id: … lines, one run each"); break;
                default: throw k.Error("", $"unknown field '{k.Text}' (known: name, description, seeds, base, grid, filters)");
            }
        }
        if (baseNode is null) throw root.Error("", "missing section 'base' (a training config: steps, batch_size, model, optimizer, …)");
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count) throw root.Error("seeds", "give one or more distinct seeds, e.g. [1, 2]");
        if (grid is null && filters is null) throw root.Error("", "nothing to run: add a 'grid' and/or a 'filters' section");
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw root.Error("name", "must be a non-empty file-name-safe string");

        var baseConfig = TrainingConfigLoader.Parse(baseNode, baseDirectory, name);
        var cells = new List<ExperimentCell>();
        if (grid is not null) AddGrid(grid, baseConfig, seeds, cells);
        if (filters is not null)
        {
            if (filters.Items.Count + cells.Count > MaxRuns)
                throw filters.Error("filters", string.Create(CultureInfo.InvariantCulture,
                    $"{filters.Items.Count} filter runs and {cells.Count} grid runs are more than ExperimentProtocolLoader.MaxRuns = {MaxRuns} runs"));
            foreach (var item in filters.Items)
            {
                var map = item.AsMap("filters", "id: …, overrides");
                string? id = null;
                var config = baseConfig;
                foreach (var (k, v) in map.Entries)
                {
                    if (k.Text == "id") id = v.AsScalar("filters.id").Text;
                    else config = Override(config, k.Text, v, "filters." + k.Text);
                }
                if (string.IsNullOrWhiteSpace(id)) throw map.Error("filters", "every run needs an 'id'");
                AddCell(cells, new ExperimentCell("filters-" + id, CellKind.Filters, null, null, double.NaN, config.ConstrainFilterNorms, seeds[0],
                    config), map);
            }
        }
        return new ExperimentProtocol(name, description, root.Source, cells);
    }

    private static void AddGrid(YamlMap grid, TrainingConfig baseConfig, List<long> seeds, List<ExperimentCell> cells)
    {
        List<bool> constrained = [false, true];
        YamlMap? panels = null;
        foreach (var (k, v) in grid.Entries)
        {
            switch (k.Text)
            {
                case "constrained": constrained = Scalars(v, "grid.constrained").Select(s => s.AsBool("grid.constrained")).ToList(); break;
                case "panels": panels = v.AsMap("grid.panels", "A:, B:, C:"); break;
                default: throw k.Error("", $"unknown field 'grid.{k.Text}' (known: constrained, panels)");
            }
        }
        if (panels is null) throw grid.Error("grid", "missing 'panels'");
        foreach (var (pk, pv) in panels.Entries)
        {
            string panel = pk.Text;
            if (panel is not ("A" or "B" or "C")) throw pk.Error("grid.panels", $"unknown panel '{panel}' (A: learning rate, B: momentum, C: weight decay)");
            var map = pv.AsMap($"grid.panels.{panel}", "vary, values, overrides");
            string? vary = null;
            List<double> values = [];
            var config = baseConfig;
            foreach (var (k, v) in map.Entries)
            {
                string key = k.Text;
                string field = $"grid.panels.{panel}.{key}";
                if (key == "vary")
                {
                    vary = v.AsScalar(field).Text;
                    if (!Variables.Contains(vary)) throw v.Error(field, $"'{vary}' is not one of {string.Join(", ", Variables)}");
                }
                else if (key == "values") values = Scalars(v, field).Select(s => s.AsDouble(field)).ToList();
                else config = Override(config, key, v, field);
            }
            if (vary is null || values.Count == 0) throw map.Error($"grid.panels.{panel}", "needs 'vary' and a non-empty 'values' list");
            if ((long)values.Count * constrained.Count * seeds.Count + cells.Count > MaxRuns)
                throw map.Error($"grid.panels.{panel}", string.Create(CultureInfo.InvariantCulture,
                    $"defines {(long)values.Count * constrained.Count * seeds.Count} runs ({values.Count} values × {constrained.Count} constrained flags × {seeds.Count} seeds), more than ExperimentProtocolLoader.MaxRuns = {MaxRuns} in the whole protocol; use fewer values or seeds"));
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
                AddCell(cells, new ExperimentCell(id, CellKind.Grid, panel, vary, value, c, seed, cellConfig), map);
            }
        }
    }

    private static void AddCell(List<ExperimentCell> cells, ExperimentCell cell, YamlValue at)
    {
        var config = cell.Config with { Name = cell.Id, Seed = cell.Seed };
        try { config.Validate(); }
        catch (ArgumentException e) { throw at.Error("", $"run '{cell.Id}': {e.Message}"); }
        if (cells.Any(c => c.Id == cell.Id)) throw at.Error("", $"run id '{cell.Id}' appears twice");
        cells.Add(cell with { Config = config });
    }

    private static TrainingConfig Override(TrainingConfig c, string key, YamlValue v, string field)
    {
        double D() => v.AsScalar(field).AsDouble(field);
        long L() => v.AsScalar(field).AsLong(field);
        int I() => v.AsScalar(field).AsInt(field);
        return key switch
        {
            "lr" => c with { Schedule = c.Schedule with { BaseRate = D() } },
            "momentum" => c with { Optimizer = c.Optimizer with { Momentum = D() } },
            "weight_decay" => c with { Optimizer = c.Optimizer with { WeightDecay = D() } },
            "milestones" => c with { Schedule = c.Schedule with { Milestones = Scalars(v, field).Select(s => s.AsLong(field)).ToList() } },
            "bn_epsilon" => c with { Model = c.Model with { BatchNormEpsilon = D() } },
            "constrain_filter_norms" => c with { ConstrainFilterNorms = v.AsScalar(field).Text == "true" },
            "steps" => c with { Steps = L() },
            "log_every" => c with { LogEvery = I() },
            "transfer_every" => c with { TransferEvery = I() },
            "measure_every" => c with { MeasureEvery = I() },
            "measure_window" => c with { MeasureWindow = I() },
            _ => throw v.Error("", $"unknown override '{field}' (known: lr, momentum, weight_decay, milestones, bn_epsilon, constrain_filter_norms, steps, log_every, measure_every, measure_window, transfer_every)"),
        };
    }

    private static IEnumerable<YamlScalar> Scalars(YamlValue v, string field) =>
        v.AsList(field).Items.Select(item => item.AsScalar(field));
}

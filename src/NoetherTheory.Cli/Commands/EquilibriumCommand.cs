using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using NoetherTheory.Cli.Reports;
using NoetherTheory.Core.Documents;
using NoetherTheory.Core.IO;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether equilibrium</c>: a training run's measured rotational equilibrium per layer against the one the
/// engine derives from the run's rule (theory/05-learning-dynamics.md#eq-5-8) (<c>--run</c>); the Fig. 4 outcome predicted
/// from the unconstrained cells' measured effective learning rates before the accuracies are read (<c>--predict</c>), and
/// that prediction scored against the grid's results (<c>--score</c>).</summary>
internal static class EquilibriumCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Option<DirectoryInfo[]>("--run") { Description = "Run folder(s) written by `noether train` or `validate` (config.yaml, filters.csv with angles)", AllowMultipleArgumentsPerToken = true };
        var predict = new Option<bool>("--predict") { Description = "Predict each unconstrained grid cell's outcome from its measured effective learning rate (norms only; needs --grid and --out)" };
        var grid = new Option<DirectoryInfo?>("--grid") { Description = "A `noether validate` output folder (cells/<id>/config.yaml and filters.csv) to predict from" };
        var until = new Option<long?>("--until-step") { Description = "Also use unconstrained cells still training, up to this step (an early window); running cells that have not reached it are left out" };
        var score = new Option<FileInfo?>("--score") { Description = "Score this forecast (written by --predict) against the grid's results (needs --results)" };
        var results = new Option<FileInfo?>("--results") { Description = "The grid's summary.json (written by `noether validate`) to score against, or its output folder with --experiment (the cells finished so far)" };
        var experiment = new Option<FileInfo?>("--experiment") { Description = "With --results <folder>: the grid's protocol, to read the finished cells of an unfinished grid" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the result document here (JSON; a forecast is written once and never overwritten)" };
        var command = new Command("equilibrium", "Predicted against measured rotational equilibrium (angle per step, norm, effective learning rate) per layer of training runs; the Fig. 4 outcome predicted from it and scored.")
        {
            run, predict, grid, until, score, results, experiment, output,
        };
        command.SetAction(parse =>
        {
            var runs = parse.GetValue(run) ?? [];
            bool isPredict = parse.GetValue(predict);
            var scoreFile = parse.GetValue(score);
            int modes = (runs.Length > 0 ? 1 : 0) + (isPredict ? 1 : 0) + (scoreFile is not null ? 1 : 0);
            if (modes != 1)
                throw new UsageException("give exactly one of --run <folder>…, --predict --grid <folder> --out <file>, or --score <forecast.json> --results <summary.json>.");
            if (isPredict)
                return Predict(context, parse.GetValue(grid) ?? throw new UsageException("--predict needs --grid <folder> (a `noether validate` output folder)."),
                    parse.GetValue(output) ?? throw new UsageException("--predict needs --out <file>: the forecast must be kept to be scored."), parse.GetValue(until));
            if (scoreFile is not null)
                return Score(context, scoreFile, parse.GetValue(results) ?? throw new UsageException("--score needs --results <summary.json> (written by `noether validate`)."),
                    parse.GetValue(experiment), parse.GetValue(output));
            return Runs(context, runs, parse.GetValue(output));
        });
        return command;
    }

    private static int Runs(CliContext context, DirectoryInfo[] folders, FileInfo? output)
    {
        var entries = new List<RunEquilibriumEntry>();
        foreach (var folder in folders)
        {
            var (report, config) = AnalyseRun(folder);
            context.Out.WriteLine($"run {folder.Name}:");
            context.Out.Write(EquilibriumAnalysis.Format(report));
            if (config.Schedule.Milestones.Any(m => m <= report.LastStep))
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"noether: {folder.Name}: the learning rate dropped during the run; the prediction uses η = {config.Schedule.At(report.LastStep)} of the last step."));
            entries.Add(new RunEquilibriumEntry(folder.Name, report.Rule, config.Schedule.At(report.LastStep), config.Adam?.WeightDecay ?? config.Optimizer.WeightDecay,
                report.Layers.Count > 0 ? report.Layers[0].PredictedAngle : double.NaN, report.RelaxationSteps, report.WindowStart, report.LastStep,
                report.Equilibrated, report.MedianAngleError,
                [.. report.Layers.Select(l => new LayerEquilibriumEntry(l.Layer, l.Filters, l.MeasuredAngle, l.AngleError, l.NormError,
                    l.EffectiveLearningRateError, l.ReachedAtStep, l.MomentumRatio, l.FirstWithinStep))], report.Note, report.Momentum?.White, report.Momentum?.Persistent));
        }
        if (output is not null)
        {
            AtomicFile.Write(output.FullName, ResultDocuments.Serialize(new EquilibriumDocument(entries)) + "\n");
            context.Error.WriteLine($"noether: wrote {output.FullName}");
        }
        return ExitCodes.Ok;
    }

    private static (EquilibriumReport Report, TrainingConfig Config) AnalyseRun(DirectoryInfo folder)
    {
        string configPath = Path.Combine(folder.FullName, "config.yaml");
        string filtersPath = Path.Combine(folder.FullName, "filters.csv");
        if (!File.Exists(configPath) || !File.Exists(filtersPath))
            throw new UsageException($"--run '{folder.FullName}' is not a run folder: it needs config.yaml and filters.csv (written by `noether train`).");
        var config = TrainCommand.LoadConfig(configPath);
        if (config.ConstrainFilterNorms)
            throw new UsageException($"{configPath}: constrain_filter_norms is true: the filter norms are held fixed, so there is no norm equilibrium to compare with.");
        var traces = ReadTraces(filtersPath, File.ReadAllText(filtersPath));
        var catalog = DeriveCommand.LoadCatalog(RepositoryLayout.Catalog());
        string ruleId = config.Adam?.RuleId
            ?? (config.Optimizer.Nesterov ? "nesterov" : config.Optimizer.DecoupledWeightDecay ? "heavy-ball-decoupled" : "heavy-ball");
        var rule = catalog.Rule(ruleId);
        long last = traces.Max(t => t.Samples[^1].Step);
        var known = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["eta"] = config.Schedule.At(last),
            ["k"] = config.Adam?.WeightDecay ?? config.Optimizer.WeightDecay,
            ["beta"] = config.Optimizer.Momentum,
            ["delta"] = config.Optimizer.Dampening,
            ["beta1"] = config.Adam?.Beta1 ?? double.NaN,
            ["beta2"] = config.Adam?.Beta2 ?? double.NaN,
            ["eps"] = config.Adam?.Epsilon ?? double.NaN,
        };
        var values = rule.Hyperparameters.ToDictionary(h => Expr.Symbol(h.Name),
            h => known.TryGetValue(h.Name, out double x) ? x : throw new UsageException($"rule '{rule.Id}' has a hyperparameter '{h.Name}' the run config does not give."));
        if (values[Coordinates.K] <= 0)
            throw new UsageException($"{configPath}: weight_decay is 0: without decay the norm grows without bound and there is no equilibrium.");
        try
        {
            // The adaptive norm law r²* = ηC/(2k) needs each filter's number of weights C.
            var fanIn = config.Adam is null ? null : FanIns(config);
            return (EquilibriumAnalysis.Analyse(traces, rule, values, fanIn), config);
        }
        catch (NoetherTheoryException e)
        {
            throw new UsageException($"{filtersPath}: {e.Message}");
        }
    }

    /// <summary>Weights per filter that receive a gradient, for each BN-preceded conv of the run's VGG11-BN (input channels and
    /// size from its data set): the C of the adaptive norm law, whose zero-gradient coordinates only decay.</summary>
    internal static Dictionary<string, int> FanIns(TrainingConfig config)
    {
        var (channels, size) = config.Dataset.Kind switch
        {
            DatasetKind.FashionMnist => (1, 28),
            DatasetKind.TinyImageNet => (3, 64),
            DatasetKind.Synthetic => (config.Dataset.Synthetic?.Channels ?? new Torch.Data.SyntheticImageOptions().Channels,
                config.Dataset.Synthetic?.Size ?? new Torch.Data.SyntheticImageOptions().Size),
            _ => throw new UsageException($"data set {config.Dataset.Kind}: its image shape is not known to `noether equilibrium`."),
        };
        return (config.Model with { InputChannels = channels, InputSize = size }).ConvActiveFanIns().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    // The text up to its last complete line (a running cell appends to its log), parsed.
    private static IReadOnlyList<FilterTrace> ReadTraces(string path, string text)
    {
        int end = text.LastIndexOf('\n');
        try
        {
            return FilterCsv.Parse(new StringReader(end < 0 ? text : text[..(end + 1)]), path);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Predict(CliContext context, DirectoryInfo grid, FileInfo output, long? untilStep)
    {
        if (output.Exists)
            throw new UsageException($"--out '{output.FullName}' exists: a forecast is written once, before the results are read; give a new file.");
        if (untilStep is < 1)
            throw new UsageException($"--until-step {untilStep}: must be ≥ 1.");
        var cellsDir = Path.Combine(grid.FullName, "cells");
        if (!Directory.Exists(cellsDir))
            throw new UsageException($"--grid '{grid.FullName}' is not a `noether validate` output folder: it has no cells/ folder.");
        var runs = new List<ForecastRun>();
        var lastSteps = new List<long?>();
        foreach (var dir in Directory.GetDirectories(cellsDir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            string configPath = Path.Combine(dir, "config.yaml"), filtersPath = Path.Combine(dir, "filters.csv");
            if (!File.Exists(configPath) || !File.Exists(filtersPath))
            {
                context.Error.WriteLine($"noether: {name}: no config.yaml or filters.csv yet; left out.");
                continue;
            }
            var config = TrainCommand.LoadConfig(configPath);
            if (config.ConstrainFilterNorms) continue;
            if (config.Schedule.Milestones.Count > 0)
                throw new UsageException($"{configPath}: the schedule has milestones: the forecast compares constant learning rates (Fig. 4 panel A).");
            // Only the files the forecast uses are read: config.yaml and filters.csv, never metrics.csv or result.yaml.
            bool finished = File.Exists(Path.Combine(dir, "result.yaml"));
            if (untilStep is null && !finished)
            {
                context.Error.WriteLine($"noether: {name}: still running; left out (give --until-step to use an early window).");
                continue;
            }
            byte[] bytes = File.ReadAllBytes(filtersPath);
            var traces = ReadTraces(filtersPath, System.Text.Encoding.UTF8.GetString(bytes));
            long last = traces.Count == 0 ? -1 : traces.Max(t => t.Samples[^1].Step);
            if (!finished && untilStep is { } u && last < u)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"noether: {name}: measured up to step {last} < --until-step {u}; left out."));
                continue;
            }
            string panel = name.Split('-')[0];
            runs.Add(new ForecastRun(name, panel, config.Schedule.BaseRate, config.Seed, filtersPath, Convert.ToHexStringLower(SHA256.HashData(bytes)), traces));
            lastSteps.Add(finished ? null : untilStep);
        }
        if (runs.Count == 0)
            throw new UsageException($"--grid '{grid.FullName}': no unconstrained cell to predict from yet{(untilStep is null ? " (none finished; try --until-step)" : "")}.");
        IReadOnlyList<ForecastInputEntry> inputs;
        IReadOnlyList<ForecastCellEntry> cells;
        try
        {
            (inputs, cells) = EquilibriumForecast.Predict(runs, lastSteps);
        }
        catch (NoetherTheoryException e)
        {
            throw new UsageException(e.Message);
        }
        var (commit, dirty) = GitInfo.Read(RepositoryLayout.Root());
        var document = new ForecastDocument(grid.Name, grid.FullName, dirty ? commit + "+dirty" : commit,
            DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), untilStep, EquilibriumForecast.WindowFraction,
            EquilibriumForecast.Method, inputs, cells);
        AtomicFile.Write(output.FullName, ResultDocuments.Serialize(document) + "\n");
        foreach (var cell in cells) context.Out.WriteLine(cell.Statement);
        context.Error.WriteLine($"noether: wrote {output.FullName} ({document.CreatedUtc}, commit {document.Commit})");
        return ExitCodes.Ok;
    }

    // The finished grid cells of a validate output folder (cell.json written), analysed as validate would: a grid still running
    // can be scored on what has finished; the cells that have not are missing and their learning rates fail.
    private static ValidateDocument FinishedCells(CliContext context, string folder, FileInfo experiment)
    {
        var protocol = ValidateCommand.LoadProtocol(experiment.FullName);
        var outcomes = new List<Torch.Experiments.CellOutcome>();
        foreach (var cell in protocol.Cells.Where(c => c.Kind == Torch.Experiments.CellKind.Grid))
        {
            if (Torch.Experiments.ExperimentRunner.TryReadFinished(folder, cell) is { } done) outcomes.Add(done);
            else context.Error.WriteLine($"noether: {cell.Id}: not finished (or another config) in {folder}; left out.");
        }
        if (outcomes.Count == 0) throw new UsageException($"--results '{folder}': no finished grid cell of protocol {protocol.Name}.");
        return Validation.DeepNetValidation.Summarise(protocol, outcomes, outcomes[0].Device);
    }

    private static int Score(CliContext context, FileInfo forecastFile, FileInfo resultsFile, FileInfo? experiment, FileInfo? output)
    {
        ForecastDocument forecast;
        ValidateDocument results;
        try
        {
            forecast = ResultDocuments.Read<ForecastDocument>(forecastFile.FullName);
            results = Directory.Exists(resultsFile.FullName)
                ? FinishedCells(context, resultsFile.FullName, experiment ?? throw new UsageException($"--results '{resultsFile.FullName}' is a folder: give the grid's protocol with --experiment (or give its summary.json)."))
                : ResultDocuments.Read<ValidateDocument>(resultsFile.FullName);
        }
        catch (DocumentFormatException e)
        {
            throw new UsageException(e.Message);
        }
        catch (IOException e)
        {
            throw new UsageException($"{e.Message} (--score takes a forecast written by `noether equilibrium --predict`, --results a summary.json).");
        }
        if (results.Grid is null)
            throw new UsageException($"{resultsFile.FullName}: the summary has no Fig. 4 grid analysis (not a grid protocol's summary.json).");
        if (!DateTime.TryParse(forecast.CreatedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
            throw new UsageException($"{forecastFile.FullName}: createdUtc '{forecast.CreatedUtc}' is not a time.");
        // Per learning rate, how many of its runs (both kinds) had finished when the forecast was written: result.yaml older
        // than the forecast (createdUtc has whole seconds, so a result within the same second counts as finished before).
        var finished = forecast.Cells.Select(c => c.LearningRate).Distinct().ToDictionary(eta => eta, eta =>
        {
            var files = results.Cells.Where(c => c.Kind == "grid" && Math.Abs(c.Value - eta) <= 1e-9 * eta).Select(c => Path.Combine(c.RunDirectory, "result.yaml")).ToList();
            return (files.Count(p => !File.Exists(p) || File.GetLastWriteTimeUtc(p) < created.AddSeconds(1)), files.Count);
        });
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(forecastFile.FullName)));
        var scored = EquilibriumForecast.Score(forecast, results.Grid.Cells, finished,
            (forecastFile.FullName, sha, resultsFile.FullName, DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        foreach (var cell in scored.Cells) context.Out.WriteLine($"{cell.Verdict,-12} {cell.Evidence}");
        context.Out.WriteLine($"forecast {scored.Verdict}: {scored.Summary}");
        if (output is not null)
        {
            AtomicFile.Write(output.FullName, ResultDocuments.Serialize(scored) + "\n");
            context.Error.WriteLine($"noether: wrote {output.FullName}");
        }
        return scored.Verdict == "holds" ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}

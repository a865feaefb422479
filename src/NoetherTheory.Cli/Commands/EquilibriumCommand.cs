using System.CommandLine;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether equilibrium --run &lt;folder&gt;</c>: a training run's measured rotational equilibrium per layer
/// against the one the engine derives from the run's rule (theory/05-learning-dynamics.md#eq-5-8).</summary>
internal static class EquilibriumCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "A run folder written by `noether train` (config.yaml, filters.csv with angles)", Required = true };
        var command = new Command("equilibrium", "Predicted against measured rotational equilibrium (angle per step, norm, effective learning rate) per layer of a training run.")
        {
            run,
        };
        command.SetAction(parse => Run(context, parse.GetValue(run)!));
        return command;
    }

    private static int Run(CliContext context, DirectoryInfo folder)
    {
        string configPath = Path.Combine(folder.FullName, "config.yaml");
        string filtersPath = Path.Combine(folder.FullName, "filters.csv");
        if (!File.Exists(configPath) || !File.Exists(filtersPath))
            throw new UsageException($"--run '{folder.FullName}' is not a run folder: it needs config.yaml and filters.csv (written by `noether train`).");
        var config = TrainCommand.LoadConfig(configPath);
        if (config.ConstrainFilterNorms)
            throw new UsageException($"{configPath}: constrain_filter_norms is true: the filter norms are held fixed, so there is no norm equilibrium to compare with.");
        IReadOnlyList<FilterTrace> traces;
        try
        {
            traces = FilterCsv.Read(filtersPath);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
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
        EquilibriumReport report;
        try
        {
            report = EquilibriumAnalysis.Analyse(traces, rule, values);
        }
        catch (NoetherTheoryException e)
        {
            throw new UsageException($"{filtersPath}: {e.Message}");
        }
        context.Out.Write(EquilibriumAnalysis.Format(report));
        if (config.Schedule.Milestones.Any(m => m <= last))
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"noether: the learning rate dropped during the run; the prediction uses η = {values[Coordinates.Eta]} of the last step."));
        return ExitCodes.Ok;
    }
}

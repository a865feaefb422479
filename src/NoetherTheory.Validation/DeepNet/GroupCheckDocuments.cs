using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>A run's <see cref="GroupCheckReport"/> and its candidates as the typed <see cref="GroupChecksDocument"/> that
/// <c>noether train</c> keeps as group-checks.json and <c>noether report</c> reads.</summary>
public static class GroupCheckDocuments
{
    /// <summary>The document of one run.</summary>
    /// <param name="report">The checked laws (<see cref="GroupChecks.Analyse"/>).</param>
    /// <param name="run">The run the report was made from (its candidates, measured or not).</param>
    /// <param name="runName">The run folder's name.</param>
    /// <param name="model">The network in words.</param>
    public static GroupChecksDocument Create(GroupCheckReport report, GroupRun run, string runName, string model)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(runName);
        ArgumentNullException.ThrowIfNull(model);
        bool applies = report.Settings.Inapplicable is null;
        return new GroupChecksDocument(runName, model, report.Settings.Momentum, report.Settings.WeightDecay, report.Settings.Inapplicable,
            report.RecursionTolerance, report.IdentityMedianTolerance, report.Passed,
            [.. run.Groups.Select(g => new GroupCandidateEntry(g.Name, g.Kind, g.Verdict, g.Cause, g.Generators, g.Measured, g.Float32Gradient, g.Float64Gradient))],
            [.. report.Groups.Select(g => new GroupLawEntry(g.Name, g.Kind, g.Verdict, g.Cause, g.Generators, g.Pairs, Entry(g.ChargeRecursion),
                Entry(g.VelocityRecursion), Entry(g.Identity), g.FirstNonFinite, applies ? report.RecursionHolds(g) : null, report.IdentityHolds(g)))],
            [.. report.Kinds.Select(k => new GroupKindEntry(k.Kind, k.Groups, k.Holding, Entry(k.ChargeRecursion), Entry(k.VelocityRecursion),
                Entry(k.Identity), Entry(k.Violation)))])
        {
            EpsilonLaws = report.Epsilon.Count == 0 ? null : [.. report.Epsilon.Select(e => new ScaleGroupEpsilonEntry(e.Name, e.Verdict, e.Cause, e.Generators,
                e.Epsilon.Samples, Entry(e.Epsilon.Violation), Entry(e.Epsilon.Residual), e.Epsilon.ResolvedSamples, Entry(e.Epsilon.RelativeError),
                e.MedianTolerance, e.FirstNonFinite, e.Holds))],
        };
    }

    /// <summary>The model of a training config in words, with its data set (e.g. "mlp (3 hidden × 256, relu, with biases) on
    /// Fashion-MNIST").</summary>
    public static string ModelName(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (config.Network ?? new NetworkConfig(Vgg: config.Model)).Architecture + " on " + config.Dataset.Kind switch
        {
            DatasetKind.Synthetic => "synthetic images",
            DatasetKind.FashionMnist => "Fashion-MNIST",
            _ => "Tiny ImageNet",
        };
    }

    /// <summary>Reads a finished run that measured groups and checks its laws (<see cref="GroupChecks"/>) into the document.</summary>
    /// <param name="runDirectory">The run folder (symmetries.csv, groups.csv, metrics.csv).</param>
    /// <param name="config">The run's config (optimizer settings, model).</param>
    /// <param name="runName">The name the document gives the run (the folder's name, a cell id).</param>
    /// <returns>The checks as text (group-checks.txt) and as the typed document.</returns>
    /// <exception cref="InvalidDataException">A file of the run is missing or malformed.</exception>
    public static (string Text, GroupChecksDocument Document) Check(string runDirectory, TrainingConfig config, string runName)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(config);
        var run = GroupRun.Read(runDirectory);
        var report = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config));
        var (settings, why) = GroupContinuousLaws.SettingsFor(config);
        var continuous = settings is null ? [] : GroupContinuousLaws.Analyse(run, settings);
        var document = Create(report, run, runName, ModelName(config)) with
        {
            ContinuousLaws = settings is null ? null : [.. continuous.Select(c => new ScaleGroupLawsEntry(c.Name, c.Generators, Entry(c.GreenLaw),
                Entry(c.Eq17), c.PersistenceIndex, FilterCheckValidation.DocumentName(c.Regime)))],
        };
        return (GroupCheckText.Format(report) + GroupContinuousLaws.Format(continuous, why), document);
    }

    private static ErrorDistributionEntry Entry(ErrorStatistics e) => new(e.Count, e.Median, e.P90, e.Max);
}

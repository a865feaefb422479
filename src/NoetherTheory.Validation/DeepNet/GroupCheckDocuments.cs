using NoetherTheory.Core.Documents;

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
                Entry(k.Identity), Entry(k.Violation)))]);
    }

    private static ErrorDistributionEntry Entry(ErrorStatistics e) => new(e.Count, e.Median, e.P90, e.Max);
}

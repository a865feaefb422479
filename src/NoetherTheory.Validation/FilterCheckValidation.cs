using System.Globalization;
using System.Text;
using System.Text.Json;
using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation;

/// <summary>The deep-net filter-check protocol: a filter run's filters.csv analysed against the learning-dynamics laws
/// (<see cref="FilterChecks"/>) and written as document entries and filter-checks.csv.</summary>
public static class FilterCheckValidation
{
    /// <summary>The header of filter-checks.csv (one row per run and layer).</summary>
    public const string ChecksCsvHeader = "cell,layer,filters,recursion_pairs,recursion_w2_max,recursion_wv_max,green_median,green_p90,eq17_median,eq17_p90,persistence_index,regime,symmetry_cosine_median,symmetry_cosine_max,eps_samples,eps_violation_median,eps_violation_max,eps_residual_median,eps_residual_max,eps_resolved,eps_relative_median,eps_relative_max";

    /// <summary>Analyses the filters.csv of a finished filter run with the settings its configuration trained with.</summary>
    public static FilterRunEntry Analyse(CellOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return ToEntry(outcome.Cell.Id, FilterChecks.Analyse(FilterCsv.Read(Path.Combine(outcome.RunDirectory, "filters.csv")),
            SettingsFor(outcome.Cell.Config)));
    }

    /// <summary>The filter-check settings a run trained with: its base learning rate, heavy-ball options, BN ε, and the
    /// analysis window up to the first learning-rate drop (or the end).</summary>
    public static FilterCheckSettings SettingsFor(Torch.Runs.TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var o = config.Optimizer;
        return new FilterCheckSettings(config.Schedule.BaseRate, o.Momentum, o.WeightDecay, o.Dampening, o.Nesterov, o.DecoupledWeightDecay,
            config.ConstrainFilterNorms, config.Model.BatchNormEpsilon,
            config.Schedule.Milestones.Count > 0 ? config.Schedule.Milestones[0] : config.Steps);
    }

    /// <summary>A report as the document's entry (enumerations as camelCase names, run-level figures stored).</summary>
    public static FilterRunEntry ToEntry(string cell, FilterCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Settings;
        return new FilterRunEntry(cell, new FilterReportEntry(
            new FilterSettingsEntry(s.LearningRate, s.Momentum, s.WeightDecay, s.Dampening, s.Nesterov, s.DecoupledWeightDecay,
                s.ConstrainedFilterNorms, s.BatchNormEpsilon, s.AnalysisEndStep, s.RecursionInapplicable),
            report.EffectiveDiscount, report.RecursionSkippedBecause, report.RecursionTolerance, report.LastAnalysedStep,
            [.. report.Layers.Select(Layer)], report.EpsilonTolerance, report.EpsilonSamples, report.EpsilonResidualMax,
            report.EpsilonResidualMedianMax, report.EpsilonViolationMax, report.SymmetryCosineMax, report.EpsilonIdentityHolds,
            report.RecursionPairs, report.RecursionMaxError, report.RecursionHolds, report.NonFinite ?? report.FirstNonFinite));
    }

    /// <summary>Whether any run checked the exact heavy-ball recursion and found it broken (a bookkeeping error), or logged a
    /// non-finite measured value (no check holds over data it could not compare).</summary>
    public static bool AnyRecursionFails(IEnumerable<FilterRunEntry> runs) =>
        runs.Any(f => (f.Report.RecursionPairs > 0 && !f.Report.RecursionHolds) || f.Report.NonFinite is not null);

    /// <summary>filter-checks.csv: one row per run and layer (numbers round-trip).</summary>
    public static string ChecksCsv(IEnumerable<FilterRunEntry> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        var checks = new StringBuilder(ChecksCsvHeader).Append('\n');
        foreach (var f in runs)
        foreach (var l in f.Report.Layers)
            checks.Append(CultureInfo.InvariantCulture, $"{f.Cell},{l.Layer},{l.Filters},{l.RecursionPairs},{R(l.RecursionWeightNorm.Max)},{R(l.RecursionWeightDotVelocity.Max)},{R(l.GreenLaw.Median)},{R(l.GreenLaw.P90)},{R(l.Eq17.Median)},{R(l.Eq17.P90)},{R(l.PersistenceIndex)},{EnumName(l.Regime)},{R(l.SymmetryCosine.Median)},{R(l.SymmetryCosine.Max)},{l.Epsilon.Samples},{R(l.Epsilon.Violation.Median)},{R(l.Epsilon.Violation.Max)},{R(l.Epsilon.Residual.Median)},{R(l.Epsilon.Residual.Max)},{l.Epsilon.ResolvedSamples},{R(l.Epsilon.RelativeError.Median)},{R(l.Epsilon.RelativeError.Max)}\n");
        return checks.ToString();
    }

    /// <summary>A document's camelCase enumeration name as the enumeration member (<c>whiteNoise</c> → <c>WhiteNoise</c>).</summary>
    public static string EnumName(string camelCase)
    {
        ArgumentNullException.ThrowIfNull(camelCase);
        return camelCase.Length == 0 ? camelCase : char.ToUpperInvariant(camelCase[0]) + camelCase[1..];
    }

    internal static string DocumentName<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static ErrorStatisticsEntry Stats(ErrorStatistics s) => new(s.Count, s.Median, s.P90, s.Max);

    private static LayerFilterEntry Layer(LayerFilterCheck l) => new(l.Layer, l.Filters, l.RecursionPairs, Stats(l.RecursionWeightNorm),
        Stats(l.RecursionWeightDotVelocity), Stats(l.GreenLaw), Stats(l.Eq17), l.GreenErrors, l.Eq17Errors, l.PersistenceIndex,
        DocumentName(l.Regime), Stats(l.SymmetryCosine),
        [.. l.Curves.Select(c => new LayerCurvePointEntry(c.Step, c.MeasuredR2, c.GreenR2, c.Eq17R2, c.EffectiveLearningRate,
            c.RmsPropEffectiveLearningRate, c.GreenError, c.Eq17Error))],
        new EpsilonCheckEntry(l.Epsilon.Samples, Stats(l.Epsilon.Violation), Stats(l.Epsilon.Residual), l.Epsilon.ResolvedSamples,
            Stats(l.Epsilon.RelativeError)));
}

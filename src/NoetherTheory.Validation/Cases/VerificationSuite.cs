using System.Diagnostics;
using System.Globalization;

namespace NoetherTheory.Validation.Cases;

/// <summary>
/// Runs verification cases (the files in <c>validation/cases</c>): each case runs a model and optimizer, evaluates its
/// law and compares measured with predicted under the case's tolerance (and its reference value, if any).
/// </summary>
public static class VerificationSuite
{
    /// <summary>The law ids a case may name.</summary>
    public static IReadOnlyList<string> Laws { get; } = CaseLaws.Table.Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Suite name that selects every case.</summary>
    public const string AllSuites = "all";

    /// <summary>Selects the cases of a suite ("all" for every case).</summary>
    /// <exception cref="ArgumentException">No case belongs to <paramref name="suite"/> (the message lists the suites).</exception>
    public static IReadOnlyList<VerificationCase> Select(IEnumerable<VerificationCase> cases, string suite)
    {
        var list = cases.ToList();
        if (suite == AllSuites) return list;
        var chosen = list.Where(c => c.Suite == suite).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"no case belongs to suite '{suite}'; suites: {AllSuites}, {string.Join(", ", list.Select(c => c.Suite).Distinct().Order(StringComparer.Ordinal))}.");
        return chosen;
    }

    /// <summary>The law ids whose cases can be traced (see <see cref="Trace"/>).</summary>
    public static IReadOnlyList<string> TracedLaws { get; } = CaseLaws.Table.Where(e => e.Traced).Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The order laws (see <see cref="Convergence"/>).</summary>
    public static IReadOnlyList<string> OrderLaws { get; } = CaseLaws.Table.Where(e => e.IsOrder).Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The most points a trace series holds (long runs are sampled with a stride).</summary>
    public const int MaxTracePoints = 2000;

    /// <summary>Runs one case. Failures inside the run (bad parameters, non-convergence) become a failed record.</summary>
    public static VerificationRecord Run(VerificationCase verificationCase)
    {
        ArgumentNullException.ThrowIfNull(verificationCase);
        return Execute(verificationCase, null);
    }

    /// <summary>Whether <see cref="Trace"/> can chart this case (its law records series).</summary>
    public static bool CanTrace(VerificationCase verificationCase)
    {
        ArgumentNullException.ThrowIfNull(verificationCase);
        return CaseLaws.ById.TryGetValue(verificationCase.Law, out var law) && law.Traced;
    }

    /// <summary>
    /// Runs a case and returns its "theory vs discrete" time series beside the verdict: for the law cases the measured
    /// charge (|q|², r², a loss curve, …) and the law's prediction against the step n; for the order cases the error
    /// against the step size on log–log axes with the fitted line. The run is the one <see cref="Run"/> performs, so
    /// the chart shows exactly what was judged. A failing run gives a trace whose <see cref="CaseTrace.Record"/> says
    /// why (its series may be empty or partial).
    /// </summary>
    /// <exception cref="ArgumentException">The case's law records no series (<see cref="TracedLaws"/> lists those that do).</exception>
    public static CaseTrace Trace(VerificationCase verificationCase)
    {
        ArgumentNullException.ThrowIfNull(verificationCase);
        var c = verificationCase;
        if (!CanTrace(c))
            throw new ArgumentException($"case '{c.Id}' uses law '{c.Law}', which records no trace; traced laws: {string.Join(", ", TracedLaws)}.",
                nameof(verificationCase));
        var sink = new TraceSink(MaxTracePoints);
        var record = Execute(c, sink);
        if (sink.Sweep is { } sweep)
        {
            var fit = FitLine(sweep.Steps, sweep.Errors, record.Measured);
            if (fit is { } line)
                foreach (double h in sweep.Steps) sink.Add(string.Create(CultureInfo.InvariantCulture, $"fit, slope {record.Measured:F2}"), SeriesRole.Guide, h, line(h));
        }
        return new CaseTrace(c.Id, c.Quantity, sink.XLabel, sink.YLabel, sink.Series(), record) { LogX = sink.LogX, LogY = sink.LogY };
    }

    /// <summary>
    /// The convergence sweep of an order case (<see cref="OrderLaws"/>): (step, error) pairs and the fitted slope, for
    /// a log–log chart.
    /// </summary>
    /// <exception cref="ArgumentException">The case's law is not an order law.</exception>
    /// <exception cref="InvalidOperationException">The sweep failed (the message carries the record's reason).</exception>
    public static ConvergenceReport Convergence(VerificationCase verificationCase)
    {
        ArgumentNullException.ThrowIfNull(verificationCase);
        var c = verificationCase;
        if (!CaseLaws.ById.TryGetValue(c.Law, out var entry) || !entry.IsOrder)
            throw new ArgumentException($"case '{c.Id}' uses law '{c.Law}', which is not an order law; order laws: {string.Join(", ", OrderLaws)}.",
                nameof(verificationCase));
        var sink = new TraceSink(MaxTracePoints);
        var record = Execute(c, sink);
        if (sink.Sweep is not { } sweep)
            throw new InvalidOperationException($"{c.SourceFile}: case '{c.Id}' produced no sweep: {record.Detail}");
        return new ConvergenceReport(c.Id, sweep.XLabel, sweep.YLabel, sweep.Steps, sweep.Errors, record.Measured, sweep.Expected, record);
    }

    private static Func<double, double>? FitLine(double[] steps, double[] errors, double slope)
    {
        var pts = steps.Zip(errors).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second)).ToList();
        if (pts.Count < 2 || !double.IsFinite(slope)) return null;
        double c = pts.Average(p => Math.Log(p.Second)) - slope * pts.Average(p => Math.Log(p.First));
        return h => Math.Exp(c) * Math.Pow(h, slope);
    }

    private static VerificationRecord Execute(VerificationCase c, TraceSink? sink)
    {
        var clock = Stopwatch.StartNew();
        if (!CaseLaws.ById.TryGetValue(c.Law, out var law))
            return Failed($"unknown law '{c.Law}'; known: {string.Join(", ", Laws)}");
        LawOutcome outcome;
        var parameters = c.LawParameters.Tracked(int.MaxValue);
        try
        {
            outcome = law.Run(c with { LawParameters = parameters }, sink);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return Failed($"{e.GetType().Name}: {e.Message}");
        }
        // The loader refuses names outside the law's declared list, so the list must hold every name the law reads.
        if (parameters.NamesRead.FirstOrDefault(n => !law.Parameters.Contains(n)) is { } undeclared)
            throw new UnreachableException($"law '{law.Id}' read lawParameters.{undeclared}, which its row in CaseLaws.Table does not declare.");
        // A NaN compares false with every bound; say so instead of letting any comparison below decide.
        if (NonFinite(outcome) is { } bad)
            return Failed(bad + "; " + outcome.Detail);
        double error = Math.Abs(outcome.Measured - outcome.Predicted);
        double bound = c.Tolerance.Bound(outcome.Measured, outcome.Predicted);
        bool passed = c.Tolerance.Accepts(outcome.Measured, outcome.Predicted);
        double? refError = null;
        string detail = outcome.Detail;
        if (c.Reference is { } reference)
        {
            double value = outcome.ReferenceMeasured ?? outcome.Measured;
            refError = Math.Abs(value - reference.Value);
            bool refOk = reference.Tolerance.Accepts(value, reference.Value);
            passed &= refOk;
            detail += string.Create(CultureInfo.InvariantCulture,
                $"; reference {reference.Value:G6} ({reference.Source}) vs {value:G6}: {(refOk ? "ok" : "MISMATCH")}");
        }
        return new VerificationRecord(c.Id, c.Suite, c.Law, c.Quantity, outcome.Measured, outcome.Predicted, error, bound,
            c.Tolerance, refError, passed, clock.Elapsed, detail) { Theory = c.Theory, ReferenceKind = c.ReferenceKind };

        VerificationRecord Failed(string why) => new(c.Id, c.Suite, c.Law, c.Quantity, double.NaN, double.NaN, double.NaN,
            double.NaN, c.Tolerance, null, false, clock.Elapsed, why) { Theory = c.Theory, ReferenceKind = c.ReferenceKind };
    }

    private static string? NonFinite(LawOutcome o) =>
        !double.IsFinite(o.Measured) ? string.Create(CultureInfo.InvariantCulture, $"non-finite measured value {o.Measured}")
        : !double.IsFinite(o.Predicted) ? string.Create(CultureInfo.InvariantCulture, $"non-finite predicted value {o.Predicted}")
        : o.ReferenceMeasured is { } r && !double.IsFinite(r) ? string.Create(CultureInfo.InvariantCulture, $"non-finite reference measurement {r}")
        : null;

    /// <summary>Runs cases in parallel (results in input order).</summary>
    public static IReadOnlyList<VerificationRecord> RunAll(IEnumerable<VerificationCase> cases, int maxParallelism = -1)
    {
        var list = cases.ToList();
        var results = new VerificationRecord[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, i => results[i] = Run(list[i]));
        return results;
    }

    /// <summary>Loads <paramref name="directory"/> and runs a suite.</summary>
    public static IReadOnlyList<VerificationRecord> RunDirectory(string directory, string suite = AllSuites) =>
        RunAll(Select(CaseLoader.LoadDirectory(directory), suite));
}

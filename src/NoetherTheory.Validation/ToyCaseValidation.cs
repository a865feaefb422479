using NoetherTheory.Core.Documents;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Validation;

/// <summary>One toy case run: its verdict and, when its law records one, the trace that was judged.</summary>
/// <param name="Record">The verdict.</param>
/// <param name="Trace">Measured and predicted series, or null for untraced laws.</param>
public sealed record CaseOutcome(VerificationRecord Record, CaseTrace? Trace);

/// <summary>The toy-case protocol (validation/cases): load a suite, run it, and write the <c>noether.verify/1</c> document.</summary>
public static class ToyCaseValidation
{
    /// <summary>Points kept per series in the document (enough for a figure; the verdict used every point).</summary>
    public const int MaxDocumentPoints = 400;

    /// <summary>Loads the cases of <paramref name="directory"/> and selects a suite.</summary>
    /// <exception cref="CaseFormatException">A case file is malformed.</exception>
    /// <exception cref="ArgumentException">No case belongs to <paramref name="suite"/>.</exception>
    public static IReadOnlyList<VerificationCase> Load(string directory, string suite) => Load(directory, suite, CaseLimits.Default);

    /// <summary>Loads the cases of <paramref name="directory"/> under <paramref name="limits"/> and selects a suite.</summary>
    /// <exception cref="CaseFormatException">A case file is malformed or above a limit.</exception>
    /// <exception cref="ArgumentException">No case belongs to <paramref name="suite"/>.</exception>
    public static IReadOnlyList<VerificationCase> Load(string directory, string suite, CaseLimits limits) =>
        VerificationSuite.Select(CaseLoader.LoadDirectory(directory, limits), suite);

    /// <summary>Runs cases in parallel (results in input order), keeping the trace of every case whose law records one. A
    /// traced case runs once, through the same code path as an untraced one.</summary>
    public static IReadOnlyList<CaseOutcome> Run(IReadOnlyList<VerificationCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var outcomes = new CaseOutcome[cases.Count];
        Parallel.For(0, cases.Count, i =>
        {
            var c = cases[i];
            if (VerificationSuite.CanTrace(c))
            {
                var trace = VerificationSuite.Trace(c);
                outcomes[i] = new CaseOutcome(trace.Record, trace);
            }
            else
            {
                outcomes[i] = new CaseOutcome(VerificationSuite.Run(c), null);
            }
        });
        return outcomes;
    }

    /// <summary>The outcomes as a <c>noether.verify/1</c> document, each series thinned to <see cref="MaxDocumentPoints"/>.</summary>
    public static VerifyDocument ToDocument(IEnumerable<CaseOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var entries = outcomes.Select(o =>
        {
            var r = o.Record;
            return new VerificationEntry(r.CaseId, r.Suite, r.Law, r.Quantity, r.Measured, r.Predicted, r.Error,
                r.Bound, r.Tolerance.Abs, r.Tolerance.Rel, r.ReferenceError, r.Passed, r.Runtime.TotalSeconds, r.Detail)
            {
                Theory = r.Theory,
                ReferenceKind = r.ReferenceKindName,
                Trace = o.Trace is { } t ? new TraceEntry(t.Title, t.XLabel, t.YLabel, t.LogX, t.LogY, [.. t.Series.Select(Thin)]) : null,
            };
        }).ToList();
        return new VerifyDocument(entries.Count(e => e.Passed), entries.Count(e => !e.Passed), entries);
    }

    private static SeriesEntry Thin(TraceSeries s)
    {
        int n = s.X.Count;
        string role = s.Role.ToString().ToLowerInvariant();
        if (n <= MaxDocumentPoints)
            return new SeriesEntry(s.Name, role, s.X, s.Y);
        var keep = Enumerable.Range(0, MaxDocumentPoints).Select(i => (int)Math.Round(i * (n - 1) / (double)(MaxDocumentPoints - 1))).Distinct().ToList();
        return new SeriesEntry(s.Name, role, [.. keep.Select(i => s.X[i])], [.. keep.Select(i => s.Y[i])]);
    }
}

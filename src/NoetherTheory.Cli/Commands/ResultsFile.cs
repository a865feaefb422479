using System.Text.Json;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Reporting.Export;

namespace NoetherTheory.Cli.Commands;

/// <summary>The JSON file of verification records that <c>verify --out</c> writes and <c>report</c> reads.</summary>
internal static class ResultsFile
{
    /// <summary>One record as written (stable field names, documented in the README).</summary>
    internal sealed record Entry(string Case, string Suite, string Law, string Quantity, double Measured, double Predicted,
        double Error, double Bound, double ToleranceAbs, double ToleranceRel, double? ReferenceError, bool Passed,
        double RuntimeSeconds, string Detail)
    {
        public IReadOnlyList<string> Theory { get; init; } = [];
        public Trace? Trace { get; init; }
    }

    /// <summary>Measured and predicted series of a case, thinned to at most <see cref="MaxPoints"/> points each.</summary>
    internal sealed record Trace(string Title, string XLabel, string YLabel, bool LogX, bool LogY, IReadOnlyList<Series> Series);

    /// <summary>One series; <c>role</c> is measured, predicted or guide.</summary>
    internal sealed record Series(string Name, string Role, IReadOnlyList<double> X, IReadOnlyList<double> Y);

    /// <summary>Points kept per series in the results file (enough for a figure; the case's verdict used every point).</summary>
    public const int MaxPoints = 400;

    internal sealed record Document(string Kind, int Passed, int Failed, IReadOnlyList<Entry> Records);

    public static void Write(string path, IReadOnlyList<(VerificationRecord Record, CaseTrace? Trace)> outcomes)
    {
        var entries = outcomes.Select(o =>
        {
            var r = o.Record;
            return new Entry(r.CaseId, r.Suite, r.Law, r.Quantity, r.Measured, r.Predicted, r.Error,
                r.Bound, r.Tolerance.Abs, r.Tolerance.Rel, r.ReferenceError, r.Passed, r.Runtime.TotalSeconds, r.Detail)
            {
                Theory = r.Theory,
                Trace = o.Trace is { } t ? new Trace(t.Title, t.XLabel, t.YLabel, t.LogX, t.LogY,
                    t.Series.Select(x => Thin(x)).ToList()) : null,
            };
        }).ToList();
        var doc = new Document("noether.verify/1", entries.Count(e => e.Passed), entries.Count(e => !e.Passed), entries);
        AtomicFiles.Write(path, Json.Serialize(doc));
    }

    private static Series Thin(TraceSeries s)
    {
        int n = s.X.Count;
        if (n <= MaxPoints)
            return new Series(s.Name, s.Role.ToString().ToLowerInvariant(), s.X, s.Y);
        var keep = Enumerable.Range(0, MaxPoints).Select(i => (int)Math.Round(i * (n - 1) / (double)(MaxPoints - 1))).Distinct().ToList();
        return new Series(s.Name, s.Role.ToString().ToLowerInvariant(), keep.Select(i => s.X[i]).ToList(), keep.Select(i => s.Y[i]).ToList());
    }

    public static Document Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Document>(File.ReadAllText(path), Json.Options)
                ?? throw new UsageException($"{path}: empty results file.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not a results file written by `noether verify --out`: {Json.Describe(e)}.");
        }
    }
}

using System.Text.Json;
using NoetherTheory.Numerics.Verification;

namespace NoetherTheory.Cli.Commands;

/// <summary>The JSON file of verification records that <c>verify --out</c> writes and <c>report</c> reads.</summary>
internal static class ResultsFile
{
    /// <summary>One record as written (stable field names, documented in the README).</summary>
    internal sealed record Entry(string Case, string Suite, string Law, string Quantity, double Measured, double Predicted,
        double Error, double Bound, double ToleranceAbs, double ToleranceRel, double? ReferenceError, bool Passed,
        double RuntimeSeconds, string Detail);

    internal sealed record Document(string Kind, int Passed, int Failed, IReadOnlyList<Entry> Records);

    public static void Write(string path, IReadOnlyList<VerificationRecord> records)
    {
        var entries = records.Select(r => new Entry(r.CaseId, r.Suite, r.Law, r.Quantity, r.Measured, r.Predicted, r.Error,
            r.Bound, r.Tolerance.Abs, r.Tolerance.Rel, r.ReferenceError, r.Passed, r.Runtime.TotalSeconds, r.Detail)).ToList();
        var doc = new Document("noether.verify/1", entries.Count(e => e.Passed), entries.Count(e => !e.Passed), entries);
        AtomicFile.WriteAllText(path, Json.Serialize(doc));
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
            throw new UsageException($"{path}: not a `noether verify --out` results file ({e.Message}).");
        }
    }
}

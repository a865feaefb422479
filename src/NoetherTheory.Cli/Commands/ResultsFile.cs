using NoetherTheory.Core.Documents;
using NoetherTheory.Core.IO;
using NoetherTheory.Validation;

namespace NoetherTheory.Cli.Commands;

/// <summary>results.json: the <c>noether.verify/1</c> document that <c>verify --out</c> and <c>main</c> write and <c>report</c> reads.</summary>
internal static class ResultsFile
{
    public static void Write(string path, IReadOnlyList<CaseOutcome> outcomes) =>
        AtomicFile.Write(path, ResultDocuments.Serialize(ToyCaseValidation.ToDocument(outcomes)));
}

using CsCheck;
using NoetherTheory.Cli;
using NoetherTheory.Core.Documents;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The result-document reader (and <c>report --from</c>) under the error contract: every malformed document
/// ends in a <see cref="DocumentFormatException"/> naming the file and the field or the line, never another exception.</summary>
[TestFixture]
public sealed class DocumentInputTests
{
    private const int MutationCount = 120;
    private const int GeneratedCount = 40;
    private const string Name = "doc.json";

    private static string Folder => Path.Combine(RepositoryLayout.Root(), "tests", "NoetherTheory.Cli.Tests", "MalformedInputs", "Documents");

    // Small valid documents of each kind (trimmed from real `verify`, `derive --all`, `compare` and `validate` output).
    internal static IReadOnlyList<(string Name, string Text)> RealFiles() =>
        [.. Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))];

    private static string Real(string name) => File.ReadAllText(Path.Combine(Folder, name));

    // (what, text, a fragment the message must contain)
    internal static IEnumerable<(string What, string Text, string Expect)> HandWritten()
    {
        yield return ("records null", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0, \"records\": null}", "records");
        yield return ("records missing", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0}", "records");
        yield return ("records a number", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0, \"records\": 3}", "records");
        yield return ("a null record", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0, \"records\": [null]}", "records[0]");
        yield return ("comparisons null", "{\"kind\": \"noether.compare/1\", \"comparisons\": null}", "comparisons");
        yield return ("comparisons missing", "{\"kind\": \"noether.compare/1\"}", "comparisons");
        yield return ("an empty object", "{}", "kind");
        yield return ("summary {} under a validate kind", "{\"kind\": \"noether.validate/1\"}", "lacks");
        yield return ("forecast {} under its kind", "{\"kind\": \"noether.forecast/1\"}", "lacks");
        yield return ("score with null cells", "{\"kind\": \"noether.forecast-score/1\", \"cells\": null}", "cells");
        yield return ("modelLaws only", "{\"modelLaws\": []}", "kind");
        yield return ("derive kind with modelLaws only", "{\"kind\": \"noether.derive/1\", \"modelLaws\": []}", "lacks");
        yield return ("checkCount with nothing else", "{\"checkCount\": 3}", "lacks");
        yield return ("truncated verify", Real("verify.json")[..(Real("verify.json").Length / 2)], "not JSON");
        yield return ("truncated derive", Real("derive.json")[..200], "not JSON");
        yield return ("trace x and y of different lengths", Real("verify.json").Replace("\"x\": [", "\"x\": [0.5, "), "x values but");
        yield return ("unknown kind", "{\"kind\": \"noether.verify/9\"}", "unknown kind");
        yield return ("kind a number", "{\"kind\": 3}", "kind");
        yield return ("not JSON at all", "hello, world", "not JSON");
        yield return ("empty file", "", "not JSON");
        yield return ("a bare array", "[]", "doc.json");
        yield return ("null document", "null", "doc.json");
        yield return ("binary", "\0\u0001\u00ff", "not JSON");
        yield return ("YAML instead of JSON", "kind: noether.verify/1\nrecords: []\n", "not JSON");
        yield return ("deep nesting", new string('[', 5000) + new string(']', 5000), "not JSON");
        yield return ("passed as text", Real("verify.json").Replace("\"passed\": ", "\"passed\": \"many\", \"x_\": "), "passed");
        yield return ("series null", Real("verify.json").Replace("\"series\": [", "\"series\": null, \"_s\": ["), "series");
    }

    private static IEnumerable<TestCaseData> HandWrittenCases() =>
        HandWritten().Select(c => new TestCaseData(c.Text, c.Expect).SetName("Document: " + c.What));

    private static IEnumerable<TestCaseData> MutatedCases() =>
        Mutations.Of(RealFiles(), MutationCount, seed: 13, json: true).Select(m => new TestCaseData(m.Text).SetName("Document mutation: " + m.Name));

    internal static int InputCount => HandWritten().Count() + MutationCount + GeneratedCount + ReportCases().Count() + 1;

    private static DocumentFormatException? Parse(string text)
    {
        var e = Bounded.SuccessOrDomainError(() => ResultDocuments.Parse(text, Name), Name);
        if (e is null) return null;
        Assert.That(e, Is.InstanceOf<DocumentFormatException>());
        Assert.That(e.Message, Does.StartWith(Name + ": "));
        Assert.That(e.Message, Does.Match(@"field '|line \d+|kind|empty document"), "the message says where");
        return (DocumentFormatException)e;
    }

    [TestCaseSource(nameof(HandWrittenCases))]
    public void A_malformed_document_is_refused_naming_the_file_and_field(string text, string expect)
    {
        var e = Parse(text);
        Assert.That(e, Is.Not.Null, "the input is invalid and must be refused");
        Assert.That(e!.Message, Does.Contain(expect));
    }

    [TestCaseSource(nameof(MutatedCases))]
    public void A_damaged_document_reads_or_is_refused_naming_the_file(string text) => Parse(text);

    [Test]
    public void Generated_damage_to_documents_never_escapes_the_contract()
    {
        var files = RealFiles();
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, files.Count - 1], CsCheck.Gen.Int[0, Mutations.Kinds - 1], CsCheck.Gen.Int)
            .Sample((f, kind, seed) => Parse(Mutations.Apply(files[f].Text, kind, new Random(seed), json: true)), iter: GeneratedCount, threads: 1);
    }

    [Test]
    public void Every_trimmed_real_document_reads() => Assert.That(RealFiles().Select(f => Parse(f.Text)), Is.All.Null);

    // `report --from` with the documents the issue found crashing: each is exit 2 naming the file.
    internal static IEnumerable<(string What, string FileName, string Text)> ReportCases()
    {
        yield return ("records null", "a.json", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0, \"records\": null}");
        yield return ("records missing", "a.json", "{\"kind\": \"noether.verify/1\", \"passed\": 0, \"failed\": 0}");
        yield return ("comparisons null", "a.json", "{\"kind\": \"noether.compare/1\", \"comparisons\": null}");
        yield return ("summary.json {}", "summary.json", "{}");
        yield return ("truncated", "a.json", Real("verify.json")[..300]);
        yield return ("modelLaws [] without the rest", "derivations.json", "{\"kind\": \"noether.derive/1\", \"modelLaws\": []}");
        yield return ("trace x and y lengths differ", "results.json", Real("verify.json").Replace("\"x\": [", "\"x\": [0.5, "));
        yield return ("not JSON", "a.json", "this is text");
        yield return ("folder summary.json of another kind", "summary.json", Real("compare.json"));
    }

    private static IEnumerable<TestCaseData> ReportCaseData() =>
        ReportCases().Select(c => new TestCaseData(c.FileName, c.Text).SetName("report --from: " + c.What));

    [TestCaseSource(nameof(ReportCaseData))]
    public void Report_from_a_malformed_document_exits_2_naming_the_file(string fileName, string text)
    {
        string folder = Bounded.TempFolder();
        try
        {
            string file = Path.Combine(folder, fileName);
            File.WriteAllText(file, text);
            // A fixed name reads as a folder's part (summary.json, derivations.json, results.json); others as a file.
            string from = fileName == "a.json" ? file : folder;
            var outcome = Bounded.Cli(["report", "--from", from, "--out", Path.Combine(folder, "out")], "report --from " + fileName);
            Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.BadInput), outcome.Error);
            Assert.That(outcome.Error, Does.Contain(file));
            Assert.That(outcome.Error, Does.Not.Contain("no such file"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using NoetherTheory.Core.Documents;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Testing;

namespace NoetherTheory.Validation.Tests.Documents;

/// <summary>Result documents: written with their kind first, read back typed by it, and malformed ones refused with the file named.</summary>
[TestFixture]
public sealed class ResultDocumentTests
{
    private static VerifyDocument SmallVerify()
    {
        var c = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases")).First(x => VerificationSuite.CanTrace(x));
        return ToyCaseValidation.ToDocument(ToyCaseValidation.Run([c]));
    }

    [Test]
    public void VerifyDocument_StartsWithItsKindAndReadsBackTyped()
    {
        var doc = SmallVerify();
        string json = ResultDocuments.Serialize(doc);
        Assert.That(json, Does.StartWith("{\n  \"kind\": \"noether.verify/1\",\n  \"passed\": 1,"));
        var back = ResultDocuments.Parse(json, "results.json");
        Assert.That(back, Is.TypeOf<VerifyDocument>());
        var v = (VerifyDocument)back;
        Assert.That(v.Records.Single().Case, Is.EqualTo(doc.Records.Single().Case));
        Assert.That(v.Records.Single().Trace!.Series.Count, Is.EqualTo(doc.Records.Single().Trace!.Series.Count));
        Assert.That(v.Records.Single().Trace!.Series[0].X, Has.Count.LessThanOrEqualTo(ToyCaseValidation.MaxDocumentPoints));
        Assert.That(ResultDocuments.Serialize(v), Is.EqualTo(json), "write → read → write is the identity");
    }

    [Test]
    public void UntaggedSummary_IsReadAsAValidateDocument()
    {
        const string legacy = """
            { "protocol": "p", "source": "p.yaml", "dataset": "d", "device": "cpu", "cells": [], "gridRuns": [], "filters": [] }
            """;
        var doc = ResultDocuments.Parse(legacy, "summary.json");
        Assert.That(doc, Is.TypeOf<ValidateDocument>());
        Assert.That(doc.Kind, Is.EqualTo(ValidateDocument.KindTag));
        Assert.That(((ValidateDocument)doc).Precision, Is.EqualTo("float32"), "files older than the precision field ran in float32");
    }

    [TestCase("""{ "kind": "noether.nope/1" }""", "unknown kind")]
    [TestCase("""{ "a": 1 }""", "no \"kind\"")]
    [TestCase("""{ "kind": "noether.verify/1", "passed": 1, "failed": 0 }""", "lacks the required field(s) 'records'")]
    [TestCase("""{ "kind": "noether.verify/1", "passed": 1, "failed": 0, "records": null }""", "wrong type or shape")]
    [TestCase("""{ "kind": "noether.compare/1", "comparisons": [ { "rule": 3 } ] }""", "field 'comparisons[0].rule'")]
    [TestCase("not json", "is not JSON")]
    public void MalformedDocument_IsRefusedWithTheFileNamed(string json, string says)
    {
        var e = Assert.Throws<DocumentFormatException>(() => ResultDocuments.Parse(json, "x.json"));
        Assert.That(e!.Message, Does.StartWith("x.json: ").And.Contains(says), e.InnerException?.Message);
        Assert.That(e.File, Is.EqualTo("x.json"));
    }

    [Test]
    public void ReadingTheWrongKind_SaysWhichKindItFound()
    {
        string path = Path.Combine(Path.GetTempPath(), $"noether-doc-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ResultDocuments.Serialize(new CompareDocument([])));
        try
        {
            Assert.That(() => ResultDocuments.Read<VerifyDocument>(path),
                Throws.TypeOf<DocumentFormatException>().With.Message.Contains("noether.compare/1").And.Message.Contains("noether.verify/1"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

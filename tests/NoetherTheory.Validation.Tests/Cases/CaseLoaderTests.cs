using System.Globalization;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Numerics.Recording;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Testing;

namespace NoetherTheory.Validation.Tests.Cases;

[TestFixture]
public sealed class CaseLoaderTests
{
    private const string Valid = """
        { "id": "x", "suite": "exact", "model": "rayleigh", "law": "symmetry-constraints",
          "quantity": "q", "tolerance": { "abs": 1e-13 }, "why": "round-off of a short dot product" }
        """;

    [Test]
    public void ValidCase_Parses() =>
        Assert.That(CaseLoader.Parse(Valid, "x.json").Tolerance, Is.EqualTo(new CaseTolerance(1e-13, 0)));

    [TestCase("\"law\": \"symmetry-constraints\"", "\"law\": \"nope\"", "law")]
    [TestCase("\"model\": \"rayleigh\"", "\"model\": \"nope\"", "model")]
    [TestCase("{ \"abs\": 1e-13 }", "{ \"abs\": \"small\" }", "tolerance.abs")]
    [TestCase("{ \"abs\": 1e-13 }", "{ \"abs\": 0 }", "tolerance")]
    [TestCase("\"quantity\": \"q\",", "", "quantity")]
    [TestCase("\"why\": \"round-off of a short dot product\"", "\"why\": \"x\"", "why")]
    [TestCase("\"id\": \"x\",", "\"id\": \"x\", \"optimizer\": { \"kind\": \"lbfgs\" },", "optimizer.kind")]
    [TestCase("\"id\": \"x\",", "\"id\": \"x\", \"optimizer\": { \"momentum\": 1.5, \"kind\": \"hb\" },", "optimizer")]
    [TestCase("\"id\": \"x\",", "\"id\": \"x\", \"colour\": 1,", "colour")]
    public void BadCase_ErrorNamesFileAndField(string from, string to, string field)
    {
        var ex = Assert.Throws<CaseFormatException>(() => CaseLoader.Parse(Valid.Replace(from, to, StringComparison.Ordinal), "bad.json"));
        Assert.That(ex!.File, Is.EqualTo("bad.json"));
        Assert.That(ex.Field, Is.EqualTo(field));
        Assert.That(ex.Message, Does.Match(@"^bad\.json:[1-9][0-9]*:[1-9][0-9]*: field '" + System.Text.RegularExpressions.Regex.Escape(field) + "'"),
            "file:line:column, 1-based");
    }

    [Test]
    public void BrokenJson_ReportsLine() =>
        Assert.That(() => CaseLoader.Parse("{\n \"id\": ,\n}", "b.json"),
            Throws.TypeOf<CaseFormatException>().With.Message.Match(@"^b\.json:2:[1-9][0-9]*: "));

    [Test]
    public void RepositoryCases_CoverEverySuiteAndLaw()
    {
        var cases = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"));
        Assert.That(cases.Select(c => c.Suite).Distinct(), Is.SupersetOf(new[] { "exact", "laws", "orders", "adaptive" }));
        Assert.That(cases.Select(c => c.Law).Distinct(), Is.EquivalentTo(VerificationSuite.Laws));
        Assert.That(() => VerificationSuite.Select(cases, "nonsense"), Throws.ArgumentException.With.Message.Contains("exact"));
    }

    [Test]
    public void FailingLaw_BecomesAFailedRecordWithTheReason()
    {
        var c = CaseLoader.Parse(Valid.Replace("\"law\": \"symmetry-constraints\"", "\"law\": \"hb-scale-recursion\"", StringComparison.Ordinal), "y.json");
        var r = VerificationSuite.Run(c);
        Assert.That(r.Passed, Is.False);
        Assert.That(r.Detail, Does.Contain("heavy ball"));
    }
}

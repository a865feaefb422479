using NoetherTheory.Core.Documents;

namespace NoetherTheory.Cli.Tests;

/// <summary><c>noether laws</c>: counts with verdicts, laws in readable form, the <c>noether.laws/1</c> document, and bad
/// input refused with exit 2 and a message naming the option at fault.</summary>
[TestFixture]
public sealed class LawsCommandTests
{
    [Test]
    public void Laws_TwoLayerLinear_PrintsSixProvenLawsInMatrixForm()
    {
        var r = CliRunner.Run("laws", "--model", "linear:2,3,2");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        Assert.That(r.Out, Does.Contain("D − dim Lie = 6 [Proven]"));
        Assert.That(r.Out, Does.Contain("complete: the 6 law(s) of degree ≤ 2 are all of them"));
        Assert.That(r.Out, Does.Contain("(U1 U1^T - U2^T U2)[0,0] = U1[0,0]^2 + U1[0,1]^2 - U2[0,0]^2 - U2[1,0]^2"));
    }

    [Test]
    public void Laws_ReluWithBias_Json_IsATypedDocumentWithOneLawPerUnit()
    {
        var r = CliRunner.Run("laws", "--model", "relu:2,3,2,bias", "--format", "json");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        var doc = ResultDocuments.Parse(r.Out, "stdout");
        Assert.That(doc, Is.TypeOf<LawsDocument>());
        var laws = (LawsDocument)doc;
        Assert.Multiple(() =>
        {
            Assert.That(laws.Kind, Is.EqualTo(LawsDocument.KindTag));
            Assert.That(laws.Count, Is.EqualTo(3));
            Assert.That(laws.Verdict, Is.EqualTo("Proven"));
            Assert.That(laws.Complete, Is.True);
            Assert.That(laws.Laws.Select(l => l.Check), Is.All.EqualTo("Proven"));
            Assert.That(laws.Laws[1].Display, Is.EqualTo("|U1[1,:]|^2 + b1[1]^2 - |U2[:,1]|^2"));
            Assert.That(laws.Lie.Rank, Is.EqualTo(laws.Parameters.Count - 3));
            Assert.That(ResultDocuments.Serialize(laws), Is.EqualTo(r.Out.TrimEnd('\n')), "write → read → write is the identity");
        });
    }

    [Test]
    public void Laws_Potential_TripleProduct_HasTwoLaws()
    {
        var r = CliRunner.Run("laws", "--potential", "x1*x2*x3");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        Assert.That(r.Out, Does.Contain("rank 1 ").And.Contain("D − dim Lie = 2 [Proven]").And.Contain("x1^2 - x3^2"));
    }

    [Test]
    public void Laws_CatalogModelAndComponents_AgreeWithTheNetwork()
    {
        var catalog = CliRunner.Run("laws", "--model", "linear-net");
        var components = CliRunner.Run("laws", "--components", "a*c; b*c", "--degree", "3");
        Assert.Multiple(() =>
        {
            Assert.That(catalog.ExitCode, Is.EqualTo(ExitCodes.Ok), catalog.Error);
            Assert.That(catalog.Out, Does.Contain("D − dim Lie = 3 [Proven]"), "W2 W1 with inner width 2");
            Assert.That(components.ExitCode, Is.EqualTo(ExitCodes.Ok), components.Error);
            Assert.That(components.Out, Does.Contain("D − dim Lie = 1 [Proven]").And.Contain("a^2 + b^2 - c^2"), "linear:2,1,1 in other names");
        });
    }

    [Test]
    public void Laws_Out_WritesWhatWasPrinted()
    {
        string path = Path.Combine(Path.GetTempPath(), $"noether-laws-{Guid.NewGuid():N}.json");
        try
        {
            var r = CliRunner.Run("laws", "--model", "linear:2,2,2", "--format", "json", "--out", path);
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
            Assert.That(File.ReadAllText(path), Is.EqualTo(r.Out.TrimEnd('\n')));
            Assert.That(ResultDocuments.Read<LawsDocument>(path).Count, Is.EqualTo(3));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(new string[0], "exactly one of --model")]
    [TestCase(new[] { "--model", "linear:2,2", "--potential", "x" }, "exactly one of --model")]
    [TestCase(new[] { "--model", "relu:2,x,2" }, "width 2 ('x')")]
    [TestCase(new[] { "--model", "linear:3" }, "at least two widths")]
    [TestCase(new[] { "--model", "linear:2,0,2" }, "width 2 ('0')")]
    [TestCase(new[] { "--model", "relu:30,30,30,30" }, "paths")]
    [TestCase(new[] { "--model", "linear:2,2,2", "--degree", "0" }, "--degree 0")]
    [TestCase(new[] { "--model", "linear:2,2,2", "--degree", "99" }, "--degree 99")]
    [TestCase(new[] { "--model", "linear:2,2,2", "--format", "latex" }, "--format latex")]
    [TestCase(new[] { "--model", "nope" }, "--model 'nope'")]
    [TestCase(new[] { "--model", "rayleigh" }, "not a polynomial")]
    [TestCase(new[] { "--model", "abstract-scale" }, "abstract")]
    [TestCase(new[] { "--potential", "x +" }, "--potential")]
    [TestCase(new[] { "--potential", "exp(x)*y" }, "not a polynomial")]
    [TestCase(new[] { "--potential", "x/y" }, "not a polynomial")]
    [TestCase(new[] { "--components", " ; " }, "--components")]
    public void Laws_BadInput_ExitsTwoWithAMessage(string[] args, string expect)
    {
        var r = CliRunner.Run(["laws", .. args]);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Out);
        Assert.That(r.Error, Does.StartWith("noether: ").And.Contain(expect));
    }
}

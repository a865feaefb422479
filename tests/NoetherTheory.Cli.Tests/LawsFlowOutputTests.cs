using System.Text.Json.Nodes;
using NoetherTheory.Cli.Commands;
using NoetherTheory.Laws;
using NoetherTheory.Laws.Dynamics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Cli.Tests;

/// <summary>The <c>--flow</c> contribution to <c>noether laws</c> (theory/07-laws-under-momentum.md#eq-7-3): parsing, text and JSON.</summary>
[TestFixture]
[SetCulture("de-DE")]
public sealed class LawsFlowOutputTests
{
    private static (Factorisation, List<ConservationLaw>) Triple()
    {
        static Polynomial X(int i) => Polynomial.Variable(i);
        var phi = new Factorisation("x0*x1*x2", ["x0", "x1", "x2"], [X(0) * X(1) * X(2)]);
        var h = X(0).Pow(2) - X(1).Pow(2);
        return (phi, [new ConservationLaw("x0² − x1²", h, "x0^2 - x1^2")]);
    }

    [TestCase("gradient", Flow.Gradient)]
    [TestCase("momentum", Flow.Momentum)]
    [TestCase("Weight-Decay", Flow.WeightDecay)]
    [TestCase(null, Flow.Gradient)]
    public void ParseFlow_KnownNames_Parse(string? text, Flow expected) =>
        Assert.That(LawsFlowOutput.ParseFlow(text), Is.EqualTo(expected));

    [Test]
    public void ParseFlow_Unknown_IsAUsageErrorNamingTheChoices()
    {
        var e = Assert.Throws<UsageException>(() => LawsFlowOutput.ParseFlow("adam"));
        Assert.That(e!.Message, Does.Contain("--flow adam").And.Contain("weight-decay"));
    }

    [Test]
    public void Momentum_Text_SaysLost_WithTheBreakingTerm_AndInvariantNumbers()
    {
        var (phi, laws) = Triple();
        var report = LawsFlowOutput.Run(phi, laws, Flow.Momentum);
        using var w = new StringWriter();
        LawsFlowOutput.WriteText(w, report);
        string text = w.ToString();
        Assert.That(text, Does.Contain("x0² − x1²: lost").And.Contain("breaking term: m*(2*x0'^2 - 2*x1'^2)"));
        Assert.That(text, Does.Contain("τ = m/μ = 0.095"), "invariant-culture numbers under de-DE");
        Assert.That(text, Does.Contain("1/1 passed"));
    }

    [Test]
    public void WeightDecay_Json_HasVerdictsChecksAndDegrees()
    {
        var (phi, laws) = Triple();
        var json = LawsFlowOutput.ToJson(LawsFlowOutput.Run(phi, laws, Flow.WeightDecay));
        var parsed = JsonNode.Parse(json.ToJsonString())!;
        Assert.That((string?)parsed["flow"], Is.EqualTo("weight-decay"));
        Assert.That((string?)parsed["verdicts"]![0]!["fate"], Is.EqualTo("scaledBy"));
        Assert.That((int)parsed["verdicts"]![0]!["scalingDegrees"]![0]!, Is.EqualTo(2));
        Assert.That((bool)parsed["checks"]![0]!["passed"]!, Is.True);
        Assert.That((bool)parsed["allPassed"]!, Is.True);
        Assert.That(parsed["dampingTime"], Is.Null, "momentum-only fields are left out");
    }

    [Test]
    public void Run_LawOutsideTheParameters_IsAUsageError()
    {
        var (phi, _) = Triple();
        var bad = new ConservationLaw("x7", Polynomial.Variable(7), "x7");
        Assert.Throws<UsageException>(() => LawsFlowOutput.Run(phi, [bad], Flow.Gradient));
    }
}

using NoetherTheory.Core.Documents;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The typed group-checks document carries the checks' verdicts and distributions unchanged, survives a JSON round
/// trip, and carries a failure when a law fails.</summary>
public sealed class GroupCheckDocumentsTests
{
    [Test]
    public void Create_ExactRun_CarriesEveryVerdictAndDistribution_AndRoundTrips()
    {
        var run = GroupChecksTests.Simulate(20);
        var report = GroupChecks.Analyse(run, new GroupCheckSettings(0.9, 1e-3));
        var document = GroupCheckDocuments.Create(report, run, "run-a", "mlp (toy)");
        Assert.That(document.Passed, Is.True);
        Assert.That(document.Candidates.Select(c => (c.Name, c.Verdict, c.Measured)), Is.EqualTo(run.Groups.Select(g => (g.Name, g.Verdict, g.Measured))));
        Assert.That(document.Groups.Select(g => (g.RecursionHolds, g.IdentityHolds)), Is.All.EqualTo(((bool?)true, (bool?)true)));
        Assert.That(document.Kinds.Select(k => k.Kind), Is.EqualTo(new[] { "rescale", "translation" }));
        Assert.That(document.Kinds[0].ChargeRecursion.Max, Is.EqualTo(report.Kinds[0].ChargeRecursion.Max));
        string path = Path.Combine(Path.GetTempPath(), $"noether-group-checks-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, ResultDocuments.Serialize(document));
            var back = ResultDocuments.Read<GroupChecksDocument>(path);
            Assert.That(ResultDocuments.Serialize(back), Is.EqualTo(ResultDocuments.Serialize(document)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Create_ViolatedIdentityAndInapplicableRecursion_AreCarried()
    {
        var run = GroupChecksTests.Simulate(20, violation: 0.05);
        var failed = GroupCheckDocuments.Create(GroupChecks.Analyse(run, new GroupCheckSettings(0.9, 1e-3)), run, "run-b", "mlp (toy)");
        Assert.That(failed.Passed, Is.False, "a group that is no symmetry fails its identity");
        Assert.That(failed.Groups.Select(g => g.IdentityHolds), Has.All.EqualTo(false));
        var adam = GroupCheckDocuments.Create(GroupChecks.Analyse(GroupChecksTests.Simulate(20), new GroupCheckSettings(0.9, 1e-3, "Adam/AdamW")), run, "run-c", "mlp (toy)");
        Assert.That(adam.Inapplicable, Is.EqualTo("Adam/AdamW"));
        Assert.That(adam.Groups.Select(g => g.RecursionHolds), Has.All.Null, "not applicable is neither holds nor fails");
    }
}

using NoetherTheory.Core.Documents;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary><see cref="DeepNetValidation.Failed"/> counts a failed symmetry-group law of any run, and only a failed one.</summary>
public sealed class GroupValidationTests
{
    private static GroupChecksDocument Checks(string run, double violation)
    {
        var simulated = GroupChecksTests.Simulate(20, violation);
        return GroupCheckDocuments.Create(GroupChecks.Analyse(simulated, new GroupCheckSettings(0.9, 1e-3)), simulated, run, "toy");
    }

    private static ValidateDocument Summary(params GroupChecksDocument[] groups) =>
        new("p", "p.yaml", "synthetic", "cpu", [], [], null, [], "float32", groups.Length > 0 ? groups : null);

    [Test]
    public void Failed_GroupLaws_FailOnlyWhenOneFails()
    {
        Assert.That(DeepNetValidation.Failed(Summary()), Is.False, "no group measured");
        Assert.That(DeepNetValidation.Failed(Summary(Checks("a", 0), Checks("b", 0))), Is.False);
        Assert.That(DeepNetValidation.Failed(Summary(Checks("a", 0), Checks("b", 0.05))), Is.True, "run b's holding groups violate their identity");
    }
}

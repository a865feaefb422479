using NoetherTheory.Torch.Diagnostics;

namespace NoetherTheory.Torch.Tests;

[TestFixture]
public sealed class DiagnosticProbesTests
{
    [Test]
    public void Cuda_HasADeliberateErrorOnEachDevice_AndTheDeviceGeneratorIsAnExpectedFailure()
    {
        var probes = DiagnosticProbes.For("cuda");
        Assert.That(probes[0].Name, Is.EqualTo(DiagnosticProbes.RuntimeProbe), "the runtime probe comes first");
        Assert.That(probes.Where(p => p.Role == ProbeRole.DeliberateError).Select(p => p.Name),
            Is.EquivalentTo(new[] { "deliberate-error-cpu", "deliberate-error-cuda" }));
        var generator = probes.Single(p => p.Name == "device-generator");
        Assert.That(generator.ExpectedFailure, Does.Contain("THSGenerator_new"));
        Assert.That(generator.Required, Is.False);
        Assert.That(probes.Where(p => p.Required).Select(p => p.Name), Does.Contain("training-step").And.Not.Contain("deliberate-error-cuda"));
    }

    [Test]
    public void Cpu_HasNoExpectedFailures_AndNoTestProbesUnlessAsked()
    {
        var probes = DiagnosticProbes.For("cpu");
        Assert.That(probes.Where(p => p.ExpectedFailure is not null), Is.Empty);
        Assert.That(probes.Select(p => p.Name), Is.Unique);
        Assert.That(probes.Any(p => p.Role == ProbeRole.Test), Is.False);
        Assert.That(DiagnosticProbes.For("cpu", includeTestProbes: true).Count(p => p.Role == ProbeRole.Test), Is.EqualTo(3));
    }

    [Test, Category("Native")]
    public void Run_AnOperationProbe_PassesInProcess()
    {
        TorchTestEnvironment.RequireTorch();
        var probe = DiagnosticProbes.For("cpu").Single(p => p.Name == "tensor-arithmetic");
        var result = DiagnosticProbes.Run(probe, "cpu");
        Assert.That(result.Passed, Is.True, result.Message);
    }

    [Test, Category("Native")]
    public void Run_RuntimeProbe_ReportsVersionsOrSaysUnknown()
    {
        TorchTestEnvironment.RequireTorch();
        var result = DiagnosticProbes.Run(DiagnosticProbes.For("cpu")[0], "cpu");
        var facts = result.Facts.ToDictionary(f => f.Key, f => f.Value);
        Assert.That(result.Passed, Is.True, result.Message);
        Assert.That(facts.Keys, Is.SupersetOf(new[] { "libtorch", "libtorch-built-for", "cuda-available", "cuda-version", "cudnn-available", "cudnn-version" }));
        Assert.That(facts.Values, Has.None.Empty);
    }
}

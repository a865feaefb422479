using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

[TestFixture, Category("Native")]
public sealed class DoctorCommandTests
{
    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
    }

    [Test]
    public void Doctor_OnCpu_ProbesEveryOperation_AndPrintsTheLoadTrace()
    {
        var r = CliRunner.Run("doctor");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error + r.Out);
        Assert.That(r.Out, Does.Contain("Loaded."), "the load trace is printed");
        foreach (var probe in new[] { "tensor arithmetic", "device generator", "conv + batch norm forward/backward" })
            Assert.That(r.Out, Does.Contain(probe + " … ok"), probe);
    }

    [Test]
    public void Doctor_UnknownDevice_ExitsTwo()
    {
        var r = CliRunner.Run("doctor", "--device", "tpu");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("tpu"));
    }
}

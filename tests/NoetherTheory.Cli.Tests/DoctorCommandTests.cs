using System.Text.Json;
using NoetherTheory.Cli.Commands;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

[TestFixture, Category("Native"), NonParallelizable]
public sealed class DoctorCommandTests
{
    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
    }

    [TearDown]
    public void ClearTestProbes() => Environment.SetEnvironmentVariable(DoctorCommand.TestProbesVariable, null);

    [Test]
    public void Doctor_OnCpu_RunsEveryProbeInItsOwnProcess_AndPrintsTheLoadTraceAndVersions()
    {
        var r = CliRunner.Run("doctor");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error + r.Out);
        Assert.That(r.Out, Does.Contain("Loaded."), "the load trace is printed");
        Assert.That(r.Out, Does.Contain("libtorch 2.").And.Contain("cuDNN available:"), "the versions are printed");
        foreach (var probe in new[] { "tensor-arithmetic", "device-generator", "conv-batchnorm", "training-step" })
            Assert.That(r.Out, Does.Contain($"[cpu] {probe} … ok"), probe);
        // The deliberate error either arrives as an exception or crashes its child; either way doctor goes on and says which.
        Assert.That(r.Out, Does.Contain("[cpu] deliberate-error-cpu … ok: arrived as a managed exception")
            .Or.Contain("[cpu] deliberate-error-cpu … CRASHED").And.Contain("libtorch errors are fatal on this host"));
    }

    [Test]
    public void Doctor_ProbesThatCrashOrHang_AreNamedAsSuch_AndTheOthersStillRun()
    {
        Environment.SetEnvironmentVariable(DoctorCommand.TestProbesVariable, "1");
        var r = CliRunner.Run("doctor", "--probe-timeout", "20", "--format", "json",
            "--only", "test-abort,test-segfault,tensor-arithmetic,cpu-generator");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.CheckFailed), "crashed probes fail the diagnosis" + r.Error + r.Out);
        using var doc = JsonDocument.Parse(r.Out);
        var probes = doc.RootElement.GetProperty("probes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.That(probes.Keys, Is.EqualTo(new[] { "runtime", "test-abort", "test-segfault", "tensor-arithmetic", "cpu-generator" }),
            "table order; runtime always runs");
        Assert.That(probes["test-abort"].GetProperty("outcome").GetString(), Is.EqualTo("crashed"));
        Assert.That(probes["test-abort"].GetProperty("signal").GetString(), Is.EqualTo("SIGABRT"));
        Assert.That(probes["test-segfault"].GetProperty("outcome").GetString(), Is.EqualTo("crashed"));
        Assert.That(probes["test-segfault"].GetProperty("signal").GetString(), Is.EqualTo("SIGSEGV"));
        foreach (string after in new[] { "tensor-arithmetic", "cpu-generator" })
            Assert.That(probes[after].GetProperty("outcome").GetString(), Is.EqualTo("ok"), $"{after} runs after the crashes");
        Assert.That(doc.RootElement.GetProperty("passed").GetBoolean(), Is.False);
        Assert.That(doc.RootElement.GetProperty("versions").GetProperty("libtorch").GetString(), Is.Not.Empty);
    }

    [Test]
    public void Doctor_AProbePastItsTimeout_IsKilledAndReportedAsTimedOut()
    {
        Environment.SetEnvironmentVariable(DoctorCommand.TestProbesVariable, "1");
        // 15 s: long enough for global-seed's child to load libtorch on a loaded 2-core machine (5 s was not), short enough
        // that the hang's full timeout keeps the test quick.
        var r = CliRunner.Run("doctor", "--probe-timeout", "15", "--only", "test-hang,global-seed");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.CheckFailed), r.Error + r.Out);
        Assert.That(r.Out, Does.Contain("[cpu] test-hang … TIMED OUT: no result after 15 s; killed"));
        Assert.That(r.Out, Does.Contain("[cpu] global-seed … ok"));
        Assert.That(r.Out, Does.Contain("doctor: 1 required probe(s) did not pass."));
    }

    [Test]
    public void Doctor_TestProbes_AreUnknownUnlessTheVariableIsSet()
    {
        var r = CliRunner.Run("doctor", "--only", "test-abort");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("unknown doctor probe(s) test-abort"));
    }

    [Test]
    public void Doctor_UnknownDevice_ExitsTwo()
    {
        var r = CliRunner.Run("doctor", "--device", "tpu");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("tpu"));
    }

    [TestCase(139, "SIGSEGV")]
    [TestCase(134, "SIGABRT")]
    [TestCase(-11, "SIGSEGV")]
    [TestCase(137, "SIGKILL")]
    [TestCase(1, null)]
    [TestCase(128, null)]
    public void SignalOf_DecodesTheExitStatus(int exitCode, string? signal) =>
        Assert.That(ProbeProcess.SignalOf(exitCode), Is.EqualTo(signal));
}

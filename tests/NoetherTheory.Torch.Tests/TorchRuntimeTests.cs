using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

[TestFixture, Category("Native")]
public sealed class TorchRuntimeTests
{
    [Test]
    public void TryLoad_Succeeds_WhereTheCpuPackageIsPresent()
    {
        bool loaded = TorchRuntime.TryLoad(out var info);
        if (!loaded && !TorchTestEnvironment.CpuPackagePresent)
            Assert.Ignore("no CPU natives here (not linux-x64, or built with NoetherTorchNatives=none):\n" + info.Trace);
        Assert.That(loaded, Is.True, info.Trace);
        Assert.That(info.Trace, Does.Contain("Loaded."));
        Assert.That(info.NativeDirectory, Is.Not.Empty);
    }

    [Test]
    public void TryLoad_ReportsTheCompatStep_ExactlyWhenTheBuildWroteItsStamp()
    {
        var info = TorchTestEnvironment.RequireTorch();
        bool stamp = File.Exists(Path.Combine(info.NativeDirectory, TorchRuntime.CompatStampFileName));
        Assert.That(info.CompatStepApplied, Is.EqualTo(stamp), info.Trace);
    }

    [Test]
    public void CompatStep_IsApplied_WhenTheHostLibStdCxxLacksGlibcxx3432()
    {
        var info = TorchTestEnvironment.RequireTorch();
        string? libstdcxx = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        if (libstdcxx is null) Assert.Ignore("no system libstdc++ at the Debian multiarch path");
        bool hostHasVersion = File.ReadAllText(libstdcxx!, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
        if (hostHasVersion) Assert.Ignore("host libstdc++ has GLIBCXX_3.4.32: the step is not needed here");
        Assert.That(info.CompatStepApplied, Is.True, "host lacks GLIBCXX_3.4.32 but the loaded copy was not patched\n" + info.Trace);
    }

    [Test]
    public void ResolveDevice_Cpu_IsCpu_AndUnknownNames_AreRejected()
    {
        TorchTestEnvironment.RequireTorch();
        Assert.That(TorchRuntime.ResolveDevice("cpu").type, Is.EqualTo(DeviceType.CPU));
        Assert.That(() => TorchRuntime.ResolveDevice("tpu"), Throws.ArgumentException.With.Message.Contains("tpu"));
    }

    [Test]
    public void ResolveDevice_Cuda_WithoutCuda_ThrowsAnExplainedException()
    {
        var info = TorchTestEnvironment.RequireTorch();
        if (info.CudaAvailable) Assert.Ignore("CUDA is present: the no-CUDA path cannot be exercised");
        Assert.That(() => TorchRuntime.ResolveDevice("cuda"),
            Throws.TypeOf<TorchUnavailableException>().With.Message.Contains(TorchRuntime.LibTorchDirectoryVariable));
    }

    [Test]
    public void TinyConvBnNet_TrainsOnCpu_LossDecreases()
    {
        TorchTestEnvironment.RequireTorch();
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var net = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding: 1, bias: false), nn.BatchNorm2d(4), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2));
        // Two classes that differ in mean brightness: learnable by a single filter.
        var x = torch.randn(32, 1, 8, 8);
        var y = torch.arange(32) % 2;
        x = x + y.to(ScalarType.Float32).view(-1, 1, 1, 1) * 1.5f;
        var opt = optim.SGD(net.parameters(), 0.1, momentum: 0.9);
        double first = 0, last = 0;
        for (int step = 0; step < 30; step++)
        {
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x), y);
            loss.backward();
            opt.step();
            double l = loss.item<float>();
            if (step == 0) first = l;
            last = l;
        }
        Assert.That(last, Is.LessThan(0.5 * first), $"loss {first} -> {last}");
    }
}

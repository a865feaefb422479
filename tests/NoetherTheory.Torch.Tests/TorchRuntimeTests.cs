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

    [TestCase(2, 1, 2)]
    [TestCase(2, 2, 1)]
    [TestCase(2, 5, 1)]
    [TestCase(16, 3, 5)]
    [TestCase(1, 1, 1)]
    public void ThreadsPerJob_DividesTheCores_RoundingDown_NeverBelowOne(int cores, int jobs, int expected) =>
        Assert.That(TorchRuntime.ThreadsPerJob(cores, jobs), Is.EqualTo(expected));

    [Test]
    public void ConfigureThreads_AskedCount_IsLibTorchsCount_AndBadCountsAreRefused()
    {
        int before = TorchSharp.torch.get_num_threads();
        try
        {
            var three = TorchRuntime.ConfigureThreads(3, jobs: 2);
            Assert.That(three.Count, Is.EqualTo(3));
            Assert.That(TorchSharp.torch.get_num_threads(), Is.EqualTo(3), "the asked count wins over cores / jobs");
            Assert.That(three.Words, Does.Contain("3 CPU threads per run").And.Contain("--threads"));
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TorchRuntime.OpenMpThreadsVariable)))
            {
                var chosen = TorchRuntime.ConfigureThreads(null, jobs: 2);
                Assert.That(chosen.Count, Is.EqualTo(TorchRuntime.ThreadsPerJob(Environment.ProcessorCount, 2)));
                Assert.That(TorchSharp.torch.get_num_threads(), Is.EqualTo(chosen.Count));
            }
            Assert.That(() => TorchRuntime.ConfigureThreads(0, jobs: 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => TorchRuntime.ConfigureThreads(1, jobs: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
        finally
        {
            TorchRuntime.UseThreads(before);
        }
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

using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// libtorch errors must arrive as managed exceptions. TorchSharp 0.107's THSTensor_matmul has no C++ catch handler, so
/// without the build's guard (native/torchsharp_guard.cpp) a shape-mismatched matmul aborts the process; these tests
/// run in-process and would take the test host down if the guard were missing where the compatibility step is applied.
/// </summary>
[TestFixture, Category("Native")]
public sealed class LibTorchErrorTests
{
    private const string GuardedLibrary = "libnoether_torchsharp_impl.so";

    private static void RequireGuard()
    {
        var info = TorchTestEnvironment.RequireTorch();
        if (info.CompatStepApplied)
            Assert.That(File.Exists(Path.Combine(info.NativeDirectory, GuardedLibrary)), Is.True,
                "the compatibility step was applied, so its guard (libLibTorchSharp.so over " + GuardedLibrary + ") must be there");
        else
            Assert.Ignore("the build's compatibility step (and its guard) was not applied: a failing THSTensor_matmul would abort the test host");
    }

    [Test]
    public void Matmul_ShapeMismatch_ThrowsAManagedException_InProcess()
    {
        RequireGuard();
        using var scope = NewDisposeScope();
        var a = ones(2, 3);
        var b = ones(4, 5);
        var e = Assert.Throws<ExternalException>(() => a.matmul(b));
        Assert.That(e!.Message, Does.Contain("cannot be multiplied (2x3 and 4x5)"));
    }

    [Test]
    public void Matmul_AfterAnError_StillComputes_AndTheErrorIsNotReportedTwice()
    {
        RequireGuard();
        using var scope = NewDisposeScope();
        var a = ones(2, 3);
        Assert.Throws<ExternalException>(() => a.matmul(ones(4, 5)));
        var product = a.matmul(arange(12, dtype: float32).reshape(3, 4));
        // Column j of arange(12).reshape(3,4) sums to 12 + 3j; both rows of the product equal those sums; exact in float32.
        Assert.That(product.shape, Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(product.data<float>().ToArray(), Is.EqualTo(new float[] { 12, 15, 18, 21, 12, 15, 18, 21 }));
        var sum = a + a;
        Assert.That(sum.sum().item<float>(), Is.EqualTo(12f), "a later successful call must not raise the consumed error");
    }

    [Test]
    public void Mm_ShapeMismatch_ThrowsAManagedException_ThroughTorchSharpsOwnHandler()
    {
        // THSTensor_mm catches in the package's library; its message must still pass through the guard's
        // THSTorch_get_and_reset_last_err.
        TorchTestEnvironment.RequireTorch();
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ExternalException>(() => ones(2, 3).mm(ones(4, 5)));
        Assert.That(e!.Message, Does.Contain("cannot be multiplied (2x3 and 4x5)"));
    }
}

using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// <see cref="FilterMeasurement"/>'s two ways of forming its float64 numbers on the CPU — the host kernel (float64 arithmetic on
/// the float32 values in place) and the libtorch float64 operations that run on other devices — give the same Gram matrices and
/// angles up to float64 summation order, on a VGG11-BN with a momentum buffer; a perturbed weight shows in both.
/// </summary>
[TestFixture, Category("Native")]
public sealed class FilterMeasurementPathTests
{
    /// <summary>
    /// Both paths sum exact float64 products of the same float32 values; only the order of the float64 additions differs,
    /// a relative rounding of about K·2⁻⁵³ ≈ 1e-13 for K ≤ 600 terms, measured on the scale |a||b| of each product's factors
    /// (⟨w,g⟩ cancels towards 0). 1e-11 leaves a margin of 100; any misplaced entry is off by O(1).
    /// </summary>
    private const double SummationOrder = 1e-11;

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [Test]
    public void HostAndLibtorchPaths_GiveTheSameGramMatricesAndAngles()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        using var model = new Vgg11Bn(new Vgg11BnOptions(3, 8, 4, WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear));
        using var hb = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9, WeightDecay: 5e-4));
        using var host = new FilterMeasurement(model, hb);
        using var device = new FilterMeasurement(model, hb, hostKernel: false);
        var x = randn(8, 3, 8, 8);
        var y = arange(8) % 4;
        for (int step = 0; step < 3; step++)
        {
            hb.ZeroGrad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            if (step < 2) hb.Step(0.1);
        }
        var a = host.Unpack(2, host.Pack().data<double>().ToArray());
        var b = device.Unpack(2, device.Pack().data<double>().ToArray());
        for (int l = 0; l < a.Layers.Count; l++)
        {
            var (fa, fb) = (a.Layers[l].Filters, b.Layers[l].Filters);
            for (int f = 0; f < fa.Count; f++)
            {
                double w = fb.WeightNormSq[f], g = fb.GradNormSq[f], v = fb.VelocityNormSq[f];
                void Same(double p, double q, double scale, string what) =>
                    Assert.That(Math.Abs(p - q), Is.LessThanOrEqualTo(SummationOrder * scale), $"{a.Layers[l].Name}[{f}] {what}: {p:R} vs {q:R}");
                Same(fa.WeightNormSq[f], w, w, "|w|²");
                Same(fa.GradNormSq[f], g, g, "|g|²");
                Same(fa.VelocityNormSq[f], v, v, "|v|²");
                Same(fa.WeightDotGrad[f], fb.WeightDotGrad[f], Math.Sqrt(w * g), "⟨w,g⟩");
                Same(fa.WeightDotVelocity[f], fb.WeightDotVelocity[f], Math.Sqrt(w * v), "⟨w,v⟩");
            }
        }
        var before = (host.Snapshot(), device.Snapshot());
        hb.Step(0.1);
        var angles = (host.AngularUpdate(before.Item1).data<double>().ToArray(), device.AngularUpdate(before.Item2).data<double>().ToArray());
        Assert.That(angles.Item1, Has.Length.EqualTo(host.FilterCount).And.All.GreaterThan(0), "every filter turned");
        Assert.That(angles.Item1, Is.EqualTo(angles.Item2).Within(SummationOrder).Percent.Or.EqualTo(angles.Item2).Within(1e-15));

        // One weight moved: both paths see it in that filter's |w|² (and nowhere else).
        var conv = model.ConvLayers[1].Conv.weight!;
        var unmoved = host.Unpack(3, host.Pack().data<double>().ToArray()).Layers[1].Filters.WeightNormSq;
        using (no_grad()) conv[2].flatten()[0].add_(0.5);
        var moved = (host.Unpack(2, host.Pack().data<double>().ToArray()), device.Unpack(2, device.Pack().data<double>().ToArray()));
        foreach (var m in new[] { moved.Item1, moved.Item2 })
        {
            Assert.That(m.Layers[1].Filters.WeightNormSq[2], Is.Not.EqualTo(unmoved[2]).Within(1e-6).Percent, "the moved filter");
            Assert.That(m.Layers[1].Filters.WeightNormSq[3], Is.EqualTo(unmoved[3]).Within(1e-9).Percent, "its neighbour");
        }
    }
}

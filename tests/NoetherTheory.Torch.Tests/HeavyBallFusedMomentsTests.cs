using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// <see cref="HeavyBall.RequestMoments"/>: the update formed in the measurement's pass (<see cref="MomentKernel.ComputeAndUpdate"/>)
/// is bit for bit torch.optim.SGD's, for every option, and the moments it hands back are those of the pre-update θ, g, v.
/// </summary>
[TestFixture, Category("Native")]
public sealed class HeavyBallFusedMomentsTests
{
    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [TestCase(0.0, 0.0, 0.0, false, false)]
    [TestCase(0.9, 0.0, 0.0, false, false)]
    [TestCase(0.9, 0.0, 5e-3, false, false)]
    [TestCase(0.5, 0.3, 1e-2, false, false)]
    [TestCase(0.9, 0.0, 1e-2, true, false)]
    [TestCase(0.9, 0.0, 1e-2, false, true)]
    public void FusedUpdate_EqualsTheTensorOperations_BitForBit_AndHandsBackThePreUpdateMoments(double momentum, double dampening, double weightDecay, bool nesterov, bool decoupled)
    {
        using var scope = NewDisposeScope();
        var options = new HeavyBallOptions(momentum, dampening, weightDecay, nesterov, decoupled);
        var (ours, oursParams) = Model(21);
        var (theirs, theirParams) = Model(21);
        using var fused = new HeavyBall(oursParams, options);
        using var plain = new HeavyBall(theirParams, options);
        var x = randn(16, 40, generator: new Generator(5, CPU));
        var y = randn(16, 5, generator: new Generator(6, CPU));
        for (int step = 0; step < 5; step++)
        {
            fused.ZeroGrad();
            nn.functional.mse_loss(ours.call(x), y).backward();
            // Rows (runs of 40 and 24: the long-run path) at even steps, columns (the strip path) at odd ones; biases whole.
            var requests = new List<(int Index, double[] Values, (double[] Values, double[] Scale) Expected)>();
            for (int i = 0; i < oursParams.Length; i++)
            {
                var p = oursParams[i];
                var (pre, rows, post) = p.dim() == 1 ? (1L, 1L, p.shape[0]) : step % 2 == 0 ? (1L, p.shape[0], p.shape[1]) : (p.shape[0], p.shape[1], 1L);
                float[] Host(Tensor t) => t.detach().clone().data<float>().ToArray();
                var expected = MomentKernelTests.Reference(Host(p), Host(p.grad!), fused.Velocity(i) is { } v ? Host(v) : null, pre, rows, post);
                var values = new double[rows * MomentKernel.Width];
                fused.RequestMoments(i, pre, rows, post, values);
                requests.Add((i, values, expected));
            }
            fused.Step(0.05);
            plain.ZeroGrad();
            nn.functional.mse_loss(theirs.call(x), y).backward();
            plain.Step(0.05);
            foreach (var r in requests)
            {
                Assert.That(fused.TookMoments(r.Index), Is.True, $"step {step}: parameter {r.Index}'s request served");
                MomentKernelTests.AssertMatches(r.Values, r.Expected, $"step {step}: parameter {r.Index}");
            }
            for (int i = 0; i < oursParams.Length; i++)
            {
                Assert.That(oursParams[i].equal(theirParams[i]).all().item<bool>(), Is.True,
                    $"step {step}: parameter {i} differs: max |Δ| = {(oursParams[i] - theirParams[i]).abs().max().item<float>()}");
                if (momentum != 0)
                    Assert.That(fused.Velocity(i)!.equal(plain.Velocity(i)!).all().item<bool>(), Is.True, $"step {step}: buffer {i} differs");
            }
        }
        var (_, initial) = Model(21);
        Assert.That(oursParams[0].equal(initial[0]).all().item<bool>(), Is.False, "the optimizer moved the parameters");
    }

    [Test]
    public void ARequestForAParameterWithoutGradient_IsNotServed()
    {
        using var scope = NewDisposeScope();
        var (model, parameters) = Model(3);
        using var hb = new HeavyBall(parameters, new HeavyBallOptions(0.9));
        var values = new double[24 * MomentKernel.Width];
        hb.RequestMoments(0, 1, 24, 40, values);
        hb.Step(0.1);
        Assert.That(hb.TookMoments(0), Is.False);
        Assert.That(() => hb.RequestMoments(0, 1, 24, 41, values), Throws.ArgumentException.With.Message.Contains("960"));
    }

    private static (nn.Module<Tensor, Tensor> Model, Parameter[] Parameters) Model(long seed)
    {
        torch.manual_seed(seed);
        var model = nn.Sequential(nn.Linear(40, 24), nn.Tanh(), nn.Linear(24, 5));
        return (model, model.parameters().ToArray());
    }
}

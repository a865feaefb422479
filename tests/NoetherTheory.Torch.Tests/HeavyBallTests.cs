using NoetherTheory.Torch.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

[TestFixture, Category("Native")]
public sealed class HeavyBallTests
{
    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    // Both optimizers perform the same float32 operations in the same order, so they agree bit for bit.
    [TestCase(0.0, 0.0, 0.0, false)]
    [TestCase(0.9, 0.0, 0.0, false)]
    [TestCase(0.9, 0.0, 5e-3, false)]
    [TestCase(0.5, 0.3, 1e-2, false)]
    [TestCase(0.9, 0.0, 1e-2, true)]
    public void CoupledForm_EqualsTorchSgd_BitForBit(double momentum, double dampening, double weightDecay, bool nesterov)
    {
        using var scope = NewDisposeScope();
        var (ours, oursParams) = TinyModel(11);
        var (theirs, theirParams) = TinyModel(11);
        var hb = new HeavyBall(oursParams, new HeavyBallOptions(momentum, dampening, weightDecay, nesterov));
        var sgd = optim.SGD(theirParams, 0.05, momentum, dampening, weightDecay, nesterov);
        var x = randn(16, 3, generator: new Generator(5, CPU));
        var y = randn(16, 2, generator: new Generator(6, CPU));
        for (int step = 0; step < 6; step++)
        {
            hb.ZeroGrad();
            nn.functional.mse_loss(ours.call(x), y).backward();
            hb.Step(0.05);
            sgd.zero_grad();
            nn.functional.mse_loss(theirs.call(x), y).backward();
            sgd.step();
        }
        var (_, initial) = TinyModel(11);
        Assert.That(oursParams[0].equal(initial[0]).all().item<bool>(), Is.False, "the optimizer did not move the parameters");
        for (int i = 0; i < oursParams.Length; i++)
            Assert.That(oursParams[i].equal(theirParams[i]).all().item<bool>(), Is.True, $"parameter {i} differs: max |Δ| = {(oursParams[i] - theirParams[i]).abs().max().item<float>()}");
        hb.Dispose();
    }

    [Test]
    public void DecoupledWeightDecay_FollowsEq12_OnAScalar()
    {
        // One parameter, constant gradient 1 (loss = q): v1 = 1, q1 = (q0 − η)(1 − ηk); v2 = β + 1, q2 = (q1 − η v2)(1 − ηk).
        using var scope = NewDisposeScope();
        var q = new Parameter(tensor(new[] { 2.0 }));
        var hb = new HeavyBall([q], new HeavyBallOptions(Momentum: 0.5, WeightDecay: 0.1, DecoupledWeightDecay: true));
        double eta = 0.2, k = 0.1, beta = 0.5, expected = 2.0;
        double[] v = [1, 1 + beta];
        for (int n = 0; n < 2; n++)
        {
            hb.ZeroGrad();
            q.sum().backward();
            hb.Step(eta);
            expected = (expected - eta * v[n]) * (1 - eta * k);
        }
        Assert.That(q.item<double>(), Is.EqualTo(expected).Within(1e-15), "float64, two steps: round-off only");
        Assert.That(hb.Velocity(0)!.item<double>(), Is.EqualTo(v[1]));
        hb.Dispose();
    }

    [Test]
    public void Options_RejectNesterovWithoutMomentum_AndNegativeValues()
    {
        Assert.That(() => new HeavyBallOptions(Momentum: 0, Nesterov: true).Validate(), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => new HeavyBallOptions(WeightDecay: -1).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("weight decay"));
        Assert.That(() => new HeavyBallOptions(Dampening: 1).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void MultiStepSchedule_DropsAtMilestones()
    {
        var s = new LearningRateSchedule(0.1, [10, 20], 0.5);
        Assert.That(new[] { s.At(0), s.At(9), s.At(10), s.At(19), s.At(20), s.At(1000) },
            Is.EqualTo(new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 }));
        Assert.That(LearningRateSchedule.Constant(0.3).At(12345), Is.EqualTo(0.3));
        Assert.That(() => new LearningRateSchedule(0.1, [20, 10]).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private static (nn.Module<Tensor, Tensor> Model, Parameter[] Parameters) TinyModel(long seed)
    {
        torch.manual_seed(seed);
        var model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2));
        return (model, model.parameters().ToArray());
    }
}

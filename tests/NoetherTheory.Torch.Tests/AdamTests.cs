using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Adam = NoetherTheory.Torch.Optimization.Adam;

namespace NoetherTheory.Torch.Tests;

[TestFixture, Category("Native")]
public sealed class AdamTests
{
    /// <summary>float32 round-off over a few steps: TorchSharp's Adam may order the moment updates differently (e.g.
    /// mul-add instead of lerp), which moves single weights by a few ulps per step; 1e-6 absolute on weights of size ~1 is
    /// about ten float32 ulps, while one step of η = 0.01 moves every weight by ~1e-2.</summary>
    private const double Float32RoundOff = 1e-6;

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [TestCase(false, 0.0)]
    [TestCase(false, 1e-2)]
    [TestCase(true, 0.0)]
    [TestCase(true, 5e-2)]
    public void WrittenOut_EqualsTorchAdamAndAdamW_ToFloat32RoundOff(bool decoupled, double weightDecay)
    {
        using var scope = NewDisposeScope();
        var (ours, oursParams) = TinyModel(11);
        var (theirs, theirParams) = TinyModel(11);
        const double lr = 0.01;
        var adam = new Adam(oursParams, new AdamOptions(0.9, 0.999, 1e-8, weightDecay, decoupled));
        var reference = decoupled
            ? (optim.Optimizer)optim.AdamW(theirParams, lr, 0.9, 0.999, 1e-8, weightDecay)
            : optim.Adam(theirParams, lr, 0.9, 0.999, 1e-8, weightDecay);
        var x = randn(16, 3, generator: new Generator(5, CPU));
        var y = randn(16, 2, generator: new Generator(6, CPU));
        for (int step = 0; step < 8; step++)
        {
            adam.ZeroGrad();
            nn.functional.mse_loss(ours.call(x), y).backward();
            adam.Step(lr);
            reference.zero_grad();
            nn.functional.mse_loss(theirs.call(x), y).backward();
            reference.step();
        }
        var (_, initial) = TinyModel(11);
        for (int i = 0; i < oursParams.Length; i++)
        {
            double moved = (oursParams[i] - initial[i]).abs().max().item<float>();
            double diff = (oursParams[i] - theirParams[i]).abs().max().item<float>();
            Assert.That(moved, Is.GreaterThan(1e-3), $"parameter {i} did not move");
            Assert.That(diff, Is.LessThanOrEqualTo(Float32RoundOff), $"parameter {i}: max |Δ| = {diff:G3} after 8 steps");
        }
        Assert.That(adam.StepCount(0), Is.EqualTo(8));
        Assert.That(adam.Velocity(0), Is.Not.Null);
        adam.Dispose();
    }

    [Test]
    public void AWrongWeightDecayIsCaughtByTheComparison()
    {
        // The same comparison with AdamW's decay at 1.01× must exceed the round-off tolerance: the check can fail.
        using var scope = NewDisposeScope();
        var (ours, oursParams) = TinyModel(11);
        var (theirs, theirParams) = TinyModel(11);
        var adam = new Adam(oursParams, new AdamOptions(WeightDecay: 0.0505, Decoupled: true));
        var reference = optim.AdamW(theirParams, 0.01, 0.9, 0.999, 1e-8, 0.05);
        var x = randn(16, 3, generator: new Generator(5, CPU));
        var y = randn(16, 2, generator: new Generator(6, CPU));
        for (int step = 0; step < 8; step++)
        {
            adam.ZeroGrad();
            nn.functional.mse_loss(ours.call(x), y).backward();
            adam.Step(0.01);
            reference.zero_grad();
            nn.functional.mse_loss(theirs.call(x), y).backward();
            reference.step();
        }
        double diff = oursParams.Select((p, i) => (double)(p - theirParams[i]).abs().max().item<float>()).Max();
        Assert.That(diff, Is.GreaterThan(Float32RoundOff));
        adam.Dispose();
    }

    [Test]
    public void FirstStep_IsMinusEtaTimesTheSignOfTheGradient_OnAScalar()
    {
        // n = 1: v = (1 − β₁)g, G = (1 − β₂)g², bias-corrected v̂/√Ĝ = g/|g|, so q₁ = q₀ − η·sign(g)·|g|/(|g| + ε).
        using var scope = NewDisposeScope();
        var q = new Parameter(tensor(new[] { 2.0 }));
        var adam = new Adam([q], new AdamOptions(Epsilon: 1e-8));
        adam.ZeroGrad();
        (3 * q).sum().backward();
        adam.Step(0.1);
        Assert.That(q.item<double>(), Is.EqualTo(2.0 - (0.1 * 3 / (3 + 1e-8))).Within(1e-15), "float64, one step: round-off only");
        adam.Dispose();
    }

    [Test]
    public void Options_RejectOutOfRangeValues_NamingThem()
    {
        Assert.That(() => new AdamOptions(Beta1: 1).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("β₁"));
        Assert.That(() => new AdamOptions(Beta2: -0.1).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("β₂"));
        Assert.That(() => new AdamOptions(Epsilon: 0).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("eps"));
        Assert.That(() => new AdamOptions(WeightDecay: double.NaN).Validate(), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private const string Base = """
        name: t
        steps: 2
        dataset: {kind: synthetic}
        """;

    [Test]
    public void Config_ReadsAdamW_AndRoundTripsThroughYaml()
    {
        var c = TrainingConfigLoader.Parse(Base + "\noptimizer: {kind: adamw, lr: 0.001, betas: [0.8, 0.99], eps: 1e-7, weight_decay: 0.05}\n");
        Assert.That(c.Adam, Is.EqualTo(new AdamOptions(0.8, 0.99, 1e-7, 0.05, true)));
        Assert.That(c.Schedule.BaseRate, Is.EqualTo(0.001));
        var again = TrainingConfigLoader.Parse(c.ToYaml());
        Assert.That(again.Adam, Is.EqualTo(c.Adam));
        Assert.That(again.ToYaml(), Is.EqualTo(c.ToYaml()));
        Assert.That(TrainingConfigLoader.Parse(Base + "\noptimizer: {kind: adam, lr: 0.001}\n").Adam, Is.EqualTo(new AdamOptions()));
        Assert.That(TrainingConfigLoader.Parse(Base + "\noptimizer: {lr: 0.001}\n").Adam, Is.Null);
    }

    [TestCase("{kind: adamw, lr: 0.001, betas: [0.9]}", "optimizer.betas")]
    [TestCase("{kind: adamw, lr: 0.001, betas: [1.0, 0.999]}", "optimizer.betas[0]")]
    [TestCase("{kind: adamw, lr: 0.001, eps: 0}", "optimizer.eps")]
    [TestCase("{kind: adamw, lr: 0.001, weight_decay: -1}", "optimizer.weight_decay")]
    [TestCase("{kind: adamw, lr: 0.001, momentum: 0.9}", "optimizer.momentum")]
    [TestCase("{kind: lion, lr: 0.001}", "optimizer.kind")]
    public void Config_RefusesBadAdamValues_WithTheirPlace(string optimizer, string field)
    {
        var e = Assert.Throws<TrainingConfigException>(() => TrainingConfigLoader.Parse(Base + "\noptimizer: " + optimizer + "\n", "cfg.yaml"));
        Assert.That(e!.Message, Does.StartWith("cfg.yaml:4:").And.Contain(field));
    }

    private static (nn.Module<Tensor, Tensor> Model, Parameter[] Parameters) TinyModel(long seed)
    {
        torch.manual_seed(seed);
        var model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2));
        return (model, model.parameters().ToArray());
    }
}

using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Numerics.Recording;

namespace NoetherTheory.Numerics.Tests;

/// <summary>simulate states the instance: model parameters, initial scale, initial buffer, both steady states, a legend.</summary>
[TestFixture]
public sealed class TrajectoryInstanceTests
{
    // skew(WᵀV) obeys P_{n+1} = βP_n exactly under heavy ball with coupled decay (theory/03-noether.md#eq-3-15); the
    // recursion is evaluated in float64 on a 3×2 matrix, so only a few ulps per step separate the two sides.
    private const double SkewRecursionBound = 1e-12;

    private static readonly OptimizerOptions HeavyBall = new() { Kind = OptimizerKind.HeavyBall, LearningRate = 0.05, Momentum = 0.9 };

    [Test]
    public void RotationSkew_FromARandomBuffer_IsNonZero_AndContractsByBeta()
    {
        var table = Trajectory.Run(new TrajectoryOptions("rotation", HeavyBall, 5) { InitialBuffer = TrajectoryBufferStart.Random });
        var skew = table.Column("rotation.W.skew");
        Assert.That(skew[0], Is.GreaterThan(0.1), "a random buffer must give a non-zero skew(WᵀV) at step 0");
        for (int n = 0; n + 1 < skew.Length; n++)
            Assert.That(skew[n + 1] / skew[n], Is.EqualTo(0.9).Within(SkewRecursionBound), $"step {n}");
    }

    [Test]
    public void RotationSkew_FromTheZeroBuffer_StartsAtZero()
    {
        var table = Trajectory.Run(new TrajectoryOptions("rotation", HeavyBall, 2));
        Assert.That(table.Column("rotation.W.skew")[0], Is.Zero);
    }

    [Test]
    public void GradientBuffer_StartsAtTheTerminalVelocity()
    {
        var table = Trajectory.Run(new TrajectoryOptions("rayleigh", HeavyBall, 1) { InitialBuffer = TrajectoryBufferStart.Gradient });
        var model = ToyModels.Create("rayleigh");
        var q0 = model.InitialPoint();
        var g = new double[q0.Length];
        model.Gradient(q0, g, GradientContext.FullBatch);
        double expected = g.Sum(x => x * x) / (0.1 * 0.1);
        Assert.That(table.Column("v_norm2")[0], Is.EqualTo(expected).Within(1e-12).Percent);
    }

    [Test]
    public void ModelParameters_AndInitialScale_ShapeTheInstance()
    {
        var options = HeavyBall with { WeightDecay = 1e-3, LearningRate = 0.01 };
        var table = Trajectory.Run(new TrajectoryOptions("force-white", options, 3)
        {
            ModelParameters = ParameterSet.Empty.With("s", 2).With("dimension", 4),
            InitialScale = 3,
            Predict = ["steady"],
        });
        Assert.That(table.Column("q_norm2")[0], Is.EqualTo(9));
        Assert.That(table.Instance, Does.Contain(new KeyValuePair<string, string>("dimension", "4")));
        Assert.That(table.Instance, Does.Contain(new KeyValuePair<string, string>("param.s", "2")));
        Assert.That(table.Column("scale.q.steady.persistent")[0],
            Is.EqualTo(Math.Sqrt(ClosedForms.SteadyStateR4Persistent(0.01, 0.9, 1e-3, 4))).Within(1e-15).Percent);
        Assert.That(table.Column("scale.q.steady.white")[0],
            Is.EqualTo(Math.Sqrt(ClosedForms.SteadyStateR4White(0.01, 0.9, 1e-3, 4))).Within(1e-15).Percent);
        Assert.That(table.Legend.Select(p => p.Key), Is.EqualTo(table.Columns));
        Assert.That(table.Symbols.Single(p => p.Key == "s").Value, Does.Contain("s = |ĝ| (not |ĝ|²)"));
    }

    [Test]
    public void UnknownModelParameter_IsRefused_NamingTheModelsParameters()
    {
        Assert.That(() => Trajectory.Run(new TrajectoryOptions("force-white", HeavyBall, 1) { ModelParameters = ParameterSet.Empty.With("d", 10) }),
            Throws.ArgumentException.With.Message.Contains("no parameter 'd'").And.Message.Contains("s, dimension, q0"));
        Assert.That(() => Trajectory.Run(new TrajectoryOptions("rayleigh", HeavyBall with { WeightDecay = 1e-3 }, 1) { Predict = ["steady"] }),
            Throws.ArgumentException.With.Message.Contains("force-persistent or force-white"));
    }

    [Test]
    public void EveryModel_DeclaresItsParameters()
    {
        foreach (var id in ToyModels.Ids)
            Assert.That(ToyModels.ParametersOf(id), Is.Not.Empty, id);
    }
}

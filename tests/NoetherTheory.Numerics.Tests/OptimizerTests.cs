using CsCheck;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Testing;

namespace NoetherTheory.Numerics.Tests;

[TestFixture]
public sealed class OptimizerTests
{
    // Central differences with h = 1e-6 on O(1) smooth losses: truncation h² ≈ 1e-12, round-off ε/h ≈ 1e-10.
    private static readonly Tolerance CentralDifference = new(1e-7, 1e-6);

    private static IEnumerable<string> LossModels() => ToyModels.Ids.Where(id => ToyModels.Create(id).HasLoss);

    [TestCaseSource(nameof(LossModels))]
    public void Gradient_MatchesCentralDifferenceOfLoss(string id)
    {
        var model = ToyModels.Create(id, seed: 3);
        int d = model.Dimension;
        Gen.Double[-0.5, 0.5].Array[d].Sample(shift =>
        {
            var q = model.InitialPoint().Select((x, i) => x + shift[i]).ToArray();
            var g = new double[d];
            model.Gradient(q, g, GradientContext.FullBatch);
            for (int i = 0; i < d; i++)
            {
                const double h = 1e-6;
                var qp = q.ToArray(); qp[i] += h;
                var qm = q.ToArray(); qm[i] -= h;
                NumericAssert.Close((model.Loss(qp) - model.Loss(qm)) / (2 * h), g[i], CentralDifference, $"{id} ∂f/∂q[{i}]");
            }
        }, iter: 20);
    }

    [Test]
    public void HessianVector_MatchesDifferenceOfGradients()
    {
        var model = (IHessianModel)ToyModels.Create("toy-a2");
        Gen.Double[-1.5, 1.5].Array[4].Sample(x =>
        {
            double[] q = [x[0], x[1]], v = [x[2], x[3]];
            var hv = new double[2]; var gp = new double[2]; var gm = new double[2];
            model.HessianVector(q, v, hv);
            const double h = 1e-6;
            model.Gradient([q[0] + h * v[0], q[1] + h * v[1]], gp, GradientContext.FullBatch);
            model.Gradient([q[0] - h * v[0], q[1] - h * v[1]], gm, GradientContext.FullBatch);
            for (int i = 0; i < 2; i++) NumericAssert.Close((gp[i] - gm[i]) / (2 * h), hv[i], CentralDifference);
        }, iter: 50);
    }

    [Test]
    public void HeavyBall_FollowsPyTorchRecursion_ByHand()
    {
        // f = ½(w₁w₂ − 1)², written out: buf₁ = d₀, then buf = β buf + (1−δ) d, q −= η buf (PyTorch SGD).
        var model = ToyModels.Create("linear2-scalar");
        var o = new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.1, Momentum = 0.9, Dampening = 0.2, WeightDecay = 0.01 };
        var opt = new Optimizer(model, o);
        double[] q = [0.5, 1.5], buf = [0, 0];
        for (int n = 0; n < 5; n++)
        {
            double e = q[0] * q[1] - 1;
            double[] d = [e * q[1] + 0.01 * q[0], e * q[0] + 0.01 * q[1]];
            for (int i = 0; i < 2; i++) buf[i] = n == 0 ? d[i] : 0.9 * buf[i] + 0.8 * d[i];
            for (int i = 0; i < 2; i++) q[i] -= 0.1 * buf[i];
            opt.Step();
            NumericAssert.AllClose(q, opt.Parameters.ToArray(), Tolerance.RoundOff);
            NumericAssert.AllClose(buf, opt.Buffer.ToArray(), Tolerance.RoundOff);
        }
    }

    [Test]
    public void Nesterov_And_DecoupledDecay_ByHand()
    {
        var model = ToyModels.Create("linear2-scalar");
        var o = new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.05, Momentum = 0.8, Nesterov = true, WeightDecay = 0.1, DecoupledWeightDecay = true };
        var opt = new Optimizer(model, o);
        double[] q = [0.5, 1.5], buf = [0, 0];
        for (int n = 0; n < 4; n++)
        {
            double e = q[0] * q[1] - 1;
            double[] g = [e * q[1], e * q[0]];
            for (int i = 0; i < 2; i++)
            {
                buf[i] = n == 0 ? g[i] : 0.8 * buf[i] + g[i];
                q[i] = (1 - 0.05 * 0.1) * q[i] - 0.05 * (g[i] + 0.8 * buf[i]);
            }
            opt.Step();
            NumericAssert.AllClose(q, opt.Parameters.ToArray(), Tolerance.RoundOff);
        }
    }

    [Test]
    public void Adam_FirstStepIsLearningRateTimesSign()
    {
        // With bias correction, m̂₁ = g, v̂₁ = g², so the first Adam step is −η·g/(|g| + ε) ≈ −η·sign(g).
        var model = ToyModels.Create("linear2-scalar");
        var opt = new Optimizer(model, new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 0.01, Epsilon = 0 });
        var q0 = model.InitialPoint();
        opt.Step();
        var g = opt.LastGradient.ToArray();
        for (int i = 0; i < 2; i++) NumericAssert.Close(q0[i] - 0.01 * Math.Sign(g[i]), opt.Parameters[i], Tolerance.RoundOff);
    }

    [Test]
    public void RmsProp_FirstStepScalesByOneOverSqrtOneMinusAlpha()
    {
        var model = ToyModels.Create("linear2-scalar");
        var opt = new Optimizer(model, new OptimizerOptions { Kind = OptimizerKind.RmsProp, LearningRate = 0.01, Alpha = 0.99, Epsilon = 0 });
        var q0 = model.InitialPoint();
        opt.Step();
        var g = opt.LastGradient.ToArray();
        for (int i = 0; i < 2; i++) NumericAssert.Close(q0[i] - 0.01 * Math.Sign(g[i]) / Math.Sqrt(0.01), opt.Parameters[i], Tolerance.RoundOff);
    }

    [Test]
    public void ProjectedGd_KeepsEveryBlockAtItsInitialNorm()
    {
        var model = ToyModels.Create("rayleigh");
        var opt = new Optimizer(model, new OptimizerOptions { LearningRate = 0.3, ProjectedBlocks = [[0, 1, 2]] });
        double r0 = LinearAlgebra.Vec.Norm(opt.Parameters);
        for (int n = 0; n < 50; n++) { opt.Step(); NumericAssert.Close(r0, LinearAlgebra.Vec.Norm(opt.Parameters), Tolerance.RoundOff); }
    }

    [Test]
    public void StochasticRuns_AreReproducibleFromTheSeed_AndDifferAcrossSeeds()
    {
        var model = ToyModels.Create("softmax", seed: 1);
        var o = new OptimizerOptions { LearningRate = 0.1, BatchSize = 5 };
        double[] Run(int seed) { var opt = new Optimizer(model, o, seed); opt.Run(20); return opt.Parameters.ToArray(); }
        var first = Run(7);
        var again = Run(7);
        Assert.That(again, Is.EqualTo(first).AsCollection);
        Assert.That(Run(8), Is.Not.EqualTo(first).AsCollection);
    }

    [Test]
    public void InvalidOptions_NameTheField()
    {
        var model = ToyModels.Create("rayleigh");
        Assert.That(() => new Optimizer(model, new OptimizerOptions { Momentum = 1 }), Throws.ArgumentException.With.Message.Contains("Momentum"));
        Assert.That(() => new Optimizer(model, new OptimizerOptions { LearningRate = -1 }), Throws.ArgumentException.With.Message.Contains("LearningRate"));
        Assert.That(() => new Optimizer(model, new OptimizerOptions { Nesterov = true }), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => ToyModels.Create("nope"), Throws.ArgumentException.With.Message.Contains("scale-cosine"));
    }

    [Test]
    public void WhiteForce_WithoutSeededRng_SaysWhatToDo()
    {
        var model = ToyModels.Create("force-white");
        var g = new double[model.Dimension];
        Assert.That(() => model.Gradient(model.InitialPoint(), g, GradientContext.FullBatch),
            Throws.InvalidOperationException.With.Message.Contains("seed"));
    }
}

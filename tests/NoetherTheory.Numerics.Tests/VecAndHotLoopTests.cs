using CsCheck;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Testing;

namespace NoetherTheory.Numerics.Tests;

/// <summary>The SIMD kernels of <see cref="Vec"/> and the optimizer's fused step: fixed reduction order (the same bits as the
/// scalar lane-ordered reference), accuracy against an exact sum, bitwise agreement of the fused step with the scalar
/// PyTorch recurrence, and no allocation in the hot loop.</summary>
[TestFixture]
public sealed class VecAndHotLoopTests
{
    // Lengths from empty through several 16-lane blocks plus every possible tail length.
    private static readonly Gen<double[]> Vectors = Gen.Int[0, 90].SelectMany(n => Gen.Double[-10, 10].Array[n]);
    private static readonly Gen<(double[], double[])> Pairs =
        Gen.Int[0, 90].SelectMany(n => Gen.Select(Gen.Double[-10, 10].Array[n], Gen.Double[-10, 10].Array[n]));

    [Test]
    public void Dot_IsBitwiseTheLaneOrderedScalarSum() =>
        Pairs.Sample((a, b) => Vec.Dot(a, b).Equals(Vec.LaneOrderedDot(a, b)), iter: 500);

    [Test]
    public void Norm2_Distance_AndFusedPair_FollowTheSameOrder()
    {
        Pairs.Sample((x, w) =>
        {
            var squares = x.Select(v => v * v).ToArray();
            var diff = x.Zip(w, (p, q) => p - q).ToArray();
            var (r2, weighted) = Vec.Norm2AndWeightedNorm2(x, w);
            Assert.That(Vec.Norm2(x), Is.EqualTo(Vec.LaneOrderedDot(x, x)));
            Assert.That(r2, Is.EqualTo(Vec.LaneOrderedDot(x, x)));
            Assert.That(weighted, Is.EqualTo(Vec.LaneOrderedDot(w, squares)));
            Assert.That(Vec.Distance(x, w), Is.EqualTo(Math.Sqrt(Vec.LaneOrderedDot(diff, diff))));
        }, iter: 300);
    }

    [Test]
    public void Dot_IsWithinTheBlockedSummationBoundOfTheExactValue()
    {
        // Exact reference: each product split exactly by FMA (p + e = a·b), all 2n parts summed with Neumaier's compensation
        // (error ~u·|Σ|, negligible here). Bound of the blocked order: depth·u·Σ|aᵢbᵢ| with depth the longest chain of
        // roundings a term goes through: 1 (product) + ⌈n/16⌉ (its lane) + 4 (tree) + 15 (at most 15 tail adds), the
        // standard recursive-summation bound (first order in the unit round-off u = 2⁻⁵³).
        Pairs.Sample((a, b) =>
        {
            double sum = 0, c = 0, abs = 0;
            void Add(double x)
            {
                double t = sum + x;
                c += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
                sum = t;
            }
            for (int i = 0; i < a.Length; i++)
            {
                double p = a[i] * b[i];
                Add(p);
                Add(Math.FusedMultiplyAdd(a[i], b[i], -p));
                abs += Math.Abs(p);
            }
            const double unitRoundOff = 1.1102230246251565e-16;
            double depth = 1 + Math.Ceiling(a.Length / 16.0) + 4 + 15;
            double exact = sum + c, bound = depth * unitRoundOff * abs;
            Assert.That(Math.Abs(Vec.Dot(a, b) - exact), Is.LessThanOrEqualTo(bound), $"n = {a.Length}");
        }, iter: 300);
    }

    [Test]
    public void Axpy_IsTheScalarExpressionElementwise()
    {
        Gen.Select(Pairs, Gen.Double[-3, 3]).Sample((p, alpha) =>
        {
            var (x, y) = p;
            var expected = y.Select((v, i) => v + (alpha * x[i])).ToArray();
            var actual = y.ToArray();
            Vec.Axpy(alpha, x, actual);
            Assert.That(actual, Is.EqualTo(expected).AsCollection);
        }, iter: 200);
    }

    [Test]
    public void Kernels_RejectMismatchedLengths_NamingTheKernel()
    {
        Assert.That(() => Vec.Dot([1, 2], [1]), Throws.ArgumentException.With.Message.Contains("Dot"));
        Assert.That(() => Vec.Norm2AndWeightedNorm2([1, 2], [1]), Throws.ArgumentException.With.Message.Contains("Norm2AndWeightedNorm2"));
        Assert.That(() => Vec.Axpy(1, [1, 2], new double[3]), Throws.ArgumentException.With.Message.Contains("Axpy"));
    }

    public static IEnumerable<TestCaseData> HeavyBallVariants()
    {
        yield return new TestCaseData(0.0, false, 0.0, false).SetName("HeavyBall_plain");
        yield return new TestCaseData(0.3, false, 0.0, false).SetName("HeavyBall_dampened");
        yield return new TestCaseData(0.0, true, 0.0, false).SetName("HeavyBall_nesterov");
        yield return new TestCaseData(0.2, false, 0.05, false).SetName("HeavyBall_dampened_coupledDecay");
        yield return new TestCaseData(0.0, true, 0.05, true).SetName("HeavyBall_nesterov_decoupledDecay");
        yield return new TestCaseData(0.0, true, 0.05, false).SetName("HeavyBall_nesterov_coupledDecay");
    }

    [TestCaseSource(nameof(HeavyBallVariants))]
    public void FusedStep_IsBitwiseTheScalarPyTorchRecurrence(double dampening, bool nesterov, double k, bool decoupled)
    {
        // d = 37: nine 4-wide vectors and a scalar tail. The reference is the recurrence written element by element
        // (theory/01-learning-lagrangian.md#eq-1-2) with the model's own gradient, so every bit must agree.
        const int d = 37;
        const double eta = 0.1, beta = 0.9;
        var a = Enumerable.Range(0, d).Select(i => 1 + (i / (double)d)).ToArray();
        var q = Enumerable.Range(0, d).Select(i => 1 + ((i % 7) / 7.0)).ToArray();
        var model = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", q));
        var opt = new Optimizer(model, new OptimizerOptions
        {
            Kind = OptimizerKind.HeavyBall, LearningRate = eta, Momentum = beta, Dampening = dampening, Nesterov = nesterov,
            WeightDecay = k, DecoupledWeightDecay = decoupled,
        });
        var v = new double[d];
        var g = new double[d];
        for (int n = 0; n < 30; n++)
        {
            var before = q.ToArray();
            model.Gradient(q, g, GradientContext.FullBatch);
            var dir = new double[d];
            for (int i = 0; i < d; i++)
            {
                double di = !decoupled && k != 0 ? g[i] + (k * q[i]) : g[i];
                dir[i] = di;
                v[i] = n == 0 ? di : (beta * v[i]) + ((1 - dampening) * di);
                double step = nesterov ? di + (beta * v[i]) : v[i];
                q[i] = ((decoupled ? 1 - (eta * k) : 1) * q[i]) - (eta * step);
            }
            opt.Step();
            Assert.That(opt.Parameters.ToArray(), Is.EqualTo(q).AsCollection, $"q at step {n + 1}");
            Assert.That(opt.Buffer.ToArray(), Is.EqualTo(v).AsCollection, $"buffer at step {n + 1}");
            Assert.That(opt.PreviousParameters.ToArray(), Is.EqualTo(before).AsCollection, $"previous q at step {n + 1}");
            Assert.That(opt.LastGradient.ToArray(), Is.EqualTo(g).AsCollection, $"gradient at step {n + 1}");
            Assert.That(opt.LastDirection.ToArray(), Is.EqualTo(dir).AsCollection, $"direction at step {n + 1}");
        }
    }

    [TestCaseSource(nameof(HeavyBallVariants))]
    public void FusedGradientPath_AndSeparatePasses_GiveTheSameBits(double dampening, bool nesterov, double k, bool decoupled)
    {
        const int d = 45;
        var a = Enumerable.Range(0, d).Select(i => 1 + (i / (double)d)).ToArray();
        var q0 = Enumerable.Range(0, d).Select(i => 1 + ((i % 5) / 5.0)).ToArray();
        var model = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", q0));
        Assert.That(model, Is.InstanceOf<IFusedGradientModel>(), "rayleigh is the model with the fused path");
        var options = new OptimizerOptions
        {
            Kind = OptimizerKind.HeavyBall, LearningRate = 0.1, Momentum = 0.9, Dampening = dampening, Nesterov = nesterov,
            WeightDecay = k, DecoupledWeightDecay = decoupled,
        };
        var fused = new Optimizer(model, options);
        var separate = new Optimizer(new OpaqueModel(model), options);
        for (int n = 0; n < 25; n++)
        {
            fused.Step();
            separate.Step();
            Assert.That(fused.Parameters.ToArray(), Is.EqualTo(separate.Parameters.ToArray()).AsCollection, $"q at step {n + 1}");
            Assert.That(fused.Buffer.ToArray(), Is.EqualTo(separate.Buffer.ToArray()).AsCollection, $"buffer at step {n + 1}");
            Assert.That(fused.LastDirection.ToArray(), Is.EqualTo(separate.LastDirection.ToArray()).AsCollection, $"direction at step {n + 1}");
        }
    }

    [Test]
    public void RayleighConsumerOverload_HandsEveryComponentOnce_InOrder_WithTheGradientsBits()
    {
        Gen.Int[1, 70].SelectMany(n => Gen.Double[0.5, 2].Array[n]).Sample(q =>
        {
            var a = q.Select((_, i) => 1 + (0.1 * i)).ToArray();
            var model = (IFusedGradientModel)ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", q));
            var expected = new double[q.Length];
            model.Gradient(q, expected, GradientContext.FullBatch);
            var g = new double[q.Length];
            var seen = new List<(int Index, double Value)>();
            var recorder = new Recorder(seen);
            model.Gradient(q, g, ref recorder);
            Assert.That(g, Is.EqualTo(expected).AsCollection);
            Assert.That(seen.Select(s => s.Index), Is.EqualTo(Enumerable.Range(0, q.Length)).AsCollection);
            Assert.That(seen.Select(s => s.Value), Is.EqualTo(expected).AsCollection);
        }, iter: 100);
    }

    /// <summary>Records what a fused gradient hands over, component by component.</summary>
    private readonly struct Recorder(List<(int, double)> seen) : IGradientConsumer
    {
        public void Take(nuint index, System.Runtime.Intrinsics.Vector512<double> g)
        {
            for (int j = 0; j < 8; j++) seen.Add(((int)index + j, g[j]));
        }

        public void Take(nuint index, System.Runtime.Intrinsics.Vector256<double> g)
        {
            for (int j = 0; j < 4; j++) seen.Add(((int)index + j, g[j]));
        }

        public void Take(nuint index, double g) => seen.Add(((int)index, g));
    }

    /// <summary>Hides a model's fused gradient, so the optimizer takes the separate gradient and update passes.</summary>
    private sealed class OpaqueModel(IToyModel inner) : IToyModel
    {
        public string Id => inner.Id;
        public int Dimension => inner.Dimension;
        public ModelStructure Structure => inner.Structure;
        public bool HasLoss => inner.HasLoss;
        public double Loss(ReadOnlySpan<double> q) => inner.Loss(q);
        public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context) => inner.Gradient(q, g, context);
        public double[] InitialPoint() => inner.InitialPoint();
    }

    [Test]
    public void Gd_BufferIsTheDirection_AndPreviousIsTheOldPoint()
    {
        var model = ToyModels.Create("rayleigh");
        var opt = new Optimizer(model, new OptimizerOptions { LearningRate = 0.2, WeightDecay = 0.1 });
        for (int n = 0; n < 5; n++)
        {
            var before = opt.Parameters.ToArray();
            opt.Step();
            Assert.That(opt.PreviousParameters.ToArray(), Is.EqualTo(before).AsCollection);
            Assert.That(opt.Buffer.ToArray(), Is.EqualTo(opt.LastDirection.ToArray()).AsCollection);
            var expected = before.Select((x, i) => x - (0.2 * opt.LastDirection[i])).ToArray();
            Assert.That(opt.Parameters.ToArray(), Is.EqualTo(expected).AsCollection);
        }
    }

    [Test]
    public void HeavyBallOnRayleigh_AllocatesNothingPerStep()
    {
        int d = 1000;
        var a = Enumerable.Range(0, d).Select(i => 1 + (i / (double)d)).ToArray();
        var model = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", Enumerable.Repeat(1.0, d).ToArray()));
        var opt = new Optimizer(model, new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.1, Momentum = 0.9 });
        opt.Run(50);   // first step and JIT out of the way
        long before = GC.GetAllocatedBytesForCurrentThread();
        opt.Run(500);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated by 500 heavy-ball steps");
    }

    [Test]
    public void LargeRun_IsBitwiseReproducible()
    {
        int d = 4099;
        var a = Enumerable.Range(0, d).Select(i => 1 + (i / (double)d)).ToArray();
        var model = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", Enumerable.Range(0, d).Select(i => 1 + ((i % 7) / 7.0)).ToArray()));
        double[] Run()
        {
            var opt = new Optimizer(model, new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.1, Momentum = 0.9 });
            opt.Run(200);
            return opt.Parameters.ToArray();
        }
        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first).AsCollection);
    }
}

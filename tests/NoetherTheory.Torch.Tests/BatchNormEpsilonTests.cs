using NoetherTheory.Testing;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// The BN-ε identity ⟨g,w⟩ = ε/(c+ε)·γ·∂f/∂γ per filter (theory/05-learning-dynamics.md#eq-5-7), as the engine measures it.
/// </summary>
[TestFixture, Category("Native")]
public sealed class BatchNormEpsilonTests
{
    // float32 back-propagation: ⟨w,g⟩ and γ·∂f/∂γ both carry float32 round-off, judged relative to |w||g|; on this tiny
    // net (8×8 inputs, ≤ 1024 pixels per channel, so little cancellation in g) the ε = 0 run shows |cos(w,g)| ≤ 1.7e-7 for
    // every filter, and so does the ε = 0.1 residual (1.4e-7). 1e-5 is a margin of ≈ 50 for EVERY filter (not only the
    // median, as FilterChecks.EpsilonMedianTolerance for large nets); the wrong-variance predictions below miss by ≳ 1e-3.
    private const double Float32Residual = 1e-5;

    // ε = 0.1 on Kaiming-initialised filters (c = O(1)) breaks the symmetry at |cos| ~ 1e-3 … 1e-1; a filter whose
    // predicted violation were below 1e-4 would make the identity check blunt. The median must be well above it.
    private const double SharpViolation = 1e-4;

    // float64 forward/backward of the tiny net: ⟨w,g⟩ and γ·∂f/∂γ agree to a few hundred float64 ulps of |w||g|.
    private const double Float64Residual = 1e-12;

    // Central difference in float64 with h = 1e-4: truncation h²/6·f''' (f''' = O(|w||g|)) ≈ 2e-9 and cancellation
    // 1e-16/h ≈ 1e-12 relative to the loss; 1e-7 of |w||g| leaves room for a larger third derivative.
    private const double FiniteDifferenceStep = 1e-4;
    private const double FiniteDifferenceResidual = 1e-7;

    // The biased variance c that BN normalised with against c·M/(M−1) read back from BN's running variance with
    // momentum 1 (which PyTorch updates with the unbiased variance): float32 variance round-off, relative.
    private static readonly Tolerance Float32Variance = Tolerance.Relative(1e-5);

    // Spatial size seen by each of the eight BN layers for 8×8 inputs (pools after convs 1, 2, 4, 6; the last pool skipped).
    private static readonly int[] SpatialSize8 = [8, 4, 2, 2, 1, 1, 1, 1];

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    private static Vgg11Bn Model(int seed, double epsilon, double bnMomentum = 0.1)
    {
        torch.manual_seed(seed);
        return new Vgg11Bn(new Vgg11BnOptions(3, 8, 4, WidthMultiplier: 1.0 / 16, BatchNormEpsilon: epsilon, BatchNormMomentum: bnMomentum,
            Head: Vgg11BnHead.GapLinear));
    }

    private static DatasetPair Data() => SyntheticImages.Create(new SyntheticImageOptions(64, 8, 3, 8, 4, 13));

    // Runs three training steps through TrainingStep (momentum buffers, weight decay, augmentation), the last one measured.
    private static StepMeasurement TrainAndMeasure(Vgg11Bn model, DatasetPair data)
    {
        using var hb = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9, 0, 5e-4));
        using var g = new Generator(5, CPU);
        using var step = new TrainingStep(model, hb, new TrainingStepOptions(new AugmentationOptions(2, true)), g);
        for (int n = 0; n < 2; n++) step.Run(n, data.Train, arange(16 * n, 16 * n + 16), 0.05, StepLogging.None);
        return step.Run(2, data.Train, arange(32, 48), 0.05, StepLogging.LogAndMeasure)!.Measurement!;
    }

    private static IEnumerable<(string Name, int Filter, double Measured, double Predicted, double Scale)> Filters(StepMeasurement m) =>
        m.Layers.SelectMany(l => Enumerable.Range(0, l.Filters.Count).Select(f => (l.Name, f, l.Filters.WeightDotGrad[f],
            l.Filters.PredictedWeightDotGrad[f], Math.Sqrt(l.Filters.WeightNormSq[f] * l.Filters.GradNormSq[f]))));

    [Test]
    public void LargeEpsilon_MeasuredWeightDotGrad_IsThePrediction_ForEveryFilter()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var model = Model(21, epsilon: 0.1);
        var m = TrainAndMeasure(model, data);
        var violations = new List<double>();
        double worst = 0;
        foreach (var (name, f, measured, predicted, scale) in Filters(m))
        {
            Assert.That(double.IsFinite(predicted), $"{name}[{f}]: prediction logged");
            Assert.That(scale, Is.GreaterThan(0), $"{name}[{f}]: |w||g| > 0");
            double residual = Math.Abs(measured - predicted) / scale;
            worst = Math.Max(worst, residual);
            violations.Add(Math.Abs(predicted) / scale);
            Assert.That(residual, Is.LessThanOrEqualTo(Float32Residual),
                $"{name}[{f}]: measured ⟨w,g⟩ = {measured:E6}, predicted {predicted:E6}, |w||g| = {scale:E3}");
        }
        violations.Sort();
        TestContext.Out.WriteLine($"ε = 0.1: worst residual {worst:E2}, violation median {violations[violations.Count / 2]:E2}, min {violations[0]:E2}");
        Assert.That(violations[violations.Count / 2], Is.GreaterThan(SharpViolation), "ε = 0.1 breaks the symmetry far above round-off");
        Assert.That(m.Layers.All(l => l.Filters.BatchVariance.All(c => c > 0)), "c > 0 logged for every channel");
    }

    [Test]
    public void ZeroEpsilon_PredictionIsExactlyZero_AndMeasuredIsRoundOff()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var model = Model(22, epsilon: 0);
        var m = TrainAndMeasure(model, data);
        double worst = 0;
        foreach (var (name, f, measured, predicted, scale) in Filters(m))
        {
            Assert.That(predicted, Is.Zero, $"{name}[{f}]: ε = 0 predicts exactly 0");
            worst = Math.Max(worst, Math.Abs(measured) / scale);
            Assert.That(Math.Abs(measured) / scale, Is.LessThanOrEqualTo(Float32Residual), $"{name}[{f}]: |cos(w,g)|");
        }
        TestContext.Out.WriteLine($"ε = 0: worst |cos(w,g)| {worst:E2}");
    }

    [Test]
    public void BatchVariance_IsTheBiasedOne_AndTheUnbiasedOrRunningVarianceWouldFailTheCheck()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        // BN momentum 1: after one forward the running variance is exactly PyTorch's unbiased batch variance.
        using var model = Model(23, epsilon: 0.1, bnMomentum: 1.0);
        using var hb = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9));
        var measurement = new FilterMeasurement(model, hb);
        const int batch = 16;
        var idx = arange(0, batch);
        model.train();
        model.CaptureBatchVariance = true;
        hb.ZeroGrad();
        nn.functional.cross_entropy(model.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx)).backward();
        var m = measurement.Unpack(0, measurement.Pack().cpu().data<double>().ToArray());

        double worstRight = 0, worstUnbiased = 0, worstRunning = 0;
        for (int l = 0; l < model.ConvLayers.Count; l++)
        {
            var layer = model.ConvLayers[l];
            var f = m.Layers[l].Filters;
            double[] running = layer.Norm.running_var!.to(ScalarType.Float64).data<double>().ToArray();
            double[] gamma = layer.Norm.weight!.detach().to(ScalarType.Float64).data<double>().ToArray();
            double[] gammaGrad = layer.Norm.weight!.grad!.to(ScalarType.Float64).data<double>().ToArray();
            long count = batch * SpatialSize8[l] * (long)SpatialSize8[l];    // M = N·H·W
            double bessel = count / (count - 1.0);
            for (int k = 0; k < f.Count; k++)
            {
                NumericAssert.Close(running[k], f.BatchVariance[k] * bessel, Float32Variance, $"{layer.Name}[{k}]: c·M/(M−1) vs BN's unbiased running variance");
                double scale = Math.Sqrt(f.WeightNormSq[k] * f.GradNormSq[k]);
                double Residual(double c) => Math.Abs(f.WeightDotGrad[k] - 0.1 / (c + 0.1) * gamma[k] * gammaGrad[k]) / scale;
                worstRight = Math.Max(worstRight, Residual(f.BatchVariance[k]));
                worstUnbiased = Math.Max(worstUnbiased, Residual(f.BatchVariance[k] * bessel));
                // A default-momentum running variance after this first batch: 0.9·1 + 0.1·unbiased.
                worstRunning = Math.Max(worstRunning, Residual(0.9 + 0.1 * running[k]));
            }
        }
        TestContext.Out.WriteLine($"worst residual with c: {worstRight:E2}; unbiased: {worstUnbiased:E2}; running: {worstRunning:E2}");
        Assert.That(worstRight, Is.LessThanOrEqualTo(Float32Residual), "the biased batch variance satisfies the identity");
        Assert.That(worstUnbiased, Is.GreaterThan(Float32Residual), "the unbiased variance is detectably wrong (M = 16 in the deepest layers)");
        Assert.That(worstRunning, Is.GreaterThan(Float32Residual), "the running variance is detectably wrong");
    }

    [Test]
    public void Float64_FiniteDifferenceOfTheScaledFilter_EqualsMeasured_AndPredicted()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var model = Model(24, epsilon: 0.1);
        model.to(ScalarType.Float64);
        using var hb = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9));
        var measurement = new FilterMeasurement(model, hb);
        var idx = arange(0, 16);
        var x = data.Train.Batch(idx).to(ScalarType.Float64);
        var y = data.Train.Labels.index_select(0, idx);
        model.train();
        model.CaptureBatchVariance = true;
        hb.ZeroGrad();
        nn.functional.cross_entropy(model.call(x), y).backward();
        var m = measurement.Unpack(0, measurement.Pack().cpu().data<double>().ToArray());
        model.CaptureBatchVariance = false;

        double Loss()
        {
            using var inner = NewDisposeScope();
            using var noGrad = no_grad();
            return nn.functional.cross_entropy(model.call(x), y).item<double>();
        }
        foreach (int l in new[] { 0, 3, 7 })
        {
            var weight = model.ConvLayers[l].Conv.weight!;
            var f = m.Layers[l].Filters;
            for (int k = 0; k < Math.Min(3, f.Count); k++)
            {
                double scale = Math.Sqrt(f.WeightNormSq[k] * f.GradNormSq[k]);
                var original = weight[k].detach().clone();
                double Scaled(double s)
                {
                    using (no_grad()) weight[k].copy_(original * (1 + s));
                    return Loss();
                }
                double derivative = (Scaled(FiniteDifferenceStep) - Scaled(-FiniteDifferenceStep)) / (2 * FiniteDifferenceStep);
                using (no_grad()) weight[k].copy_(original);
                string what = $"{model.ConvLayers[l].Name}[{k}]";
                Assert.That(Math.Abs(derivative - f.WeightDotGrad[k]) / scale, Is.LessThanOrEqualTo(FiniteDifferenceResidual), $"{what}: d/ds f((1+s)q) vs ⟨g,q⟩");
                Assert.That(Math.Abs(derivative - f.PredictedWeightDotGrad[k]) / scale, Is.LessThanOrEqualTo(FiniteDifferenceResidual), $"{what}: d/ds f((1+s)q) vs ε/(c+ε)·γ·∂f/∂γ");
                Assert.That(Math.Abs(f.WeightDotGrad[k] - f.PredictedWeightDotGrad[k]) / scale, Is.LessThanOrEqualTo(Float64Residual), $"{what}: float64 identity");
                Assert.That(Math.Abs(f.PredictedWeightDotGrad[k]) / scale, Is.GreaterThan(SharpViolation), $"{what}: the violation is resolved");
            }
        }
    }

    [Test]
    public void CaptureOff_OrEvaluationMode_LeavesNoVariance_AndThePredictionIsNaN_AndTheOutputIsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var model = Model(25, epsilon: 0.1);
        using var hb = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9));
        var measurement = new FilterMeasurement(model, hb);
        var x = data.Train.Batch(arange(0, 8));
        model.train();
        model.CaptureBatchVariance = true;
        var captured = model.call(x);
        Assert.That(model.BatchVariances, Has.All.Not.Null);
        model.CaptureBatchVariance = false;
        var plain = model.call(x);
        Assert.That(captured.eq(plain).all().item<bool>(), "capturing does not change the forward pass (bitwise)");
        Assert.That(model.BatchVariances, Has.All.Null, "an uncaptured forward pass clears the previous capture");

        model.CaptureBatchVariance = true;
        model.eval();
        model.call(x).Dispose();
        Assert.That(model.BatchVariances, Has.All.Null, "evaluation mode normalises with running statistics: nothing to capture");
        model.train();

        model.CaptureBatchVariance = false;
        hb.ZeroGrad();
        nn.functional.cross_entropy(model.call(x), arange(8) % 4).backward();
        var m = measurement.Unpack(0, measurement.Pack().cpu().data<double>().ToArray());
        Assert.That(m.Layers.SelectMany(l => l.Filters.PredictedWeightDotGrad.Concat(l.Filters.BatchVariance)), Has.All.NaN);
        Assert.That(m.Layers.SelectMany(l => l.Filters.WeightNormSq), Has.All.GreaterThan(0), "the rest is measured as before");
    }
}

using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Symmetries;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// <see cref="GroupBatchNormPrediction"/>: the BN-ε prediction of G per scale group (theory/08-group-laws.md#eq-8-4) in the
/// generic group path, on a small ResNet-18 (stem, block and shortcut convs → BN) and against VGG11-BN's filter measurement.
/// </summary>
[TestFixture, Category("Native")]
public sealed class GroupBatchNormPredictionTests
{
    // float32 back-propagation: G = ⟨w,g⟩ and γ·∂f/∂γ both carry float32 round-off relative to √(W2·G2) = |w||g|; on this
    // tiny net (8×8 inputs, ≤ 1024 pixels per channel) ε = 0 gives |G|/√(W2·G2) ≲ 2e-7 per generator, as BatchNormEpsilonTests
    // measures on VGG. 1e-5 bounds EVERY generator-step; the perturbed predictions below miss by ≳ 1e-3.
    private const double Float32Residual = 1e-5;

    // ε = 0.1 on Kaiming-initialised convs (c = O(1)) breaks the symmetry at |G|/√(W2·G2) ~ 1e-3 … 1e-1: the median must be
    // far above round-off for the identity check to be sharp.
    private const double SharpViolation = 1e-4;

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    private static NetworkConfig ResNet(double epsilon) =>
        new(ModelKind.ResNet18, 3, 8, 4, WidthMultiplier: 1.0 / 16, Depth: 1, NormEpsilon: epsilon);

    // Three training steps through TrainingStep, the last one measured; the step's groups, values and predictions.
    private static (List<SymmetryGroup> Groups, LoggedStep Logged, IReadOnlyList<string> Predicted, IReadOnlyList<(string, string)> NotPredicted)
        TrainAndMeasure(NetworkConfig config)
    {
        torch.manual_seed(31);
        using var network = Network.Create(config);
        using var data = SyntheticImages.Create(new SyntheticImageOptions(64, 8, 3, 8, 4, 13));
        using var hb = new HeavyBall(network.Module.parameters(), new HeavyBallOptions(0.9, 0, 5e-4));
        var groups = SymmetryProposals.Propose(network.Description).ToList();
        using var step = new TrainingStep(network, hb, new TrainingStepOptions(), null, groups);
        Assert.That(step.BatchNormPrediction, Is.Not.Null);
        for (int n = 0; n < 2; n++) step.Run(n, data.Train, arange(16 * n, 16 * n + 16), 0.05, StepLogging.None);
        var logged = step.Run(2, data.Train, arange(32, 48), 0.05, StepLogging.LogAndMeasure)!;
        return (groups, logged, step.BatchNormPrediction!.Predicted, step.BatchNormPrediction.NotPredicted);
    }

    private static IEnumerable<(string Group, int Generator, double Measured, double Predicted, double Scale, double Variance)> Pairs(LoggedStep logged) =>
        logged.GroupPredictions!.Groups.SelectMany(p =>
        {
            var values = logged.Groups!.Groups.Single(g => g.Group == p.Group).Generators;
            return Enumerable.Range(0, p.Predicted.Count).Select(i => (p.Group, i, values[i].ChargeGradient, p.Predicted[i],
                Math.Sqrt(values[i].WeightScale * values[i].GradientScale), p.BatchVariance[i]));
        });

    [Test]
    public void ResNet18_LargeEpsilon_MeasuredG_IsThePrediction_ForEveryGenerator()
    {
        using var scope = NewDisposeScope();
        var (groups, logged, predicted, notPredicted) = TrainAndMeasure(ResNet(0.1));
        var convScales = groups.Where(g => g.Kind == GroupKind.Scale).Select(g => g.Name).ToList();
        Assert.That(predicted, Is.EqualTo(convScales), "every BN scale group (stem, blocks, shortcuts) and nothing else");
        Assert.That(predicted, Has.Some.Contains("shortcut.conv").And.Some.Contains("stem.conv"));
        Assert.That(notPredicted.Select(x => x.Item1), Is.EquivalentTo(groups.Where(g => g.Kind != GroupKind.Scale).Select(g => g.Name)));
        Assert.That(notPredicted.Select(x => x.Item2), Has.All.EqualTo("not a scale group"));
        var violations = new List<double>();
        double worst = 0;
        foreach (var (group, i, measured, prediction, scale, variance) in Pairs(logged))
        {
            Assert.That(double.IsFinite(prediction) && variance > 0, $"{group}[{i}]: prediction and c captured");
            Assert.That(scale, Is.GreaterThan(0), $"{group}[{i}]");
            double residual = Math.Abs(measured - prediction) / scale;
            worst = Math.Max(worst, residual);
            violations.Add(Math.Abs(prediction) / scale);
            Assert.That(residual, Is.LessThanOrEqualTo(Float32Residual), $"{group}[{i}]: G = {measured:E6}, predicted {prediction:E6}, √(W2·G2) = {scale:E3}");
        }
        violations.Sort();
        TestContext.Out.WriteLine($"ε = 0.1: {violations.Count} generators, worst residual {worst:E2}, violation median {violations[violations.Count / 2]:E2}");
        Assert.That(violations[violations.Count / 2], Is.GreaterThan(SharpViolation));
    }

    [Test]
    public void ResNet18_ZeroEpsilon_PredictsExactlyZero()
    {
        using var scope = NewDisposeScope();
        var (_, logged, _, _) = TrainAndMeasure(ResNet(0));
        var pairs = Pairs(logged).ToList();
        Assert.That(pairs, Is.Not.Empty);
        foreach (var (group, i, measured, prediction, scale, variance) in pairs)
        {
            Assert.That(prediction, Is.Zero, $"{group}[{i}]");
            Assert.That(variance, Is.GreaterThan(0), $"{group}[{i}]: c is still captured");
            Assert.That(Math.Abs(measured) / scale, Is.LessThanOrEqualTo(Float32Residual), $"{group}[{i}]: the exact symmetry's round-off");
        }
    }

    [Test]
    public void ForwardWithoutCapture_GivesNaN_AndAPerturbedVarianceWouldMissTheMeasuredG()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(32);
        using var network = Network.Create(ResNet(0.1));
        using var data = SyntheticImages.Create(new SyntheticImageOptions(32, 8, 3, 8, 4, 14));
        var groups = SymmetryProposals.Propose(network.Description).Where(g => g.Kind == GroupKind.Scale).ToList();
        using var prediction = new GroupBatchNormPrediction(groups, network.Description, network.Module);
        var idx = arange(0, 16);
        void Backward()
        {
            network.Module.train();
            network.Module.zero_grad();
            nn.functional.cross_entropy(network.Module.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx)).backward();
        }
        Backward();
        var uncaptured = prediction.Unpack(0, prediction.Pack().data<double>().ToArray());
        Assert.That(uncaptured.Groups.SelectMany(g => g.Predicted.Concat(g.BatchVariance)), Has.All.NaN, "capture off: no c, no prediction");

        prediction.Capture = true;
        Backward();
        var captured = prediction.Unpack(0, prediction.Pack().data<double>().ToArray());
        // The host recomputation from γ, ∂f/∂γ and the captured c; with c + 1 in its place the value moves by ≳ 1e-3 of itself.
        var stem = captured.Groups.Single(g => g.Group == "scale:stem.conv.weight");
        var norm = (TorchSharp.Modules.BatchNorm)network.Module.named_modules().Single(m => m.name == "stem.bn").module;
        var gamma = norm.weight!.detach().to(ScalarType.Float64).data<double>().ToArray();
        var gammaGrad = norm.weight!.grad!.to(ScalarType.Float64).data<double>().ToArray();
        for (int c = 0; c < gamma.Length; c++)
        {
            double expected = gamma[c] * gammaGrad[c] * (0.1 / (stem.BatchVariance[c] + 0.1));
            Assert.That(stem.Predicted[c], Is.EqualTo(expected).Within(1e-12).Percent, $"channel {c}");
            double wrong = gamma[c] * gammaGrad[c] * (0.1 / (stem.BatchVariance[c] + 1 + 0.1));
            if (expected != 0) Assert.That(Math.Abs(wrong - expected) / Math.Abs(expected), Is.GreaterThan(1e-3), $"channel {c}: c + 1 is caught");
        }

        network.Module.eval();
        using (no_grad()) network.Module.call(data.Train.Batch(idx));
        Assert.That(prediction.Unpack(0, prediction.Pack().data<double>().ToArray()).Groups.SelectMany(g => g.Predicted), Has.All.NaN,
            "an evaluation-mode forward drops c");
    }

    [Test]
    public void Vgg_GroupPrediction_IsTheFilterMeasurementsWgPred_BitForBit()
    {
        using var scope = NewDisposeScope();
        var config = new NetworkConfig(ModelKind.Vgg11Bn, 3, 8, 4, Vgg: new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, BatchNormEpsilon: 0.1, Head: Vgg11BnHead.GapLinear));
        torch.manual_seed(33);
        using var network = Network.Create(config);
        using var data = SyntheticImages.Create(new SyntheticImageOptions(64, 8, 3, 8, 4, 13));
        using var hb = new HeavyBall(network.Module.parameters(), new HeavyBallOptions(0.9, 0, 5e-4));
        var groups = SymmetryProposals.Propose(network.Description).ToList();
        using var step = new TrainingStep(network, hb, new TrainingStepOptions(), null, groups);
        step.Run(0, data.Train, arange(0, 16), 0.05, StepLogging.None);
        var logged = step.Run(1, data.Train, arange(16, 32), 0.05, StepLogging.LogAndMeasure)!;
        var layers = logged.Measurement!.Layers;
        Assert.That(logged.GroupPredictions!.Groups.Select(g => g.Group), Is.EqualTo(layers.Select(l => "scale:" + l.Name + ".weight")));
        foreach (var layer in layers)
        {
            var p = logged.GroupPredictions.Groups.Single(g => g.Group == "scale:" + layer.Name + ".weight");
            Assert.That(p.Predicted, Is.EqualTo(layer.Filters.PredictedWeightDotGrad), layer.Name);
            Assert.That(p.BatchVariance, Is.EqualTo(layer.Filters.BatchVariance), layer.Name);
        }
    }

    [Test]
    public void HostAndTensorPaths_GiveTheSameBits()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(35);
        using var network = Network.Create(ResNet(0.1));
        using var data = SyntheticImages.Create(new SyntheticImageOptions(32, 8, 3, 8, 4, 15));
        var groups = SymmetryProposals.Propose(network.Description).ToList();
        using var host = new GroupBatchNormPrediction(groups, network.Description, network.Module);
        using var tensors = new GroupBatchNormPrediction(groups, network.Description, network.Module, hostKernel: false);
        host.Capture = tensors.Capture = true;
        network.Module.train();
        var idx = arange(0, 16);
        nn.functional.cross_entropy(network.Module.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx)).backward();
        var a = host.Pack().data<double>().ToArray();
        var b = tensors.Pack().data<double>().ToArray();
        Assert.That(a, Has.Length.EqualTo(host.PackedLength).And.All.Not.NaN);
        Assert.That(a, Is.EqualTo(b), "the host path forms the tensor expression's float64 operations in its order");
        var direct = host.PredictOnHost(4);
        Assert.That(direct, Is.Not.Null, "CPU float32 γ with gradients and captured variances: formed on the host");
        var unpacked = host.Unpack(4, a);
        Assert.That(direct!.Step, Is.EqualTo(4));
        Assert.That(direct.Groups.Select(g => g.Group), Is.EqualTo(unpacked.Groups.Select(g => g.Group)));
        Assert.That(direct.Groups.SelectMany(g => g.Predicted.Concat(g.BatchVariance)), Is.EqualTo(unpacked.Groups.SelectMany(g => g.Predicted.Concat(g.BatchVariance))),
            "PredictOnHost is Unpack(Pack()) without the tensor");
        Assert.That(tensors.PredictOnHost(4), Is.Null, "with the host kernel off, Pack is the way");
    }

    [Test]
    public void BlockAndWholeTensorSlices_SumTheirChannels_WithThePower()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(34);
        using var network = Network.Create(ResNet(0.1));
        using var data = SyntheticImages.Create(new SyntheticImageOptions(32, 8, 3, 8, 4, 14));
        var stem = network.Description.Get("stem.conv.weight");
        var groups = new List<SymmetryGroup>
        {
            new("scale:stem.conv.weight", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(stem.Name, 0, 1, 0, stem.Shape[0]))]], "test"),
            new("hand:pairs", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(stem.Name, 0, 2, 0, stem.Shape[0] / 2), 2)]], "test"),
            new("hand:whole", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(stem.Name, null, 1, 0, 1))]], "test"),
            new("hand:inner", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(stem.Name, 1, 1, 0, stem.Shape[1]))]], "test"),
        };
        using var prediction = new GroupBatchNormPrediction(groups, network.Description, network.Module);
        Assert.That(prediction.Predicted, Is.EqualTo(new[] { "scale:stem.conv.weight", "hand:pairs", "hand:whole" }));
        Assert.That(prediction.NotPredicted.Single().Item2, Does.Contain("not output channels"));
        prediction.Capture = true;
        network.Module.train();
        var idx = arange(0, 16);
        nn.functional.cross_entropy(network.Module.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx)).backward();
        var p = prediction.Unpack(0, prediction.Pack().data<double>().ToArray()).Groups;
        var single = p[0].Predicted;
        for (int c = 0; c < p[1].Predicted.Count; c++)
        {
            Assert.That(p[1].Predicted[c], Is.EqualTo(2 * (single[2 * c] + single[2 * c + 1])).Within(1e-12).Percent, $"pair {c}");
            Assert.That(p[1].BatchVariance[c], Is.NaN, "two channels: no single c");
        }
        Assert.That(p[2].Predicted.Single(), Is.EqualTo(single.Sum()).Within(1e-10).Percent);
    }
}

using NoetherTheory.Testing;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

[TestFixture, Category("Native")]
public sealed class TrainingStepTests
{
    private const double LearningRate = 0.05;
    private static readonly HeavyBallOptions Optimizer = new(0.9, 0, 5e-4);

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    // Width 1/16 on 8×8 images: fan-ins 27, 36, 72, 144, 144, 288, 288, 288, so the measurement groups one, two and
    // three layers together.
    private static Vgg11Bn Model(int seed)
    {
        torch.manual_seed(seed);
        return new Vgg11Bn(new Vgg11BnOptions(3, 8, 4, WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear));
    }

    private static DatasetPair Data() => SyntheticImages.Create(new SyntheticImageOptions(32, 8, 3, 8, 4, 11));

    [Test]
    public void Run_PerformsExactlyTheHandWrittenStep()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var a = Model(5);
        using var b = Model(5);
        using var hbA = new HeavyBall(a.parameters(), Optimizer);
        using var hbB = new HeavyBall(b.parameters(), Optimizer);
        using var step = new TrainingStep(a, hbA, new TrainingStepOptions());
        for (int n = 0; n < 3; n++)
        {
            var idx = arange(8 * n, 8 * n + 8);
            var logged = step.Run(n, data.Train, idx, LearningRate, StepLogging.Log);

            b.train();
            var loss = nn.functional.cross_entropy(b.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx));
            hbB.ZeroGrad();
            loss.backward();
            double handLoss = loss.to(ScalarType.Float64).item<double>();
            hbB.Step(LearningRate);

            Assert.That(logged, Is.Not.Null);
            Assert.That(logged!.Loss, Is.EqualTo(handLoss), $"step {n}: the logged loss is the float32 loss, widened");
            Assert.That(logged.StepsAveraged, Is.EqualTo(1));
            Assert.That(logged.Measurement, Is.Null, "Log does not measure");
        }
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            Assert.That(pa.eq(pb).all().item<bool>(), Is.True, "parameters bitwise equal after three steps");
    }

    [Test]
    public void UnloggedSteps_AccumulateUntilTheNextLoggedStep()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var a = Model(6);
        using var b = Model(6);
        using var hbA = new HeavyBall(a.parameters(), Optimizer);
        using var hbB = new HeavyBall(b.parameters(), Optimizer);
        using var everyStep = new TrainingStep(a, hbA, new TrainingStepOptions());
        using var lastStep = new TrainingStep(b, hbB, new TrainingStepOptions());
        var losses = new List<double>();
        var accuracies = new List<double>();
        LoggedStep? logged = null;
        for (int n = 0; n < 4; n++)
        {
            var idx = arange(8 * n, 8 * n + 8);
            var each = everyStep.Run(n, data.Train, idx, LearningRate, StepLogging.Log)!;
            losses.Add(each.Loss);
            accuracies.Add(each.Accuracy);
            logged = lastStep.Run(n, data.Train, idx, LearningRate, n == 3 ? StepLogging.Log : StepLogging.None);
            if (n < 3) Assert.That(logged, Is.Null, $"step {n} is not logged");
        }
        Assert.That(logged!.StepsAveraged, Is.EqualTo(4));
        Assert.That(lastStep.StepsSinceLog, Is.Zero, "a logged step resets the accumulators");
        NumericAssert.Close(losses.Average(), logged.Loss, Tolerance.RoundOff, "mean loss over the four steps");
        NumericAssert.Close(accuracies.Average(), logged.Accuracy, Tolerance.RoundOff, "accuracy over the four steps");
    }

    [Test]
    public void MeasuredStep_MatchesPerFilterReductions_OfEveryLayer_BeforeTheUpdate()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var model = Model(7);
        using var hb = new HeavyBall(model.parameters(), Optimizer);
        using var step = new TrainingStep(model, hb, new TrainingStepOptions());
        _ = step.Run(0, data.Train, arange(0, 8), LearningRate, StepLogging.None);   // creates the momentum buffers

        // Expected values from q_1, g_1, v_1 exactly as the step will see them: replay step 1's forward/backward on a copy.
        using var copy = Model(7);
        using (no_grad())
            foreach (var (c, p) in copy.parameters().Zip(model.parameters())) c.copy_(p);
        foreach (var (c, p) in copy.buffers().Zip(model.buffers())) c.copy_(p);
        var idx = arange(8, 16);
        copy.train();
        nn.functional.cross_entropy(copy.call(data.Train.Batch(idx)), data.Train.Labels.index_select(0, idx)).backward();
        var velocity = model.parameters().Select((p, i) => (p.Handle, hb.Velocity(i)!.detach().clone())).ToDictionary(t => t.Handle, t => t.Item2);

        var m = step.Run(1, data.Train, idx, LearningRate, StepLogging.LogAndMeasure)!.Measurement!;

        Assert.That(m.Step, Is.EqualTo(1));
        Assert.That(m.Layers.Select(l => l.Name), Is.EqualTo(model.ConvLayers.Select(l => l.Name)));
        for (int l = 0; l < model.ConvLayers.Count; l++)
        {
            var w = copy.ConvLayers[l].Conv.weight!.detach().flatten(1).to(ScalarType.Float64);
            var g = copy.ConvLayers[l].Conv.weight!.grad!.flatten(1).to(ScalarType.Float64);
            var v = velocity[model.ConvLayers[l].Conv.weight!.Handle].flatten(1).to(ScalarType.Float64);
            var expected = new[]
            {
                w.square().sum(1), g.square().sum(1), v.square().sum(1), (w * g).sum(1), (w * v).sum(1),
            }.Select(t => t.data<double>().ToArray()).ToArray();
            var f = m.Layers[l].Filters;
            var actual = new[] { f.WeightNormSq, f.GradNormSq, f.VelocityNormSq, f.WeightDotGrad, f.WeightDotVelocity };
            string[] names = ["|w|²", "|g|²", "|v|²", "⟨w,g⟩", "⟨w,v⟩"];
            for (int k = 0; k < 5; k++)
            {
                Assert.That(actual[k], Has.Length.EqualTo(expected[k].Length));
                // ⟨w,g⟩ cancels to ~0 by scale symmetry: compare on the scale of |w||g|, the size of its summands.
                double scale = k == 3 ? Math.Sqrt(expected[0].Max() * expected[1].Max()) : 1;
                for (int i = 0; i < expected[k].Length; i++)
                    NumericAssert.Close(expected[k][i] / scale, actual[k][i] / scale, Tolerance.RoundOff, $"{m.Layers[l].Name}[{i}] {names[k]}");
            }
        }
        var ow = copy.Output.weight!;
        NumericAssert.Close(ow.detach().to(ScalarType.Float64).sum(0L).square().sum().item<double>(), m.Translation.WeightSumNormSq, Tolerance.RoundOff, "|Σ_c W_c|²");
        NumericAssert.Close(copy.Output.bias!.detach().to(ScalarType.Float64).sum().item<double>(), m.Translation.BiasSum, Tolerance.RoundOff, "Σ_c b_c");
    }

    [Test]
    public void Unpack_RejectsAShortVector_NamingTheLengths()
    {
        using var model = Model(8);
        using var hb = new HeavyBall(model.parameters(), Optimizer);
        var measurement = new FilterMeasurement(model, hb);
        var shortVector = new double[measurement.PackedLength];
        Assert.That(() => measurement.Unpack(0, shortVector, 2),
            Throws.ArgumentException.With.Message.Contains(measurement.PackedLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}

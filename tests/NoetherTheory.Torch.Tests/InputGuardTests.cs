using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>Inputs that libtorch would reject are rejected on the managed side first: on hosts where a libtorch error
/// aborts the process (noether doctor's deliberate-error probe), these tests would otherwise crash the test host.</summary>
[TestFixture, Category("Native")]
public sealed class InputGuardTests
{
    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    private static (Vgg11Bn Model, HeavyBall Optimizer, TrainingStep Step) Step(int channels, int classes)
    {
        torch.manual_seed(1);
        var model = new Vgg11Bn(new Vgg11BnOptions(channels, 8, classes, WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear));
        var optimizer = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9));
        return (model, optimizer, new TrainingStep(model, optimizer, new TrainingStepOptions()));
    }

    [Test]
    public void Run_DataWithOtherChannelCount_IsAnArgumentException()
    {
        using var data = SyntheticImages.Create(new SyntheticImageOptions(16, 8, 1, 8, 4, 3));
        var (model, optimizer, step) = Step(channels: 3, classes: 4);
        using (model) using (optimizer) using (step)
        {
            var e = Assert.Throws<ArgumentException>(() => step.Run(0, data.Train, arange(8), 0.01, StepLogging.None));
            Assert.That(e!.Message, Does.Contain("1-channel").And.Contain("3-channel"));
        }
    }

    [Test]
    public void Run_LabelsBeyondTheModelsClasses_IsAnArgumentException()
    {
        using var data = SyntheticImages.Create(new SyntheticImageOptions(16, 8, 3, 8, 4, 3));
        var (model, optimizer, step) = Step(channels: 3, classes: 2);
        using (model) using (optimizer) using (step)
        {
            var e = Assert.Throws<ArgumentException>(() => step.Run(0, data.Train, arange(8), 0.01, StepLogging.None));
            Assert.That(e!.Message, Does.Contain("2 classes"));
        }
    }

    [Test]
    public void Run_Int32OrMatrixIndices_AreArgumentExceptions()
    {
        using var data = SyntheticImages.Create(new SyntheticImageOptions(16, 8, 3, 8, 4, 3));
        var (model, optimizer, step) = Step(channels: 3, classes: 4);
        using (model) using (optimizer) using (step)
        {
            using var int32 = arange(8, dtype: ScalarType.Int32);
            using var matrix = arange(8).view(2, 4);
            Assert.That(() => step.Run(0, data.Train, int32, 0.01, StepLogging.None), Throws.ArgumentException.With.Message.Contains("Int32"));
            Assert.That(() => step.Run(0, data.Train, matrix, 0.01, StepLogging.None), Throws.ArgumentException.With.Message.Contains("[2,4]"));
            using var good = arange(8);
            Assert.That(step.Run(0, data.Train, good, 0.01, StepLogging.Log), Is.Not.Null, "valid inputs still train");
        }
    }
}

using System.Diagnostics;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Benchmarks;

/// <summary>The four training loops the train benchmark compares, over the same model and batches.</summary>
public enum TrainLoopVariant
{
    /// <summary>TorchSharp's own <c>torch.optim.SGD</c> loop: zero_grad, forward, cross-entropy, backward, step.</summary>
    TorchSharpDefault,

    /// <summary>The trainer's <see cref="TrainingStep"/> with <see cref="StepLogging.None"/> (measure never).</summary>
    Ours,

    /// <summary>The trainer's step with <see cref="StepLogging.LogAndMeasure"/>, values copied to the host every step.</summary>
    OursMeasured,

    /// <summary>As <see cref="OursMeasured"/>, with <see cref="TrainingStep.DeferTransfers"/>: one host copy per
    /// <see cref="TrainLoopSettings.TransferEvery"/> steps (the trainer's <c>transfer_every</c>).</summary>
    OursMeasuredBatched,
}

/// <summary>What the train benchmark's loops run: model, synthetic data, optimizer hyper-parameters and the timing schedule.</summary>
/// <param name="ImageSize">Height = width of the synthetic images.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Width">VGG width multiplier.</param>
/// <param name="Head">Classifier head.</param>
/// <param name="WarmUpSteps">Untimed steps per loop before timing.</param>
/// <param name="Rounds">Timed rounds; each runs every loop in turn (interleaved, so drift hits all alike).</param>
/// <param name="StepsPerRound">Steps per loop per round.</param>
/// <param name="LearningRate">η of every loop.</param>
/// <param name="Momentum">Heavy-ball β of every loop.</param>
/// <param name="WeightDecay">Coupled weight decay of every loop.</param>
/// <param name="Seed">Seed of the synthetic images and of every model's initial weights.</param>
/// <param name="TransferEvery">Steps whose values <see cref="TrainLoopVariant.OursMeasuredBatched"/> copies to the host at once.</param>
/// <param name="BatchesInMemory">Distinct batches cycled through (all held on the device).</param>
public sealed record TrainLoopSettings(int ImageSize, int Classes, double Width, Vgg11BnHead Head, int WarmUpSteps, int Rounds, int StepsPerRound,
    double LearningRate, double Momentum, double WeightDecay, long Seed, int TransferEvery, int BatchesInMemory = 4);

/// <summary>
/// The TorchSharp side of the train benchmark: images per second of a VGG11-BN training step for each
/// <see cref="TrainLoopVariant"/> on one device and batch size, each batch assembled from an on-device uint8 data set, as in
/// training. Everything that touches tensors, modules or <c>torch.optim</c> lives here; callers see plain managed types.
/// </summary>
public static class TrainLoopBenchmark
{
    /// <summary>Runs every loop for the warm-up, then <see cref="TrainLoopSettings.Rounds"/> interleaved timed rounds; returns
    /// each loop's best images per second, indexed by <see cref="TrainLoopVariant"/>.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded, or the device is not available.</exception>
    public static IReadOnlyDictionary<TrainLoopVariant, double> ImagesPerSecond(TrainLoopSettings settings, string device, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchRuntime.Require();
        var dev = TorchRuntime.ResolveDevice(device);
        var s = settings;
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(batchSize * s.BatchesInMemory, 2, 3, s.ImageSize, s.Classes, s.Seed));
        using var data = pair.Train.To(dev);
        var batches = new Tensor[s.BatchesInMemory];
        for (int b = 0; b < s.BatchesInMemory; b++)
            batches[b] = arange(b * batchSize, (b + 1) * batchSize, dtype: ScalarType.Int64, device: dev).DetachFromDisposeScope();
        var variants = Enum.GetValues<TrainLoopVariant>();
        var loops = variants.Select(v => new Loop(v, s, dev)).ToArray();
        try
        {
            int cursor = 0;
            void Steps(Loop loop, int count)
            {
                for (int k = 0; k < count; k++, cursor++) loop.Step(data, batches[cursor % s.BatchesInMemory]);
                loop.Synchronise();
            }
            foreach (var loop in loops) Steps(loop, s.WarmUpSteps);
            var best = Enumerable.Repeat(double.PositiveInfinity, loops.Length).ToArray();
            for (int r = 0; r < s.Rounds; r++)
                for (int i = 0; i < loops.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    Steps(loops[i], s.StepsPerRound);
                    best[i] = Math.Min(best[i], clock.Elapsed.TotalSeconds);
                }
            return variants.Select((v, i) => (v, Rate: s.StepsPerRound * (double)batchSize / best[i])).ToDictionary(x => x.v, x => x.Rate);
        }
        finally
        {
            foreach (var loop in loops) loop.Dispose();
            foreach (var t in batches) t.Dispose();
        }
    }

    /// <summary>One model with one optimizer and one way of stepping.</summary>
    private sealed class Loop : IDisposable
    {
        private readonly Vgg11Bn _model;
        private readonly optim.Optimizer? _sgd;
        private readonly HeavyBall? _heavyBall;
        private readonly TrainingStep? _step;
        private readonly StepLogging _logging;
        private readonly TrainLoopSettings _settings;
        private long _n;

        public Loop(TrainLoopVariant variant, TrainLoopSettings s, Device device)
        {
            _settings = s;
            torch.manual_seed(s.Seed);
            _model = new Vgg11Bn(new Vgg11BnOptions(3, s.ImageSize, s.Classes, s.Width, Head: s.Head));
            _model.to(device);
            _model.train();
            if (variant == TrainLoopVariant.TorchSharpDefault)
            {
                _sgd = optim.SGD(_model.parameters(), s.LearningRate, momentum: s.Momentum, weight_decay: s.WeightDecay);
            }
            else
            {
                _heavyBall = new HeavyBall(_model.parameters(), new HeavyBallOptions(s.Momentum, WeightDecay: s.WeightDecay));
                _step = new TrainingStep(_model, _heavyBall, new TrainingStepOptions());
                _logging = variant is TrainLoopVariant.OursMeasured or TrainLoopVariant.OursMeasuredBatched ? StepLogging.LogAndMeasure : StepLogging.None;
                _step.DeferTransfers = variant == TrainLoopVariant.OursMeasuredBatched;
            }
        }

        public void Step(ImageDataset data, Tensor indices)
        {
            if (_step is not null)
            {
                _ = _step.Run(_n++, data, indices, _settings.LearningRate, _logging);    // the trainer's step, unchanged
                if (_step.DeferTransfers && _n % _settings.TransferEvery == 0) _ = _step.Flush();
                return;
            }
            using var scope = NewDisposeScope();
            var x = data.Batch(indices);
            var y = data.Labels.index_select(0, indices);
            _sgd!.zero_grad();
            var loss = nn.functional.cross_entropy(_model.call(x), y);
            loss.backward();
            _sgd.step();
        }

        /// <summary>Waits for queued device work (a host read of a parameter the last step wrote).</summary>
        public void Synchronise()
        {
            _ = _step?.Flush();                                                // pending values count as work done
            using var scope = NewDisposeScope();
            _ = _model.Output.weight!.sum().cpu().item<float>();
        }

        public void Dispose()
        {
            _sgd?.Dispose();
            _step?.Dispose();
            _heavyBall?.Dispose();
            _model.Dispose();
        }
    }
}

using System.Diagnostics;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Benchmarks;

/// <summary>What the group-measurement benchmark runs on one model.</summary>
/// <param name="Network">The network (input channels, size and classes included).</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="WarmUpSteps">Untimed steps per loop before timing.</param>
/// <param name="Rounds">Timed rounds; each runs both loops in turn (interleaved, so drift hits both alike).</param>
/// <param name="StepsPerRound">Steps per loop per round.</param>
/// <param name="TransferEvery">Steps whose values the measured loop copies to the host at once (the trainer's transfer_every).</param>
/// <param name="Seed">Seed of the images, the weights and discovery.</param>
public sealed record GroupBenchSettings(NetworkConfig Network, int BatchSize, int WarmUpSteps, int Rounds, int StepsPerRound, int TransferEvery = 10, long Seed = 1)
{
    /// <summary>Groups declared as data for the network's description (<see cref="SymmetryDeclarations.Load"/>), decided and
    /// measured with the discovered ones; null: none.</summary>
    public Func<ModelDescription, IReadOnlyList<SymmetryGroup>>? Declare { get; init; }
}

/// <summary>One model's result: images per second without and with every group measured at every step.</summary>
/// <param name="Model">The model in words.</param>
/// <param name="Groups">Groups measured (holds or broken).</param>
/// <param name="Generators">Their generators.</param>
/// <param name="Unmeasured">Images/s of the trainer's step with logging off.</param>
/// <param name="Measured">Images/s of the trainer's step measuring every group (and VGG's filters) at every step, values
/// reaching the host once per <see cref="GroupBenchSettings.TransferEvery"/> steps.</param>
/// <param name="PairedRatio">Median over the rounds of measured/unmeasured throughput within one round (the two loops run
/// back to back, so a drift of the machine's speed between rounds cancels; the best-of ratio can pair a fast round of one
/// loop with a slow round of the other). NaN when not measured.</param>
public sealed record GroupBenchResult(string Model, int Groups, long Generators, double Unmeasured, double Measured, double PairedRatio = double.NaN)
{
    /// <summary>1 − measured/unmeasured: the fraction of throughput the measurement costs.</summary>
    public double Overhead => 1 - (Measured / Unmeasured);
}

/// <summary>
/// The TorchSharp side of the groups benchmark: the trainer's <see cref="TrainingStep"/> on one network, unmeasured and with
/// every group discovery finds (holds or broken) measured at every step, over the same batches, timed in interleaved rounds.
/// </summary>
public static class GroupMeasurementBenchmark
{
    /// <summary>Discovers the groups and decides the declared ones (untimed, one random point: which groups are measured, not
    /// their verdicts, matters here; refuted ones are not measured, as in training), then times both loops; best round of
    /// each.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded, or the device is not available.</exception>
    public static GroupBenchResult Run(GroupBenchSettings settings, string device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TorchRuntime.Require();
        var dev = TorchRuntime.ResolveDevice(device);
        var s = settings;
        var groups = SymmetryDiscovery.Run(s.Network, new DiscoveryOptions(Points: 1, Seed: s.Seed), s.Declare).Groups
            .Where(v => v.Verdict != SymmetryVerdict.Refuted).Select(v => v.Group).ToList();
        const int batches = 4;
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(s.BatchSize * batches, 2, s.Network.InputChannels, s.Network.InputSize, s.Network.Classes, s.Seed));
        using var data = pair.Train.To(dev);
        var indices = new Tensor[batches];
        for (int b = 0; b < batches; b++)
            indices[b] = arange(b * s.BatchSize, (b + 1) * s.BatchSize, dtype: ScalarType.Int64, device: dev).DetachFromDisposeScope();
        var loops = new[] { new Loop(s, dev, null), new Loop(s, dev, groups) };
        try
        {
            int cursor = 0;
            void Steps(Loop loop, int count)
            {
                for (int k = 0; k < count; k++, cursor++) loop.Step(data, indices[cursor % batches]);
                loop.Synchronise();
            }
            foreach (var loop in loops) Steps(loop, s.WarmUpSteps);
            var best = new[] { double.PositiveInfinity, double.PositiveInfinity };
            var ratios = new double[s.Rounds];
            for (int r = 0; r < s.Rounds; r++)
            {
                var seconds = new double[loops.Length];
                for (int i = 0; i < loops.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    Steps(loops[i], s.StepsPerRound);
                    seconds[i] = clock.Elapsed.TotalSeconds;
                    best[i] = Math.Min(best[i], seconds[i]);
                }
                ratios[r] = seconds[0] / seconds[1];   // measured / unmeasured throughput in this round
            }
            Array.Sort(ratios);
            double paired = s.Rounds % 2 == 1 ? ratios[s.Rounds / 2] : (ratios[(s.Rounds / 2) - 1] + ratios[s.Rounds / 2]) / 2;
            double rate(int i) => s.StepsPerRound * (double)s.BatchSize / best[i];
            return new GroupBenchResult(s.Network.Summary, groups.Count, groups.Sum(g => g.Dimension), rate(0), rate(1), paired);
        }
        finally
        {
            foreach (var loop in loops) loop.Dispose();
            foreach (var t in indices) t.Dispose();
        }
    }

    private sealed class Loop : IDisposable
    {
        private readonly Network _network;
        private readonly HeavyBall _heavyBall;
        private readonly TrainingStep _step;
        private readonly StepLogging _logging;
        private readonly int _transferEvery;
        private long _n;

        public Loop(GroupBenchSettings s, Device device, IReadOnlyList<SymmetryGroup>? groups)
        {
            torch.manual_seed(s.Seed);
            _network = Network.Create(s.Network);
            _network.Module.to(device);
            _heavyBall = new HeavyBall(_network.Module.parameters(), new HeavyBallOptions(0.9, WeightDecay: 5e-4));
            _step = new TrainingStep(_network, _heavyBall, new TrainingStepOptions(), groups: groups);
            _logging = groups is null ? StepLogging.None : StepLogging.LogAndMeasure;
            _step.DeferTransfers = true;
            _transferEvery = s.TransferEvery;
        }

        public void Step(ImageDataset data, Tensor indices)
        {
            _ = _step.Run(_n++, data, indices, 0.01, _logging);   // the trainer's step, unchanged
            if (_n % _transferEvery == 0) _ = _step.Flush();
        }

        public void Synchronise()
        {
            _ = _step.Flush();
            using var scope = NewDisposeScope();
            _ = _heavyBall.Parameters[0].sum().cpu().item<float>();
        }

        public void Dispose()
        {
            _step.Dispose();
            _heavyBall.Dispose();
            _network.Dispose();
        }
    }
}

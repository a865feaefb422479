using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Core.RunLogs;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// Trains a described network (VGG11-BN, ResNet-18, MLP, LayerNorm net) with <see cref="HeavyBall"/> or Adam according to a
/// <see cref="TrainingConfig"/>, measuring every BN-preceded conv filter of VGG11-BN and, with <c>measure:</c>, every symmetry
/// group discovery finds (<see cref="GroupMeasurement"/>; groups.csv, symmetries.csv), writing a crash-safe run folder and
/// checkpoints from which a run resumes exactly.
/// </summary>
/// <remarks>
/// <para>Step n is one <see cref="TrainingStep.Run"/>: assemble and augment batch n on the device, forward, backward; at a
/// logged step pack the loss/accuracy accumulators and (at measured steps) <see cref="FilterMeasurement"/> into one tensor
/// and copy it to the host once; then the optimizer step with η = schedule(n), then (constrained mode) rescale each
/// BN-preceded conv filter to its initial norm (theory/05-learning-dynamics.md#eq-5-6). Measurements are of q_n, g_n, v_n
/// before update n. Unlogged steps never wait for the device.</para>
/// <para>Run folder: config.yaml (resolved config), metrics.csv (step, epoch, lr, train loss/accuracy, translation sums),
/// layers.csv and filters.csv (per-layer sums and per-filter values, including the predicted ⟨w,g⟩ = ε/(c+ε)·γ·∂f/∂γ and
/// the BN batch variance c, theory/05-learning-dynamics.md#eq-5-7), checkpoints/step-N.ckpt, result.yaml. CSV rows are
/// flushed at every logged step; on resume rows after the checkpoint are dropped before appending, so the files end up
/// identical to those of an uninterrupted run. A run folder whose layers.csv / filters.csv were started in the older
/// layout without wg_pred / bn_var columns is resumed in that layout (never a file with mixed rows); a file with any
/// other header stops the resume with a message. The folder's files are RunFolder's and RunLogFile's, the checkpointed
/// state TrainingState's (internal types); the column layouts are NoetherTheory.Core.RunLogs.RunLogSchema's.</para>
/// <para>Non-finite values: every step marks, on the device, the first step whose loss or gradient is not finite; the mark
/// travels with the logged values (no extra host synchronisation), the measured values are checked on the host, and the
/// mark is read once before each checkpoint. With on_non_finite: stop (the default) the run ends at the first such value
/// with <see cref="TrainingDivergedException"/> naming the step and quantity: rows up to the last finite logged step are
/// written, no checkpoint is written after the value, the last good one is kept. With flag it trains on and records the
/// first in result.yaml (non_finite_step, non_finite_quantity).</para>
/// <para>Run folders: one writer at a time (<c>run.lock</c>, an exclusive lock held while training); a start refused by
/// validation (data set, batch size, memory budget) writes nothing that blocks the corrected run; resuming a finished run
/// (result.yaml present) returns its result and changes nothing; checkpoints carry a SHA-256 and are bounds-checked before
/// they are restored.</para>
/// <para>All randomness after initialisation (data order, crops, flips, dropout) comes from one host (CPU) generator,
/// saved in checkpoints, whose draws are moved to the training device; initialisation uses torch's global generator seeded with the config
/// seed. On the CPU a resumed run is bitwise identical to an uninterrupted one.</para>
/// </remarks>
public static class Trainer
{
    private static readonly Lock InitialisationLock = new();

    /// <summary>Runs (or resumes) a training run.</summary>
    /// <exception cref="TrainingConfigException">The config is invalid (or needs more memory than <see cref="TrainingBudget"/>
    /// allows), the run folder holds another run or is in use by another process, or its checkpoint is damaged.</exception>
    /// <exception cref="TrainingDivergedException">A loss, gradient or measured value was not finite and the config says
    /// <see cref="NonFiniteAction.Stop"/> (no checkpoint is written after it).</exception>
    /// <exception cref="TorchUnavailableException">libtorch is missing, or the device is unavailable.</exception>
    /// <exception cref="DatasetUnavailableException">The data set is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (a checkpoint is written first unless
    /// <see cref="TrainingRunOptions.CheckpointOnCancel"/> is false).</exception>
    public static TrainingResult Run(TrainingConfig config, TrainingRunOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        try { config.Validate(); }
        catch (ArgumentException e) { throw new TrainingConfigException($"invalid training config '{config.Name}': {e.Message}", e); }
        var wall = Stopwatch.StartNew();
        TorchRuntime.Require();
        var device = TorchRuntime.ResolveDevice(options.Device);

        var folder = new RunFolder(options.OutDir);
        string yaml = config.ToYaml();
        folder.CheckStart(yaml, options.Resume);     // before anything is written: a refused start leaves the folder as it was
        using var folderLock = folder.Lock();        // one writer per run folder
        folder.CheckStart(yaml, options.Resume);     // again under the lock (another process may have started meanwhile)
        if (options.Resume && folder.ReadFinished() is { } finished) return finished;   // complete: nothing changes

        // The data set and the batch size are checked before config.yaml is written, so a start refused here leaves
        // nothing that blocks the corrected run.
        using var data = LoadData(config.Dataset, options.Log);
        using var train = data.Train.To(device);
        using var test = data.Test.To(device);
        long batchesPerEpoch = train.Count / config.BatchSize;
        if (batchesPerEpoch < 1)
            throw new TrainingConfigException(string.Create(CultureInfo.InvariantCulture,
                $"{folder.ConfigPath}: batch_size {config.BatchSize} exceeds the {train.Count} training images of {train.Name}."));
        folder.Prepare(yaml, options.Resume);

        var networkConfig = (config.Network ?? new NetworkConfig(Vgg: config.Model)) with
        {
            InputChannels = train.Channels, InputSize = train.Size, Classes = train.Classes,
        };
        Network created;
        IReadOnlyList<GroupVerdict>? verdicts = null;
        lock (InitialisationLock)   // torch's global generator seeds initialisation: concurrent runs must not interleave here
        {
            // Discovery builds its own networks (from the global generator) first; the run's network is seeded after it.
            if (config.Groups is { } selection) verdicts = Discover(networkConfig, selection, config.Seed, folder.ConfigPath);
            torch.manual_seed(config.Seed);
            created = Network.Create(networkConfig);
        }
        using var network = created;
        var model = network.Module;
        var vgg = model as Vgg11Bn;
        model.to(device);
        // One host (CPU) generator for every random draw of the run: permutations, crops, flips, dropout masks. The
        // draws are tiny and moved to the device, so CPU and CUDA runs see identical random streams, and no CUDA
        // generator is created (a CUDA run with a device generator segfaulted under TorchSharp 0.107 against PyTorch
        // 2.11's libtorch on an H100; the generator is the suspect, not confirmed: `noether doctor --device cuda`
        // probes each operation in turn).
        using var generator = new Generator(unchecked((ulong)config.Seed * 0x9E3779B97F4A7C15UL + 1), CPU);
        vgg?.UseGenerator(generator);
        using TrainingOptimizer optimizer = config.Adam is { } adam
            ? new Adam(model.parameters(), adam)
            : new HeavyBall(model.parameters(), config.Optimizer);
        var measured = verdicts?.Where(config.Groups!.Measures).Select(v => v.Group).ToList();
        if (verdicts is not null) folder.WriteSymmetries(verdicts, config.Groups!);
        using var trainingStep = new TrainingStep(network, optimizer,
            new TrainingStepOptions(config.Augmentation, config.ConstrainFilterNorms), generator, measured);
        using var state = new TrainingState(trainingStep);

        long? resumedFrom = null;
        if (options.Resume && folder.NewestCheckpoint() is { } ckpt)
        {
            state.Restore(ckpt, model, optimizer, generator, config.Steps, batchesPerEpoch, train.Count);
            resumedFrom = state.Step;
        }
        using var logs = folder.OpenLogs(state.Step, groups: measured is not null, predictions: trainingStep.BatchNormPrediction is not null);

        // A run killed after its final checkpoint (before result.yaml) resumes at its last step: its train loss and accuracy
        // are those of the last logged row.
        var (lastLoss, lastAccuracy) = state.Step >= config.Steps ? folder.LastLoggedMetrics() : (double.NaN, double.NaN);
        NonFiniteValue? flagged = null;
        TrainingDivergedException Diverged(NonFiniteValue value)
        {
            string good = folder.NewestCheckpoint() is { } c ? $"the last good checkpoint {c} is kept" : "no checkpoint had been written";
            return new TrainingDivergedException(
                $"{folder.Directory}: training diverged: {value} (log rows up to the last finite logged step are written; {good}). " +
                "Lower optimizer.lr, or set on_non_finite: flag to train on and record it.", value);
        }
        // Stop (before the row is written) or flag at the first non-finite value.
        void Accept(NonFiniteValue? value)
        {
            if (value is null) return;
            if (config.OnNonFinite == NonFiniteAction.Stop) throw Diverged(value);
            flagged ??= value;
        }
        void SaveCheckpoint()
        {
            if (config.OnNonFinite == NonFiniteAction.Stop && trainingStep.PeekNonFinite() is { } bad) throw Diverged(bad);
            state.Save(folder.Checkpoints, model, optimizer, generator, config.KeepCheckpoints);
        }
        var sinceLog = Stopwatch.StartNew();
        long stepsAtLastLog = state.Step;
        // Logged steps whose rows wait for their values (with transfer_every > 1 they reach the host in batches).
        trainingStep.DeferTransfers = config.TransferEvery > 1;
        var awaiting = new Queue<(long Step, long Epoch, double Lr)>();
        void Record(IReadOnlyList<LoggedStep> batch, long stepsDone)
        {
            if (batch.Count == 0) return;
            long lastEpoch = 0;
            double lastLr = 0;
            foreach (var logged in batch)
            {
                var (step, epoch, lr) = awaiting.Dequeue();
                if (step != logged.Step) throw new InvalidOperationException($"logged step {logged.Step} arrived where step {step} was expected");
                Accept(logged.NonFinite ?? NonFiniteIn(logged));
                (lastLoss, lastAccuracy, lastEpoch, lastLr) = (logged.Loss, logged.Accuracy, epoch, lr);
                logs.Write(step, epoch, lr, lastLoss, lastAccuracy, logged.Measurement, logged.Groups, logged.GroupPredictions);
            }
            double seconds = Math.Max(sinceLog.Elapsed.TotalSeconds, 1e-9);
            double imagesPerSecond = (stepsDone - stepsAtLastLog) * (double)config.BatchSize / seconds;
            var eta = TimeSpan.FromSeconds((config.Steps - stepsDone) * config.BatchSize / Math.Max(imagesPerSecond, 1e-9));
            progress?.Report(new TrainingProgress(stepsDone, config.Steps, lastEpoch, lastLr, lastLoss, lastAccuracy, imagesPerSecond, eta));
            sinceLog.Restart();
            stepsAtLastLog = stepsDone;
        }
        try
        {
            while (state.Step < config.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long n = state.Step;
                if (state.Permutation is null)
                {
                    using var scope = NewDisposeScope();
                    state.Permutation = randperm(train.Count, generator: generator).ToDeviceWithoutSync(device).DetachFromDisposeScope();
                    state.EpochPosition = 0;
                }
                using (var idx = state.Permutation.narrow(0, state.EpochPosition * config.BatchSize, config.BatchSize))
                {
                    double lr = config.Schedule.At(n);
                    var logging = !config.IsLogged(n) ? StepLogging.None
                        : config.IsMeasured(n) ? StepLogging.LogAndMeasure : StepLogging.Log;
                    if (logging != StepLogging.None) awaiting.Enqueue((n, state.Epoch, lr));
                    if (trainingStep.Run(n, train, idx, lr, logging) is { } logged) Record([logged], n + 1);
                    // Deferred values reach the host after the first step (the first progress line), every transfer_every
                    // steps, before a checkpoint and at the last step.
                    else if (trainingStep.PendingCount > 0 && (n == 0 || (n + 1) % config.TransferEvery == 0 || n + 1 == config.Steps
                             || (config.CheckpointEvery > 0 && (n + 1) % config.CheckpointEvery == 0)))
                        Record(trainingStep.Flush(), n + 1);
                }
                state.Step++;
                if (++state.EpochPosition == batchesPerEpoch)
                {
                    state.Permutation?.Dispose();
                    state.Permutation = null;
                    state.Epoch++;
                }
                if (config.CheckpointEvery > 0 && state.Step % config.CheckpointEvery == 0 && state.Step < config.Steps)
                    SaveCheckpoint();
            }
        }
        catch (OperationCanceledException) when (options.CheckpointOnCancel)
        {
            Record(trainingStep.Flush(), state.Step);      // rows of steps before the checkpoint are written first
            SaveCheckpoint();
            throw;
        }

        SaveCheckpoint();
        var (testLoss, testAccuracy) = Evaluate(model, test, config.EvalBatchSize,
            () => InputGuard.CheckDataset(optimizer.Parameters[0].device, networkConfig.InputChannels, networkConfig.InputSize, networkConfig.Classes, test));
        if (!double.IsFinite(testLoss)) Accept(new NonFiniteValue(state.Step, "test loss"));
        var result = new TrainingResult(folder.Directory, state.Step, resumedFrom, lastLoss, lastAccuracy, testLoss, testAccuracy,
            device.ToString(), wall.Elapsed, flagged);
        folder.WriteResult(result);
        return result;
    }

    // The first non-finite value among a logged step's host values (the loss and accuracy means and, when measured, every
    // layer's and filter's measured quantity), or null.
    private static NonFiniteValue? NonFiniteIn(LoggedStep logged)
    {
        if (!double.IsFinite(logged.Loss)) return new NonFiniteValue(logged.Step, "loss");
        if (!double.IsFinite(logged.Accuracy)) return new NonFiniteValue(logged.Step, "accuracy");
        if (logged.Groups is { } measuredGroups)
            foreach (var group in measuredGroups.Groups)
                for (int i = 0; i < group.Generators.Count; i++)
                {
                    var x = group.Generators[i];
                    if (!(double.IsFinite(x.Charge) && double.IsFinite(x.ChargeVelocity) && double.IsFinite(x.ChargeGradient) && double.IsFinite(x.VelocityCharge)
                          && double.IsFinite(x.WeightScale) && double.IsFinite(x.GradientScale) && double.IsFinite(x.VelocityScale)))
                        return new NonFiniteValue(logged.Step, string.Create(CultureInfo.InvariantCulture, $"measured values of group {group.Group} generator {i}"));
                }
        if (logged.GroupPredictions is { } predictions)
            foreach (var group in predictions.Groups)
                for (int i = 0; i < group.Predicted.Count; i++)
                    if (!double.IsFinite(group.Predicted[i]) || double.IsInfinity(group.BatchVariance[i]))
                        return new NonFiniteValue(logged.Step, string.Create(CultureInfo.InvariantCulture, $"predicted wg of group {group.Group} generator {i}"));
        if (logged.Measurement is not { } m) return null;
        var t = m.Translation;
        if (!double.IsFinite(t.WeightSumNormSq) || !double.IsFinite(t.GradSumNormSq) || !double.IsFinite(t.BiasSum) || !double.IsFinite(t.BiasGradSum))
            return new NonFiniteValue(logged.Step, "measured translation sums");
        foreach (var layer in m.Layers)
        {
            var f = layer.Filters;
            (string Name, double[] Values)[] columns =
            [
                ("w2", f.WeightNormSq), ("g2", f.GradNormSq), ("v2", f.VelocityNormSq), ("wg", f.WeightDotGrad), ("wv", f.WeightDotVelocity),
                ("wg_pred", f.PredictedWeightDotGrad), ("bn_var", f.BatchVariance),
            ];
            foreach (var (name, values) in columns)
                for (int i = 0; i < values.Length; i++)
                    if (!double.IsFinite(values[i]))
                        return new NonFiniteValue(logged.Step, string.Create(CultureInfo.InvariantCulture, $"measured {name} of {layer.Name} filter {i}"));
        }
        return null;
    }

    // Proposes and decides the network's groups (and the declared ones) as `noether symmetries` does, with the run's seed.
    private static IReadOnlyList<GroupVerdict> Discover(NetworkConfig network, GroupMeasurementConfig selection, long seed, string configPath)
    {
        try
        {
            var result = SymmetryDiscovery.Run(network, new DiscoveryOptions(Seed: seed),
                description => [.. selection.Declarations.SelectMany(file => SymmetryDeclarations.Load(file, description))]);
            return result.Groups;
        }
        catch (YamlInputException e)
        {
            throw new TrainingConfigException($"{configPath}: declare: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new TrainingConfigException($"{configPath}: declare: {e.Message}", e);
        }
    }

    /// <summary>Loads the data set a config names, on the CPU.</summary>
    /// <param name="dataset">The config's dataset section.</param>
    /// <param name="log">Receives decode progress (about every 10%) and warnings of a Tiny ImageNet load; null: silent.</param>
    /// <exception cref="DatasetUnavailableException">The data set is missing.</exception>
    public static DatasetPair LoadData(DatasetConfig dataset, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Kind switch
        {
            DatasetKind.Synthetic => SyntheticImages.Create(dataset.Synthetic ?? new SyntheticImageOptions()),
            DatasetKind.FashionMnist => FashionMnist.Load(dataset.Path ?? FashionMnist.DefaultDirectory),
            DatasetKind.TinyImageNet => TinyImageNet.Load(dataset.Path!, dataset.CacheDirectory ?? Path.Combine(dataset.Path!, ".cache"),
                log is null ? null : new DecodeLog(log)),
            _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset.Kind, "Unknown data set kind."),
        };
    }

    /// <summary>Mean loss and accuracy of <paramref name="model"/> on <paramref name="data"/> in evaluation mode.</summary>
    public static (double Loss, double Accuracy) Evaluate(Vgg11Bn model, ImageDataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(model, data, batchSize, () => InputGuard.CheckDataset(model, data));   // a libtorch error may be fatal on some hosts (see noether doctor)
    }

    // The evaluation of any network, after `guard` checked the data set against it.
    private static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize, Action guard)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        guard();
        model.eval();
        var device = data.Images.device;
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        var correct = zeros(1, dtype: ScalarType.Float64, device: device);
        for (long start = 0; start < data.Count; start += batchSize)
        {
            long b = Math.Min(batchSize, data.Count - start);
            using var inner = NewDisposeScope();
            var idx = arange(start, start + b, dtype: ScalarType.Int64, device: device);
            var logits = model.call(BatchPipeline.Assemble(data, idx, null, null));
            var y = data.Labels.index_select(0, idx);
            lossSum.add_(nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
            correct.add_(logits.argmax(1).eq(y).sum().to(ScalarType.Float64));
        }
        double[] host = cat([lossSum, correct]).cpu().data<double>().ToArray();
        model.train();
        return (host[0] / data.Count, host[1] / data.Count);
    }

    // Tiny ImageNet load progress as log lines: each warning, a cache read, and decoding at about every 10% of a split.
    private sealed class DecodeLog(Action<string> log) : IProgress<TinyImageNet.LoadProgress>
    {
        private readonly Dictionary<string, int> _lastTenth = [];
        private readonly Lock _gate = new();

        public void Report(TinyImageNet.LoadProgress value)
        {
            lock (_gate)
            {
                if (value.Warning is { } warning) log($"{value.Split}: {warning}");
                if (value.FromCache)
                {
                    log(string.Create(CultureInfo.InvariantCulture, $"{value.Split}: {value.Total:N0} images read from the cache"));
                    return;
                }
                int tenth = value.Total == 0 ? 10 : (int)(10L * value.Done / value.Total);
                if (_lastTenth.TryGetValue(value.Split, out int last) && tenth <= last) return;
                _lastTenth[value.Split] = tenth;
                log(string.Create(CultureInfo.InvariantCulture, $"{value.Split}: decoded {value.Done:N0} of {value.Total:N0} JPEGs"));
            }
        }
    }
}

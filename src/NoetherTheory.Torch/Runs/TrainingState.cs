using System.Globalization;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runs;

/// <summary>The mutable state of a training run that checkpoints save and restore: step, epoch, position in the epoch's
/// permutation, and (through <see cref="Save"/>/<see cref="Restore"/>) the model, the momentum buffers, the random
/// generator and the training step's accumulators and initial filter norms, bit for bit.</summary>
internal sealed class TrainingState(TrainingStep step) : IDisposable
{
    public long Step { get; set; }
    public long Epoch { get; set; }
    public long EpochPosition { get; set; }
    public Tensor? Permutation { get; set; }

    public void Save(string directory, nn.Module model, TrainingOptimizer optimizer, Generator generator, int keep)
    {
        var counters = new Dictionary<string, long>
        {
            ["step"] = Step, ["epoch"] = Epoch, ["epoch_position"] = EpochPosition, ["steps_since_log"] = step.StepsSinceLog,
        };
        var tensors = new List<(string, Tensor?)>();
        foreach (var (name, t) in model.state_dict()) tensors.Add(("model." + name, t));
        for (int i = 0; i < optimizer.Parameters.Count; i++) tensors.Add(("velocity." + i.ToString(CultureInfo.InvariantCulture), optimizer.Velocity(i)));
        if (optimizer is Adam adam)
            for (int i = 0; i < adam.Parameters.Count; i++)
            {
                string index = i.ToString(CultureInfo.InvariantCulture);
                tensors.Add(("second_moment." + index, adam.SecondMoment(i)));
                counters["adam_step." + index] = adam.StepCount(i);
            }
        for (int i = 0; i < step.InitialNorms.Count; i++) tensors.Add(("initial_norm." + i.ToString(CultureInfo.InvariantCulture), step.InitialNorms[i]));
        using var genState = generator.get_state();
        tensors.Add(("generator", genState));
        tensors.Add(("permutation", Permutation));
        tensors.Add(("loss_sum", step.LossSum));
        tensors.Add(("correct_sum", step.CorrectSum));
        string file = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"step-{Step:D9}.ckpt"));
        Checkpoint.Save(file, counters, tensors);
        foreach (string old in Directory.EnumerateFiles(directory, "step-*.ckpt").OrderByDescending(f => f, StringComparer.Ordinal).Skip(keep))
            File.Delete(old);
    }

    /// <summary>Restores the state saved in <paramref name="file"/>, after checking every counter, shape and dtype against
    /// the run (a value libtorch would reject must never reach it: on some hosts its errors end the process).</summary>
    /// <exception cref="TrainingConfigException">The file is damaged (checksum, lengths), was written by another model or
    /// config, or holds counters or values outside the run (a step beyond <paramref name="steps"/>, non-finite weights);
    /// the message names the file.</exception>
    public void Restore(string file, nn.Module model, TrainingOptimizer optimizer, Generator generator, long steps, long batchesPerEpoch, long trainCount)
    {
        Dictionary<string, long> counters;
        Dictionary<string, Tensor?> tensors;
        try { (counters, tensors) = Checkpoint.Load(file); }
        catch (InvalidDataException e)
        {
            throw new TrainingConfigException($"{file}: cannot resume: {e.Message} Delete the file to resume from an older checkpoint.", e);
        }
        try { RestoreFrom(file, counters, tensors, model, optimizer, generator, steps, batchesPerEpoch, trainCount); }
        finally
        {
            foreach (var t in tensors.Values) t?.Dispose();
        }
    }

    private void RestoreFrom(string file, Dictionary<string, long> counters, Dictionary<string, Tensor?> tensors, nn.Module model,
        TrainingOptimizer optimizer, Generator generator, long steps, long batchesPerEpoch, long trainCount)
    {
        TrainingConfigException Bad(string what) =>
            new($"{file}: cannot resume: {what} Delete the file to resume from an older checkpoint.");
        Tensor Need(string name) => tensors.TryGetValue(name, out var t) && t is not null ? t
            : throw new TrainingConfigException($"{file}: checkpoint lacks '{name}' (written by a different model or config).");
        void Like(string name, Tensor saved, Tensor target, bool finite = true)
        {
            if (!saved.shape.SequenceEqual(target.shape) || saved.dtype != target.dtype)
                throw new TrainingConfigException($"{file}: '{name}' is {saved.dtype} [{string.Join(",", saved.shape)}], the run needs {target.dtype} [{string.Join(",", target.shape)}].");
            if (finite && saved.is_floating_point() && !isfinite(saved).all().item<bool>())
                throw Bad($"'{name}' holds non-finite values.");
        }
        long Counter(string name, long min, long max)
        {
            if (!counters.TryGetValue(name, out long v)) throw new TrainingConfigException($"{file}: checkpoint lacks the counter '{name}'.");
            if (v < min || v > max)
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"counter '{name}' is {v}, outside [{min}, {max}] for this run."));
            return v;
        }
        long stepValue = Counter("step", 0, steps);
        long epoch = Counter("epoch", 0, stepValue);
        long position = Counter("epoch_position", 0, batchesPerEpoch);
        long sinceLog = Counter("steps_since_log", 0, stepValue);
        using var genNow = generator.get_state();
        var genSaved = Need("generator");
        Like("generator", genSaved, genNow, finite: false);
        var permutation = tensors.GetValueOrDefault("permutation");
        if (permutation is not null)
        {
            if (permutation.dtype != ScalarType.Int64 || permutation.dim() != 1 || permutation.shape[0] != trainCount)
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"'permutation' is {permutation.dtype} [{string.Join(",", permutation.shape)}], the run needs int64 [{trainCount}]."));
            using var sorted = permutation.sort().Values;
            using var identity = arange(trainCount, dtype: ScalarType.Int64);
            if (!sorted.eq(identity).all().item<bool>()) throw Bad("'permutation' is not a permutation of the training set.");
            if (position >= batchesPerEpoch) throw Bad("counter 'epoch_position' is past the end of its epoch's permutation.");
        }
        using (no_grad())
        {
            foreach (var (name, t) in model.state_dict()) Like("model." + name, Need("model." + name), t);
            var velocity = Enumerable.Range(0, optimizer.Parameters.Count)
                .Select(i => tensors.GetValueOrDefault("velocity." + i.ToString(CultureInfo.InvariantCulture))).ToList();
            for (int i = 0; i < velocity.Count; i++)
                if (velocity[i] is { } v) Like("velocity." + i.ToString(CultureInfo.InvariantCulture), v, optimizer.Parameters[i]);
            List<Tensor?>? second = null;
            List<long>? adamSteps = null;
            if (optimizer is Adam)
            {
                second = [.. Enumerable.Range(0, optimizer.Parameters.Count)
                    .Select(i => tensors.GetValueOrDefault("second_moment." + i.ToString(CultureInfo.InvariantCulture)))];
                adamSteps = [.. Enumerable.Range(0, optimizer.Parameters.Count)
                    .Select(i => Counter("adam_step." + i.ToString(CultureInfo.InvariantCulture), 0, stepValue))];
                for (int i = 0; i < second.Count; i++)
                {
                    string index = i.ToString(CultureInfo.InvariantCulture);
                    if ((second[i] is null) != (velocity[i] is null) || (second[i] is null) != (adamSteps[i] == 0))
                        throw Bad($"the Adam state of parameter {index} is incomplete (first moment, second moment and step count go together).");
                    if (second[i] is { } s) Like("second_moment." + index, s, optimizer.Parameters[i]);
                }
            }
            for (int i = 0; i < step.InitialNorms.Count; i++)
                Like("initial_norm." + i.ToString(CultureInfo.InvariantCulture), Need("initial_norm." + i.ToString(CultureInfo.InvariantCulture)), step.InitialNorms[i]);
            Like("loss_sum", Need("loss_sum"), step.LossSum);
            Like("correct_sum", Need("correct_sum"), step.CorrectSum);

            // Everything checked: now copy.
            foreach (var (name, t) in model.state_dict()) t.copy_(Need("model." + name));
            switch (optimizer)
            {
                case HeavyBall heavyBall: heavyBall.LoadVelocity(velocity); break;
                case Adam adam: adam.LoadState(velocity, second!, adamSteps!); break;
                default: throw new InvalidOperationException($"No checkpoint layout for {optimizer.GetType().Name}.");
            }
            for (int i = 0; i < step.InitialNorms.Count; i++) step.InitialNorms[i].copy_(Need("initial_norm." + i.ToString(CultureInfo.InvariantCulture)));
            step.LossSum.copy_(Need("loss_sum"));
            step.CorrectSum.copy_(Need("correct_sum"));
        }
        generator.set_state(genSaved);
        Permutation?.Dispose();
        Permutation = permutation?.to(step.LossSum.device).DetachFromDisposeScope();
        Step = stepValue;
        Epoch = epoch;
        EpochPosition = position;
        step.StepsSinceLog = sinceLog;
    }

    public void Dispose() => Permutation?.Dispose();
}

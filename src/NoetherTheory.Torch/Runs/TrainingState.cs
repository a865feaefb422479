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

    public void Save(string directory, Vgg11Bn model, HeavyBall optimizer, Generator generator, int keep)
    {
        var counters = new Dictionary<string, long>
        {
            ["step"] = Step, ["epoch"] = Epoch, ["epoch_position"] = EpochPosition, ["steps_since_log"] = step.StepsSinceLog,
        };
        var tensors = new List<(string, Tensor?)>();
        foreach (var (name, t) in model.state_dict()) tensors.Add(("model." + name, t));
        for (int i = 0; i < optimizer.Parameters.Count; i++) tensors.Add(("velocity." + i.ToString(CultureInfo.InvariantCulture), optimizer.Velocity(i)));
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

    public void Restore(string file, Vgg11Bn model, HeavyBall optimizer, Generator generator)
    {
        Dictionary<string, long> counters;
        Dictionary<string, Tensor?> tensors;
        try { (counters, tensors) = Checkpoint.Load(file); }
        catch (InvalidDataException e)
        {
            throw new TrainingConfigException($"{file}: cannot resume: {e.Message} Delete the file to resume from an older checkpoint.", e);
        }
        Tensor Need(string name) => tensors.TryGetValue(name, out var t) && t is not null ? t
            : throw new TrainingConfigException($"{file}: checkpoint lacks '{name}' (written by a different model or config).");
        using (no_grad())
        {
            foreach (var (name, t) in model.state_dict())
            {
                var saved = Need("model." + name);
                if (!saved.shape.SequenceEqual(t.shape))
                    throw new TrainingConfigException($"{file}: '{name}' has shape [{string.Join(",", saved.shape)}], the model [{string.Join(",", t.shape)}].");
                t.copy_(saved);
            }
            optimizer.LoadVelocity(Enumerable.Range(0, optimizer.Parameters.Count)
                .Select(i => tensors.GetValueOrDefault("velocity." + i.ToString(CultureInfo.InvariantCulture))).ToList());
            for (int i = 0; i < step.InitialNorms.Count; i++) step.InitialNorms[i].copy_(Need("initial_norm." + i.ToString(CultureInfo.InvariantCulture)));
            step.LossSum.copy_(Need("loss_sum"));
            step.CorrectSum.copy_(Need("correct_sum"));
        }
        generator.set_state(Need("generator"));
        Permutation?.Dispose();
        Permutation = tensors.GetValueOrDefault("permutation")?.to(step.LossSum.device).DetachFromDisposeScope();
        Step = counters["step"];
        Epoch = counters["epoch"];
        EpochPosition = counters["epoch_position"];
        step.StepsSinceLog = counters["steps_since_log"];
        foreach (var t in tensors.Values) t?.Dispose();
    }

    public void Dispose() => Permutation?.Dispose();
}

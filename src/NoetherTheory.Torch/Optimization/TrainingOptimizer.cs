using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Optimization;

/// <summary>
/// An optimizer written out so that its buffers are ours to measure and to checkpoint: <see cref="HeavyBall"/> (SGD with
/// momentum) or <see cref="Adam"/> (Adam/AdamW). The trainer, the training step and the per-filter measurement use this
/// base; <see cref="Velocity"/> is the buffer the measurement logs as v.
/// </summary>
public abstract class TrainingOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;

    /// <summary>Binds to <paramref name="parameters"/> (the order fixes the buffer order).</summary>
    private protected TrainingOptimizer(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
    }

    /// <summary>The parameters, in buffer order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The first buffer of parameter <paramref name="index"/> (heavy ball's momentum, Adam's first moment
    /// exp_avg); null before its first step or when the rule keeps none.</summary>
    public abstract Tensor? Velocity(int index);

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public abstract void Step(double learningRate);

    /// <summary>Sets every gradient to zero (drops them, as PyTorch's set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            g.Dispose();
            p.grad = null;
        }
    }

    /// <summary>Throws unless <paramref name="learningRate"/> is a finite number ≥ 0.</summary>
    private protected static void CheckRate(double learningRate)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number ≥ 0.");
    }

    /// <summary>Replaces a list of buffers (checkpoint restore), checking count and shapes.</summary>
    private protected void Load(Tensor?[] target, IReadOnlyList<Tensor?> source, string what)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Count != target.Length)
            throw new ArgumentException($"Expected {target.Length} {what} buffers, got {source.Count}.", nameof(source));
        for (int i = 0; i < target.Length; i++)
        {
            var v = source[i];
            if (v is not null && !v.shape.SequenceEqual(_parameters[i].shape))
                throw new ArgumentException($"{what} buffer {i} has shape [{string.Join(",", v.shape)}], its parameter [{string.Join(",", _parameters[i].shape)}].", nameof(source));
            target[i]?.Dispose();
            target[i] = v?.to(_parameters[i].device).detach().clone().DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the buffers.</summary>
    protected abstract void Dispose(bool disposing);
}

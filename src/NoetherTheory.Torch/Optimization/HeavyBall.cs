using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Optimization;

/// <summary>
/// Heavy-ball SGD in PyTorch's form, written out so that the momentum buffer v is ours to measure and to checkpoint.
/// With coupled weight decay it performs exactly the operations of <c>torch.optim.SGD</c>, in the same order.
/// </summary>
/// <remarks>
/// theory/01-learning-lagrangian.md#eq-1-2: d = g + kq (coupled) or g (decoupled); v₁ = d₀, then
/// v ← βv + (1 − δ)d; q ← q − η·v (or q − η(d + βv) with Nesterov); decoupled decay then multiplies q by (1 − ηk).
/// Parameters whose gradient is undefined are skipped, as PyTorch does.
/// </remarks>
public sealed class HeavyBall : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _velocity;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (the order fixes the buffer order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public HeavyBall(IEnumerable<Parameter> parameters, HeavyBallOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _parameters = parameters.ToArray();
        _velocity = new Tensor?[_parameters.Length];
    }

    /// <summary>The hyper-parameters.</summary>
    public HeavyBallOptions Options { get; }

    /// <summary>The parameters, in buffer order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The momentum buffer of parameter <paramref name="index"/>; null before its first step or without momentum.</summary>
    public Tensor? Velocity(int index) => _velocity[index];

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

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public void Step(double learningRate)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number ≥ 0.");
        double beta = Options.Momentum, k = Options.WeightDecay;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var q = _parameters[i];
            var g = q.grad;
            if (g is null) continue;
            var d = !Options.DecoupledWeightDecay && k != 0 ? g.add(q, alpha: k) : g;
            if (beta != 0)
            {
                var v = _velocity[i];
                if (v is null)
                {
                    v = d.clone().detach().DetachFromDisposeScope();
                    _velocity[i] = v;
                }
                else
                {
                    v.mul_(beta).add_(d, alpha: 1 - Options.Dampening);
                }
                d = Options.Nesterov ? d.add(v, alpha: beta) : v;
            }
            q.add_(d, alpha: -learningRate);
            if (Options.DecoupledWeightDecay && k != 0) q.mul_(1 - learningRate * k);
        }
    }

    /// <summary>Replaces the momentum buffers (checkpoint restore). Entries may be null (no step taken yet).</summary>
    /// <exception cref="ArgumentException">Wrong count or a shape that does not match its parameter.</exception>
    public void LoadVelocity(IReadOnlyList<Tensor?> velocity)
    {
        ArgumentNullException.ThrowIfNull(velocity);
        if (velocity.Count != _velocity.Length)
            throw new ArgumentException($"Expected {_velocity.Length} momentum buffers, got {velocity.Count}.", nameof(velocity));
        for (int i = 0; i < _velocity.Length; i++)
        {
            var v = velocity[i];
            if (v is not null && !v.shape.SequenceEqual(_parameters[i].shape))
                throw new ArgumentException($"Momentum buffer {i} has shape [{string.Join(",", v.shape)}], its parameter [{string.Join(",", _parameters[i].shape)}].", nameof(velocity));
            _velocity[i]?.Dispose();
            _velocity[i] = v?.to(_parameters[i].device).detach().clone().DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = 0; i < _velocity.Length; i++)
        {
            _velocity[i]?.Dispose();
            _velocity[i] = null;
        }
    }
}

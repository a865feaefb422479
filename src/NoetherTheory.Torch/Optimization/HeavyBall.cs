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
public sealed class HeavyBall : TrainingOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _velocity;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (the order fixes the buffer order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public HeavyBall(IEnumerable<Parameter> parameters, HeavyBallOptions options)
        : base(parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _parameters = [.. Parameters];
        _velocity = new Tensor?[_parameters.Length];
    }

    /// <summary>The hyper-parameters.</summary>
    public HeavyBallOptions Options { get; }

    /// <summary>The momentum buffer of parameter <paramref name="index"/>; null before its first step or without momentum.</summary>
    public override Tensor? Velocity(int index) => _velocity[index];

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public override void Step(double learningRate)
    {
        CheckRate(learningRate);
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
    public void LoadVelocity(IReadOnlyList<Tensor?> velocity) => Load(_velocity, velocity, "momentum");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        for (int i = 0; i < _velocity.Length; i++)
        {
            _velocity[i]?.Dispose();
            _velocity[i] = null;
        }
    }
}

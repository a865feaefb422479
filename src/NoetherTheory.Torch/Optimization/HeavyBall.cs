using NoetherTheory.Torch.Measurement;
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
    private readonly Dictionary<int, (long Pre, long Rows, long Post, double[] Destination)> _requests = [];
    private readonly HashSet<int> _served = [];

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

    /// <summary>
    /// Asks the next <see cref="Step"/> to form the per-index moments of parameter <paramref name="parameter"/>'s pre-update
    /// θ, g, v viewed as [pre, rows, post] (<see cref="MomentKernel"/>'s values) into <paramref name="destination"/>, for a float32
    /// parameter on the CPU: the moments come from the update's own pass (<see cref="MomentKernel.ComputeAndUpdate"/>, the update
    /// bit for bit that of the tensor operations), or, where a tensor's storage is not in order, from contiguous copies before the
    /// update. <see cref="TookMoments"/> says afterwards whether the step served the request (not when the parameter had no
    /// gradient).
    /// </summary>
    /// <exception cref="ArgumentException">The parameter is not a float32 CPU tensor, the view does not cover it, or the
    /// destination is too short.</exception>
    public void RequestMoments(int parameter, long pre, long rows, long post, double[] destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, _parameters.Length);
        ArgumentNullException.ThrowIfNull(destination);
        if (!HostTensors.Readable([_parameters[parameter]]))
            throw new ArgumentException($"Moments in the update's pass need a float32 CPU parameter; parameter {parameter} is {_parameters[parameter].dtype} on {_parameters[parameter].device}.", nameof(parameter));
        if (pre * rows * post != _parameters[parameter].numel() || destination.Length < rows * MomentKernel.Width)
            throw new ArgumentException($"A moment request for parameter {parameter} must view its {_parameters[parameter].numel()} elements and hold {rows * MomentKernel.Width} values.", nameof(destination));
        _requests[parameter] = (pre, rows, post, destination);
        _served.Remove(parameter);
    }

    /// <summary>Whether the last <see cref="Step"/> formed the moments requested for <paramref name="parameter"/>.</summary>
    public bool TookMoments(int parameter) => _served.Contains(parameter);

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
            if (_requests.Remove(i, out var request))
            {
                _served.Add(i);
                if (FusedStep(i, g, learningRate, request)) continue;
            }
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

    // The requested moments of parameter i (a float32 CPU tensor): in the update's own pass where θ, g and v are in order
    // (true: updated), else from contiguous copies before the tensor operations update it (false).
    private bool FusedStep(int i, Tensor g, double learningRate, (long Pre, long Rows, long Post, double[] Destination) r)
    {
        var q = _parameters[i];
        bool hasBuffer = Options.Momentum != 0;
        var v = _velocity[i];
        if (!q.is_contiguous() || !g.is_contiguous() || (v is not null && !v.is_contiguous()))
        {
            HostTensors.Moments(q.detach(), g, v, r.Pre, r.Rows, r.Post, r.Destination);
            return false;
        }
        bool first = hasBuffer && v is null;
        if (first) _velocity[i] = v = zeros_like(q).DetachFromDisposeScope();
        double k = Options.WeightDecay;
        var update = new HeavyBallUpdate((float)learningRate, !Options.DecoupledWeightDecay && k != 0 ? (float)k : 0f, (float)Options.Momentum,
            (float)(1 - Options.Dampening), Options.Nesterov, hasBuffer, first, Options.DecoupledWeightDecay && k != 0 ? (float)(1 - (learningRate * k)) : 1f);
        var buffer = v;
        // As many threads as libtorch's own (the run's --threads): the native walks use its OpenMP threads themselves.
        int threads = get_num_threads();
        MomentKernel.ComputeAndUpdate(() => HostTensors.Writable(q), () => HostTensors.Floats(g), buffer is null ? null : () => HostTensors.Writable(buffer),
            r.Pre, r.Rows, r.Post, r.Destination, update, threads);
        return true;
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

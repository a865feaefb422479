using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Optimization;

/// <summary>
/// Adam and AdamW in PyTorch 2.x's form (eps outside the square root, amsgrad off, one step count per parameter), written
/// out so that the first and second moments are ours to measure and to checkpoint; the operations are those of
/// <c>torch.optim.Adam</c>/<c>AdamW</c>'s single-tensor path, in the same order.
/// </summary>
/// <remarks>
/// theory/01-learning-lagrangian.md#eq-1-10: n ← n + 1; AdamW: q ← (1 − ηk)q; Adam: d = g + kq (else d = g);
/// v ← β₁v + (1 − β₁)d (a lerp); G ← β₂G + (1 − β₂)d²; q ← q − (η/(1 − β₁ⁿ))·v/(√G/√(1 − β₂ⁿ) + ε).
/// Buffers start at zero on a parameter's first step. Parameters whose gradient is undefined are skipped.
/// </remarks>
public sealed class Adam : TrainingOptimizer
{
    private readonly Tensor?[] _firstMoment;
    private readonly Tensor?[] _secondMoment;
    private readonly long[] _steps;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Adam(IEnumerable<Parameter> parameters, AdamOptions options)
        : base(parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _firstMoment = new Tensor?[Parameters.Count];
        _secondMoment = new Tensor?[Parameters.Count];
        _steps = new long[Parameters.Count];
    }

    /// <summary>The hyper-parameters.</summary>
    public AdamOptions Options { get; }

    /// <summary>The first moment (exp_avg) of parameter <paramref name="index"/>; null before its first step.</summary>
    public override Tensor? Velocity(int index) => _firstMoment[index];

    /// <summary>The second moment (exp_avg_sq) of parameter <paramref name="index"/>; null before its first step.</summary>
    public Tensor? SecondMoment(int index) => _secondMoment[index];

    /// <summary>The number of steps parameter <paramref name="index"/> has taken (the n of the bias corrections).</summary>
    public long StepCount(int index) => _steps[index];

    /// <inheritdoc />
    public override void Step(double learningRate)
    {
        CheckRate(learningRate);
        double b1 = Options.Beta1, b2 = Options.Beta2, k = Options.WeightDecay;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var q = Parameters[i];
            var g = q.grad;
            if (g is null) continue;
            if (_firstMoment[i] is null)
            {
                _firstMoment[i] = zeros_like(q).DetachFromDisposeScope();
                _secondMoment[i] = zeros_like(q).DetachFromDisposeScope();
            }
            var m = _firstMoment[i]!;
            var s = _secondMoment[i]!;
            long n = ++_steps[i];
            if (k != 0)
            {
                if (Options.Decoupled) q.mul_(1 - (learningRate * k));
                else g = g.add(q, alpha: k);
            }
            m.lerp_(g, 1 - b1);
            s.mul_(b2).addcmul_(g, g, value: 1 - b2);
            double correction1 = 1 - Math.Pow(b1, n);
            double correction2 = 1 - Math.Pow(b2, n);
            double stepSize = learningRate / correction1;
            double correction2Sqrt = Math.Sqrt(correction2);
            var denominator = s.sqrt().div_(correction2Sqrt).add_(Options.Epsilon);
            q.addcdiv_(m, denominator, value: -stepSize);
        }
    }

    /// <summary>Replaces the moments and step counts (checkpoint restore). Entries may be null (no step taken yet).</summary>
    /// <exception cref="ArgumentException">Wrong count, a shape that does not match its parameter, or a negative step count.</exception>
    public void LoadState(IReadOnlyList<Tensor?> firstMoment, IReadOnlyList<Tensor?> secondMoment, IReadOnlyList<long> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count != _steps.Length || steps.Any(s => s < 0))
            throw new ArgumentException($"Expected {_steps.Length} step counts ≥ 0, got {steps.Count}.", nameof(steps));
        Load(_firstMoment, firstMoment, "first-moment");
        Load(_secondMoment, secondMoment, "second-moment");
        for (int i = 0; i < _steps.Length; i++) _steps[i] = steps[i];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        for (int i = 0; i < _firstMoment.Length; i++)
        {
            _firstMoment[i]?.Dispose();
            _firstMoment[i] = null;
            _secondMoment[i]?.Dispose();
            _secondMoment[i] = null;
        }
    }
}

using NoetherTheory.Numerics.Models;

namespace NoetherTheory.Numerics.Optimizers;

/// <summary>
/// A discrete optimizer written out step by step on a toy model, exposing everything the laws measure: the
/// parameters before and after the step, the raw gradient g_n, the decayed direction d_n = g_n + kq_n and the
/// heavy-ball buffer v_{n+1}.
/// </summary>
/// <remarks>Heavy ball follows PyTorch exactly (theory/01-learning-lagrangian.md#eq-1-2): v₁ = d₀ unless <see cref="OptimizerOptions.InitialBuffer"/>
/// is given, then v_{n+1} = βv_n + (1−δ)d_n, q_{n+1} = q_n − η_n v_{n+1}.</remarks>
public sealed class Optimizer
{
    private readonly IToyModel _model;
    private readonly OptimizerOptions _options;
    private readonly Random _rng;
    private readonly double[] _q, _previous, _g, _d, _buffer, _second;
    private readonly double[] _blockNorms;
    private bool _bufferStarted;

    /// <summary>Creates an optimizer at <paramref name="q0"/> (default: the model's initial point).</summary>
    /// <param name="model">The model whose gradient drives the steps.</param>
    /// <param name="options">Hyperparameters (validated here).</param>
    /// <param name="seed">Seed of the gradient RNG (minibatches, synthetic noise).</param>
    /// <param name="q0">Initial parameters.</param>
    public Optimizer(IToyModel model, OptimizerOptions options, int seed = 0, IReadOnlyList<double>? q0 = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        _rng = new Random(seed);
        int n = model.Dimension;
        _q = q0?.ToArray() ?? model.InitialPoint();
        if (_q.Length != n) throw new ArgumentException($"initial point has {_q.Length} components, model '{model.Id}' has {n}.");
        _previous = new double[n]; _g = new double[n]; _d = new double[n]; _buffer = new double[n]; _second = new double[n];
        if (options.InitialBuffer is { } b)
        {
            if (b.Count != n) throw new ArgumentException($"InitialBuffer has {b.Count} components, model '{model.Id}' has {n}.");
            for (int i = 0; i < n; i++) _buffer[i] = b[i];
            _bufferStarted = true;
        }
        foreach (var block in options.ProjectedBlocks)
            if (block.Any(i => i < 0 || i >= n)) throw new ArgumentException($"a projected block has an index outside 0..{n - 1}.");
        _blockNorms = options.ProjectedBlocks.Select(b => Math.Sqrt(b.Sum(i => _q[i] * _q[i]))).ToArray();
    }

    /// <summary>The model.</summary>
    public IToyModel Model => _model;
    /// <summary>The options.</summary>
    public OptimizerOptions Options => _options;
    /// <summary>Steps taken so far (the index n of the current parameters q_n).</summary>
    public int StepIndex { get; private set; }
    /// <summary>Current parameters q_n.</summary>
    public ReadOnlySpan<double> Parameters => _q;
    /// <summary>Parameters before the last step, q_{n−1}.</summary>
    public ReadOnlySpan<double> PreviousParameters => _previous;
    /// <summary>Raw (minibatch) gradient g_{n−1} used by the last step.</summary>
    public ReadOnlySpan<double> LastGradient => _g;
    /// <summary>Direction d_{n−1} = g_{n−1} + k q_{n−1} (coupled) or g_{n−1} (decoupled) used by the last step.</summary>
    public ReadOnlySpan<double> LastDirection => _d;
    /// <summary>Heavy-ball buffer v_n after the last step (Adam: first moment; RMSProp: unused, zero).</summary>
    public ReadOnlySpan<double> Buffer => _buffer;
    /// <summary>Learning rate used by the last step.</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Takes one step q_n → q_{n+1}.</summary>
    public void Step()
    {
        int n = _q.Length, step = StepIndex;
        double eta = _options.LearningRateAt(step), k = _options.WeightDecay;
        bool coupled = !_options.DecoupledWeightDecay;
        Array.Copy(_q, _previous, n);
        _model.Gradient(_q, _g, new GradientContext(step, _rng, _options.BatchSize));
        for (int i = 0; i < n; i++) _d[i] = coupled ? _g[i] + k * _q[i] : _g[i];
        double decay = coupled ? 1 : 1 - eta * k;     // decoupled: q ← (1−ηk) q − η·step (uses q_n in both terms)

        switch (_options.Kind)
        {
            case OptimizerKind.Gd:
                for (int i = 0; i < n; i++) { _buffer[i] = _d[i]; _q[i] = decay * _q[i] - eta * _d[i]; }
                break;
            case OptimizerKind.HeavyBall:
            {
                double beta = _options.Momentum, damp = 1 - _options.Dampening;
                for (int i = 0; i < n; i++)
                {
                    _buffer[i] = _bufferStarted ? beta * _buffer[i] + damp * _d[i] : _d[i];
                    double dir = _options.Nesterov ? _d[i] + beta * _buffer[i] : _buffer[i];
                    _q[i] = decay * _q[i] - eta * dir;
                }
                _bufferStarted = true;
                break;
            }
            case OptimizerKind.RmsProp:
            {
                double a = _options.Alpha, eps = _options.Epsilon;
                for (int i = 0; i < n; i++)
                {
                    _second[i] = a * _second[i] + (1 - a) * _d[i] * _d[i];
                    _q[i] = decay * _q[i] - eta * _d[i] / (Math.Sqrt(_second[i]) + eps);
                }
                break;
            }
            case OptimizerKind.Adam:
            {
                double b1 = _options.Beta1, b2 = _options.Beta2, eps = _options.Epsilon;
                double c1 = 1 - Math.Pow(b1, step + 1), c2 = 1 - Math.Pow(b2, step + 1);
                for (int i = 0; i < n; i++)
                {
                    _buffer[i] = b1 * _buffer[i] + (1 - b1) * _d[i];
                    _second[i] = b2 * _second[i] + (1 - b2) * _d[i] * _d[i];
                    _q[i] = decay * _q[i] - eta * (_buffer[i] / c1) / (Math.Sqrt(_second[i] / c2) + eps);
                }
                break;
            }
            default:
                throw new InvalidOperationException($"optimizer kind {_options.Kind} is not implemented.");
        }

        for (int b = 0; b < _blockNorms.Length; b++)
        {
            var block = _options.ProjectedBlocks[b];
            double norm = Math.Sqrt(block.Sum(i => _q[i] * _q[i]));
            foreach (int i in block) _q[i] *= _blockNorms[b] / norm;
        }
        LastLearningRate = eta;
        StepIndex = step + 1;
    }

    /// <summary>Takes <paramref name="steps"/> steps.</summary>
    public void Run(int steps)
    {
        for (int s = 0; s < steps; s++) Step();
    }
}

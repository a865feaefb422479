using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NoetherTheory.Numerics.LinearAlgebra;
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
    private readonly double[] _g, _d, _buffer, _second;
    private readonly double[] _blockNorms;
    private readonly bool _separateDirection;
    private double[] _q, _previous;   // swapped every step: q_{n+1} is written into the array that held q_{n−1}
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
        _blockNorms = options.ProjectedBlocks.Select(b => Math.Sqrt(Vec.Norm2(_q, b))).ToArray();
        _separateDirection = !options.DecoupledWeightDecay && options.WeightDecay != 0;
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
    public ReadOnlySpan<double> LastDirection => _separateDirection ? _d : _g;
    /// <summary>Heavy-ball buffer v_n after the last step (Adam: first moment; RMSProp: unused, zero).</summary>
    public ReadOnlySpan<double> Buffer => _buffer;
    /// <summary>Learning rate used by the last step.</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Takes one step q_n → q_{n+1}.</summary>
    /// <remarks>Allocation-free. GD and heavy ball make one elementwise SIMD pass that forms d_n, the buffer and q_{n+1}; for an
    /// <see cref="IFusedGradientModel"/> that pass runs inside the model's gradient pass, so g_n is used while still in registers
    /// (it is also stored, for <see cref="LastGradient"/>). q_{n+1} goes into the spare array, which then becomes
    /// <see cref="Parameters"/> while q_n stays readable as <see cref="PreviousParameters"/>: no copy. The elementwise
    /// arithmetic is the scalar recurrence's, so neither SIMD nor fusion changes a single bit.</remarks>
    public void Step()
    {
        int step = StepIndex;
        double eta = _options.LearningRateAt(step);
        double[] q = _q, next = _previous;
        Update(q, next, step, eta);
        if (_options.Kind == OptimizerKind.HeavyBall) _bufferStarted = true;
        _previous = q;
        _q = next;

        for (int b = 0; b < _blockNorms.Length; b++)
        {
            var block = _options.ProjectedBlocks[b];
            double factor = _blockNorms[b] / Math.Sqrt(Vec.Norm2(next, block));
            foreach (int i in block) next[i] *= factor;
        }
        LastLearningRate = eta;
        StepIndex = step + 1;
    }

    /// <summary>Gradient at q and the update from q into next.</summary>
    private void Update(double[] q, double[] next, int step, double eta)
    {
        double k = _options.WeightDecay;
        double decay = _options.DecoupledWeightDecay ? 1 - eta * k : 1;     // decoupled: q ← (1−ηk) q − η·step (uses q_n in both terms)
        switch (_options.Kind)
        {
            case OptimizerKind.Gd:
                // The buffer of plain GD is the direction itself (v = d), which the laws' sources use.
                if (_separateDirection) HeavyBall<No, No, Yes>(q, next, step, 0, 1, 0, k, decay, eta);
                else HeavyBall<No, No, No>(q, next, step, 0, 1, 0, 0, decay, eta);
                break;
            case OptimizerKind.HeavyBall:
            {
                // PyTorch's first step sets v₁ = d₀ (no momentum, no dampening); Nesterov uses β throughout.
                double beta = _options.Momentum, damp = 1 - _options.Dampening;
                switch (_bufferStarted, _options.Nesterov, _separateDirection)
                {
                    case (true, false, false): HeavyBall<Yes, No, No>(q, next, step, beta, damp, beta, 0, decay, eta); break;
                    case (true, false, true): HeavyBall<Yes, No, Yes>(q, next, step, beta, damp, beta, k, decay, eta); break;
                    case (true, true, false): HeavyBall<Yes, Yes, No>(q, next, step, beta, damp, beta, 0, decay, eta); break;
                    case (true, true, true): HeavyBall<Yes, Yes, Yes>(q, next, step, beta, damp, beta, k, decay, eta); break;
                    case (false, false, false): HeavyBall<No, No, No>(q, next, step, beta, damp, beta, 0, decay, eta); break;
                    case (false, false, true): HeavyBall<No, No, Yes>(q, next, step, beta, damp, beta, k, decay, eta); break;
                    case (false, true, false): HeavyBall<No, Yes, No>(q, next, step, beta, damp, beta, 0, decay, eta); break;
                    case (false, true, true): HeavyBall<No, Yes, Yes>(q, next, step, beta, damp, beta, k, decay, eta); break;
                }
                break;
            }
            case OptimizerKind.RmsProp:
            {
                _model.Gradient(q, _g, new GradientContext(step, _rng, _options.BatchSize));
                double a = _options.Alpha, eps = _options.Epsilon;
                for (int i = 0; i < q.Length; i++)
                {
                    double d = Direction(i, q, k);
                    _second[i] = a * _second[i] + (1 - a) * d * d;
                    next[i] = decay * q[i] - eta * d / (Math.Sqrt(_second[i]) + eps);
                }
                break;
            }
            case OptimizerKind.Adam:
            {
                _model.Gradient(q, _g, new GradientContext(step, _rng, _options.BatchSize));
                double b1 = _options.Beta1, b2 = _options.Beta2, eps = _options.Epsilon;
                double c1 = 1 - Math.Pow(b1, step + 1), c2 = 1 - Math.Pow(b2, step + 1);
                for (int i = 0; i < q.Length; i++)
                {
                    double d = Direction(i, q, k);
                    _buffer[i] = b1 * _buffer[i] + (1 - b1) * d;
                    _second[i] = b2 * _second[i] + (1 - b2) * d * d;
                    next[i] = decay * q[i] - eta * (_buffer[i] / c1) / (Math.Sqrt(_second[i] / c2) + eps);
                }
                break;
            }
            default:
                throw new InvalidOperationException($"optimizer kind {_options.Kind} is not implemented.");
        }
    }

    /// <summary>d_i = g_i + k q_i, stored in the direction array when it differs from g (coupled decay k ≠ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Direction(int i, double[] q, double k)
    {
        if (!_separateDirection) return _g[i];
        double d = _g[i] + k * q[i];
        _d[i] = d;
        return d;
    }

    /// <summary>
    /// Gradient and heavy-ball update (GD is heavy ball without momentum). For an <see cref="IFusedGradientModel"/> the update
    /// runs inside the model's gradient pass (<see cref="HeavyBallKernel{TMomentum, TNesterov, TDirection}"/> consumes g as it
    /// is computed); otherwise the model writes g and one SIMD pass feeds it to the same kernel.
    /// </summary>
    private void HeavyBall<TMomentum, TNesterov, TDirection>(double[] q, double[] next, int step, double beta, double damp,
        double nesterovBeta, double k, double decay, double eta)
        where TMomentum : struct, IFlag where TNesterov : struct, IFlag where TDirection : struct, IFlag
    {
        var kernel = new HeavyBallKernel<TMomentum, TNesterov, TDirection>(q, next, _buffer, _d, beta, damp, nesterovBeta, k, decay, eta);
        if (_model is IFusedGradientModel fused)
        {
            fused.Gradient(q, _g, ref kernel);
            return;
        }
        _model.Gradient(q, _g, new GradientContext(step, _rng, _options.BatchSize));
        ref double gr = ref MemoryMarshal.GetArrayDataReference(_g);
        nuint len = (nuint)_g.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 8 <= len; i += 8) kernel.Take(i, Vector512.LoadUnsafe(ref gr, i));
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= len; i += 4) kernel.Take(i, Vector256.LoadUnsafe(ref gr, i));
        for (; i < len; i++) kernel.Take(i, Unsafe.Add(ref gr, i));
    }

    /// <summary>
    /// The heavy-ball update of the components it is handed: d = g (+ kq), v ← βv + (1−δ)d (or v ← d without momentum: GD
    /// and the first step), q′ = decay·q − η·(v, or d + βv for Nesterov). Flags are type parameters, so each combination is
    /// compiled without branches; the vector and scalar forms round identically, element by element.
    /// </summary>
    private readonly ref struct HeavyBallKernel<TMomentum, TNesterov, TDirection> : IGradientConsumer
        where TMomentum : struct, IFlag where TNesterov : struct, IFlag where TDirection : struct, IFlag
    {
        private readonly ref double _q, _next, _v, _d;
        private readonly double _beta, _damp, _nesterovBeta, _k, _decay, _eta;

        public HeavyBallKernel(double[] q, double[] next, double[] v, double[] d, double beta, double damp, double nesterovBeta,
            double k, double decay, double eta)
        {
            if (next.Length != q.Length || v.Length != q.Length || d.Length != q.Length)
                throw new InvalidOperationException("optimizer state arrays have inconsistent lengths.");
            _q = ref MemoryMarshal.GetArrayDataReference(q);
            _next = ref MemoryMarshal.GetArrayDataReference(next);
            _v = ref MemoryMarshal.GetArrayDataReference(v);
            _d = ref MemoryMarshal.GetArrayDataReference(d);
            (_beta, _damp, _nesterovBeta, _k, _decay, _eta) = (beta, damp, nesterovBeta, k, decay, eta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(nuint i, Vector512<double> g)
        {
            var qi = Vector512.LoadUnsafe(ref _q, i);
            var d = g;
            if (TDirection.On)
            {
                d += Vector512.Create(_k) * qi;
                d.StoreUnsafe(ref _d, i);
            }
            var v = TMomentum.On ? (Vector512.Create(_beta) * Vector512.LoadUnsafe(ref _v, i)) + (Vector512.Create(_damp) * d) : d;
            v.StoreUnsafe(ref _v, i);
            var dir = TNesterov.On ? d + (Vector512.Create(_nesterovBeta) * v) : v;
            ((Vector512.Create(_decay) * qi) - (Vector512.Create(_eta) * dir)).StoreUnsafe(ref _next, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(nuint i, Vector256<double> g)
        {
            var qi = Vector256.LoadUnsafe(ref _q, i);
            var d = g;
            if (TDirection.On)
            {
                d += Vector256.Create(_k) * qi;
                d.StoreUnsafe(ref _d, i);
            }
            var v = TMomentum.On ? (Vector256.Create(_beta) * Vector256.LoadUnsafe(ref _v, i)) + (Vector256.Create(_damp) * d) : d;
            v.StoreUnsafe(ref _v, i);
            var dir = TNesterov.On ? d + (Vector256.Create(_nesterovBeta) * v) : v;
            ((Vector256.Create(_decay) * qi) - (Vector256.Create(_eta) * dir)).StoreUnsafe(ref _next, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(nuint i, double g)
        {
            double qi = Unsafe.Add(ref _q, i), d = g;
            if (TDirection.On)
            {
                d += _k * qi;
                Unsafe.Add(ref _d, i) = d;
            }
            double v = TMomentum.On ? (_beta * Unsafe.Add(ref _v, i)) + (_damp * d) : d;
            Unsafe.Add(ref _v, i) = v;
            double dir = TNesterov.On ? d + (_nesterovBeta * v) : v;
            Unsafe.Add(ref _next, i) = (_decay * qi) - (_eta * dir);
        }
    }

    private interface IFlag
    {
        static abstract bool On { get; }
    }

    private readonly struct Yes : IFlag
    {
        public static bool On => true;
    }

    private readonly struct No : IFlag
    {
        public static bool On => false;
    }

    /// <summary>Takes <paramref name="steps"/> steps.</summary>
    public void Run(int steps)
    {
        for (int s = 0; s < steps; s++) Step();
    }
}

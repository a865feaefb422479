namespace NoetherTheory.Numerics.Models;

/// <summary>Shared minibatch selection for the data models: the first B indices of a seeded partial shuffle.</summary>
internal static class Batches
{
    public static int[] Select(int n, GradientContext context)
    {
        if (context.BatchSize <= 0 || context.BatchSize >= n) return Enumerable.Range(0, n).ToArray();
        var rng = context.Rng ?? throw new InvalidOperationException(
            $"a minibatch of {context.BatchSize} was asked for without a seeded RNG: give the optimizer a seed.");
        var idx = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < context.BatchSize; i++)
        {
            int j = i + rng.Next(n - i);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        return idx[..context.BatchSize];
    }
}

/// <summary>
/// Two-layer linear net L = (1/2N)‖W₂W₁X − Y‖²_F (id <c>linear2</c>, T-lin2), W₁ ∈ ℝ^{h×d} at offset 0, W₂ ∈ ℝ^{o×h}
/// after it (row-major). GL(h) symmetry gives the balance matrix W₁W₁ᵀ − W₂ᵀW₂ and a rescale pair per hidden unit.
/// Data: X ~ N(0, 1), Y = TX + 0.1·noise with T ~ N(0, 1); W ~ N(0, 0.5²). Parameters <c>d</c>=3, <c>h</c>=4,
/// <c>o</c>=2, <c>samples</c>=20.
/// </summary>
public sealed class LinearNetModel : IToyModel
{
    private readonly int _d, _h, _o, _n;
    private readonly double[] _x, _y, _w0; // X: n×d (row per sample), Y: n×o

    /// <summary>Creates the model.</summary>
    public LinearNetModel(ParameterSet p, int seed)
    {
        ArgumentNullException.ThrowIfNull(p);
        _d = p.Integer("d", 3); _h = p.Integer("h", 4); _o = p.Integer("o", 2); _n = p.Integer("samples", 20);
        if (_d < 1 || _h < 1 || _o < 1 || _n < 1) throw new ArgumentException("linear2: d, h, o, samples must be positive.");
        var rng = new Random(seed);
        var t = new double[_o * _d];
        Gaussian.Fill(rng, t);
        _x = new double[_n * _d];
        Gaussian.Fill(rng, _x);
        _y = new double[_n * _o];
        for (int i = 0; i < _n; i++)
            for (int c = 0; c < _o; c++)
            {
                double s = 0;
                for (int k = 0; k < _d; k++) s += t[c * _d + k] * _x[i * _d + k];
                _y[i * _o + c] = s + 0.1 * Gaussian.Next(rng);
            }
        _w0 = new double[Dimension];
        Gaussian.Fill(rng, _w0, 0.5);
        var w1 = new MatrixBlock("W1", 0, _h, _d);
        var w2 = new MatrixBlock("W2", _h * _d, _o, _h);
        Structure = new ModelStructure
        {
            Balance = [new BalancePair("W1W2", w1, w2)],
            Rescale = Enumerable.Range(0, _h).Select(j => new RescalePair(
                $"unit{j}", Enumerable.Range(0, _d).Select(k => j * _d + k).ToArray(),
                Enumerable.Range(0, _o).Select(c => _h * _d + c * _h + j).ToArray())).ToList(),
        };
    }

    /// <inheritdoc />
    public string Id => "linear2";
    /// <inheritdoc />
    public int Dimension => _h * _d + _o * _h;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    private (double[] Hidden, double[] Residual) Forward(ReadOnlySpan<double> q, int i)
    {
        var z = new double[_h];
        for (int j = 0; j < _h; j++)
        {
            double s = 0;
            for (int k = 0; k < _d; k++) s += q[j * _d + k] * _x[i * _d + k];
            z[j] = s;
        }
        var e = new double[_o];
        int off = _h * _d;
        for (int c = 0; c < _o; c++)
        {
            double s = 0;
            for (int j = 0; j < _h; j++) s += q[off + c * _h + j] * z[j];
            e[c] = s - _y[i * _o + c];
        }
        return (z, e);
    }

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        double s = 0;
        for (int i = 0; i < _n; i++)
            foreach (double e in Forward(q, i).Residual) s += e * e;
        return s / (2 * _n);
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        var batch = Batches.Select(_n, context);
        g.Clear();
        int off = _h * _d;
        double inv = 1.0 / batch.Length;
        foreach (int i in batch)
        {
            var (z, e) = Forward(q, i);
            for (int c = 0; c < _o; c++)
                for (int j = 0; j < _h; j++)
                    g[off + c * _h + j] += inv * e[c] * z[j];
            for (int j = 0; j < _h; j++)
            {
                double back = 0;
                for (int c = 0; c < _o; c++) back += q[off + c * _h + j] * e[c];
                for (int k = 0; k < _d; k++) g[j * _d + k] += inv * back * _x[i * _d + k];
            }
        }
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _w0.ToArray();
}

/// <summary>
/// One-hidden-layer ReLU net f(x) = Σⱼ w₂ⱼ relu(w₁ⱼ·x + b₁ⱼ) + b₂ with loss (1/2N)Σ(fᵢ − yᵢ)² (id <c>relu-net</c>,
/// T-relu). Layout: W₁ (h×d), b₁ (h), w₂ (h), b₂. Rescale pair per neuron: incoming (w₁ⱼ, b₁ⱼ), outgoing w₂ⱼ.
/// Targets from a random teacher net of the same shape. Parameters <c>d</c>=3, <c>h</c>=5, <c>samples</c>=16.
/// The same class with tanh (id <c>tanh-net</c>) gives a smooth gradient field for flow-based checks (energy/NTK);
/// tanh is not homogeneous, so that variant declares no rescale pairs.
/// </summary>
public sealed class ReluNetModel : ISampleOutputModel
{
    private readonly bool _tanh;
    private readonly int _d, _h, _n;
    private readonly double[] _x, _y, _w0;

    /// <summary>Creates the model.</summary>
    public ReluNetModel(ParameterSet p, int seed, bool tanh = false)
    {
        ArgumentNullException.ThrowIfNull(p);
        _tanh = tanh;
        _d = p.Integer("d", 3); _h = p.Integer("h", 5); _n = p.Integer("samples", 16);
        if (_d < 1 || _h < 1 || _n < 1) throw new ArgumentException("relu-net: d, h, samples must be positive.");
        var rng = new Random(seed);
        _x = new double[_n * _d];
        Gaussian.Fill(rng, _x);
        var teacher = new double[Dimension];
        Gaussian.Fill(rng, teacher);
        _y = new double[_n];
        for (int i = 0; i < _n; i++) _y[i] = Output(teacher, i, null);
        _w0 = new double[Dimension];
        Gaussian.Fill(rng, _w0, 0.7);
        Structure = tanh ? new ModelStructure() : new ModelStructure
        {
            Rescale = Enumerable.Range(0, _h).Select(j => new RescalePair($"neuron{j}",
                [.. Enumerable.Range(0, _d).Select(k => j * _d + k), _h * _d + j],
                [_h * _d + _h + j])).ToList(),
        };
    }

    /// <inheritdoc />
    public string Id => _tanh ? "tanh-net" : "relu-net";
    /// <inheritdoc />
    public int Dimension => _h * _d + 2 * _h + 1;
    /// <inheritdoc />
    public int SampleCount => _n;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    private double Output(ReadOnlySpan<double> q, int i, Span<double> gradient)
    {
        int b1 = _h * _d, w2 = b1 + _h, b2 = w2 + _h;
        double f = q[b2];
        if (!gradient.IsEmpty) { gradient.Clear(); gradient[b2] = 1; }
        for (int j = 0; j < _h; j++)
        {
            double z = q[b1 + j];
            for (int k = 0; k < _d; k++) z += q[j * _d + k] * _x[i * _d + k];
            double a, slope;
            if (_tanh) { a = Math.Tanh(z); slope = 1 - a * a; }
            else if (z > 0) { a = z; slope = 1; }
            else continue;                              // relu'(0) := 0, as in PyTorch
            f += q[w2 + j] * a;
            if (gradient.IsEmpty) continue;
            gradient[w2 + j] = a;
            gradient[b1 + j] = q[w2 + j] * slope;
            for (int k = 0; k < _d; k++) gradient[j * _d + k] = q[w2 + j] * slope * _x[i * _d + k];
        }
        return f;
    }

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        double s = 0;
        for (int i = 0; i < _n; i++) { double e = Output(q, i, null) - _y[i]; s += e * e; }
        return s / (2 * _n);
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        var batch = Batches.Select(_n, context);
        g.Clear();
        var gi = new double[Dimension];
        foreach (int i in batch)
        {
            double e = Output(q, i, gi) - _y[i];
            for (int k = 0; k < gi.Length; k++) g[k] += e * gi[k] / batch.Length;
        }
    }

    /// <inheritdoc />
    public void Outputs(ReadOnlySpan<double> q, Span<double> outputs, Span<double> lossDerivatives)
    {
        for (int i = 0; i < _n; i++)
        {
            outputs[i] = Output(q, i, null);
            lossDerivatives[i] = outputs[i] - _y[i];
        }
    }

    /// <inheritdoc />
    public void OutputGradient(ReadOnlySpan<double> q, int sample, Span<double> gradient) => Output(q, sample, gradient);

    /// <inheritdoc />
    public double[] InitialPoint() => _w0.ToArray();
}

/// <summary>
/// Softmax regression L = −(1/N)Σ log softmax(Wxᵢ + b)_{yᵢ} (id <c>softmax</c>, T-soft), W ∈ ℝ^{C×d}, then b ∈ ℝ^C.
/// Shifting all logits leaves the loss unchanged, so each column of W (over classes) and the bias are translation
/// blocks: Σ_c ∂L/∂W_cj = 0 and Σ_c ∂L/∂b_c = 0. Parameters <c>d</c>=3, <c>classes</c>=4, <c>samples</c>=30.
/// </summary>
public sealed class SoftmaxModel : IToyModel
{
    private readonly int _d, _c, _n;
    private readonly double[] _x, _w0;
    private readonly int[] _labels;

    /// <summary>Creates the model.</summary>
    public SoftmaxModel(ParameterSet p, int seed)
    {
        ArgumentNullException.ThrowIfNull(p);
        _d = p.Integer("d", 3); _c = p.Integer("classes", 4); _n = p.Integer("samples", 30);
        if (_d < 1 || _c < 2 || _n < 1) throw new ArgumentException("softmax: need d ≥ 1, classes ≥ 2, samples ≥ 1.");
        var rng = new Random(seed);
        _x = new double[_n * _d];
        Gaussian.Fill(rng, _x);
        _labels = Enumerable.Range(0, _n).Select(_ => rng.Next(_c)).ToArray();
        _w0 = new double[Dimension];
        Gaussian.Fill(rng, _w0);
        var tr = Enumerable.Range(0, _d)
            .Select(j => new IndexBlock($"col{j}", Enumerable.Range(0, _c).Select(c => c * _d + j).ToArray())).ToList();
        tr.Add(new IndexBlock("bias", Enumerable.Range(_c * _d, _c).ToArray()));
        Structure = new ModelStructure { Translation = tr };
    }

    /// <inheritdoc />
    public string Id => "softmax";
    /// <inheritdoc />
    public int Dimension => _c * _d + _c;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    private double Probabilities(ReadOnlySpan<double> q, int i, Span<double> prob)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < _c; c++)
        {
            double z = q[_c * _d + c];
            for (int k = 0; k < _d; k++) z += q[c * _d + k] * _x[i * _d + k];
            prob[c] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < _c; c++) { prob[c] = Math.Exp(prob[c] - max); sum += prob[c]; }   // shift by max: no overflow
        for (int c = 0; c < _c; c++) prob[c] /= sum;
        return -Math.Log(prob[_labels[i]]);
    }

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        Span<double> prob = stackalloc double[_c];
        double s = 0;
        for (int i = 0; i < _n; i++) s += Probabilities(q, i, prob);
        return s / _n;
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        var batch = Batches.Select(_n, context);
        Span<double> prob = stackalloc double[_c];
        g.Clear();
        foreach (int i in batch)
        {
            Probabilities(q, i, prob);
            prob[_labels[i]] -= 1;
            for (int c = 0; c < _c; c++)
            {
                double r = prob[c] / batch.Length;
                g[_c * _d + c] += r;
                for (int k = 0; k < _d; k++) g[c * _d + k] += r * _x[i * _d + k];
            }
        }
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _w0.ToArray();
}

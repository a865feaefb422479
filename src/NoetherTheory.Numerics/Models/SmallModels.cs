namespace NoetherTheory.Numerics.Models;

/// <summary>
/// Scalar two-layer linear net f = ½(w₂w₁ − 1)² + (c/2)w₁² (ids <c>linear2-scalar</c> with c = 0, and <c>toy-a2</c>
/// with c = 0.1, the loss of the convergence-order checks of theory/01-learning-lagrangian.md#eq-1-6 and
/// theory/04-numerical-integration.md#eq-4-1). For c = 0 the rescale charge w₁² − w₂² is conserved by gradient flow.
/// Parameters: <c>c</c>, <c>q0</c> (defaults [0.5, 1.5] and [0.3, 1.7]).
/// </summary>
public sealed class ScalarLinearModel : IHessianModel
{
    private readonly double _c;
    private readonly double[] _q0;

    /// <summary>Creates the model; <paramref name="toyA2"/> selects the defaults of the order checks (c = 0.1, q₀ = (0.3, 1.7)).</summary>
    public ScalarLinearModel(bool toyA2, ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        Id = toyA2 ? "toy-a2" : "linear2-scalar";
        _c = p.Scalar("c", toyA2 ? 0.1 : 0);
        _q0 = p.Vector("q0", toyA2 ? [0.3, 1.7] : [0.5, 1.5]);
        if (_q0.Length != 2) throw new ArgumentException($"{Id}: 'q0' must have 2 components.");
        Structure = _c == 0
            ? new ModelStructure
            {
                Rescale = [new RescalePair("unit", [0], [1])],
                Balance = [new BalancePair("layers", new MatrixBlock("w1", 0, 1, 1), new MatrixBlock("w2", 1, 1, 1))],
            }
            : new ModelStructure();
    }

    /// <inheritdoc />
    public string Id { get; }
    /// <inheritdoc />
    public int Dimension => 2;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        double e = q[0] * q[1] - 1;
        return 0.5 * e * e + 0.5 * _c * q[0] * q[0];
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        double e = q[0] * q[1] - 1;
        g[0] = e * q[1] + _c * q[0];
        g[1] = e * q[0];
    }

    /// <inheritdoc />
    public void HessianVector(ReadOnlySpan<double> q, ReadOnlySpan<double> v, Span<double> hv)
    {
        double h11 = q[1] * q[1] + _c, h12 = 2 * q[0] * q[1] - 1, h22 = q[0] * q[0];
        hv[0] = h11 * v[0] + h12 * v[1];
        hv[1] = h12 * v[0] + h22 * v[1];
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _q0.ToArray();
}

/// <summary>
/// Rotation model f(W) = ¼‖WWᵀ − M‖²_F (id <c>rotation</c>, T-rot), W ∈ ℝ^{n×p} row-major, M = BBᵀ/p symmetric with
/// B random. Invariant under W → WR for orthogonal R, so WᵀG is symmetric (theory/03-noether.md#eq-3-15). Gradient G = (WWᵀ − M)W.
/// Parameters: <c>n</c> (default 3), <c>p</c> (default 2); the seed draws B and W₀ ~ N(0, 0.5²).
/// </summary>
public sealed class RotationModel : IToyModel
{
    private readonly int _n, _p;
    private readonly double[] _m, _w0;

    /// <summary>Creates the model.</summary>
    public RotationModel(ParameterSet p, int seed)
    {
        ArgumentNullException.ThrowIfNull(p);
        _n = p.Integer("n", 3);
        _p = p.Integer("p", 2);
        if (_n < 1 || _p < 2) throw new ArgumentException("rotation: need n ≥ 1 and p ≥ 2 (rotations of a 1-column W are trivial).");
        var rng = new Random(seed);
        var b = new double[_n * _p];
        Gaussian.Fill(rng, b);
        _m = new double[_n * _n];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
            {
                double s = 0;
                for (int k = 0; k < _p; k++) s += b[i * _p + k] * b[j * _p + k];
                _m[i * _n + j] = s / _p;
            }
        _w0 = new double[_n * _p];
        Gaussian.Fill(rng, _w0, 0.5);
        Structure = new ModelStructure { Rotation = [new MatrixBlock("W", 0, _n, _p)] };
    }

    /// <inheritdoc />
    public string Id => "rotation";
    /// <inheritdoc />
    public int Dimension => _n * _p;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    private double[] Residual(ReadOnlySpan<double> w)
    {
        var e = new double[_n * _n];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
            {
                double s = 0;
                for (int k = 0; k < _p; k++) s += w[i * _p + k] * w[j * _p + k];
                e[i * _n + j] = s - _m[i * _n + j];
            }
        return e;
    }

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        double s = 0;
        foreach (double x in Residual(q)) s += x * x;
        return 0.25 * s;
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        var e = Residual(q);
        for (int i = 0; i < _n; i++)
            for (int k = 0; k < _p; k++)
            {
                double s = 0;
                for (int j = 0; j < _n; j++) s += e[i * _n + j] * q[j * _p + k];
                g[i * _p + k] = s;
            }
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _w0.ToArray();
}

using NoetherTheory.Numerics.LinearAlgebra;

namespace NoetherTheory.Numerics.Models;

/// <summary>
/// Diagonal quadratic f(q) = ½ Σᵢ σᵢ qᵢ² (model id <c>quadratic</c>): every coordinate is an eigen-direction, so heavy
/// ball acts on each one as the scalar recursion of the linear-stability analysis.
/// Parameters: <c>sigma</c> (eigenvalues, default [1]; each must be positive), <c>q0</c> (default all ones).
/// </summary>
/// <remarks>The slow heavy-ball root on this loss is the quadratic check of the modified loss
/// theory/01-learning-lagrangian.md#eq-1-6 (theory notes G#22).</remarks>
public sealed class QuadraticModel : IHessianModel
{
    private readonly double[] _sigma, _q0;

    /// <summary>Creates the model from parameters.</summary>
    /// <exception cref="ArgumentException">A non-positive eigenvalue, or <c>q0</c> of the wrong length.</exception>
    public QuadraticModel(ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _sigma = p.Vector("sigma", [1]);
        if (_sigma.Length == 0 || _sigma.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("quadratic: parameter 'sigma' must be a non-empty list of positive finite eigenvalues.");
        _q0 = p.Vector("q0", Enumerable.Repeat(1.0, _sigma.Length).ToArray());
        if (_q0.Length != _sigma.Length)
            throw new ArgumentException($"quadratic: 'q0' has {_q0.Length} components but 'sigma' has {_sigma.Length}.");
    }

    /// <inheritdoc />
    public string Id => "quadratic";
    /// <inheritdoc />
    public int Dimension => _sigma.Length;
    /// <inheritdoc />
    public ModelStructure Structure { get; } = new();
    /// <inheritdoc />
    public bool HasLoss => true;

    /// <summary>The eigenvalue σᵢ of coordinate <paramref name="i"/>.</summary>
    public double Eigenvalue(int i) => _sigma[i];

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        double s = 0;
        for (int i = 0; i < q.Length; i++) s += _sigma[i] * q[i] * q[i];
        return 0.5 * s;
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        for (int i = 0; i < q.Length; i++) g[i] = _sigma[i] * q[i];
    }

    /// <inheritdoc />
    public void HessianVector(ReadOnlySpan<double> q, ReadOnlySpan<double> v, Span<double> hv)
    {
        for (int i = 0; i < q.Length; i++) hv[i] = _sigma[i] * v[i];
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _q0.ToArray();
}

/// <summary>
/// Rotating target f_n(q) = −⟨a_n, q/|q|⟩ with a_n = |a|(cos ωn, sin ωn) (model id <c>rotating-target</c>): a restoring,
/// scale-invariant angular potential whose minimum moves by ω radians per step, so the gradient never dies out.
/// Gradient g = −(a_n − ⟨a_n, q̂⟩q̂)/|q|. Parameters: <c>a</c> (|a|, default 1), <c>omega</c> (default 3e-4),
/// <c>q0</c> (default [1, 0]).
/// </summary>
/// <remarks>The stability-edge failure mode of Eq. 17 (theory/05-learning-dynamics.md#eq-5-3): in tangential
/// coordinates the curvature is |a|/|q|², so heavy ball is angularly stable only while η|a|/|q|² &lt; 2(1+β)
/// (the effective learning rate of theory/05-learning-dynamics.md#eq-5-2). The loss depends on the step, so
/// <see cref="HasLoss"/> is false; <see cref="LossAt"/> gives f_n.</remarks>
public sealed class RotatingTargetModel : IToyModel
{
    private readonly double _a, _omega;
    private readonly double[] _q0;

    /// <summary>Creates the model from parameters.</summary>
    /// <exception cref="ArgumentException">Non-positive |a|, non-finite ω, or a <c>q0</c> that is not a non-zero 2-vector.</exception>
    public RotatingTargetModel(ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _a = p.Scalar("a", 1);
        _omega = p.Scalar("omega", 3e-4);
        _q0 = p.Vector("q0", [1, 0]);
        if (!(_a > 0) || !double.IsFinite(_a)) throw new ArgumentException("rotating-target: 'a' (the target length |a|) must be positive.");
        if (!double.IsFinite(_omega)) throw new ArgumentException("rotating-target: 'omega' must be a finite angle per step.");
        if (_q0.Length != 2 || Vec.Norm2(_q0) == 0) throw new ArgumentException("rotating-target: 'q0' must be a non-zero 2-vector.");
        Structure = new ModelStructure { Scale = [new IndexBlock("q", [0, 1])] };
    }

    /// <inheritdoc />
    public string Id => "rotating-target";
    /// <inheritdoc />
    public int Dimension => 2;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => false;
    /// <summary>|a|, the angular curvature at the target on the unit circle.</summary>
    public double TargetLength => _a;

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q) => double.NaN;

    /// <summary>f_n(q) = −⟨a_n, q̂⟩ at step <paramref name="step"/>.</summary>
    public double LossAt(ReadOnlySpan<double> q, int step)
    {
        double c = Math.Cos(_omega * step), s = Math.Sin(_omega * step);
        return -_a * (c * q[0] + s * q[1]) / Vec.Norm(q);
    }

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        double ax = _a * Math.Cos(_omega * context.Step), ay = _a * Math.Sin(_omega * context.Step);
        double r = Vec.Norm(q), c = (ax * q[0] + ay * q[1]) / r;
        g[0] = -(ax - c * q[0] / r) / r;
        g[1] = -(ay - c * q[1] / r) / r;
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _q0.ToArray();
}

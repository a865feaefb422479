using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>The random loss L(θ) = ½|φ(θ) − y|² of a factorisation, compiled to double: value and gradient
/// ∇L = J_φ(θ)ᵀ(φ(θ) − y) from the exact Jacobian polynomials.</summary>
internal sealed class LossModel
{
    private readonly CompiledPolynomial[] _phi;
    private readonly (int Component, int Variable, CompiledPolynomial Entry)[] _jacobian;
    private readonly double[] _target;
    private readonly double[] _residual;

    public LossModel(Factorisation factorisation, double[] target)
    {
        Dimension = factorisation.Dimension;
        _phi = [.. factorisation.Components.Select(c => new CompiledPolynomial(c))];
        var entries = new List<(int, int, CompiledPolynomial)>();
        for (int i = 0; i < factorisation.Components.Count; i++)
            for (int a = 0; a < Dimension; a++)
            {
                var d = PolynomialCalculus.Derivative(factorisation.Components[i], a);
                if (!d.IsZero) entries.Add((i, a, new CompiledPolynomial(d)));
            }
        _jacobian = [.. entries];
        _target = target;
        _residual = new double[_phi.Length];
    }

    public int Dimension { get; }

    /// <summary>A loss with target y drawn from N(0, 1) by <paramref name="rng"/>.</summary>
    public static LossModel Random(Factorisation factorisation, Random rng) =>
        new(factorisation, [.. Enumerable.Range(0, factorisation.Components.Count).Select(_ => Gaussian(rng))]);

    /// <summary>Writes ∇L(θ) into <paramref name="gradient"/>.</summary>
    public void Gradient(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        for (int i = 0; i < _phi.Length; i++) _residual[i] = _phi[i].Evaluate(theta) - _target[i];
        gradient.Clear();
        foreach (var (i, a, entry) in _jacobian) gradient[a] += _residual[i] * entry.Evaluate(theta);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u = 1.0 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>A polynomial in θ (and θ̇ as variables D…2D−1) compiled for evaluation on a joint state vector.</summary>
    public static CompiledPolynomial Compile(Polynomial p) => new(p);
}

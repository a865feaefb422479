using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>Which first-order flow a <see cref="CompiledFlow"/> integrates.</summary>
public enum FlowKind
{
    /// <summary>The η → 0 limit of the modified equation: μ₀q̇ = −∇V₀, V₀ = f + κ₀/2·|q|² (theory/03-noether.md#eq-3-7).</summary>
    GradientFlow,

    /// <summary>The first-order modified-loss flow μq̇ = −∇[V + m/(2μ²)·|∇V|²] (theory/01-learning-lagrangian.md#eq-1-6):
    /// the slow manifold of the second-order equation, accurate to O(η) per unit time.</summary>
    ModifiedLoss,
}

/// <summary>
/// A first-order flow q̇ = φ(q) derived from a <see cref="DerivationResult"/> and compiled over the state y = q, with the
/// law's quantity (x, y or z: a function of q) compiled alongside when it exists.
/// </summary>
/// <remarks>
/// Both flows come from the derivation's m, μ, κ, never retyped: the gradient flow sets η = 0 in μ and κ; the
/// modified-loss flow uses m/(2μ²), which is η/4 for GD and η(1+β)/(4(1−β)²) for heavy ball (theory-notes A.2).
/// With k = 0 the Neural Mechanics quantities are conserved by the gradient flow, and with k &gt; 0 they decay as
/// x(t) = x(0)·exp(−λ₀t/μ₀) (theory/03-noether.md#eq-3-7, theory/03-noether.md#eq-3-13).
/// </remarks>
public sealed class CompiledFlow
{
    private readonly CompiledFunction _velocity;
    private readonly CompiledFunction? _quantity;
    private readonly double[] _template;
    private readonly double[]? _quantityTemplate;

    private CompiledFlow(FlowKind kind, int n, CompiledFunction velocity, double[] template, CompiledFunction? quantity,
        double[]? quantityTemplate, double overdampedRate)
    {
        Kind = kind;
        Dimension = n;
        _velocity = velocity;
        _template = template;
        _quantity = quantity;
        _quantityTemplate = quantityTemplate;
        OverdampedRate = overdampedRate;
    }

    /// <summary>The flow.</summary>
    public FlowKind Kind { get; }

    /// <summary>Number of coordinates (the state).</summary>
    public int Dimension { get; }

    /// <summary>True when the law quantity is a function of q alone and was compiled.</summary>
    public bool HasQuantity => _quantity is not null;

    /// <summary>λ₀/μ₀: the rate at which the gradient flow makes the law quantity decay (0 when k = 0; NaN without a law).</summary>
    public double OverdampedRate { get; }

    /// <summary>Compiles the chosen flow of <paramref name="derivation"/> at the given parameter values.</summary>
    /// <exception cref="NoetherTheoryException">An abstract derivation, or a missing or non-finite parameter (named).</exception>
    public static CompiledFlow From(DerivationResult derivation, FlowKind kind, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(derivation);
        ArgumentNullException.ThrowIfNull(parameters);
        if (derivation.IsAbstract)
            throw new NoetherTheoryException($"Derivation for '{derivation.ModelName}' has an abstract loss; a flow needs a concrete potential.");
        int n = derivation.Dimension;
        var me = derivation.ModifiedEquation;
        var q = Coordinates.Q(n);
        var eta = Coordinates.Eta;
        Expr Sq(IReadOnlyList<Expr> v) => Expr.Add(v.Select(x => x * x));
        ImmutableArray<Expr> velocity;
        if (kind == FlowKind.GradientFlow)
        {
            var (mu0, kappa0) = (me.Friction.Substitute(eta, Expr.Zero), me.WeightDecay.Substitute(eta, Expr.Zero));
            var v0 = derivation.Loss + (Expr.Half * kappa0 * Sq([.. q]));
            velocity = [.. q.Select(s => -v0.Differentiate(s) / mu0)];
        }
        else
        {
            var v = derivation.Potential;
            var grad = v.Gradient(q);
            var modified = v + (me.Mass / (2 * me.Friction * me.Friction) * Sq(grad));
            velocity = [.. q.Select(s => -modified.Differentiate(s) / me.Friction)];
        }
        string what = string.Create(CultureInfo.InvariantCulture, $"{kind} of {derivation.Rule.Id}/{derivation.ModelName}");
        var binding = ParameterBinding.Create(velocity, n, false, parameters, what);
        var compiled = ExprCompiler.Compile(velocity, binding.Inputs);

        CompiledFunction? quantity = null;
        double[]? qTemplate = null;
        double rate = double.NaN;
        if (derivation.Law is { Kind: ChargeLawKind.Oscillator } law
            && !law.Value.FreeSymbols().Any(s => s.Name == Coordinates.QDotName))
        {
            var qb = ParameterBinding.Create([law.Value], n, false, parameters, what + " quantity");
            quantity = ExprCompiler.Compile([law.Value], qb.Inputs);
            qTemplate = qb.Template;
            var lambda0 = law.Stiffness.Substitute(eta, Expr.Zero);
            var mu0 = law.Friction.Substitute(eta, Expr.Zero);
            rate = ParameterBinding.Constant(lambda0 / mu0, parameters, what + " overdamped rate");
        }
        return new CompiledFlow(kind, n, compiled, binding.Template, quantity, qTemplate, rate);
    }

    /// <summary>A right side y′ = φ(y) with its own scratch buffers (not thread-safe; make one per thread).</summary>
    public OdeRhs CreateRhs()
    {
        var velocity = new BoundKernel(_velocity, _template, Dimension);
        return (t, y, dy) => velocity.Evaluate(t, y).CopyTo(dy);
    }

    /// <summary>The initial-value problem from q₀ at t₀ to t₁.</summary>
    public OdeProblem Problem(IReadOnlyList<double> q0, double t1, double t0 = 0)
    {
        ArgumentNullException.ThrowIfNull(q0);
        if (q0.Count != Dimension)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"q0 has {q0.Count} components; the flow needs {Dimension}."), nameof(q0));
        return new OdeProblem(CreateRhs(), t0, q0, t1);
    }

    /// <summary>The law quantity (x = |q_A|², y = ⟨q, 1_A⟩ or z = |q_A1|² − |q_A2|²) at q.</summary>
    /// <exception cref="InvalidOperationException">The derivation has no oscillator law in q alone.</exception>
    public double Quantity(ReadOnlySpan<double> q)
    {
        var kernel = _quantity ?? throw new InvalidOperationException(
            "This derivation has no closed law whose quantity depends on q alone (rotation's ℓ needs q̇; no law for broken symmetries).");
        if (q.Length != Dimension)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"q has {q.Length} components; the flow needs {Dimension}."), nameof(q));
        var input = (double[])_quantityTemplate!.Clone();
        q.CopyTo(input.AsSpan(1));
        return kernel.Evaluate(input)[0];
    }
}

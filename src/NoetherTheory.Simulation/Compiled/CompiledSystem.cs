using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>
/// Equations of motion M(q, q̇, t)·q̈ = F compiled to a fast first-order system over the state y = (q, q̇):
/// y′ = (q̇, M⁻¹F), with every parameter (<c>eta</c>, <c>beta</c>, <c>k</c>, model constants) bound to a number.
/// When built from a <see cref="DerivationResult"/> it also carries the compiled Noether charge J = m⟨q̇, ξ⟩, the
/// right side of its equation ∂ₛT − ∂ₛV and the charge law's quantity.
/// </summary>
/// <remarks>
/// q̈ = M⁻¹F is the symbolic solution for a diagonal mass matrix (theory/02-euler-lagrange.md#eq-2-4); the learning
/// Lagrangian's weight e^{t/τ} cancels term by term, so the compiled right side is that of the modified equation
/// m q̈ + μ q̇ + ∇f + κq = 0 (theory/01-learning-lagrangian.md#eq-1-5). All accelerations share one kernel with
/// common-subexpression elimination. The charge equation J̇ + J/τ = ∂ₛT − ∂ₛV is theory/03-noether.md#eq-3-6.
/// Instances are immutable; each right side made by <see cref="CreateRhs"/> owns scratch buffers and must not be
/// called from two threads at once (make one per thread).
/// </remarks>
public sealed class CompiledSystem
{
    private readonly CompiledFunction _accelerations;
    private readonly CompiledFunction? _charge;   // outputs: J, ∂ₛT − ∂ₛV, law quantity (when a law exists)
    private readonly double[] _template;
    private readonly double[]? _chargeTemplate;   // the charge kernel may use a subset of the parameters: its own inputs
    private readonly int _n;

    private CompiledSystem(int n, CompiledFunction accelerations, CompiledFunction? charge, double[] template, double[]? chargeTemplate,
        ImmutableDictionary<string, double> parameters, double? dampingTime, ChargeLaw? law, DerivationResult? derivation)
    {
        _n = n;
        _chargeTemplate = chargeTemplate;
        _accelerations = accelerations;
        _charge = charge;
        _template = template;
        Parameters = parameters;
        DampingTime = dampingTime;
        Law = law;
        Derivation = derivation;
    }

    /// <summary>Number of coordinates n (the state has 2n components).</summary>
    public int Dimension => _n;

    /// <summary>The parameter values the system was compiled with.</summary>
    public ImmutableDictionary<string, double> Parameters { get; }

    /// <summary>τ = m/μ evaluated at the parameters, or null when built from bare equations of motion.</summary>
    public double? DampingTime { get; }

    /// <summary>The derived charge law (null when built from bare equations or laws were not derived).</summary>
    public ChargeLaw? Law { get; }

    /// <summary>The derivation the system came from, or null.</summary>
    public DerivationResult? Derivation { get; }

    /// <summary>True when the charge J and its equation are compiled (built from a derivation).</summary>
    public bool HasCharge => _charge is not null;

    /// <summary>True when the law's quantity (x, y, z or ℓ) is compiled.</summary>
    public bool HasLawQuantity => _charge is { OutputCount: 3 };

    /// <summary>Number of shared sub-expressions in the acceleration kernel (a measure of what CSE saved).</summary>
    public int SharedSubexpressionCount => _accelerations.SharedSubexpressionCount;

    /// <summary>Compiles bare equations of motion.</summary>
    /// <param name="equations">M q̈ = F with a diagonal M.</param>
    /// <param name="parameters">A value for every symbol other than t, q[i], qdot[i], by printed name.</param>
    /// <exception cref="NoetherTheoryException">A parameter is missing or not finite (the message names it), or M is not diagonal.</exception>
    public static CompiledSystem From(EquationsOfMotion equations, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(equations);
        ArgumentNullException.ThrowIfNull(parameters);
        var (acc, template, n) = CompileAccelerations(equations, parameters);
        return new CompiledSystem(n, acc, null, template, null, parameters.ToImmutableDictionary(StringComparer.Ordinal), null, null, null);
    }

    /// <summary>Compiles a derivation's equations of motion together with its charge, charge equation and law quantity.</summary>
    /// <param name="derivation">The result of <see cref="Mechanics.Derivation.Run"/> for a concrete model.</param>
    /// <param name="parameters">Values by printed name: the rule's hyperparameters (<c>eta</c>, <c>beta</c>, <c>k</c>,
    /// <c>delta</c> as the rule uses them) and the model's constants (<c>a[0]</c>, <c>y</c>, …).</param>
    /// <exception cref="NoetherTheoryException">The derivation is abstract (its loss is an undefined function), a
    /// parameter is missing or not finite, or the mass matrix is not diagonal.</exception>
    public static CompiledSystem From(DerivationResult derivation, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(derivation);
        ArgumentNullException.ThrowIfNull(parameters);
        if (derivation.IsAbstract)
            throw new NoetherTheoryException(
                $"Derivation for '{derivation.ModelName}' has an abstract loss; only a concrete potential can be compiled: derive it with a catalog model or a potential given as text.");
        var (acc, template, n) = CompileAccelerations(derivation.Equations, parameters);
        var outputs = new List<Expr> { derivation.Charge, derivation.ChargeEquationRight };
        if (derivation.Law is { Kind: not ChargeLawKind.None } law) outputs.Add(law.Value);
        string what = $"charge of {derivation.Rule.Id}/{derivation.Symmetry.Id}/{derivation.ModelName}";
        var binding = ParameterBinding.Create(outputs, n, true, parameters, what);
        var charge = ExprCompiler.Compile(outputs, binding.Inputs);
        double tau = ParameterBinding.Constant(derivation.ModifiedEquation.DampingTime, parameters, "damping time tau = m/mu");
        return new CompiledSystem(n, acc, charge, template, binding.Template, parameters.ToImmutableDictionary(StringComparer.Ordinal), tau,
            derivation.Law, derivation);
    }

    private static (CompiledFunction, double[], int) CompileAccelerations(EquationsOfMotion equations, IReadOnlyDictionary<string, double> parameters)
    {
        int n = equations.System.Coordinates.Length;
        for (int i = 0; i < n; i++)
            if (!equations.System.Coordinates[i].Q.Equals(Expr.Symbol(Coordinates.QName, i)))
                throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                    $"Coordinate {i} is {equations.System.Coordinates[i].Q}; compiled systems use the catalog convention q[0..n-1] (Coordinates.Of(n))."));
        ImmutableArray<Expr> qdd;
        try
        {
            qdd = equations.Accelerations;
        }
        catch (NotSupportedException e)
        {
            throw new NoetherTheoryException("Cannot compile: " + e.Message, e);
        }
        var binding = ParameterBinding.Create(qdd, n, true, parameters, "equations of motion");
        return (ExprCompiler.Compile(qdd, binding.Inputs), binding.Template, n);
    }

    /// <summary>A right side y′ = (q̇, M⁻¹F) over y = (q, q̇) with its own scratch buffers (not thread-safe; make one per thread).</summary>
    public OdeRhs CreateRhs()
    {
        var accelerations = new BoundKernel(_accelerations, _template, 2 * _n);
        int n = _n;
        return (t, y, dy) =>
        {
            var qddot = accelerations.Evaluate(t, y);
            y.Slice(n, n).CopyTo(dy);
            qddot.CopyTo(dy[n..]);
        };
    }

    /// <summary>q̈ = M⁻¹F at (t, q, q̇).</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Accelerations(double t, ReadOnlySpan<double> q, ReadOnlySpan<double> qdot, Span<double> qddot)
    {
        RequireLength(q.Length, _n, nameof(q));
        RequireLength(qdot.Length, _n, nameof(qdot));
        RequireLength(qddot.Length, _n, nameof(qddot));
        var input = (double[])_template.Clone();
        input[0] = t;
        q.CopyTo(input.AsSpan(1));
        qdot.CopyTo(input.AsSpan(1 + _n));
        _accelerations.Evaluate(input).CopyTo(qddot);
    }

    /// <summary>The initial-value problem from (q₀, q̇₀) at t₀ to t₁ with a fresh right side.</summary>
    /// <exception cref="ArgumentException">q₀ or q̇₀ has the wrong length.</exception>
    public OdeProblem Problem(IReadOnlyList<double> q0, IReadOnlyList<double> qdot0, double t1, double t0 = 0)
    {
        ArgumentNullException.ThrowIfNull(q0);
        ArgumentNullException.ThrowIfNull(qdot0);
        RequireLength(q0.Count, _n, nameof(q0));
        RequireLength(qdot0.Count, _n, nameof(qdot0));
        return new OdeProblem(CreateRhs(), t0, [.. q0, .. qdot0], t1);
    }

    /// <summary>The charge quantities at a state y = (q, q̇): J = m⟨q̇, ξ⟩, the source ∂ₛT − ∂ₛV, and the law quantity
    /// (NaN when the derivation has no closed law).</summary>
    /// <exception cref="InvalidOperationException">The system was built from bare equations of motion.</exception>
    public ChargeValues Charge(double t, ReadOnlySpan<double> y)
    {
        var kernel = _charge ?? throw new InvalidOperationException(
            "This system was compiled from bare equations of motion; compile a DerivationResult to get its charge.");
        RequireLength(y.Length, 2 * _n, nameof(y));
        var input = (double[])_chargeTemplate!.Clone();
        input[0] = t;
        y.CopyTo(input.AsSpan(1));
        var r = kernel.Evaluate(input);
        return new ChargeValues(r[0], r[1], r.Length > 2 ? r[2] : double.NaN);
    }

    /// <summary>
    /// The right side of the system augmented with the charge equation's solution z: y = (q, q̇, z),
    /// ż = (∂ₛT − ∂ₛV) − z/τ. Started at z(0) = J(0), z(t) is the prediction of theory/03-noether.md#eq-3-6 for J(t),
    /// so |J(y(t)) − z(t)| measures how well the compiled flow obeys the charge law (to integrator accuracy).
    /// </summary>
    /// <exception cref="InvalidOperationException">The system was built from bare equations of motion.</exception>
    public OdeRhs CreateChargeAugmentedRhs()
    {
        var kernel = _charge ?? throw new InvalidOperationException(
            "This system was compiled from bare equations of motion; compile a DerivationResult to get its charge equation.");
        var flow = CreateRhs();
        var charge = new BoundKernel(kernel, _chargeTemplate!, 2 * _n);
        int n = _n;
        double tau = DampingTime!.Value;
        return (t, y, dy) =>
        {
            flow(t, y[..(2 * n)], dy[..(2 * n)]);
            dy[2 * n] = charge.Evaluate(t, y)[1] - (y[2 * n] / tau);
        };
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} has {actual} components; the system needs {expected}."), name);
    }
}

/// <summary>The Noether charge quantities at one state.</summary>
/// <param name="Charge">J = m⟨q̇, ξ⟩ (theory/03-noether.md#eq-3-4).</param>
/// <param name="Source">∂ₛT − ∂ₛV, the right side of J̇ + J/τ (theory/03-noether.md#eq-3-6).</param>
/// <param name="LawQuantity">The law's quantity x, y, z or ℓ (NaN without a closed law).</param>
public readonly record struct ChargeValues(double Charge, double Source, double LawQuantity);

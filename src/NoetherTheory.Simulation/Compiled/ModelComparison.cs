using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>How the momentum buffer and the flows are started (theory/01-learning-lagrangian.md#eq-1-7).</summary>
public enum StartMode
{
    /// <summary>The discrete buffer starts at the terminal velocity v₀ = ∇F(q₀)/(1−β); the flows start at q₀.</summary>
    WarmBuffer,

    /// <summary>PyTorch's buffer (v₁ = ∇F(q₀)); the flows start at the shifted point q₀ + ηβ∇F(q₀)/(1−β)², which
    /// removes the O(η) start-up lag (heavy ball; for GD the shift is zero).</summary>
    ShiftedStart,

    /// <summary>PyTorch's buffer and unshifted flows: the O(η) start-up lag stays, so momentum runs show order ≈ 1.</summary>
    PyTorch,
}

/// <summary>Options of a discrete-versus-compiled comparison.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Position rule id: <c>gd</c>, <c>heavy-ball</c> or <c>nesterov</c> (the rules whose discrete form Numerics runs exactly).</summary>
    public required string RuleId { get; init; }

    /// <summary>Catalog model id with a toy counterpart (<see cref="ModelCorrespondence.CatalogIds"/>).</summary>
    public required string ModelId { get; init; }

    /// <summary>Momentum β (0 for GD).</summary>
    public double Beta { get; init; }

    /// <summary>Coupled weight decay k.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Final time T = Nη; every η must divide it.</summary>
    public double Time { get; init; } = 1;

    /// <summary>The learning rates of the sweep (at least two).</summary>
    public ImmutableArray<double> Etas { get; init; } = [];

    /// <summary>How the buffer and the flows are started.</summary>
    public StartMode Start { get; init; } = StartMode.WarmBuffer;

    /// <summary>Seed of toy models that draw data.</summary>
    public int Seed { get; init; }

    /// <summary>Relative tolerance of the adaptive Dormand–Prince integration of the flows; it must sit far below the
    /// smallest error measured (the default 1e-11 is four or more decades below the O(η²) errors of the sweeps).</summary>
    public double IntegratorTolerance { get; init; } = 1e-11;
}

/// <summary>One learning rate of the sweep: |q_N − q(T)| against each flow.</summary>
/// <param name="Eta">η.</param>
/// <param name="Steps">N = T/η.</param>
/// <param name="GradientFlowError">Against the gradient flow μ₀q̇ = −∇V₀ (expected order 1).</param>
/// <param name="ModifiedLossError">Against the first-order modified-loss flow (expected order 2).</param>
/// <param name="SecondOrderError">Against the compiled second-order modified equation m q̈ + μ q̇ = −∇V (expected order 2).</param>
public sealed record ComparisonRow(double Eta, int Steps, double GradientFlowError, double ModifiedLossError, double SecondOrderError);

/// <summary>The error table and the least-squares slopes of log error against log η.</summary>
/// <param name="Options">The options.</param>
/// <param name="Rows">One row per η, in the order given.</param>
/// <param name="GradientFlowSlope">Observed order against the gradient flow.</param>
/// <param name="ModifiedLossSlope">Observed order against the modified-loss flow.</param>
/// <param name="SecondOrderSlope">Observed order against the second-order modified equation.</param>
/// <param name="Pair">The catalog/toy pair used.</param>
public sealed record ComparisonResult(ComparisonOptions Options, ImmutableArray<ComparisonRow> Rows, double GradientFlowSlope,
    double ModifiedLossSlope, double SecondOrderSlope, ModelPair Pair);

/// <summary>
/// Runs the discrete optimizer (Numerics) and the compiled flows of the same rule on the same potential over an η sweep,
/// at fixed T = Nη, and fits the order of the distance in η: the facade behind "discrete vs compiled flow" figures.
/// </summary>
/// <remarks>
/// What theory predicts (theory-notes A.2, theory/01-learning-lagrangian.md#eq-1-5 to theory/01-learning-lagrangian.md#eq-1-7):
/// the iterate is O(η) from the gradient flow and O(η²) from the modified-loss flow. The second-order equation
/// m q̈ + μ q̇ = −∇V has a slow manifold whose reduced flow equals the modified-loss flow to O(η) per unit time, so it is
/// also O(η²) from the iterate — but not better: its O(η²) terms are not those of the discrete map. Its initial
/// velocity is the modified-loss (slow-manifold) velocity at the start point; the fast mode it would otherwise excite
/// decays within τ = m/μ and moves q by only O(η²) anyway. With PyTorch's zero buffer the iterate lags every flow by
/// ηβ∇F(q₀)/(1−β)², which caps the order at 1 unless the buffer is warm or the flows start shifted.
/// <para>Measured (tests CompiledComparisonTests): GD, T = 2, η = 0.1 … 0.0125 on cosine, linear-scalar and rayleigh gives
/// slopes ≈ 1.0 against the gradient flow and ≈ 1.96–2.02 against both the modified-loss flow and the second-order
/// equation, whose errors are within ±40% of each other (e.g. cosine at η = 0.0125: 3.7e-5 and 5.0e-5). Heavy ball
/// (β = 0.9, T = 0.2, η = 4e-4 … 5e-5) with a warm buffer or the shifted start gives slopes 1.97–2.06 against both;
/// with PyTorch's buffer the slope drops to ≈ 1.0 (modified loss) and ≈ 1.5, falling (second order). Nesterov
/// (β = 0.5, k = 0.1) gives 2.00 against the engine's modified equation, whose mass comes from the Hessian reduction.
/// The second-order equation needs ω² ≪ γ², i.e. 2ηλ(1+β)/(1−β)² ≪ 1: beyond it (β = 0.9, η = 2e-3 on linear-scalar)
/// its modes are under-damped, there is no slow manifold, and it is several times worse than the modified-loss flow.</para>
/// </remarks>
public static class ModelComparison
{
    /// <summary>Runs the comparison (convenience overload).</summary>
    /// <exception cref="NoetherTheoryException">Unknown rule or model, a rule Numerics does not run, an η that does not
    /// divide T, bad hyperparameters, or a flow that fails to integrate (the message says which and how to fix it).</exception>
    public static ComparisonResult Run(Catalog catalog, string ruleId, string modelId, double beta, double k, double time,
        IReadOnlyList<double> etas, StartMode start = StartMode.WarmBuffer) =>
        Run(catalog, new ComparisonOptions
        {
            RuleId = ruleId, ModelId = modelId, Beta = beta, WeightDecay = k, Time = time, Etas = [.. etas ?? throw new ArgumentNullException(nameof(etas))], Start = start,
        });

    /// <summary>Runs the comparison.</summary>
    /// <exception cref="NoetherTheoryException">See the other overload.</exception>
    public static ComparisonResult Run(Catalog catalog, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var kind = OptimizerFor(options);
        if (options.Etas.Length < 2)
            throw new NoetherTheoryException("ModelComparison: give at least two learning rates to fit an order.");
        if (!(options.Time > 0) || !double.IsFinite(options.Time))
            throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture, $"ModelComparison: the final time T must be positive and finite, got {options.Time}."));
        if (!(options.Beta >= 0 && options.Beta < 1)) throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture, $"ModelComparison: need 0 ≤ β < 1, got {options.Beta}."));
        if (!(options.WeightDecay >= 0) || !double.IsFinite(options.WeightDecay))
            throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture, $"ModelComparison: need a finite k ≥ 0, got {options.WeightDecay}."));

        var pair = ModelCorrespondence.For(options.ModelId, options.Seed);
        var model = catalog.Model(options.ModelId);
        var symmetry = model.Symmetries.IsEmpty ? catalog.Symmetries[0].Id : model.Symmetries[0].SymmetryId;
        var derivation = Mechanics.Derivation.Run(catalog, options.RuleId, symmetry, ModelSpec.FromCatalog(options.ModelId));
        var rows = options.Etas.Select(eta => Row(derivation, pair, kind, options, eta)).ToImmutableArray();
        var etas = rows.Select(r => r.Eta).ToArray();
        double Slope(Func<ComparisonRow, double> f) => ConvergenceStudy.ObservedOrder(etas, rows.Select(f).ToArray());
        return new ComparisonResult(options, rows, Slope(r => r.GradientFlowError), Slope(r => r.ModifiedLossError),
            Slope(r => r.SecondOrderError), pair);
    }

    private static OptimizerOptions OptimizerFor(ComparisonOptions o) => o.RuleId switch
    {
        "gd" when o.Beta != 0 => throw new NoetherTheoryException("ModelComparison: rule 'gd' has no momentum; set β = 0 or use 'heavy-ball'."),
        "gd" => new OptimizerOptions { Kind = OptimizerKind.Gd, WeightDecay = o.WeightDecay },
        "heavy-ball" => new OptimizerOptions { Kind = OptimizerKind.HeavyBall, Momentum = o.Beta, WeightDecay = o.WeightDecay },
        "nesterov" when o.Start == StartMode.ShiftedStart =>
            throw new NoetherTheoryException("ModelComparison: the shifted start of theory/01-learning-lagrangian.md#eq-1-7 is derived for heavy ball; use StartMode.WarmBuffer with 'nesterov'."),
        "nesterov" when o.Beta <= 0 => throw new NoetherTheoryException("ModelComparison: 'nesterov' needs β > 0."),
        "nesterov" => new OptimizerOptions { Kind = OptimizerKind.HeavyBall, Nesterov = true, Momentum = o.Beta, WeightDecay = o.WeightDecay },
        _ => throw new NoetherTheoryException(
            $"ModelComparison: rule '{o.RuleId}' has no exact discrete counterpart in Numerics here; use gd, heavy-ball or nesterov " +
            "(heavy-ball-decoupled differs from SGDW's step at O(η²k), which would spoil the order)."),
    };

    private static ComparisonRow Row(DerivationResult derivation, ModelPair pair, OptimizerOptions baseOptions, ComparisonOptions o, double eta)
    {
        if (!(eta > 0) || !double.IsFinite(eta))
            throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture, $"ModelComparison: learning rate {eta} must be positive and finite."));
        double nReal = o.Time / eta;
        int steps = (int)Math.Round(nReal);
        if (steps < 1 || Math.Abs(nReal - steps) > 1e-9 * nReal)
            throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                $"ModelComparison: η = {eta} does not divide T = {o.Time} (T/η = {nReal}); choose η = T/N for whole N."));

        var values = new Dictionary<string, double>(pair.CatalogParameters, StringComparer.Ordinal)
        {
            ["eta"] = eta, ["beta"] = o.Beta, ["k"] = o.WeightDecay, ["delta"] = 0,
        };
        var q0 = pair.InitialPoint.ToArray();
        int n = q0.Length;
        var toy = pair.Toy;
        var d0 = new double[n];
        toy.Gradient(q0, d0, GradientContext.FullBatch);
        for (int i = 0; i < n; i++) d0[i] += o.WeightDecay * q0[i];

        var optimizerOptions = baseOptions with
        {
            LearningRate = eta,
            InitialBuffer = o.Start == StartMode.WarmBuffer && baseOptions.Kind == OptimizerKind.HeavyBall
                ? [.. d0.Select(x => x / (1 - o.Beta))]
                : null,
        };
        var optimizer = new Optimizer(toy, optimizerOptions, o.Seed, q0);
        optimizer.Run(steps);
        var discrete = optimizer.Parameters.ToArray();

        var start = q0.ToArray();
        if (o.Start == StartMode.ShiftedStart)
            for (int i = 0; i < n; i++) start[i] += eta * o.Beta * d0[i] / ((1 - o.Beta) * (1 - o.Beta));

        var integrator = new DormandPrince45();
        var tolerance = IntegratorOptions.Adaptive(o.IntegratorTolerance, o.IntegratorTolerance * 1e-2);
        double[] Integrate(OdeProblem problem, string what)
        {
            var r = integrator.Integrate(problem, tolerance);
            if (!r.Succeeded)
                throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                    $"ModelComparison: the {what} of {o.RuleId}/{o.ModelId} at η = {eta} ended with {r.Status} at t = {r.T}; lower η or T."));
            return r.Y;
        }

        var gradientFlow = CompiledFlow.From(derivation, FlowKind.GradientFlow, values);
        var modifiedLoss = CompiledFlow.From(derivation, FlowKind.ModifiedLoss, values);
        var secondOrder = CompiledSystem.From(derivation, values);
        var yGf = Integrate(gradientFlow.Problem(start, o.Time), "gradient flow");
        var yMl = Integrate(modifiedLoss.Problem(start, o.Time), "modified-loss flow");
        var v0 = new double[n];
        modifiedLoss.CreateRhs()(0, start, v0);   // slow-manifold velocity
        var ySo = Integrate(secondOrder.Problem(start, v0, o.Time), "second-order modified equation");
        return new ComparisonRow(eta, steps, Vec.Distance(discrete, yGf), Vec.Distance(discrete, yMl), Vec.Distance(discrete, ySo.AsSpan(0, n)));
    }
}

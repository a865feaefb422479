using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>Which potential a derivation uses.</summary>
public enum ModelSource
{
    /// <summary>A model from the catalog (<c>--model id</c>).</summary>
    Catalog,

    /// <summary>A potential typed by the user (<c>--potential "expr"</c>).</summary>
    Potential,

    /// <summary>An undefined loss declared invariant under the symmetry (<c>--abstract</c>).</summary>
    Abstract,
}

/// <summary>The model part of a derivation request.</summary>
/// <param name="Source">Where the potential comes from.</param>
/// <param name="Value">The model id or the potential text; null for <see cref="ModelSource.Abstract"/>.</param>
public sealed record ModelSpec(ModelSource Source, string? Value)
{
    /// <summary>A catalog model by id.</summary>
    public static ModelSpec FromCatalog(string id) => new(ModelSource.Catalog, id ?? throw new ArgumentNullException(nameof(id)));

    /// <summary>A potential f(q) in the CAS syntax (coordinates q[0], q[1], …).</summary>
    public static ModelSpec FromPotential(string expression) => new(ModelSource.Potential, expression ?? throw new ArgumentNullException(nameof(expression)));

    /// <summary>An abstract loss f(q) declared invariant under the chosen symmetry.</summary>
    public static ModelSpec Abstract { get; } = new(ModelSource.Abstract, null);
}

/// <summary>Options of a derivation. Immutable; the defaults reproduce the catalog run.</summary>
public sealed record DerivationOptions
{
    /// <summary>The default options.</summary>
    public static DerivationOptions Default { get; } = new();

    /// <summary>Options passed to every zero test.</summary>
    public ZeroTestOptions ZeroTest { get; init; } = ZeroTestOptions.Default;

    /// <summary>Whether to derive the charge-level laws (and, for scale symmetries, the r⁴ law and the RMSProp map).</summary>
    public bool IncludeLaws { get; init; } = true;
}

/// <summary>Outcome of a symmetry verdict.</summary>
public enum VerdictKind
{
    /// <summary>The term is zero: the symmetry is kept.</summary>
    Preserves,

    /// <summary>The term is not zero: the symmetry is broken.</summary>
    Breaks,

    /// <summary>Not tested: the invariance is declared for an abstract potential.</summary>
    Declared,

    /// <summary>The zero test could not decide.</summary>
    Inconclusive,
}

/// <summary>Whether a term breaks a symmetry, decided by a zero test (never a guessed bool).</summary>
/// <param name="Name">E.g. "kinetic symmetry breaking".</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Term">The tested term.</param>
/// <param name="Result">The zero test, or null when <see cref="VerdictKind.Declared"/>.</param>
/// <param name="Anchor">Theory anchor.</param>
public sealed record Verdict(string Name, VerdictKind Outcome, Expr Term, ZeroTestResult? Result, string Anchor);

/// <summary>The three symmetry verdicts of a derivation, by name.</summary>
/// <param name="LossSymmetry">Is the loss invariant: ⟨∇f, ξ⟩ = 0 (declared for an abstract potential).</param>
/// <param name="KineticBreaking">Does the kinetic energy break the symmetry: ∂ₛT (theory/03-noether.md#eq-3-2).</param>
/// <param name="WeightDecayBreaking">Does weight decay break it: ∂ₛ(κ/2·|q|²) (theory/03-noether.md#eq-3-3).</param>
public sealed record DerivationVerdicts(Verdict LossSymmetry, Verdict KineticBreaking, Verdict WeightDecayBreaking)
{
    /// <summary>The verdicts in their printed order: loss symmetry, kinetic breaking, weight-decay breaking.</summary>
    public ImmutableArray<Verdict> All => [LossSymmetry, KineticBreaking, WeightDecayBreaking];
}

/// <summary>An identity the engine derived and then checked by a zero test.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Statement">The identity in words/formula.</param>
/// <param name="Expression">The expression that must vanish.</param>
/// <param name="Result">The zero test.</param>
/// <param name="Anchor">Theory anchor.</param>
public sealed record IdentityCheck(string Name, string Statement, Expr Expression, ZeroTestResult Result, string Anchor)
{
    /// <summary>True when the zero test says zero (proven, probably zero or numerically zero).</summary>
    public bool Holds => Result.IsZero;
}

/// <summary>The kind of closed charge-level law.</summary>
public enum ChargeLawKind
{
    /// <summary>No closed law (nonlinear or mixed generator, or a potential that breaks the symmetry).</summary>
    None,

    /// <summary>m·ẍ + μ·ẋ + λ·x = source: a damped driven oscillator (translation, scale, rescale).</summary>
    Oscillator,

    /// <summary>ℓ̇ = −ℓ/τ: exponential decay of the angular momentum (rotation).</summary>
    Decay,
}

/// <summary>Green's functions of ẍ + 2γẋ + ω²x = s(t) in the three damping regimes (theory/03-noether.md#eq-3-12).</summary>
/// <param name="Gamma">γ = μ/(2m).</param>
/// <param name="OmegaSquared">ω² = λ/m.</param>
/// <param name="Discriminant">γ² − ω²: negative under-damped, zero critical, positive over-damped.</param>
/// <param name="Regimes">H (homogeneous, x(0)=1, ẋ(0)=0) and G (impulse, G(0)=0, Ġ(0)=1) per regime, in symbols
/// gamma, Omega = √(ω²−γ²), alpha_p/alpha_m = −γ ± √(γ²−ω²).</param>
public sealed record GreenFunctions(Expr Gamma, Expr OmegaSquared, Expr Discriminant, ImmutableArray<GreenRegime> Regimes);

/// <summary>One damping regime's H and G.</summary>
public sealed record GreenRegime(string Name, string Condition, Expr Homogeneous, Expr Impulse);

/// <summary>Why a derivation has no closed charge-level law (the formatter says it in words).</summary>
public enum ChargeLawObstruction
{
    /// <summary>The generator is not linear, so no scalar quantity obeys a closed law.</summary>
    NonlinearGenerator,

    /// <summary>The generator is affine with both a linear and a constant part.</summary>
    AffineGenerator,

    /// <summary>The on-shell remainder is not a constant multiple of the quantity.</summary>
    NotAMultiple,

    /// <summary>The generator's Jacobian is neither symmetric nor skew.</summary>
    NeitherSymmetricNorSkew,

    /// <summary>The loss is not invariant under the symmetry, so only the charge equation holds.</summary>
    LossNotInvariant,

    /// <summary>The law would be a decay on the fast time scale τ = m/μ = O(η), but the modified equation's mass came from
    /// reducing a Hessian term g'(q)·q̇ with the leading-order (slow) equation; that reduction does not hold on the fast
    /// scale, so the decay rate would be wrong (for a quasi-hyperbolic rule by the factor ν as β → 1).</summary>
    FastLawAfterHessianReduction,
}

/// <summary>A charge-level law derived from the equations of motion (theory/03-noether.md#eq-3-8 … eq-3-11). Its
/// statement in words is <see cref="DerivationFormatter.Statement(ChargeLaw)"/>.</summary>
/// <param name="Kind">Oscillator, decay or none.</param>
/// <param name="Quantity">Name of the quantity (x, y, z or ℓ).</param>
/// <param name="Value">The quantity as an expression of q (and q̇ for ℓ).</param>
/// <param name="Mass">m.</param>
/// <param name="Friction">μ.</param>
/// <param name="Stiffness">λ (2k for scale/rescale, k for translation, 0 for decay laws).</param>
/// <param name="Source">The right-hand side (2m|q̇_A|² for scale).</param>
/// <param name="Green">The Green's functions (oscillator laws).</param>
/// <param name="OverdampedFriction">μ₀ = μ at η = 0, the friction of the overdamped (gradient-flow) limit
/// (theory/03-noether.md#eq-3-7).</param>
/// <param name="OverdampedStiffness">λ₀ = λ at η = 0.</param>
/// <param name="DampingTime">τ = m/μ.</param>
/// <param name="Obstruction">Why there is no closed law (for <see cref="ChargeLawKind.None"/>), else null.</param>
public sealed record ChargeLaw(ChargeLawKind Kind, string Quantity, Expr Value, Expr Mass, Expr Friction, Expr Stiffness, Expr Source,
    GreenFunctions? Green, Expr OverdampedFriction, Expr OverdampedStiffness, Expr DampingTime, ChargeLawObstruction? Obstruction)
{
    /// <summary>The "no closed law" record for mass <paramref name="mass"/> and friction <paramref name="friction"/>.</summary>
    public static ChargeLaw NoLaw(Expr mass, Expr friction, ChargeLawObstruction obstruction) =>
        new(ChargeLawKind.None, "", Expr.Zero, mass, friction, Expr.Zero, Expr.Zero, null, Expr.Zero, Expr.Zero, Expr.Zero, obstruction);
}

/// <summary>
/// NLD's r⁴ law and the RMSProp correspondence derived from the scale law (theory/05-learning-dynamics.md#eq-5-3,
/// theory/05-learning-dynamics.md#eq-5-4, theory/05-learning-dynamics.md#eq-5-5). The formatter states the law, its
/// assumptions and the RMSProp map in words.
/// </summary>
/// <param name="Decay">D: the decay rate of y = r⁴ per unit time (4k/(1−β) for heavy ball).</param>
/// <param name="GainPersistent">Γ: the input gain of |ĝ|² per unit time under persistent gradients.</param>
/// <param name="GainWhite">The input gain under white-noise gradients (from the rule's derived buffer statistics), or null when not derived.</param>
/// <param name="SteadyStatePersistent">r⁴* = Γ·s/D with s = |ĝ|².</param>
/// <param name="SteadyStateWhite">r⁴* under white noise, derived from the rule's update (<see cref="BufferStatistics"/>), or null when not derived.</param>
/// <param name="DiscountPerStep">ρ_eff = 1 − h·D.</param>
/// <param name="EffectiveLearningRate">η_eff = h/(μ₀ r²).</param>
/// <param name="MomentumAmplification">Γ(β)/Γ(0), or null when the rule has no β.</param>
/// <param name="OverdampedFriction">μ₀ = μ at η = 0 (the terminal velocity's friction).</param>
/// <param name="RmsPropAccumulator">The catalog's accumulator rule (RMSProp) derived, or null when it has none.</param>
public sealed record AdaptiveOptimization(Expr Decay, Expr GainPersistent, Expr? GainWhite, Expr SteadyStatePersistent, Expr? SteadyStateWhite,
    Expr DiscountPerStep, Expr EffectiveLearningRate, Expr? MomentumAmplification, Expr OverdampedFriction, AccumulatorEquation? RmsPropAccumulator)
{
    /// <summary>Why the white-noise gain and steady state are null (the rule's update gave no stationary statistics), else null.</summary>
    public string? WhiteNoiseNotDerived { get; init; }

    /// <summary>True when the rule's derived buffer statistics differ from heavy ball's |g|²/(1 − β²) white-noise form and replaced it.</summary>
    public bool WhiteNoiseFromRuleStatistics { get; init; }
}

/// <summary>Everything derived for one (rule, symmetry, model): immutable.</summary>
public sealed record DerivationResult
{
    /// <summary>The rule.</summary>
    public required LearningRule Rule { get; init; }

    /// <summary>The symmetry.</summary>
    public required SymmetryDefinition Symmetry { get; init; }

    /// <summary>How the model was given.</summary>
    public required ModelSpec ModelSpec { get; init; }

    /// <summary>A short description of the model (id or potential).</summary>
    public required string ModelName { get; init; }

    /// <summary>Number of coordinates.</summary>
    public required int Dimension { get; init; }

    /// <summary>The loss f(q).</summary>
    public required Expr Loss { get; init; }

    /// <summary>True when f is an undefined function with a declared invariance.</summary>
    public required bool IsAbstract { get; init; }

    /// <summary>The modified equation of the rule.</summary>
    public required ModifiedEquation ModifiedEquation { get; init; }

    /// <summary>V = f + κ/2·|q|².</summary>
    public required Expr Potential { get; init; }

    /// <summary>T = m/2·|q̇|².</summary>
    public required Expr Kinetic { get; init; }

    /// <summary>L = e^{t/τ}(T − V) (theory/01-learning-lagrangian.md#eq-1-8).</summary>
    public required Expr Lagrangian { get; init; }

    /// <summary>M q̈ = F.</summary>
    public required EquationsOfMotion Equations { get; init; }

    /// <summary>ξ(q).</summary>
    public required ImmutableArray<Expr> Generator { get; init; }

    /// <summary>J = m⟨q̇, ξ⟩ (theory/03-noether.md#eq-3-4).</summary>
    public required Expr Charge { get; init; }

    /// <summary>Q = ⟨p, ξ⟩ = e^{t/τ}J.</summary>
    public required Expr CanonicalCharge { get; init; }

    /// <summary>∂ₛT = m⟨q̇, D_tξ⟩ (theory/03-noether.md#eq-3-2).</summary>
    public required Expr KineticBreaking { get; init; }

    /// <summary>∂ₛ(κ/2·|q|²) = κ⟨q, ξ⟩ (theory/03-noether.md#eq-3-3).</summary>
    public required Expr WeightDecayBreaking { get; init; }

    /// <summary>∂ₛf = ⟨∇f, ξ⟩ (zero for a symmetric loss).</summary>
    public required Expr LossBreaking { get; init; }

    /// <summary>Left side of the charge equation J̇ + J/τ (theory/03-noether.md#eq-3-6).</summary>
    public required Expr ChargeEquationLeft { get; init; }

    /// <summary>Right side ∂ₛT − ∂ₛV.</summary>
    public required Expr ChargeEquationRight { get; init; }

    /// <summary>Symmetry verdicts: loss symmetry, KSB, weight-decay breaking.</summary>
    public required DerivationVerdicts Verdicts { get; init; }

    /// <summary>The charge-level law, or null when laws were not requested.</summary>
    public ChargeLaw? Law { get; init; }

    /// <summary>The r⁴ law and RMSProp map (scale symmetries only).</summary>
    public AdaptiveOptimization? Adaptive { get; init; }

    /// <summary>Every identity checked.</summary>
    public required ImmutableArray<IdentityCheck> Checks { get; init; }

    /// <summary>True when every identity holds.</summary>
    public bool AllHold => Checks.All(c => c.Holds);
}

/// <summary>Model-level Głuch–Urbanke statements: balance matrix and data-augmentation constraint (theory/03-noether.md#eq-3-14, theory/03-noether.md#eq-3-15).</summary>
/// <param name="Model">The model.</param>
/// <param name="BalanceMatrix">W1W1ᵀ − W2ᵀW2 entries (row-major), or empty.</param>
/// <param name="Constraint">skew(Wᵀ∇_W f) entries (row-major), or empty.</param>
/// <param name="Checks">Gradient-flow conservation, GD drift and the augmentation constraint.</param>
public sealed record ModelLaws(ModelDefinition Model, ImmutableArray<Expr> BalanceMatrix, ImmutableArray<Expr> Constraint, ImmutableArray<IdentityCheck> Checks)
{
    /// <summary>True when every identity holds.</summary>
    public bool AllHold => Checks.All(c => c.Holds);
}

/// <summary>The whole catalog derived.</summary>
/// <param name="Results">Every (rule × symmetry × model) derivation.</param>
/// <param name="Accumulators">Accumulator rules' equations.</param>
/// <param name="ModelLaws">Głuch–Urbanke model laws.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record CatalogDerivation(ImmutableArray<DerivationResult> Results, ImmutableArray<AccumulatorEquation> Accumulators,
    ImmutableArray<ModelLaws> ModelLaws, TimeSpan Elapsed)
{
    /// <summary>True when every identity of every derivation holds.</summary>
    public bool AllHold => Results.All(r => r.AllHold) && ModelLaws.All(m => m.AllHold);

    /// <summary>Number of identities checked.</summary>
    public int CheckCount => Results.Sum(r => r.Checks.Length) + ModelLaws.Sum(m => m.Checks.Length);

    /// <summary>Rules with no closed-form derivation (adaptive rules), each with the reason; empty when none.</summary>
    public ImmutableArray<(LearningRule Rule, string Reason)> NotDerived { get; init; } = [];
}

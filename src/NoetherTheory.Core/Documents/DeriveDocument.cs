using System.Text.Json.Serialization;

namespace NoetherTheory.Core.Documents;

// noether.derive/1: what `noether derive --all --format json` writes (field meanings: src/NoetherTheory.Mechanics/JSON.md).
// Fields that are null in a derivation are written as null (the format has always spelled them out); only an
// expression's pretty forms are left out when they equal the canonical text.

/// <summary>The whole catalog derived (<c>noether.derive/1</c>).</summary>
/// <param name="AllHold">Whether every identity holds.</param>
/// <param name="CheckCount">Identities checked.</param>
/// <param name="ElapsedSeconds">Wall time, rounded to milliseconds.</param>
/// <param name="Results">Every rule × symmetry × model derivation.</param>
/// <param name="Accumulators">The accumulator rules' equations.</param>
/// <param name="ModelLaws">The Głuch–Urbanke model laws.</param>
/// <param name="NotDerived">Rules the engine derives no closed form for (adaptive rules) and why; left out when none.</param>
public sealed record DeriveDocument(bool AllHold, int CheckCount, double ElapsedSeconds, IReadOnlyList<DerivationRecord> Results,
    IReadOnlyList<AccumulatorRecord> Accumulators, IReadOnlyList<ModelLawsRecord> ModelLaws,
    IReadOnlyList<NotDerivedRecord>? NotDerived = null) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.derive/1";
}

/// <summary>An expression in canonical text and LaTeX, with the factored forms when they differ.</summary>
/// <param name="Text">Canonical text (parses back).</param>
/// <param name="Latex">LaTeX.</param>
/// <param name="Pretty">Display text (checked display form), or null when it equals <paramref name="Text"/>.</param>
/// <param name="PrettyLatex">Display LaTeX, or null.</param>
/// <param name="PrettyCheck">The zero-test verdict (<c>Proven</c>, …) of <c>pretty − text</c>, present with <paramref name="Pretty"/>;
/// a display form whose check is not a zero verdict is never used (the derived form is shown).</param>
public sealed record ExpressionRecord(string Text, string Latex, string? Pretty = null, string? PrettyLatex = null, string? PrettyCheck = null);

/// <summary>One symbol of a derivation's output.</summary>
/// <param name="Symbol">As the text output writes it (<c>eta</c>, <c>q[i]</c>, <c>x</c>).</param>
/// <param name="Latex">In LaTeX.</param>
/// <param name="Meaning">What it stands for.</param>
/// <param name="Units">Its units (steps, time t = n·h, parameter units, dimensionless).</param>
public sealed record GlossaryRecord(string Symbol, string Latex, string Meaning, string Units);

/// <summary>A zero test's outcome.</summary>
/// <param name="Kind">Proven, ProbablyZero, NumericallyZero, NonZero, …</param>
/// <param name="Evidence">What decided it.</param>
/// <param name="FailureProbabilityBound">The Schwartz–Zippel bound, or null.</param>
public sealed record ZeroTestRecord(string Kind, string Evidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? FailureProbabilityBound);

/// <summary>An identity derived and checked.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Statement">The identity in words.</param>
/// <param name="Holds">Whether the zero test proved it.</param>
/// <param name="ZeroTest">The zero test.</param>
/// <param name="Anchor">Theory anchor.</param>
public sealed record IdentityCheckRecord(string Name, string Statement, bool Holds, ZeroTestRecord ZeroTest, string Anchor);

/// <summary>The model a derivation used.</summary>
/// <param name="Source">catalog, potential or abstract.</param>
/// <param name="Name">Model id or potential text.</param>
/// <param name="Dimension">Number of coordinates.</param>
/// <param name="Abstract">Whether the potential is abstract.</param>
/// <param name="Loss">The loss f.</param>
public sealed record DerivedModelRecord(string Source, string Name, int Dimension, bool Abstract, ExpressionRecord Loss);

/// <summary>The modified equation of a rule.</summary>
/// <param name="TwoStep">The two-step form.</param>
/// <param name="TimeStep">The time step h.</param>
/// <param name="FirstOrder">The first-order modified equation.</param>
/// <param name="Reduction">How a multi-step rule was reduced, or null.</param>
/// <param name="Mass">m.</param>
/// <param name="Friction">μ.</param>
/// <param name="WeightDecay">κ.</param>
/// <param name="DampingTime">τ = m/μ.</param>
public sealed record ModifiedEquationRecord(ExpressionRecord TwoStep, ExpressionRecord TimeStep, ExpressionRecord FirstOrder,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reduction,
    ExpressionRecord Mass, ExpressionRecord Friction, ExpressionRecord WeightDecay, ExpressionRecord DampingTime);

/// <summary>Equations of motion M q̈ = F.</summary>
/// <param name="MassMatrix">M, rows of canonical text.</param>
/// <param name="Forcing">F, canonical text.</param>
public sealed record EquationsOfMotionRecord(IReadOnlyList<IReadOnlyList<string>> MassMatrix, IReadOnlyList<string> Forcing);

/// <summary>The charge equation J̇ + J/τ = ∂ₛT − ∂ₛV.</summary>
/// <param name="Left">Left side.</param>
/// <param name="Right">Right side.</param>
public sealed record ChargeEquationRecord(ExpressionRecord Left, ExpressionRecord Right);

/// <summary>A symmetry verdict.</summary>
/// <param name="Name">What is tested.</param>
/// <param name="Outcome">preserves, breaks, declared or inconclusive.</param>
/// <param name="Term">The tested term.</param>
/// <param name="ZeroTest">The zero test, or null when declared.</param>
/// <param name="Anchor">Theory anchor.</param>
public sealed record VerdictRecord(string Name, string Outcome, ExpressionRecord Term,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ZeroTestRecord? ZeroTest, string Anchor);

/// <summary>One damping regime's Green's functions.</summary>
/// <param name="Name">Regime name.</param>
/// <param name="Condition">When it applies.</param>
/// <param name="Homogeneous">H.</param>
/// <param name="Impulse">G.</param>
public sealed record GreenRegimeRecord(string Name, string Condition, ExpressionRecord Homogeneous, ExpressionRecord Impulse);

/// <summary>Green's functions of an oscillator law.</summary>
/// <param name="Gamma">γ.</param>
/// <param name="OmegaSquared">ω².</param>
/// <param name="Discriminant">γ² − ω².</param>
/// <param name="Regimes">The three regimes.</param>
public sealed record GreenRecord(ExpressionRecord Gamma, ExpressionRecord OmegaSquared, ExpressionRecord Discriminant,
    IReadOnlyList<GreenRegimeRecord> Regimes);

/// <summary>A charge-level law.</summary>
/// <param name="Kind">oscillator, decay or none.</param>
/// <param name="Quantity">The quantity's name.</param>
/// <param name="Value">The quantity.</param>
/// <param name="Stiffness">λ.</param>
/// <param name="Source">The source term.</param>
/// <param name="Statement">The law in words.</param>
/// <param name="Overdamped">The overdamped limit in words.</param>
/// <param name="Reason">Why there is no closed law, or null.</param>
/// <param name="Green">The Green's functions (oscillator laws), or null (then left out).</param>
public sealed record ChargeLawRecord(string Kind, string Quantity, ExpressionRecord Value, ExpressionRecord Stiffness, ExpressionRecord Source,
    string Statement, string Overdamped, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason, GreenRecord? Green);

/// <summary>The r⁴ law and RMSProp map of a scale symmetry.</summary>
/// <param name="Decay">D.</param>
/// <param name="GainPersistent">Γ (persistent gradients).</param>
/// <param name="GainWhite">Γ (white noise), or null when the rule's buffer statistics could not be derived.</param>
/// <param name="SteadyStatePersistent">r⁴* (persistent).</param>
/// <param name="SteadyStateWhite">r⁴* (white noise), or null when not derived.</param>
/// <param name="DiscountPerStep">ρ_eff.</param>
/// <param name="EffectiveLearningRate">η_eff.</param>
/// <param name="MomentumAmplification">Γ(β)/Γ(0), or null.</param>
/// <param name="Law">The law in words.</param>
/// <param name="Assumptions">Its assumptions in words.</param>
/// <param name="RmsProp">The RMSProp map in words.</param>
/// <param name="WhiteNoiseNotDerived">Why the white-noise law is null (left out when it was derived).</param>
public sealed record AdaptiveRecord(ExpressionRecord Decay, ExpressionRecord GainPersistent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ExpressionRecord? GainWhite,
    ExpressionRecord SteadyStatePersistent, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ExpressionRecord? SteadyStateWhite,
    ExpressionRecord DiscountPerStep,
    ExpressionRecord EffectiveLearningRate, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ExpressionRecord? MomentumAmplification,
    string Law, string Assumptions, string RmsProp, string? WhiteNoiseNotDerived = null);

/// <summary>Everything derived for one rule × symmetry × model.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Symmetry">Symmetry id.</param>
/// <param name="Model">The model.</param>
/// <param name="ModifiedEquation">The modified equation.</param>
/// <param name="Potential">V.</param>
/// <param name="Kinetic">T.</param>
/// <param name="Lagrangian">L.</param>
/// <param name="EquationsOfMotion">M q̈ = F.</param>
/// <param name="Generator">ξ, canonical text.</param>
/// <param name="Charge">J.</param>
/// <param name="CanonicalCharge">Q.</param>
/// <param name="KineticBreaking">∂ₛT.</param>
/// <param name="WeightDecayBreaking">∂ₛ(κ/2·|q|²).</param>
/// <param name="LossBreaking">∂ₛf.</param>
/// <param name="ChargeEquation">The charge equation.</param>
/// <param name="Verdicts">Loss symmetry, kinetic breaking, weight-decay breaking (in that order).</param>
/// <param name="Law">The charge law, or null.</param>
/// <param name="Adaptive">The r⁴ law, or null.</param>
/// <param name="Checks">Every identity.</param>
/// <param name="AllHold">Whether every identity holds.</param>
/// <param name="Glossary">Every symbol the outputs use, with meaning and units (added in place: optional, absent in
/// documents written before it).</param>
public sealed record DerivationRecord(string Rule, string Symmetry, DerivedModelRecord Model, ModifiedEquationRecord ModifiedEquation,
    ExpressionRecord Potential, ExpressionRecord Kinetic, ExpressionRecord Lagrangian, EquationsOfMotionRecord EquationsOfMotion,
    IReadOnlyList<string> Generator, ExpressionRecord Charge, ExpressionRecord CanonicalCharge, ExpressionRecord KineticBreaking,
    ExpressionRecord WeightDecayBreaking, ExpressionRecord LossBreaking, ChargeEquationRecord ChargeEquation, IReadOnlyList<VerdictRecord> Verdicts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ChargeLawRecord? Law,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] AdaptiveRecord? Adaptive,
    IReadOnlyList<IdentityCheckRecord> Checks, bool AllHold, IReadOnlyList<GlossaryRecord>? Glossary = null);

/// <summary>An accumulator rule's equation.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Equation">The first-order residual.</param>
/// <param name="Decay">D.</param>
/// <param name="Gain">Γ.</param>
/// <param name="Solution">The solution in words.</param>
public sealed record AccumulatorRecord(string Rule, ExpressionRecord Equation, ExpressionRecord Decay, ExpressionRecord Gain, string Solution);

/// <summary>Głuch–Urbanke laws of one model.</summary>
/// <param name="Model">Model id.</param>
/// <param name="AllHold">Whether every identity holds.</param>
/// <param name="BalanceMatrix">Balance matrix entries, canonical text.</param>
/// <param name="AugmentationConstraint">skew(Wᵀ∇_W f) entries.</param>
/// <param name="Checks">The identities.</param>
public sealed record ModelLawsRecord(string Model, bool AllHold, IReadOnlyList<string> BalanceMatrix, IReadOnlyList<string> AugmentationConstraint,
    IReadOnlyList<IdentityCheckRecord> Checks);

/// <summary>A catalog rule the engine derives no closed form for, and why.</summary>
/// <param name="Rule">The rule id.</param>
/// <param name="Kind">The rule kind (<c>adaptive</c>).</param>
/// <param name="Reason">Why nothing is derived, and what is derived instead.</param>
public sealed record NotDerivedRecord(string Rule, string Kind, string Reason);

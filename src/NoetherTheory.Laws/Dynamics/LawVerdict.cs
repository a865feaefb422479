using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>The fate of one gradient-flow law under one flow, decided by exact polynomial identities over ℚ.</summary>
/// <param name="Law">The law h(θ).</param>
/// <param name="Flow">The flow.</param>
/// <param name="Fate">Conserved, DecaysAs, ScaledBy, Lost or NotALaw.</param>
/// <param name="Quantity">What is conserved or decays, in words and symbols (e.g. <c>h·e^(2λt)</c>).</param>
/// <param name="Reason">Why, naming the identity that decided it.</param>
/// <param name="BreakingTerm">Lost/NotALaw: the term that is not identically zero, a polynomial in θ (variables 0…D−1)
/// and θ̇ (variables D…2D−1); null otherwise.</param>
/// <param name="BreakingDisplay">The breaking term written with the parameter names (θ̇ as <c>name'</c>); null otherwise.</param>
/// <param name="ScalingDegrees">ScaledBy: the degrees d of h's homogeneous parts, each rescaled by e^(dλt); empty otherwise.</param>
/// <param name="Generator">The kind of the law's generator ∇h.</param>
/// <param name="Anchor">The theory anchor of the statement used.</param>
public sealed record LawVerdict(
    ConservationLaw Law,
    Flow Flow,
    LawFate Fate,
    string Quantity,
    string Reason,
    Polynomial? BreakingTerm,
    string? BreakingDisplay,
    ImmutableArray<int> ScalingDegrees,
    GeneratorKind Generator,
    string Anchor);

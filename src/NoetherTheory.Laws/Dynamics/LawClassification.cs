using System.Collections.Immutable;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>Every given law's fate under one flow, plus (for <see cref="Flow.Momentum"/>) the charges of the damped flow
/// that come from antisymmetric linear symmetries of φ.</summary>
/// <param name="Factorisation">φ.</param>
/// <param name="Flow">The flow.</param>
/// <param name="Verdicts">One verdict per law, in input order.</param>
/// <param name="Charges">Momentum: a basis of the decaying charges (exact, complete among linear antisymmetric
/// generators); empty for the other flows or when <see cref="ChargesNote"/> says they were not computed.</param>
/// <param name="ChargesNote">Why the charges were not computed, or null.</param>
public sealed record LawClassification(Factorisation Factorisation, Flow Flow, ImmutableArray<LawVerdict> Verdicts,
    ImmutableArray<MomentumCharge> Charges, string? ChargesNote)
{
    /// <summary>How many verdicts have the given fate.</summary>
    public int Count(LawFate fate) => Verdicts.Count(v => v.Fate == fate);
}

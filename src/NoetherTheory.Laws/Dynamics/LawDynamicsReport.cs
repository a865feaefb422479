using System.Collections.Immutable;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>The exact classification under one flow and the numeric checks that test it on a random loss ℓ(φ).</summary>
/// <param name="Classification">The verdicts.</param>
/// <param name="Options">The effective options.</param>
/// <param name="Checks">One or more checks per law or charge.</param>
public sealed record LawDynamicsReport(LawClassification Classification, DriftCheckOptions Options, ImmutableArray<DriftCheck> Checks)
{
    /// <summary>Whether every check passed and no input was a non-law.</summary>
    public bool AllPassed => Checks.All(c => c.Passed) && Classification.Count(LawFate.NotALaw) == 0;
}

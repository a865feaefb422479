using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>The conservation laws of gradient flow found for a factorisation, with the count they are compared with.</summary>
/// <param name="Factorisation">φ.</param>
/// <param name="Degree">Laws were sought among polynomials of degree 1 … Degree.</param>
/// <param name="Lie">The Lie-algebra rank.</param>
/// <param name="Laws">A basis of the polynomial laws of degree ≤ Degree (named forms where recognised, else reduced row
/// echelon form).</param>
/// <param name="Checks">The zero test of Σᵢ tᵢ⟨∇h, ∇φᵢ⟩ for each law h, in the order of <paramref name="Laws"/>.</param>
/// <param name="IndependentLaws">How many of the laws are functionally independent (rank of their Jacobian at a random
/// point modulo p, a proven lower bound).</param>
/// <param name="Verdict">How sure <see cref="Count"/> is.</param>
/// <param name="FailureProbabilityBound">For ProbablyCorrect: the Schwartz–Zippel bound; 0 when Proven.</param>
/// <param name="Named">Whether the laws are shown in named form (e.g. entries of U1 U1ᵀ − U2ᵀ U2).</param>
/// <param name="Evidence">What was done and found, in words.</param>
public sealed record LawsResult(
    Factorisation Factorisation,
    int Degree,
    LieRankResult Lie,
    ImmutableArray<ConservationLaw> Laws,
    ImmutableArray<ZeroTestResult> Checks,
    int IndependentLaws,
    CountVerdict Verdict,
    double FailureProbabilityBound,
    bool Named,
    string Evidence)
{
    /// <summary>D − dim Lie(V): the number of independent conservation laws.</summary>
    public int Count => Lie.LawCount;

    /// <summary>Whether the polynomial laws up to <see cref="Degree"/> account for all <see cref="Count"/> laws.</summary>
    public bool Complete => IndependentLaws == Count;

    /// <summary>"complete" or "incomplete up to degree k (m of n)" in plain words.</summary>
    public string Completeness => Complete
        ? $"complete: the {IndependentLaws} law(s) of degree ≤ {Degree} are all of them"
        : $"incomplete up to degree {Degree}: {IndependentLaws} of {Count} law(s) are polynomials of degree ≤ {Degree}";
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>A conservation law of gradient flow: a polynomial h(θ) over ℚ with ⟨∇h, ∇φᵢ⟩ = 0 for every component φᵢ.</summary>
/// <param name="Name">Short label, e.g. <c>(U1ᵀU1 − U2U2ᵀ)[0,1]</c> or <c>unit 2</c>.</param>
/// <param name="Law">h as a polynomial in the variables of its <see cref="Factorisation"/>.</param>
/// <param name="Display">h in readable form, written with the parameter names.</param>
public sealed record ConservationLaw(string Name, Polynomial Law, string Display);

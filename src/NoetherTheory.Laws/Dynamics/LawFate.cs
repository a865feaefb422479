namespace NoetherTheory.Laws.Dynamics;

/// <summary>What becomes of a gradient-flow conservation law under a <see cref="Flow"/>.</summary>
public enum LawFate
{
    /// <summary>Still conserved, as stated in the verdict's <see cref="LawVerdict.Quantity"/> (under momentum an affine law
    /// h is conserved as h + τ⟨∇h, θ̇⟩, and h itself from a start at rest or PyTorch's first step).</summary>
    Conserved,

    /// <summary>A time-dependent charge that decays exactly as e^(−t/τ), τ = m/μ (an antisymmetric linear symmetry).</summary>
    DecaysAs,

    /// <summary>Conserved after rescaling by the decay: Σ_d e^(dλt)·h_d(θ) = h(θe^(λt)) for the homogeneous parts h_d.</summary>
    ScaledBy,

    /// <summary>Not conserved: the verdict carries the breaking term (kinetic symmetry breaking under momentum, a
    /// homogeneous part that is not a law under weight decay).</summary>
    Lost,

    /// <summary>The input is not a conservation law of gradient flow for this factorisation: ⟨∇h, ∇φᵢ⟩ ≢ 0 for some i.</summary>
    NotALaw,
}

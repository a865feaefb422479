namespace NoetherTheory.Laws.Dynamics;

/// <summary>The symmetry generator ξ behind a law or charge (theory/07-laws-under-momentum.md#eq-7-3).</summary>
public enum GeneratorKind
{
    /// <summary>ξ = ∇h constant (h affine): a translation, no kinetic breaking.</summary>
    Translation,

    /// <summary>ξ = Sθ with S = ∇²h symmetric (h quadratic): rescale-type, kinetically broken.</summary>
    Symmetric,

    /// <summary>ξ = Kθ with K antisymmetric: a rotation (isometry of the kinetic energy), no kinetic breaking.</summary>
    Antisymmetric,

    /// <summary>ξ = ∇h nonlinear in θ (h of degree ≥ 3): kinetically broken by θ̇ᵀ∇²h(θ)θ̇.</summary>
    Nonlinear,
}

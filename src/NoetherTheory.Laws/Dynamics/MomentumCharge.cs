using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>A charge of the damped flow from an antisymmetric linear symmetry K of φ: J = m⟨θ̇, Kθ⟩ decays exactly as
/// e^(−t/τ) (theory/07-laws-under-momentum.md#eq-7-4); e^(t/τ)·J is a time-dependent conservation law.</summary>
/// <param name="Name">Short label.</param>
/// <param name="Generator">K as a D×D antisymmetric rational matrix, row-major rows.</param>
/// <param name="Charge">⟨θ̇, Kθ⟩ as a polynomial in θ (0…D−1) and θ̇ (D…2D−1), without the mass factor.</param>
/// <param name="Display">The charge written with the parameter names.</param>
public sealed record MomentumCharge(string Name, ImmutableArray<ImmutableArray<Rational>> Generator, Polynomial Charge, string Display);

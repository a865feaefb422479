using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>A model's loss written through a polynomial map φ(θ): every loss of the form ℓ(φ(θ)) shares the
/// conservation laws of gradient flow found for φ (Marcotte, Gribonval &amp; Peyré, NeurIPS 2023).</summary>
/// <param name="Name">What the model is, e.g. <c>linear:2,3,2</c>.</param>
/// <param name="Parameters">Parameter names; polynomial variable <c>i</c> is <c>Parameters[i]</c>.</param>
/// <param name="Components">The components φ₁ … φ_N as polynomials over ℚ in the parameters.</param>
public sealed record Factorisation(string Name, IReadOnlyList<string> Parameters, IReadOnlyList<Polynomial> Components)
{
    /// <summary>D, the number of parameters.</summary>
    public int Dimension => Parameters.Count;

    /// <summary>For a network built by <see cref="Factorisations"/>: where its weights and biases sit (used to name laws);
    /// null otherwise.</summary>
    public NetworkLayout? Layout { get; init; }
}

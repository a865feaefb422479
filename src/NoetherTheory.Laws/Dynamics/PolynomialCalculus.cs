using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>Exact calculus on <see cref="Polynomial"/> over ℚ: partial derivatives, gradients, inner products of gradient
/// fields, the Hessian quadratic form in velocity variables and the split into homogeneous parts. Every identity the
/// classification decides is an equality of canonical polynomials, so "is zero" is a proof, not a numeric guess.</summary>
internal static class PolynomialCalculus
{
    /// <summary>∂p/∂x_variable.</summary>
    public static Polynomial Derivative(Polynomial p, int variable)
    {
        var terms = new List<(Monomial, Rational)>();
        foreach (var (m, c) in p.Terms)
        {
            int e = m.Exponent(variable);
            if (e > 0) terms.Add((m.WithExponent(variable, e - 1), c * e));
        }
        return terms.Count == 0 ? Polynomial.Zero : Polynomial.FromTerms(terms);
    }

    /// <summary>∇p with respect to variables 0 … dimension−1.</summary>
    public static ImmutableArray<Polynomial> Gradient(Polynomial p, int dimension) =>
        [.. Enumerable.Range(0, dimension).Select(i => Derivative(p, i))];

    /// <summary>⟨u, v⟩ = Σᵢ uᵢvᵢ.</summary>
    public static Polynomial Dot(IReadOnlyList<Polynomial> u, IReadOnlyList<Polynomial> v)
    {
        var sum = Polynomial.Zero;
        for (int i = 0; i < u.Count; i++)
            if (!u[i].IsZero && !v[i].IsZero) sum += u[i] * v[i];
        return sum;
    }

    /// <summary>The velocity variable θ̇ᵢ, numbered <c>dimension + i</c> so that it never collides with a parameter.</summary>
    public static int Velocity(int dimension, int i) => dimension + i;

    /// <summary>⟨∇h, θ̇⟩ = Σᵢ ∂ᵢh·θ̇ᵢ (θ̇ᵢ is variable <c>dimension + i</c>).</summary>
    public static Polynomial DirectionalDerivativeAlongVelocity(Polynomial h, int dimension)
    {
        var sum = Polynomial.Zero;
        for (int i = 0; i < dimension; i++)
        {
            var d = Derivative(h, i);
            if (!d.IsZero) sum += d * Polynomial.Variable(Velocity(dimension, i));
        }
        return sum;
    }

    /// <summary>θ̇ᵀ∇²h(θ)θ̇, the kinetic symmetry breaking of the generator ∇h per unit mass (theory/07-laws-under-momentum.md#eq-7-3).</summary>
    public static Polynomial HessianForm(Polynomial h, int dimension)
    {
        // θ̇ᵀ∇²hθ̇ = Σᵢ θ̇ᵢ ∂ᵢ(Σⱼ ∂ⱼh θ̇ⱼ): differentiate the directional derivative once more along θ̇.
        var first = DirectionalDerivativeAlongVelocity(h, dimension);
        var sum = Polynomial.Zero;
        for (int i = 0; i < dimension; i++)
        {
            var d = Derivative(first, i);
            if (!d.IsZero) sum += d * Polynomial.Variable(Velocity(dimension, i));
        }
        return sum;
    }

    /// <summary>h = Σ_d h_d split into homogeneous parts, ascending degree, zero parts left out.</summary>
    public static ImmutableArray<(int Degree, Polynomial Part)> HomogeneousParts(Polynomial h) =>
        [.. h.Terms.GroupBy(t => t.Monomial.Degree).OrderBy(g => g.Key)
            .Select(g => (g.Key, Polynomial.FromTerms(g.Select(t => (t.Monomial, t.Coefficient)))))];

    /// <summary>The highest variable number that occurs, or −1.</summary>
    public static int MaxVariable(Polynomial p) => p.IsZero || p.Variables.IsEmpty ? -1 : p.Variables[^1];
}

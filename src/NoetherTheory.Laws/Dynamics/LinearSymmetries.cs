using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>The linear symmetries ξ = Aθ of a factorisation (⟨∇φᵢ(θ), Aθ⟩ ≡ 0 for every i) with A restricted to the
/// antisymmetric or the symmetric matrices, as an exact basis over ℚ.</summary>
/// <remarks>The linear system in the entries of A is sampled at integer points (its kernel then contains the true one) and
/// every basis vector of the sampled kernel is then verified as a polynomial identity; when all pass, the sampled kernel is
/// the true kernel, so the basis is exact and complete (a failed verification adds points and solves again).
/// theory/07-laws-under-momentum.md#eq-7-4.</remarks>
internal static class LinearSymmetries
{
    /// <summary>Largest D for which the basis is computed (D(D−1)/2 unknowns; the exact elimination grows as its cube).</summary>
    public const int MaxDimension = 24;

    public static ImmutableArray<Rational[,]> Solve(IReadOnlyList<ImmutableArray<Polynomial>> componentGradients, int dimension, bool antisymmetric)
    {
        int d = dimension;
        var pairs = new List<(int A, int B)>();
        for (int a = 0; a < d; a++)
            for (int b = antisymmetric ? a + 1 : a; b < d; b++) pairs.Add((a, b));
        if (pairs.Count == 0) return [];
        var rng = new Random(20240615);
        var rows = new List<Rational[]>();
        int wanted = pairs.Count + 16;
        var gradientsCompiled = componentGradients.Select(g => g.Select(p => p).ToArray()).ToArray();
        for (int attempt = 0; attempt < 8; attempt++)
        {
            while (rows.Count < wanted)
            {
                var point = new Dictionary<int, Rational>();
                for (int i = 0; i < d; i++) point[i] = rng.Next(-7, 8);
                foreach (var grad in gradientsCompiled)
                {
                    var gv = grad.Select(p => p.IsZero ? Rational.Zero : p.Evaluate(point)).ToArray();
                    // ⟨∇φ, Aθ⟩ with A = E_ab ∓ E_ba: ∂_aφ·θ_b ∓ ∂_bφ·θ_a (a = b: ∂_aφ·θ_a).
                    var row = new Rational[pairs.Count];
                    for (int k = 0; k < pairs.Count; k++)
                    {
                        var (a, b) = pairs[k];
                        row[k] = a == b ? gv[a] * point[a]
                            : antisymmetric ? (gv[a] * point[b]) - (gv[b] * point[a])
                            : (gv[a] * point[b]) + (gv[b] * point[a]);
                    }
                    rows.Add(row);
                }
            }
            var matrix = new Rational[rows.Count, pairs.Count];
            for (int r = 0; r < rows.Count; r++)
                for (int c = 0; c < pairs.Count; c++) matrix[r, c] = rows[r][c];
            var kernel = new RationalMatrix(matrix).Kernel();
            var basis = kernel.Select(v => ToMatrix(v, pairs, d, antisymmetric)).ToImmutableArray();
            if (basis.All(a => IsSymmetry(componentGradients, a, d))) return basis;
            wanted = rows.Count + pairs.Count;   // a sampling coincidence: more points, solve again
        }
        throw new InvalidOperationException("The sampled linear-symmetry kernel did not verify after 8 rounds of sampling.");
    }

    /// <summary>Whether ⟨∇φᵢ, Aθ⟩ ≡ 0 for every component, decided by exact polynomial arithmetic.</summary>
    public static bool IsSymmetry(IReadOnlyList<ImmutableArray<Polynomial>> componentGradients, Rational[,] a, int dimension)
    {
        var xi = Apply(a, dimension);
        return componentGradients.All(g => PolynomialCalculus.Dot(g, xi).IsZero);
    }

    /// <summary>ξ = Aθ as polynomials.</summary>
    public static ImmutableArray<Polynomial> Apply(Rational[,] a, int dimension)
    {
        var xi = ImmutableArray.CreateBuilder<Polynomial>(dimension);
        for (int i = 0; i < dimension; i++)
        {
            var terms = new List<(Monomial, Rational)>();
            for (int j = 0; j < dimension; j++)
                if (!a[i, j].IsZero) terms.Add((Monomial.Variable(j), a[i, j]));
            xi.Add(terms.Count == 0 ? Polynomial.Zero : Polynomial.FromTerms(terms));
        }
        return xi.MoveToImmutable();
    }

    private static Rational[,] ToMatrix(ImmutableArray<Rational> v, List<(int A, int B)> pairs, int d, bool antisymmetric)
    {
        var m = new Rational[d, d];
        for (int k = 0; k < pairs.Count; k++)
        {
            var (a, b) = pairs[k];
            if (v[k].IsZero) continue;
            m[a, b] += v[k];
            if (a != b) m[b, a] += antisymmetric ? -v[k] : v[k];
        }
        return m;
    }
}

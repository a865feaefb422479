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
    public const int MaxDimension = 25;

    /// <summary>Sampling rounds before giving up (the last one also runs the exact elimination over ℚ).</summary>
    private const int Rounds = 8;

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
        for (int attempt = 0; attempt < Rounds; attempt++)
        {
            while (rows.Count < wanted)
            {
                var point = new Dictionary<int, Rational>();
                for (int i = 0; i < d; i++) point[i] = rng.Next(-1000, 1001);
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
            // The kernel modulo a prime, lifted by rational reconstruction. Its dimension is at least the rational
            // kernel's, so when every lifted vector verifies exactly it is an exact, complete basis. A lift that fails
            // means the sample is still degenerate (a spurious kernel with large entries): more points are added.
            var modular = ModularKernel(rows, pairs.Count);
            if (modular is not null)
            {
                var lifted = modular.Select(v => ToMatrix(v, pairs, d, antisymmetric)).ToImmutableArray();
                if (lifted.All(a => IsSymmetry(componentGradients, a, d))) return lifted;
            }
            if (attempt == Rounds - 1)
            {
                var matrix = new Rational[rows.Count, pairs.Count];
                for (int r = 0; r < rows.Count; r++)
                    for (int c = 0; c < pairs.Count; c++) matrix[r, c] = rows[r][c];
                var basis = new RationalMatrix(matrix).Kernel().Select(v => ToMatrix(v, pairs, d, antisymmetric)).ToImmutableArray();
                if (basis.All(a => IsSymmetry(componentGradients, a, d))) return basis;
            }
            wanted = rows.Count + pairs.Count;   // a sampling coincidence: more points, solve again
        }
        throw new InvalidOperationException($"The sampled linear-symmetry kernel did not verify after {Rounds} rounds of sampling.");
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
    private const long Prime = 2147483647;   // 2³¹ − 1: products of two residues fit in a long

    /// <summary>The reduced kernel basis modulo <see cref="Prime"/> (1 at each free column), each entry lifted to ℚ by
    /// rational reconstruction; null when an entry has no small lift or a denominator vanishes modulo the prime.</summary>
    private static List<ImmutableArray<Rational>>? ModularKernel(List<Rational[]> rows, int columns)
    {
        var a = new long[rows.Count, columns];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns; c++)
            {
                var x = rows[r][c];
                long den = Mod(x.Denominator);
                if (den == 0) return null;
                a[r, c] = Mod(Mod(x.Numerator) * Inverse(den));
            }
        var pivots = new List<int>();
        int row = 0;
        for (int c = 0; c < columns && row < rows.Count; c++)
        {
            int p = -1;
            for (int i = row; i < rows.Count; i++) if (a[i, c] != 0) { p = i; break; }
            if (p < 0) continue;
            if (p != row) for (int j = 0; j < columns; j++) (a[p, j], a[row, j]) = (a[row, j], a[p, j]);
            long inv = Inverse(a[row, c]);
            for (int j = c; j < columns; j++) a[row, j] = a[row, j] * inv % Prime;
            for (int i = 0; i < rows.Count; i++)
            {
                if (i == row || a[i, c] == 0) continue;
                long f = a[i, c];
                for (int j = c; j < columns; j++) a[i, j] = Mod(a[i, j] - (f * a[row, j] % Prime));
            }
            pivots.Add(c);
            row++;
        }
        var isPivot = new bool[columns];
        foreach (int c in pivots) isPivot[c] = true;
        var basis = new List<ImmutableArray<Rational>>();
        for (int free = 0; free < columns; free++)
        {
            if (isPivot[free]) continue;
            var v = new Rational[columns];
            v[free] = Rational.One;
            for (int k = 0; k < pivots.Count; k++)
            {
                if (!TryLift(Mod(-a[k, free]), out var q)) return null;
                v[pivots[k]] = q;
            }
            basis.Add([.. v]);
        }
        return basis;
    }

    private static long Mod(long x) => ((x % Prime) + Prime) % Prime;

    private static long Mod(System.Numerics.BigInteger x) => (long)(((x % Prime) + Prime) % Prime);

    private static long Inverse(long x)
    {
        long result = 1, b = x, e = Prime - 2;
        while (e > 0)
        {
            if ((e & 1) == 1) result = result * b % Prime;
            b = b * b % Prime;
            e >>= 1;
        }
        return result;
    }

    /// <summary>Rational reconstruction: r/s ≡ x (mod p) with |r|, |s| ≤ √(p/2), by the half-extended Euclid algorithm.</summary>
    private static bool TryLift(long x, out Rational value)
    {
        long bound = (long)Math.Sqrt(Prime / 2.0);
        long r0 = Prime, r1 = x, s0 = 0, s1 = 1;
        while (r1 > bound)
        {
            long q = r0 / r1;
            (r0, r1) = (r1, r0 - (q * r1));
            (s0, s1) = (s1, s0 - (q * s1));
        }
        value = Rational.Zero;
        if (s1 == 0 || Math.Abs(s1) > bound) return false;
        value = new Rational(r1, s1);
        return true;
    }
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Tests;

/// <summary>Deeper networks, checked against an independent computation: right-nested brackets built symbolically over ℚ
/// with the project's <see cref="Polynomial"/> (no modular arithmetic, no field reduction) and their rank at an integer
/// point taken exactly by <see cref="RationalMatrix"/> — a lower bound of dim Lie that must equal D − (the expected count).</summary>
[TestFixture]
public sealed class DeepNetworkTests
{
    // Deep linear networks: one law per entry (a ≤ b) of U_l U_l^T − U_{l+1}^T U_{l+1}, i.e. Σ r(r+1)/2 over the inner widths;
    // (theory/06-conservation-laws.md#eq-6-6; Marcotte et al. prove it for two layers; the exact brute force below and the
    // laws found confirm it here for these widths.)
    [TestCase(new[] { 2, 3, 3, 2 }, 3)]
    [TestCase(new[] { 3, 2, 2, 3 }, 2)]
    [TestCase(new[] { 2, 2, 2, 2, 2 }, 2)]
    public void Discover_DeepLinear_CountIsSumOfInnerTriangularNumbers(int[] widths, int depth)
    {
        int expected = widths.Skip(1).Take(widths.Length - 2).Sum(r => r * (r + 1) / 2);
        var phi = Factorisations.Linear(widths);
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            Assert.That(r.Count, Is.EqualTo(expected), r.Evidence);
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), r.Evidence);
            Assert.That(r.Named, Is.True);
            Assert.That(ExactRank(phi, depth), Is.EqualTo(phi.Dimension - expected), "exact rank over Q of brackets up to depth " + depth);
        });
    }

    [TestCase(new[] { 2, 3, 3, 2 }, false)]
    [TestCase(new[] { 2, 3, 3, 2 }, true)]
    [TestCase(new[] { 2, 2, 2, 2, 1 }, true)]
    public void Discover_DeepRelu_OneLawPerHiddenUnit(int[] widths, bool bias)
    {
        int expected = widths.Skip(1).Take(widths.Length - 2).Sum();
        var phi = Factorisations.Relu(widths, bias);
        var r = ConservationLaws.Discover(phi);
        Assert.Multiple(() =>
        {
            Assert.That(r.Count, Is.EqualTo(expected), r.Evidence);
            Assert.That(r.Verdict, Is.EqualTo(CountVerdict.Proven), r.Evidence);
            Assert.That(r.Named, Is.True);
            Assert.That(ExactRank(phi, 1), Is.EqualTo(phi.Dimension - expected), "exact rank over Q of the fields and their brackets");
        });
    }

    /// <summary>Rank over ℚ, at the integer point θ_v = (v·7 + 3) mod 23 − 11, of ∇φᵢ and all right-nested brackets
    /// [∇φ_{i1}, [∇φ_{i2}, … ]] up to <paramref name="depth"/>, computed symbolically over ℚ.</summary>
    private static int ExactRank(Factorisation phi, int depth)
    {
        int d = phi.Dimension;
        var gens = phi.Components.Select(c => Enumerable.Range(0, d).Select(v => Diff(c, v)).ToArray()).ToList();
        var all = new List<Polynomial[]>(gens);
        var layer = gens;
        for (int k = 1; k <= depth; k++)
        {
            var next = new List<Polynomial[]>();
            for (int i = 0; i < gens.Count; i++)
                for (int j = k == 1 ? i + 1 : 0; j < layer.Count; j++)
                {
                    var b = Bracket(gens[i], layer[j]);
                    if (b.Any(p => !p.IsZero)) next.Add(b);
                }
            all.AddRange(next);
            layer = next;
        }
        var point = Enumerable.Range(0, d).ToDictionary(v => v, v => (Rational)(((v * 7) + 3) % 23 - 11));
        var rows = all.Select(f => (IReadOnlyList<Rational>)f.Select(p => p.Evaluate(point)).ToArray()).ToList();
        return RationalMatrix.FromRows(rows).Rank();
    }

    private static Polynomial Diff(Polynomial p, int v) =>
        Polynomial.FromTerms(p.Terms.Where(t => t.Monomial.Exponent(v) > 0)
            .Select(t => (t.Monomial.WithExponent(v, t.Monomial.Exponent(v) - 1), t.Coefficient * t.Monomial.Exponent(v))));

    // [u, v]_k = Σ_j u_j ∂_j v_k − v_j ∂_j u_k.
    private static Polynomial[] Bracket(Polynomial[] u, Polynomial[] v) =>
        [.. Enumerable.Range(0, u.Length).Select(k =>
        {
            var s = Polynomial.Zero;
            for (int j = 0; j < u.Length; j++)
            {
                if (!u[j].IsZero) s += u[j] * Diff(v[k], j);
                if (!v[j].IsZero) s -= v[j] * Diff(u[k], j);
            }
            return s;
        })];
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Algebra;

/// <summary>An echelon basis, over 𝔽_p, of a space of polynomial vector fields seen as sparse coefficient vectors
/// indexed by (component, monomial): decides whether a new field lies in the span of the fields so far (as fields,
/// identically — not at a point).</summary>
internal sealed class FieldSpan(int dimension)
{
    private readonly Dictionary<(int, Monomial), Dictionary<(int, Monomial), ulong>> _basis = [];

    public int Count => _basis.Count;

    /// <summary>Reduces a field against the span; returns the (normalised) remainder as a field, or null when the field
    /// lies in the span. A non-null remainder is added to the span.</summary>
    public VectorField? Add(VectorField field)
    {
        var v = new Dictionary<(int, Monomial), ulong>();
        for (int k = 0; k < field.Dimension; k++)
            foreach (var (m, c) in field.Components[k].Terms) v[(k, m)] = c;
        while (v.Count > 0)
        {
            var key = MaxKey(v);
            if (!_basis.TryGetValue(key, out var b))
            {
                ulong inv = PrimeField.Inverse(v[key]);
                foreach (var k in v.Keys.ToList()) v[k] = PrimeField.Mul(v[k], inv);
                _basis[key] = v;
                return ToField(v);
            }
            ulong f = v[key];
            foreach (var (k, c) in b)
            {
                ulong x = PrimeField.Sub(v.TryGetValue(k, out var old) ? old : 0, PrimeField.Mul(f, c));
                if (x == 0) v.Remove(k); else v[k] = x;
            }
        }
        return null;
    }

    private static (int, Monomial) MaxKey(Dictionary<(int, Monomial), ulong> v)
    {
        (int K, Monomial M) best = default;
        bool first = true;
        foreach (var key in v.Keys)
        {
            if (first || key.Item1 > best.K || (key.Item1 == best.K && key.Item2.CompareTo(best.M) > 0)) best = key;
            first = false;
        }
        return best;
    }

    private VectorField ToField(Dictionary<(int, Monomial), ulong> v)
    {
        var c = new ModPolynomial[dimension];
        for (int k = 0; k < dimension; k++) c[k] = new ModPolynomial();
        foreach (var ((k, m), x) in v) c[k].Terms[m] = x;
        return new VectorField(c);
    }
}

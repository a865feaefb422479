using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Algebra;

/// <summary>Exact kernel over ℚ of a sparse linear system, kept in reduced row echelon form as rows are added.</summary>
internal sealed class SparseKernel(int columns)
{
    private readonly Dictionary<int, Dictionary<int, Rational>> _rowByPivot = [];

    public int Rank => _rowByPivot.Count;

    /// <summary>Adds the equation Σ row[c]·x_c = 0.</summary>
    public void Add(Dictionary<int, Rational> row)
    {
        var v = new Dictionary<int, Rational>(row);
        foreach (var k in v.Where(kv => kv.Value.IsZero).Select(kv => kv.Key).ToList()) v.Remove(k);
        foreach (var c in v.Keys.Where(_rowByPivot.ContainsKey).ToList())
        {
            if (!v.TryGetValue(c, out var f) || f.IsZero) continue;
            AddScaled(v, _rowByPivot[c], -f);
        }
        if (v.Count == 0) return;
        int pivot = v.Keys.Max();
        var inv = 1 / v[pivot];
        foreach (var k in v.Keys.ToList()) v[k] *= inv;
        foreach (var other in _rowByPivot.Values)
            if (other.TryGetValue(pivot, out var g)) AddScaled(other, v, -g);
        _rowByPivot[pivot] = v;
    }

    private static void AddScaled(Dictionary<int, Rational> target, Dictionary<int, Rational> source, Rational factor)
    {
        foreach (var (k, x) in source)
        {
            var y = (target.TryGetValue(k, out var old) ? old : Rational.Zero) + factor * x;
            if (y.IsZero) target.Remove(k); else target[k] = y;
        }
    }

    /// <summary>One kernel vector per free column: 1 there, 0 at the other free columns.</summary>
    public List<Rational[]> Basis()
    {
        var basis = new List<Rational[]>();
        for (int free = 0; free < columns; free++)
        {
            if (_rowByPivot.ContainsKey(free)) continue;
            var x = new Rational[columns];
            x[free] = Rational.One;
            foreach (var (p, row) in _rowByPivot)
                if (row.TryGetValue(free, out var a)) x[p] = -a;
            basis.Add(x);
        }
        return basis;
    }
}

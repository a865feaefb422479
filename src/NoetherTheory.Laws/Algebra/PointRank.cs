namespace NoetherTheory.Laws.Algebra;

/// <summary>Incremental rank, over 𝔽_p, of vectors in 𝔽_p^D (row echelon form kept by pivot column).</summary>
internal sealed class PointRank(int dimension)
{
    private readonly ulong[]?[] _rowByPivot = new ulong[]?[dimension];

    public int Rank { get; private set; }

    /// <summary>A copy that can grow without changing this one.</summary>
    public PointRank Clone()
    {
        var c = new PointRank(dimension) { Rank = Rank };
        for (int i = 0; i < dimension; i++) c._rowByPivot[i] = _rowByPivot[i];   // rows are never mutated after insertion
        return c;
    }

    /// <summary>Adds a vector; true when it raised the rank.</summary>
    public bool Add(ulong[] vector)
    {
        var v = (ulong[])vector.Clone();
        for (int c = 0; c < dimension; c++)
        {
            if (v[c] == 0) continue;
            var row = _rowByPivot[c];
            if (row is null)
            {
                ulong inv = PrimeField.Inverse(v[c]);
                for (int j = c; j < dimension; j++) v[j] = PrimeField.Mul(v[j], inv);
                _rowByPivot[c] = v;
                Rank++;
                return true;
            }
            ulong f = v[c];
            for (int j = c; j < dimension; j++) v[j] = PrimeField.Sub(v[j], PrimeField.Mul(f, row[j]));
        }
        return false;
    }
}

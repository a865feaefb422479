using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>An immutable matrix of exact rationals with exact linear algebra over Q: rank, a kernel basis, and the solution
/// of A·x = b (Gauss–Jordan elimination on <see cref="Rational"/> entries, so no result is ever rounded).</summary>
/// <remarks>Used with <see cref="Polynomial.CoefficientsIn(IReadOnlyCollection{int})"/> and
/// <see cref="Polynomial.Ansatz"/>: the coefficients of a generic ansatz that a condition must annihilate form a linear
/// system whose kernel is the space of solutions.</remarks>
public sealed class RationalMatrix
{
    private readonly Rational[,] _entries;
    private Echelon? _echelon;

    /// <summary>A copy of the given entries.</summary>
    public RationalMatrix(Rational[,] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = (Rational[,])entries.Clone();
    }

    /// <summary>The matrix with the given rows (all of one length).</summary>
    /// <exception cref="ArgumentException">Rows of different lengths.</exception>
    public static RationalMatrix FromRows(IReadOnlyList<IReadOnlyList<Rational>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int columns = rows.Count == 0 ? 0 : rows[0].Count;
        var a = new Rational[rows.Count, columns];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != columns) throw new ArgumentException("All rows must have the same length.", nameof(rows));
            for (int j = 0; j < columns; j++) a[i, j] = rows[i][j];
        }
        return new RationalMatrix(a);
    }

    /// <summary>Number of rows.</summary>
    public int Rows => _entries.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => _entries.GetLength(1);

    /// <summary>Entry (row, column).</summary>
    public Rational this[int row, int column] => _entries[row, column];

    private sealed record Echelon(Rational[,] Reduced, ImmutableArray<int> PivotColumns);

    /// <summary>Reduced row echelon form (pivots 1, zeros above and below) and the pivot columns.</summary>
    private Echelon Reduce()
    {
        if (_echelon is not null) return _echelon;
        var a = (Rational[,])_entries.Clone();
        int rows = Rows, columns = Columns, r = 0;
        var pivots = ImmutableArray.CreateBuilder<int>();
        for (int c = 0; c < columns && r < rows; c++)
        {
            int p = -1;
            for (int i = r; i < rows; i++)
                if (!a[i, c].IsZero) { p = i; break; }
            if (p < 0) continue;
            if (p != r)
                for (int j = 0; j < columns; j++) (a[p, j], a[r, j]) = (a[r, j], a[p, j]);
            var inv = 1 / a[r, c];
            for (int j = c; j < columns; j++) a[r, j] *= inv;
            for (int i = 0; i < rows; i++)
            {
                if (i == r || a[i, c].IsZero) continue;
                var f = a[i, c];
                for (int j = c; j < columns; j++) a[i, j] -= f * a[r, j];
            }
            pivots.Add(c);
            r++;
        }
        return _echelon = new Echelon(a, pivots.ToImmutable());
    }

    /// <summary>The rank.</summary>
    public int Rank() => Reduce().PivotColumns.Length;

    /// <summary>A basis of the kernel {x : A·x = 0}: one vector per free column, 1 there and 0 at the other free columns
    /// (so Rank() + Kernel().Length = Columns).</summary>
    public ImmutableArray<ImmutableArray<Rational>> Kernel()
    {
        var (a, pivots) = Reduce();
        var isPivot = new bool[Columns];
        foreach (var c in pivots) isPivot[c] = true;
        var basis = ImmutableArray.CreateBuilder<ImmutableArray<Rational>>();
        for (int free = 0; free < Columns; free++)
        {
            if (isPivot[free]) continue;
            var v = new Rational[Columns];
            v[free] = Rational.One;
            for (int k = 0; k < pivots.Length; k++) v[pivots[k]] = -a[k, free];
            basis.Add([.. v]);
        }
        return basis.ToImmutable();
    }

    /// <summary>A solution of A·x = b (free unknowns 0), or null when the system is inconsistent.</summary>
    /// <exception cref="ArgumentException">b's length is not the number of rows.</exception>
    public ImmutableArray<Rational>? Solve(IReadOnlyList<Rational> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.Count != Rows) throw new ArgumentException($"The right-hand side has {b.Count} entries; the matrix has {Rows} rows.", nameof(b));
        var augmented = new Rational[Rows, Columns + 1];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++) augmented[i, j] = _entries[i, j];
            augmented[i, Columns] = b[i];
        }
        var (a, pivots) = new RationalMatrix(augmented).Reduce();
        if (pivots.Length > 0 && pivots[^1] == Columns) return null; // a row 0 = c ≠ 0
        var x = new Rational[Columns];
        for (int k = 0; k < pivots.Length; k++) x[pivots[k]] = a[k, Columns];
        return [.. x];
    }

    /// <summary>A·x.</summary>
    /// <exception cref="ArgumentException">x's length is not the number of columns.</exception>
    public ImmutableArray<Rational> Multiply(IReadOnlyList<Rational> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != Columns) throw new ArgumentException($"The vector has {x.Count} entries; the matrix has {Columns} columns.", nameof(x));
        var r = new Rational[Rows];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++) r[i] += _entries[i, j] * x[j];
        return [.. r];
    }

    /// <summary>The linear system Σⱼ coefficient(p, unknownⱼ)·uⱼ = 0 for every monomial in the other variables, from
    /// polynomials linear in the unknowns (each polynomial's terms free of the unknowns become −b). Rows: one per
    /// (polynomial, monomial) pair, in a stable order; columns: the unknowns in the order given.</summary>
    /// <exception cref="ArgumentException">A polynomial is not linear in the unknowns.</exception>
    public static (RationalMatrix Matrix, ImmutableArray<Rational> RightHandSide) FromLinearPolynomials(
        IReadOnlyList<Polynomial> polynomials, IReadOnlyList<int> unknowns)
    {
        ArgumentNullException.ThrowIfNull(polynomials);
        ArgumentNullException.ThrowIfNull(unknowns);
        var column = unknowns.Select((u, j) => (u, j)).ToDictionary(t => t.u, t => t.j);
        var rows = new List<Rational[]>();
        var rhs = new List<Rational>();
        foreach (var p in polynomials)
        {
            var rowOf = new Dictionary<Monomial, int>();
            foreach (var (m, c) in p.Terms)
            {
                var inUnknowns = m.Factors.Where(f => column.ContainsKey(f.Variable)).ToList();
                if (inUnknowns.Count > 1 || inUnknowns.Any(f => f.Exponent != 1))
                    throw new ArgumentException($"The polynomial is not linear in the unknowns (monomial {m}).", nameof(polynomials));
                var rest = m.Restrict(v => !column.ContainsKey(v));
                if (!rowOf.TryGetValue(rest, out var row))
                {
                    rowOf[rest] = row = rows.Count;
                    rows.Add(new Rational[unknowns.Count]);
                    rhs.Add(Rational.Zero);
                }
                if (inUnknowns.Count == 0) rhs[row] -= c;
                else rows[row][column[inUnknowns[0].Variable]] += c;
            }
        }
        var a = new Rational[rows.Count, unknowns.Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < unknowns.Count; j++) a[i, j] = rows[i][j];
        return (new RationalMatrix(a), [.. rhs]);
    }
}

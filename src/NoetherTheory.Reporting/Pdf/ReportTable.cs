namespace NoetherTheory.Reporting.Pdf;

/// <summary>
/// A table as plain data: columns and rows of already formatted cell text (format numbers with the invariant culture,
/// e.g. <see cref="ReportFormat.Number"/>). In a PDF, long tables continue on the next page with the header repeated;
/// cells wrap when the columns do not fit the text width.
/// </summary>
/// <param name="Columns">Column headers and alignments.</param>
/// <param name="Rows">Cells, one list per row, each as long as <paramref name="Columns"/>.</param>
public sealed record ReportTable(IReadOnlyList<TableColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Caption shown above the table as "Table n. caption" (empty: number only).</summary>
    public string Caption { get; init; } = string.Empty;

    /// <summary>Checks the shape of the table.</summary>
    /// <exception cref="ArgumentException">No columns, or a row whose cell count differs from the column count (the
    /// message names the row).</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Columns);
        ArgumentNullException.ThrowIfNull(Rows);
        string name = Caption.Length > 0 ? $"Table '{Caption}'" : "Table";
        if (Columns.Count == 0)
            throw new ArgumentException($"{name}: has no columns.");
        for (int r = 0; r < Rows.Count; r++)
        {
            if (Rows[r] is null)
                throw new ArgumentException($"{name}: row {r} is null.");
            if (Rows[r].Count != Columns.Count)
                throw new ArgumentException(
                    $"{name}: row {r} has {Rows[r].Count} cells but the table has {Columns.Count} columns; give one cell per column (use \"\" for blanks).");
            for (int c = 0; c < Rows[r].Count; c++)
                if (Rows[r][c] is null)
                    throw new ArgumentException($"{name}: cell ({r}, {c}) is null; use \"\" for a blank cell.");
        }
    }
}

namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// Several figures laid out row by row in one image or report figure (e.g. the 2×3 panels of NLD Fig. 4).
/// Panels are labelled (a), (b), … in their titles when <see cref="PanelLetters"/> is set.
/// </summary>
/// <param name="Panels">The panels, row-major.</param>
/// <param name="Columns">Panels per row; the row count is ⌈panels / columns⌉.</param>
public sealed record FigureGrid(IReadOnlyList<FigureSpec> Panels, int Columns)
{
    /// <summary>Title above the whole grid (empty: none).</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>Whether to prefix panel titles with (a), (b), ….</summary>
    public bool PanelLetters { get; init; } = true;

    /// <summary>Number of rows.</summary>
    public int Rows => Columns <= 0 ? 0 : (Panels.Count + Columns - 1) / Columns;
}

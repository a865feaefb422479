using NoetherTheory.Reporting.Figures;
using OxyPlot;

namespace NoetherTheory.Reporting.Export;

/// <summary>One or more plot models placed in a rectangle, in OxyPlot device-independent units (1/96 inch).</summary>
/// <param name="Panels">Each model with its rectangle.</param>
/// <param name="Title">Grid title (empty: none), drawn centred in the top <see cref="TitleHeight"/>.</param>
/// <param name="Width">Total width.</param>
/// <param name="Height">Total height.</param>
/// <param name="TitleHeight">Height of the title band.</param>
/// <param name="Theme">Theme for the title font.</param>
internal sealed record FigureLayout(
    IReadOnlyList<(PlotModel Model, OxyRect Bounds)> Panels, string Title, double Width, double Height, double TitleHeight, FigureTheme Theme)
{
    public static FigureLayout Single(PlotModel model, FigureSize size, FigureTheme theme) =>
        new([(model, new OxyRect(0, 0, size.WidthDip, size.HeightDip))], string.Empty, size.WidthDip, size.HeightDip, 0, theme);

    public static FigureLayout Single(FigureSpec spec, FigureSize size, FigureTheme theme) =>
        Single(PanelFitting.Build(spec, theme, size.WidthDip, size.HeightDip), size, theme);

    public static FigureLayout Grid(FigureGrid grid, FigureSize size, FigureTheme theme)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(grid.Panels);
        if (grid.Columns <= 0)
            throw new ArgumentException($"Figure grid '{grid.Title}': Columns = {grid.Columns}; use at least 1.", nameof(grid));
        if (grid.Panels.Count == 0)
            throw new ArgumentException($"Figure grid '{grid.Title}': no panels.", nameof(grid));

        double titleHeight = grid.Title.Length > 0 ? FigureSize.GridTitleInches * 96 : 0;
        int columns = Math.Min(grid.Columns, grid.Panels.Count);
        double cellWidth = size.WidthDip / columns;
        double cellHeight = (size.HeightDip - titleHeight) / grid.Rows;
        // Panels are small: their titles drop to the tick-label size so that they fit above the plot.
        var panelTheme = theme with { TitleFontSize = theme.FontSize + 0.5 };
        var panels = new List<(PlotModel, OxyRect)>(grid.Panels.Count);
        for (int i = 0; i < grid.Panels.Count; i++)
        {
            var spec = grid.Panels[i];
            if (grid.PanelLetters)
                spec = spec with { Title = PanelLetter(i) + (spec.Title.Length > 0 ? " " + spec.Title : string.Empty) };
            var bounds = new OxyRect(i % columns * cellWidth, titleHeight + (i / columns * cellHeight), cellWidth, cellHeight);
            panels.Add((PanelFitting.Build(spec, panelTheme, bounds.Width, bounds.Height), bounds));
        }

        return new FigureLayout(panels, grid.Title, size.WidthDip, size.HeightDip, titleHeight, theme);
    }

    /// <summary>(a), (b), …, (z), (aa), (ab), ….</summary>
    internal static string PanelLetter(int index)
    {
        string letters = string.Empty;
        for (int n = index; n >= 0; n = (n / 26) - 1)
            letters = (char)('a' + (n % 26)) + letters;
        return "(" + letters + ")";
    }
}

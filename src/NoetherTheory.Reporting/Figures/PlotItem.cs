namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// One thing drawn in a figure: a closed family of plain records (<see cref="LinePlot"/>, <see cref="ScatterPlot"/>,
/// <see cref="BandPlot"/>, <see cref="ReferenceLine"/>, <see cref="FunctionPlot"/>, <see cref="SlopeFitPlot"/>,
/// <see cref="HistogramPlot"/>, <see cref="BoxPlot"/>). <see cref="FigureBuilder"/> turns them into OxyPlot series.
/// </summary>
/// <remarks>Data arrays are read, never modified or kept by the produced plot model (points are copied).</remarks>
public abstract record PlotItem
{
    private protected PlotItem(string label, SeriesStyle? style)
    {
        ArgumentNullException.ThrowIfNull(label);
        Label = label;
        Style = style ?? SeriesStyle.Auto;
    }

    /// <summary>Legend text; an empty string keeps the item out of the legend.</summary>
    public string Label { get; }

    /// <summary>How the item looks.</summary>
    public SeriesStyle Style { get; init; }
}

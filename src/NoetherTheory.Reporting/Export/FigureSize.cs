using System.Globalization;

namespace NoetherTheory.Reporting.Export;

/// <summary>Physical size of a figure in inches (as matplotlib's <c>figsize</c>). Text sizes are physical too, so a
/// figure keeps its look at every DPI.</summary>
public readonly record struct FigureSize
{
    /// <summary>Creates a size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive and finite, or above 100 inches.</exception>
    public FigureSize(double widthInches, double heightInches)
    {
        Check(widthInches, nameof(widthInches));
        Check(heightInches, nameof(heightInches));
        WidthInches = widthInches;
        HeightInches = heightInches;
    }

    /// <summary>A full-text-width figure, 6 × 4 inches.</summary>
    public static FigureSize Default { get; } = new(6.0, 4.0);

    /// <summary>A single-column figure of a two-column paper, 3.4 × 2.6 inches.</summary>
    public static FigureSize Column { get; } = new(3.4, 2.6);

    /// <summary>Width in inches.</summary>
    public double WidthInches { get; }

    /// <summary>Height in inches.</summary>
    public double HeightInches { get; }

    /// <summary>Width in PDF points (1/72 inch).</summary>
    public double WidthPoints => WidthInches * 72;

    /// <summary>Height in PDF points (1/72 inch).</summary>
    public double HeightPoints => HeightInches * 72;

    /// <summary>Width in OxyPlot device-independent units (1/96 inch).</summary>
    internal double WidthDip => WidthInches * 96;

    /// <summary>Height in OxyPlot device-independent units (1/96 inch).</summary>
    internal double HeightDip => HeightInches * 96;

    /// <summary>A grid of panels, each <paramref name="panel"/> large, plus room for a title if there is one.</summary>
    public static FigureSize ForGrid(int rows, int columns, FigureSize panel, bool hasTitle)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        return new FigureSize(columns * panel.WidthInches, (rows * panel.HeightInches) + (hasTitle ? GridTitleInches : 0));
    }

    /// <summary>Height reserved for a grid title, in inches.</summary>
    internal const double GridTitleInches = 0.4;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{WidthInches:G4} in × {HeightInches:G4} in");

    private static void Check(double value, string name)
    {
        if (!(double.IsFinite(value) && value > 0 && value <= 100))
            throw new ArgumentOutOfRangeException(name, value, "A figure side must be a positive number of inches, at most 100.");
    }
}

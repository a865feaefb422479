using NoetherTheory.Reporting.Figures;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace NoetherTheory.Reporting.Tests;

[TestFixture]
public sealed class FigureBuilderTests
{
    private static readonly double[] X = [1, 2, 3, 4];

    private static FigureSpec Spec(params PlotItem[] items) => new("T", AxisSpec.Linear("x"), AxisSpec.Linear("y"), items);

    [Test]
    public void Build_ItemsWithoutColour_TakeOkabeItoColoursInOrder()
    {
        var model = FigureBuilder.Build(Spec(new LinePlot("a", X, X), new LinePlot("b", X, X), new ScatterPlot("c", X, X)));
        Assert.That(((LineSeries)model.Series[0]).Color, Is.EqualTo(OkabeIto.Cycle[0]));
        Assert.That(((LineSeries)model.Series[1]).Color, Is.EqualTo(OkabeIto.Cycle[1]));
        Assert.That(((ScatterSeries)model.Series[2]).MarkerFill, Is.EqualTo(OkabeIto.Cycle[2]));
    }

    [Test]
    public void Build_ExplicitColour_IsKeptAndDoesNotConsumeAPaletteSlot()
    {
        var red = OxyColor.FromRgb(255, 0, 0);
        var model = FigureBuilder.Build(Spec(new LinePlot("a", X, X, new SeriesStyle(red)), new LinePlot("b", X, X)));
        Assert.That(((LineSeries)model.Series[0]).Color, Is.EqualTo(red));
        Assert.That(((LineSeries)model.Series[1]).Color, Is.EqualTo(OkabeIto.Cycle[0]));
    }

    [Test]
    public void Build_SetsDejaVuFontAndInvariantCultureExplicitly()
    {
        var model = FigureBuilder.Build(Spec(new LinePlot("a", X, X)));
        Assert.That(model.DefaultFont, Is.EqualTo("DejaVu Sans"));
        Assert.That(model.Culture, Is.SameAs(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(model.Axes.Select(a => a.Font), Is.All.EqualTo("DejaVu Sans"));
    }

    [Test]
    public void Build_Band_AddsFilledAreaBehindALegendLine()
    {
        var band = new BandPlot("m", X, [1, 2, 3, 4], [0, 1, 2, 3], [2, 3, 4, 5]);
        var model = FigureBuilder.Build(Spec(band));
        Assert.That(model.Series, Has.Count.EqualTo(2));
        var area = (AreaSeries)model.Series[0];
        Assert.That(area.RenderInLegend, Is.False);
        Assert.That(area.Points.Select(p => p.Y), Is.EqualTo(band.Upper));
        Assert.That(area.Points2.Select(p => p.Y), Is.EqualTo(band.Lower));
        Assert.That(model.Series[1].Title, Is.EqualTo("m"));
    }

    [Test]
    public void Build_LogAxes_UseLogarithmicAxisWithPowerOfTenLabels()
    {
        var spec = new FigureSpec("log", AxisSpec.Log("h"), AxisSpec.Log("e"), [new LinePlot("a", [1e-3, 1], [1e-8, 1])]);
        var model = FigureBuilder.Build(spec);
        var y = model.Axes.OfType<LogarithmicAxis>().Single(a => a.Position == AxisPosition.Left);
        ((IPlotModel)model).Update(true);
        Assert.That(y.LabelFormatter!(1e-6), Is.EqualTo("10⁻⁶"));
    }

    [Test]
    public void Build_SlopeFit_PutsExponentOfExactPowerLawInLegend()
    {
        const double exponent = 3;
        double[] h = [0.1, 0.05, 0.025];
        var fit = new SlopeFitPlot("RK3", h, [.. h.Select(v => 2 * Math.Pow(v, exponent))]);
        var model = FigureBuilder.Build(new FigureSpec("c", AxisSpec.Log("h"), AxisSpec.Log("e"), [fit]));
        Assert.That(model.Series[0].Title, Is.EqualTo("RK3, slope 3.00"));
        Assert.That(model.Series[1].RenderInLegend, Is.False, "fitted line is not a legend entry");
        Assert.That(model.Annotations.OfType<TextAnnotation>().Single().Text, Is.EqualTo("slope 3.00"));
    }

    [Test]
    public void Build_ReferenceLineOutsideData_AxisRangeIncludesIt()
    {
        const double level = -5;
        var model = FigureBuilder.Build(Spec(new LinePlot("a", X, X), new ReferenceLine("floor", ReferenceAxis.Horizontal, level)));
        ((IPlotModel)model).Update(true);
        var y = model.Axes.Single(a => a.Position == AxisPosition.Left);
        Assert.That(y.ActualMinimum, Is.LessThanOrEqualTo(level));
        Assert.That(model.Annotations.OfType<LineAnnotation>().Single().Y, Is.EqualTo(level));
    }

    [Test]
    public void Build_BoxPlot_UsesCategoryAxisNamedByGroups()
    {
        var box = new BoxPlot("b", [new BoxGroup("GD", [1, 2, 3, 4, 100]), new BoxGroup("Adam", [2, 3, 4])]);
        var model = FigureBuilder.Build(Spec(box));
        var categories = model.Axes.OfType<CategoryAxis>().Single();
        Assert.That(categories.Labels, Is.EqualTo(new[] { "GD", "Adam" }));
        var items = ((BoxPlotSeries)model.Series[0]).Items;
        Assert.That(items[0].Outliers, Is.EqualTo(new[] { 100.0 }), "100 lies beyond Q3 + 1.5 IQR = 4 + 3 = 7");
        Assert.That(items[0].Median, Is.EqualTo(3));
    }

    [Test]
    public void Build_HistogramCounts_SumToSampleSizeWithoutNaN()
    {
        double[] values = [.. Enumerable.Range(0, 97).Select(i => Math.Sin(i)), double.NaN, double.NaN];
        var model = FigureBuilder.Build(Spec(new HistogramPlot("h", values) { Bins = 9 }));
        var series = (HistogramSeries)model.Series[0];
        Assert.That(series.Items, Has.Count.EqualTo(9));
        Assert.That(series.Items.Sum(i => i.Count), Is.EqualTo(97));
        Assert.That(series.Title, Does.Contain("2 NaN left out"));
    }

    [Test]
    public void Build_HistogramDensity_IntegratesToOne()
    {
        double[] values = [.. Enumerable.Range(0, 200).Select(i => Math.Cos(i * 0.37))];
        var model = FigureBuilder.Build(Spec(new HistogramPlot("h", values) { Normalization = HistogramNormalization.Density }));
        double integral = ((HistogramSeries)model.Series[0]).Items.Sum(i => i.Area);
        Testing.NumericAssert.Close(1, integral, Testing.Tolerance.RoundOff);
    }

    [Test]
    public void Build_NonPositiveValueOnLogAxis_NamesFigureItemAndIndex()
    {
        var spec = new FigureSpec("errors", AxisSpec.Log("h"), AxisSpec.Log("e"), [new LinePlot("rk4", [1, 2, 3], [1e-3, 0, 1e-5])]);
        Assert.That(() => FigureBuilder.Build(spec), Throws.ArgumentException
            .With.Message.Contains("Figure 'errors'").And.Message.Contains("'rk4'").And.Message.Contains("y[1] = 0"));
    }

    [Test]
    public void Build_MismatchedLengths_SaysWhichLengths() =>
        Assert.That(() => FigureBuilder.Build(Spec(new LinePlot("a", [1, 2, 3], [1, 2]))),
            Throws.ArgumentException.With.Message.Contains("x has 3 values but y has 2"));

    [Test]
    public void Build_InfiniteValue_IsRejected() =>
        Assert.That(() => FigureBuilder.Build(Spec(new LinePlot("a", [1, 2], [1, double.PositiveInfinity]))),
            Throws.ArgumentException.With.Message.Contains("y[1]"));

    [Test]
    public void Build_NaN_IsAllowedAsGap()
    {
        var model = FigureBuilder.Build(Spec(new LinePlot("a", [1, 2, 3], [1, double.NaN, 3])));
        Assert.That(((LineSeries)model.Series[0]).Points, Has.Count.EqualTo(3));
    }

    [Test]
    public void Build_TwoBoxPlots_AreRejected()
    {
        var box = new BoxPlot("b", [new BoxGroup("g", [1.0])]);
        Assert.That(() => FigureBuilder.Build(Spec(box, box)), Throws.ArgumentException.With.Message.Contains("2 box plots"));
    }

    [Test]
    public void Build_SameSpecTwice_GivesIndependentModels()
    {
        var spec = Spec(new LinePlot("a", X, X));
        var first = FigureBuilder.Build(spec);
        var second = FigureBuilder.Build(spec);
        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(second.Series[0], Is.Not.SameAs(first.Series[0]));
    }

    [Test]
    public void FromRuns_StandardDeviation_IsMeanPlusMinusSampleSd()
    {
        // Runs 1, 2, 3 at every x: mean 2, sample sd 1.
        IReadOnlyList<double>[] runs = [[1, 1], [2, 2], [3, 3]];
        var band = BandPlot.FromRuns("b", [0, 1], runs);
        Assert.That(band.Center, Is.EqualTo(new[] { 2.0, 2.0 }));
        Assert.That(band.Lower, Is.EqualTo(new[] { 1.0, 1.0 }));
        Assert.That(band.Upper, Is.EqualTo(new[] { 3.0, 3.0 }));
        Assert.That(band.Label, Is.EqualTo("b (mean ± sd, n = 3)"));
    }

    [Test]
    public void FromRuns_Interquartile_UsesType7Quartiles()
    {
        // 1,2,3,4: positions 0.75, 1.5, 2.25 → 1.75, 2.5, 3.25.
        IReadOnlyList<double>[] runs = [[4.0], [1.0], [3.0], [2.0]];
        var band = BandPlot.FromRuns("b", [0.0], runs, BandSpread.Interquartile);
        Assert.That((band.Lower[0], band.Center[0], band.Upper[0]), Is.EqualTo((1.75, 2.5, 3.25)));
    }

    [Test]
    public void FromRuns_RunOfWrongLength_SaysWhichRun() =>
        Assert.That(() => BandPlot.FromRuns("b", [0, 1], [[1, 2], [1]]), Throws.ArgumentException.With.Message.Contains("run 1 has 1 values"));

    [TestCase(0, "(a)")]
    [TestCase(5, "(f)")]
    [TestCase(25, "(z)")]
    [TestCase(26, "(aa)")]
    public void PanelLetter_CountsLikeSpreadsheetColumns(int index, string expected) =>
        Assert.That(Export.FigureLayout.PanelLetter(index), Is.EqualTo(expected));
}

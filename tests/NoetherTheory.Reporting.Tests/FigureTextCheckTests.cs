using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;

namespace NoetherTheory.Reporting.Tests;

/// <summary>No title, axis label, tick label or legend entry of a figure is clipped or overlaps other text, measured with
/// the renderer's own text measurement (<see cref="FigureTextCheck"/>); and the check does catch a clipped title.</summary>
[TestFixture]
public sealed class FigureTextCheckTests
{
    private const string LongTitle = "A-1: final test accuracy vs learning rate, unconstrained and constrained runs, min–max over seeds";

    private static IEnumerable<TestCaseData> Sizes()
    {
        foreach (var data in SampleFigures.All())
        {
            var spec = (FigureSpec)data.Arguments[0]!;
            yield return new TestCaseData(spec, FigureSize.Default).SetArgDisplayNames(data.TestName ?? spec.Title, "6x4");
            yield return new TestCaseData(spec, FigureSize.Column).SetArgDisplayNames(data.TestName ?? spec.Title, "3.4x2.6");
        }
    }

    [TestCaseSource(nameof(Sizes))]
    public void Check_GalleryFigure_NothingClippedOrOverlapping(FigureSpec spec, FigureSize size) =>
        Assert.That(FigureTextCheck.Check(spec, size), Is.Empty);

    [Test]
    public void Check_GalleryGrid_NothingClippedOrOverlapping() =>
        Assert.That(FigureTextCheck.Check(SampleFigures.Grid()), Is.Empty);

    [Test]
    public void Check_LongPanelTitlesAndLegendEntries_AreFittedByTheLayout()
    {
        var panel = SampleFigures.Bands() with { Title = LongTitle };
        var withLongLegend = SampleFigures.Scatter() with
        {
            Title = "C-1: final test accuracy vs weight decay",
            Items = [.. SampleFigures.Scatter().Items, new LinePlot("β = 0, scaled by the predicted ratio of the two norms", [-2.0, 2.0], [0.5, -0.5])],
        };
        Assert.That(FigureTextCheck.Check(new FigureGrid([panel, withLongLegend, SampleFigures.Convergence()], 3)), Is.Empty);
    }

    [Test]
    public void Check_RawModelWithLongTitle_ReportsTheCut()
    {
        var model = FigureBuilder.Build(SampleFigures.Bands() with { Title = LongTitle });
        var problems = FigureTextCheck.Check(model, new FigureSize(3.6, 2.8));
        Assert.That(problems.Select(p => p.Text), Does.Contain(LongTitle));
        Assert.That(problems.First(p => p.Text == LongTitle).Problem, Does.Contain("outside the panel"));
    }

    [Test]
    public void Check_TitleWordLongerThanThePanel_CannotBeFittedAndIsReported()
    {
        string word = string.Concat(Enumerable.Repeat("conservation", 12));
        var problems = FigureTextCheck.Check(SampleFigures.Bands() with { Title = word }, new FigureSize(3.6, 2.8));
        Assert.That(problems.Select(p => p.Text), Does.Contain(word));
    }

    [Test]
    public void Check_TwoLabelsAtTheSamePlace_ReportsTheOverlap()
    {
        var spec = SampleFigures.Scatter() with
        {
            Items = [.. SampleFigures.Scatter().Items, new ReferenceLine("reference A", ReferenceAxis.Horizontal, 0.5), new ReferenceLine("reference B", ReferenceAxis.Horizontal, 0.5)],
            Legend = LegendLocation.None,
        };
        // The raw model, as built: the layout would move one label to the other side of the line.
        Assert.That(FigureTextCheck.Check(FigureBuilder.Build(spec), FigureSize.Default).Select(p => p.Problem), Has.Some.Contains("overlaps 'reference B'"));
        Assert.That(FigureTextCheck.Check(spec), Is.Empty, "the layout resolves it");
    }
}

using NoetherTheory.Reporting.Export;

namespace NoetherTheory.Reporting.Tests;

/// <summary>Writes the sample gallery to the test output folder for looking at (not an assertion fixture).</summary>
[TestFixture, Explicit("writes files for visual inspection")]
public sealed class GalleryOutput
{
    [Test]
    public void WriteGallery()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "gallery");
        Directory.CreateDirectory(folder);
        foreach (var data in SampleFigures.All())
        {
            var spec = (Figures.FigureSpec)data.Arguments[0]!;
            string name = data.ArgDisplayNames![0];
            FigureExport.SavePng(spec, Path.Combine(folder, name + ".png"), dpi: 150);
            FigureExport.SaveSvg(spec, Path.Combine(folder, name + ".svg"));
        }

        FigureExport.SavePng(SampleFigures.Grid(), Path.Combine(folder, "grid.png"), dpi: 110);
        FigureExport.SaveSvg(SampleFigures.Grid(), Path.Combine(folder, "grid.svg"));
        var longTitles = new Figures.FigureGrid(
        [
            SampleFigures.Bands() with { Title = "A-1: final test accuracy vs learning rate" },
            SampleFigures.Scatter() with
            {
                Title = "C-1: final test accuracy vs weight decay",
                Items = [.. SampleFigures.Scatter().Items, new Figures.LinePlot("β = 0, scaled by the predicted ratio", [-2.0, 2.0], [0.5, -0.5])],
            },
            SampleFigures.Convergence(),
        ], 3);
        FigureExport.SavePng(longTitles, Path.Combine(folder, "long-titles.png"), dpi: 110);
        FigureExport.SaveSvg(longTitles, Path.Combine(folder, "long-titles.svg"));
        SampleReports.Full().Save(Path.Combine(folder, "report.pdf"));
        TestContext.Out.WriteLine(folder);
        Assert.That(File.Exists(Path.Combine(folder, "report.pdf")));
    }
}

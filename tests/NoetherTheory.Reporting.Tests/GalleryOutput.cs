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
        SampleReports.Full().Save(Path.Combine(folder, "report.pdf"));
        TestContext.Out.WriteLine(folder);
        Assert.That(File.Exists(Path.Combine(folder, "report.pdf")));
    }
}

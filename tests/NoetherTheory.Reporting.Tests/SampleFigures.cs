using NoetherTheory.Reporting.Figures;
using OxyPlot;

namespace NoetherTheory.Reporting.Tests;

/// <summary>A gallery of figures exercising every plot item, shared by the export fixtures (OxyPlot's ExampleLibrary idea).
/// Data are synthetic and deterministic (fixed seeds).</summary>
internal static class SampleFigures
{
    public static FigureSpec Convergence()
    {
        double[] h = [0.2, 0.1, 0.05, 0.025, 0.0125];
        double[] rk4 = [.. h.Select(x => 0.8 * Math.Pow(x, 4) * (1 + (0.05 * Math.Sin(40 * x))))];
        double[] verlet = [.. h.Select(x => 0.3 * x * x)];
        return new FigureSpec("Global error at t = nη = 10", AxisSpec.Log("step size η"), AxisSpec.Log("max |q − q_exact|"),
        [
            new SlopeFitPlot("RK4", h, rk4),
            new SlopeFitPlot("Störmer–Verlet", h, verlet),
            FunctionPlot.PowerLaw("η² guide", 1.0, 2, 0.0125, 0.2, new SeriesStyle(OxyColor.FromRgb(0x99, 0x99, 0x99), LineStyle.Dot, 1)),
        ])
        { Legend = LegendLocation.BottomRight };
    }

    public static FigureSpec Bands()
    {
        var random = new Random(20211206);
        double[] t = [.. Enumerable.Range(0, 101).Select(i => i * 0.1)];
        var runs = Enumerable.Range(0, 5).Select(_ =>
            (IReadOnlyList<double>)[.. t.Select(x => (2 * Math.Exp(-0.3 * x)) + 0.5 + (0.08 * ((random.NextDouble() * 2) - 1)))]).ToList();
        return new FigureSpec("Noether charge ‖w‖² under weight decay", AxisSpec.Linear("t = nη"), AxisSpec.Linear("|w|² (β = 0.9, τ = 1/k)"),
        [
            BandPlot.FromRuns("measured", t, runs),
            new FunctionPlot("prediction ⟨|w|²⟩ = 2e^(−0.3t) + ½", x => (2 * Math.Exp(-0.3 * x)) + 0.5, 0, 10),
            new ReferenceLine("equilibrium ½", ReferenceAxis.Horizontal, 0.5),
        ])
        { Subtitle = "VGG11-BN, 5 seeds" };
    }

    public static FigureSpec Scatter()
    {
        var random = new Random(7);
        double[] x = [.. Enumerable.Range(0, 60).Select(_ => (random.NextDouble() * 4) - 2)];
        double[] y = [.. x.Select(v => (0.5 * v) + (0.1 * ((random.NextDouble() * 2) - 1)))];
        return new FigureSpec("Predicted vs measured dQ/dt", AxisSpec.Linear("predicted"), AxisSpec.Linear("measured"),
        [
            new ScatterPlot("filters", x, y),
            new LinePlot("y = x/2", [-2.0, 2.0], [-1.0, 1.0], SeriesStyle.Prediction),
        ])
        { Legend = LegendLocation.TopLeft };
    }

    public static FigureSpec Histogram()
    {
        var random = new Random(3);
        double[] errors = [.. Enumerable.Range(0, 400).Select(_ => NormalSample(random) * 0.02)];
        return new FigureSpec("Relative error of the NLD prediction", AxisSpec.Linear("relative error"), AxisSpec.Linear("density"),
        [
            new HistogramPlot("conv filters", errors) { Normalization = HistogramNormalization.Density },
        ]);
    }

    public static FigureSpec Boxes()
    {
        var random = new Random(11);
        string[] names = ["GD", "HB β=0.9", "Nesterov", "Adam"];
        var groups = names.Select((n, g) => new BoxGroup(n,
            [.. Enumerable.Range(0, 40).Select(_ => Math.Pow(10, -6 + g + (NormalSample(random) * 0.5)))])).ToList();
        return new FigureSpec("Conservation drift per optimizer", AxisSpec.Linear("optimizer"), AxisSpec.Log("max relative drift of Q"),
        [
            new BoxPlot("drift over 40 cases", groups),
        ])
        { Legend = LegendLocation.None };
    }

    public static IEnumerable<TestCaseData> All()
    {
        yield return new TestCaseData(Convergence()).SetArgDisplayNames("convergence");
        yield return new TestCaseData(Bands()).SetArgDisplayNames("bands");
        yield return new TestCaseData(Scatter()).SetArgDisplayNames("scatter");
        yield return new TestCaseData(Histogram()).SetArgDisplayNames("histogram");
        yield return new TestCaseData(Boxes()).SetArgDisplayNames("boxes");
    }

    public static FigureGrid Grid() => new([Convergence(), Bands(), Scatter(), Histogram(), Boxes(), Convergence() with { Title = "again" }], 3)
    {
        Title = "Six panels in the layout of NLD Fig. 4",
    };

    /// <summary>Box–Muller standard normal sample.</summary>
    public static double NormalSample(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

using NoetherTheory.Cli.Reports;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Pdf;
using NoetherTheory.Validation;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Cli.Tests;

/// <summary>Every figure a report makes (verification orders and laws, error ratios, compiled flows, filter norms, errors
/// and learning rates, the Fig. 4 grid), built from small synthetic results with the report's own titles, labels and
/// legends, has no text cut or overlapping, at its exported size and at the size the PDF lays it out at.</summary>
[TestFixture]
public sealed class ReportFiguresTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-figures-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static List<double> Range(int n, Func<int, double> f) => [.. Enumerable.Range(0, n).Select(f)];

    private static VerificationEntry Case(string name, string suite, TraceEntry trace, double error = 1e-6, double bound = 1e-4) =>
        new(name, suite, "law", "|w|²", 1, 1 + error, error, bound, bound, 0, null, error <= bound, 0.01, "")
        { Trace = trace };

    private static VerifyDocument Verification()
    {
        double[] eta = [0.1, 0.05, 0.025, 0.0125];
        TraceEntry Order(string title) => new(title, "learning rate η", "|q_discrete(T) − q_flow(T)|", true, true,
        [
            new SeriesEntry("heavy-ball against the second-order modified equation", "measured", eta, [.. eta.Select(h => 0.3 * h * h)]),
            new SeriesEntry("η² guide", "guide", eta, [.. eta.Select(h => h * h)]),
        ]);
        TraceEntry Law(string title) => new(title, "t = nη", "|w|² (β = 0.9)", false, false,
        [
            new SeriesEntry("measured (discrete optimizer)", "measured", Range(50, i => i * 0.1), Range(50, i => 1 + Math.Exp(-0.1 * i))),
            new SeriesEntry("β = 0, scaled by the predicted ratio", "predicted", Range(50, i => i * 0.1), Range(50, i => 1 + Math.Exp(-0.1 * i) * 1.01)),
            new SeriesEntry("Neural Mechanics Green's-function law", "guide", Range(50, i => i * 0.1), Range(50, i => 1.05)),
        ]);
        var records = new List<VerificationEntry>();
        foreach (string name in new[] { "heavy-ball-rescale-nonlinear-oscillator", "nesterov-scale", "decoupled-weight-decay-scale" })
            records.Add(Case(name + "-order", "orders", Order(name)));
        foreach (string name in new[] { "heavy-ball-scale-invariant-weight-decay", "nesterov-rescale-nonlinear", "gd-rotation", "adam-scale", "rmsprop-scale", "hb-decoupled", "sgd-linear-two-layer" })
            records.Add(Case(name, "laws", Law(name)));
        records.Add(Case("exact-identity", "exact", new TraceEntry("", "x", "y", false, false, []), 1e-17, 1e-12));
        return new VerifyDocument(records.Count, 0, records);
    }

    private static CompareDocument Comparisons()
    {
        ComparisonEntry Entry(string rule, string model) => new(rule, model, 0.9, 0, 2, "q = 1",
            [.. new[] { 0.1, 0.05, 0.025 }.Select(h => new ComparisonRowEntry(h, (int)(2 / h), h, h * h, h * h * h))], 1, 2, 3);
        return new CompareDocument([Entry("heavy-ball", "rayleigh"), Entry("nesterov", "linear-scalar"), Entry("gd", "cosine")]);
    }

    private static FilterTrace Trace(string layer) =>
        new(layer, 0, Enumerable.Range(0, 6).Select(n => new FilterSample(n * 10, 1 - 0.01 * n, 1, n == 0 ? 0 : 0.5, 1e-8, n == 0 ? 0 : -0.01, 0, 0.8)).ToList());

    private static ValidateDocument DeepNet()
    {
        var filters = new[] { 0.0, 1e-5 }.Select(eps => FilterCheckValidation.ToEntry(
            eps == 0 ? "filters-eps0" : "filters-eps1e-5",
            FilterChecks.Analyse([Trace("features.0"), Trace("features.4"), Trace("features.8"), Trace("features.11"), Trace("features.15")],
                new FilterCheckSettings(0.01, 0.9, 5e-4, 0, false, false, false, eps, 60)))).ToList();

        var panels = new (string Panel, double[] Values)[] { ("A", [0.001, 0.003, 0.01, 0.03]), ("B", [0, 0.5, 0.9, 0.95]), ("C", [0, 1e-4, 5e-4, 1e-3]) };
        var runs = new List<GridRunEntry>();
        foreach (var (panel, values) in panels)
            foreach (double value in values)
                foreach (bool constrained in new[] { false, true })
                    foreach (long seed in new long[] { 1, 2 })
                        runs.Add(new GridRunEntry(panel, value, constrained, seed, 0.85 + 0.001 * seed + (constrained ? 0.002 : 0), 0.4,
                            [.. Enumerable.Range(0, 6).Select(k => new CurvePointEntry(k * 100, 2.3 * Math.Exp(-0.3 * k) + 0.01 * seed))]));
        return new ValidateDocument("fig4-cpu", "validation/experiments/fig4-cpu.yaml", "Fashion-MNIST", "cpu", [], runs,
            Fig4GridValidation.Analyse(runs), filters);
    }

    [Test]
    public void Report_EveryFigure_HasNoTextCutOrOverlapping()
    {
        var inputs = new ReportInputs { Verification = Verification(), Comparisons = Comparisons(), DeepNet = [DeepNet()] };
        var summary = ReportWriter.Write(inputs, Path.Combine(_root, "report"), "noether report (test)", dpi: 72);

        var names = summary.FigureSources.Select(f => f.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "verification-error-ratio", "verification-orders-1", "verification-laws-1", "verification-laws-2", "compiled-flows",
            "filters-filters-eps0-norms", "filters-filters-eps0-errors", "filters-filters-eps0-effective-lr", "fig4-grid",
        }), "the synthetic inputs reach every figure the report makes");
        var pdf = new ReportDocument(new ReportOptions("t"));
        var problems = new List<string>();
        foreach (var (name, spec, grid, size) in summary.FigureSources)
        {
            var exported = size ?? (grid is null ? FigureSize.Default : FigureExport.DefaultGridSize(grid));
            foreach (var at in new[] { exported, pdf.FigureSizeOnPage(exported) }.Distinct())
            {
                var found = grid is null ? FigureTextCheck.Check(spec!, at) : FigureTextCheck.Check(grid, at);
                problems.AddRange(found.Select(p => $"{name} at {at}: {p}"));
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Report_DpiOption_SetsThePngResolution()
    {
        string results = Path.Combine(_root, "results.json");
        File.WriteAllText(results, ResultDocuments.Serialize(Verification()));
        var r = CliRunner.Run("report", "--from", results, "--out", Path.Combine(_root, "r"), "--dpi", "100");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        byte[] png = File.ReadAllBytes(Path.Combine(_root, "r", "figures", "verification-error-ratio.png"));
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(600), "IHDR width: 6 inches at 100 DPI");

        var bad = CliRunner.Run("report", "--from", results, "--out", Path.Combine(_root, "r2"), "--dpi", "5000");
        Assert.That(bad.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(bad.Error, Does.Contain("--dpi"));
    }
}

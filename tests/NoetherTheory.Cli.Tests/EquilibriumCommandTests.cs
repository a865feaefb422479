using System.Globalization;
using NoetherTheory.Cli.Reports;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Tests;

/// <summary><c>noether equilibrium</c>: per-run tables, the Fig. 4 forecast written before the results and its score (issue 16
/// parts 3 and 4), on a hand-made grid folder; and the report section that shows them.</summary>
[TestFixture]
public sealed class EquilibriumCommandTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-equilibrium-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static string Config(string name, double lr, bool constrained) => string.Create(CultureInfo.InvariantCulture, $"""
        name: '{name}'
        seed: 1
        steps: 400
        batch_size: 64
        log_every: 10
        measure_every: 10
        constrain_filter_norms: {(constrained ? "true" : "false")}
        dataset:
          kind: fashion-mnist
        model:
          width: 0.25
          head: gap
        optimizer:
          lr: {lr}
          momentum: 0.9
          weight_decay: 0.0005
        """);

    // r₀² = 2 and r² = 2/ρ from step 100 on; angles at θ* of η = lr, β = 0.9, k = 5e-4.
    private string Cell(string id, double lr, bool constrained, double rho, bool finished = true)
    {
        string dir = Path.Combine(_root, "grid", "cells", id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.yaml"), Config(id, lr, constrained));
        if (finished) File.WriteAllText(Path.Combine(dir, "result.yaml"), "test_accuracy: 0.5\n");
        double theta = Math.Sqrt(2 * lr * 5e-4 / 1.9);
        var lines = new List<string> { "step,layer,filter,w2,g2,v2,wg,wv,wg_pred,bn_var,angle" };
        for (int n = 0; n <= 400; n += 10)
            foreach (var layer in new[] { "features.0", "features.4" })
                for (int f = 0; f < 2; f++)
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"{n},{layer},{f},{(n < 100 ? 2 : 2 / rho)},0.01,0.05,0,0,0,1,{theta}"));
        File.WriteAllText(Path.Combine(dir, "filters.csv"), string.Join("\n", lines) + "\n");
        return dir;
    }

    private void Grid(bool finished = true)
    {
        Cell("A-lr0.01-free-s1", 0.01, false, 3.0, finished);
        Cell("A-lr0.01-constrained-s1", 0.01, true, 1.0);
        Cell("A-lr0.1-free-s1", 0.1, false, 0.5, finished);
        Cell("A-lr0.1-constrained-s1", 0.1, true, 1.0);
    }

    // A summary.json with constrained accuracies 0.80 (η = 0.01) and 0.90 (η = 0.1) and the unconstrained ones given.
    private string Summary(double free01, double free1)
    {
        GridCellEntry G(double eta, bool constrained, double acc) => new("A", eta, constrained, 1, acc, 0.001, 0.4, 0.01);
        CellEntry C(string id, double eta, bool constrained) => new(id, "grid", "A", "lr", eta, constrained, 1, 0.5, 0.4, 0.4, 1, "cpu", null,
            Path.Combine(_root, "grid", "cells", id), "Fashion-MNIST");
        var doc = new ValidateDocument("fig4-test", "t.yaml", "Fashion-MNIST", "cpu",
            [C("A-lr0.01-free-s1", 0.01, false), C("A-lr0.01-constrained-s1", 0.01, true), C("A-lr0.1-free-s1", 0.1, false), C("A-lr0.1-constrained-s1", 0.1, true)],
            [], new Fig4Entry([G(0.01, true, 0.80), G(0.1, true, 0.90), G(0.01, false, free01), G(0.1, false, free1)], []), []);
        string path = Path.Combine(_root, $"summary-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ResultDocuments.Serialize(doc));
        return path;
    }

    private string Forecast()
    {
        string path = Path.Combine(_root, "forecast.json");
        var r = CliRunner.Run("equilibrium", "--predict", "--grid", Path.Combine(_root, "grid"), "--out", path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        return path;
    }

    [Test]
    public void Predict_WritesTheRatiosOfTheUnconstrainedCells_Once()
    {
        Grid();
        string path = Forecast();
        var forecast = ResultDocuments.Read<ForecastDocument>(path);
        Assert.That(forecast.Inputs.Select(i => i.Cell), Is.EqualTo(new[] { "A-lr0.01-free-s1", "A-lr0.1-free-s1" }), "constrained cells are not read");
        Assert.That(forecast.Cells.Select(c => c.Ratio), Is.EqualTo(new[] { 3.0, 0.5 }).Within(1e-9));
        Assert.That(forecast.Inputs[0].Sha256, Has.Length.EqualTo(64));
        Assert.That(forecast.Method, Does.Contain("no accuracy"));
        var again = CliRunner.Run("equilibrium", "--predict", "--grid", Path.Combine(_root, "grid"), "--out", path);
        Assert.That(again.ExitCode, Is.EqualTo(2));
        Assert.That(again.Error, Does.Contain("exists"));
    }

    [Test]
    public void Predict_LeavesOutRunningCells_UnlessAnEarlyWindowIsGiven()
    {
        Grid(finished: false);
        var none = CliRunner.Run("equilibrium", "--predict", "--grid", Path.Combine(_root, "grid"), "--out", Path.Combine(_root, "f1.json"));
        Assert.That(none.ExitCode, Is.EqualTo(2));
        Assert.That(none.Error, Does.Contain("still running").And.Contain("--until-step"));
        var early = CliRunner.Run("equilibrium", "--predict", "--grid", Path.Combine(_root, "grid"), "--out", Path.Combine(_root, "f2.json"), "--until-step", "300");
        Assert.That(early.ExitCode, Is.EqualTo(0), early.Error);
        Assert.That(ResultDocuments.Read<ForecastDocument>(Path.Combine(_root, "f2.json")).UntilStep, Is.EqualTo(300));
    }

    [Test]
    public void Score_AGridAsPredicted_Holds_AndAPerturbedOne_Fails()
    {
        Grid();
        string forecast = Forecast();
        // ρ = 3 at η = 0.01 → η' = 0.03: 0.80 + 0.10·log10(3) = 0.8477; ρ = 0.5 at η = 0.1 → 0.05: 0.90 − 0.10·log10(2) = 0.8699.
        string scorePath = Path.Combine(_root, "score.json");
        var good = CliRunner.Run("equilibrium", "--score", forecast, "--results", Summary(0.8477, 0.8699), "--out", scorePath);
        Assert.That(good.ExitCode, Is.EqualTo(0), good.Out + good.Error);
        Assert.That(good.Out, Does.Contain("forecast holds"));
        var score = ResultDocuments.Read<ForecastScoreDocument>(scorePath);
        Assert.That(score.Cells.Select(c => c.PredictedAccuracy), Is.EqualTo(new[] { 0.80 + (0.1 * Math.Log10(3)), 0.90 - (0.1 * Math.Log10(2)) }).Within(1e-9));
        Assert.That(score.Cells.Select(c => (c.RunsFinishedBefore, c.Runs)), Is.All.EqualTo((2, 2)), "the results were there before the forecast");
        var bad = CliRunner.Run("equilibrium", "--score", forecast, "--results", Summary(0.80, 0.8699));
        Assert.That(bad.ExitCode, Is.EqualTo(1));
        Assert.That(bad.Out, Does.Contain("doesNotHold"));
    }

    [Test]
    public void Run_WritesThePerLayerDocument()
    {
        string dir = Cell("A-lr0.1-free-s1", 0.1, false, 0.5);
        string path = Path.Combine(_root, "equilibrium.json");
        var r = CliRunner.Run("equilibrium", "--run", dir, "--out", path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        var doc = ResultDocuments.Read<EquilibriumDocument>(path);
        var run = doc.Runs.Single();
        Assert.That(run.Rule, Is.EqualTo("heavy-ball"));
        Assert.That(run.PredictedAngle, Is.EqualTo(Math.Sqrt(2 * 0.1 * 5e-4 / 1.9)).Within(1e-9));
        Assert.That(run.Layers.Select(l => l.AngleError), Is.All.LessThan(1e-9), "the angles are θ*");
        Assert.That(run.Layers.Select(l => l.MomentumRatio), Is.All.EqualTo(5).Within(1e-9), "|v|²/|g|² = 0.05/0.01");
        Assert.That(run.Equilibrated, Is.False, "400 steps < 3 × 500");
    }

    [Test]
    public void Report_FromTheThreeDocuments_ShowsTheSections()
    {
        Grid();
        string forecastPath = Forecast();
        string scorePath = Path.Combine(_root, "score.json"), equilibriumPath = Path.Combine(_root, "equilibrium.json");
        CliRunner.Run("equilibrium", "--score", forecastPath, "--results", Summary(0.8477, 0.8699), "--out", scorePath);
        CliRunner.Run("equilibrium", "--run", Path.Combine(_root, "grid", "cells", "A-lr0.1-free-s1"), "--out", equilibriumPath);
        string outDir = Path.Combine(_root, "report");
        var r = CliRunner.Run("report", "--from", forecastPath, "--from", scorePath, "--from", equilibriumPath, "--out", outDir);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        string index = File.ReadAllText(Path.Combine(outDir, "index.md"));
        Assert.That(index, Does.Contain("Fig. 4 panel A predicted from the measured equilibrium").And.Contain("**holds**"));
        Assert.That(index, Does.Contain("Equilibrium: A-lr0.1-free-s1").And.Contain("NOT equilibrated"));
        Assert.That(File.Exists(Path.Combine(outDir, "manifest.json")), Is.True);
    }

    [TestCase(new[] { "equilibrium" }, "exactly one of")]
    [TestCase(new[] { "equilibrium", "--predict", "--out", "x.json" }, "--grid")]
    [TestCase(new[] { "equilibrium", "--predict", "--grid", "." }, "--out")]
    [TestCase(new[] { "equilibrium", "--score", "f.json" }, "--results")]
    public void BadArguments_ExitTwo_AndSayWhatIsMissing(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain(expected));
    }

    [Test]
    public void BadInputs_ExitTwo_WithTheFileNamed()
    {
        var noCells = CliRunner.Run("equilibrium", "--predict", "--grid", _root, "--out", Path.Combine(_root, "f.json"));
        Assert.That(noCells.ExitCode, Is.EqualTo(2));
        Assert.That(noCells.Error, Does.Contain("no cells/ folder"));
        string notForecast = Summary(0.8, 0.9);
        var wrongKind = CliRunner.Run("equilibrium", "--score", notForecast, "--results", notForecast);
        Assert.That(wrongKind.ExitCode, Is.EqualTo(2));
        Assert.That(wrongKind.Error, Does.Contain(notForecast).And.Contain("noether.forecast/1"));
        Grid();
        var folder = CliRunner.Run("equilibrium", "--score", Forecast(), "--results", _root);
        Assert.That(folder.ExitCode, Is.EqualTo(2));
        Assert.That(folder.Error, Does.Contain("--experiment"));
        var protocol = CliRunner.Run("equilibrium", "--score", Path.Combine(_root, "forecast.json"), "--results", _root, "--experiment", Path.Combine(_root, "none.yaml"));
        Assert.That(protocol.ExitCode, Is.EqualTo(2));
        Assert.That(protocol.Error, Does.Contain("none.yaml"));
    }

    [Test]
    public void TheReportSection_ShowsTheForecastTheScoreAndTheVerdict()
    {
        Grid();
        string forecastPath = Forecast();
        string scorePath = Path.Combine(_root, "score.json");
        CliRunner.Run("equilibrium", "--score", forecastPath, "--results", Summary(0.80, 0.8699), "--out", scorePath);
        var index = new MarkdownIndex("t");
        var report = new ReportContext(_root, new ReportDocument(new ReportOptions("t")), index);
        EquilibriumSection.Write(report, ResultDocuments.Read<ForecastDocument>(forecastPath), ResultDocuments.Read<ForecastScoreDocument>(scorePath));
        string text = index.ToMarkdown();
        Assert.That(text, Does.Contain("Fig. 4 panel A predicted from the measured equilibrium"));
        Assert.That(text, Does.Contain("**doesNotHold**"));
        Assert.That(text, Does.Contain("| A-lr0.01-free-s1 |"));
        Assert.That(text, Does.Contain("0.8477"), "the predicted accuracy at η = 0.01");
    }
}

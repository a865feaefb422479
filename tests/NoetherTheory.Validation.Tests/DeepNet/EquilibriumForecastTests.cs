using NoetherTheory.Core.Documents;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The Fig. 4 forecast from the measured effective learning rate and its score (issue 16 part 4), on hand-made
/// traces and grids whose answers are known.</summary>
[TestFixture]
public sealed class EquilibriumForecastTests
{
    // Interpolation and geometric means of exact inputs: only round-off.
    private const double Exact = 1e-12;

    // Two layers × three filters, r₀² = 2, r² falling to 2/ρ from step 100 on (so the window, the last 25% of steps 0..400,
    // sees ρ exactly), measured every 10 steps.
    private static ForecastRun Run(double eta, long seed, double rho, double lastRho = double.NaN, int firstStep = 0)
    {
        var traces = new List<FilterTrace>();
        foreach (var layer in new[] { "features.0", "features.4" })
            for (int f = 0; f < 3; f++)
            {
                var samples = new List<FilterSample>();
                for (int n = firstStep; n <= 400; n += 10)
                {
                    double ratio = n < 100 ? 1 : n == 400 && !double.IsNaN(lastRho) ? lastRho : rho;
                    samples.Add(new FilterSample(n, 2 / ratio, 0.01, 0, 0, 0));
                }
                traces.Add(new FilterTrace(layer, f, samples));
            }
        return new ForecastRun($"A-lr{eta}-free-s{seed}", "A", eta, seed, "filters.csv", "00", traces);
    }

    private static ForecastDocument Document(IReadOnlyList<ForecastCellEntry> cells) =>
        new("grid", "/grid", "abc", "2026-12-06T06:00:00Z", null, EquilibriumForecast.WindowFraction, EquilibriumForecast.Method, [], cells);

    // Constrained accuracies 0.80, 0.85, 0.88 at η = 0.01, 0.03, 0.1 (half ranges 0.002); unconstrained ones as given.
    private static List<GridCellEntry> Grid(double free01, double free03, double free1, double half = 0.002) =>
    [
        new("A", 0.01, true, 2, 0.80, half, 0.5, 0.01), new("A", 0.03, true, 2, 0.85, half, 0.4, 0.01), new("A", 0.1, true, 2, 0.88, half, 0.3, 0.01),
        new("A", 0.01, false, 2, free01, half, 0.5, 0.01), new("A", 0.03, false, 2, free03, half, 0.4, 0.01), new("A", 0.1, false, 2, free1, half, 0.3, 0.01),
    ];

    private static ForecastScoreDocument Score(IReadOnlyList<ForecastCellEntry> cells, IReadOnlyList<GridCellEntry> grid) =>
        EquilibriumForecast.Score(Document(cells), grid, new Dictionary<double, (int, int)>(), ("f.json", "00", "summary.json", "2026-12-06T07:00:00Z"));

    private static ForecastCellEntry Cell(double eta, double rho, double low, double high) => new("A", eta, 2, rho, low, high, rho * eta, "");

    [Test]
    public void Predict_MeasuresRho_AsR0SquaredOverRSquared_WithTheBandOverSeeds()
    {
        var (inputs, cells) = EquilibriumForecast.Predict([Run(0.03, 1, 2.0), Run(0.03, 2, 3.0), Run(0.1, 1, 0.5)], (long?)null);
        Assert.That(inputs[0].Ratio, Is.EqualTo(2.0).Within(Exact));
        Assert.That(inputs[0].WindowStart, Is.EqualTo(300), "the last 25% of 41 measured steps starts at index 30");
        Assert.That(inputs[0].Layers.Select(l => l.Ratio), Is.EqualTo(new[] { 2.0, 2.0 }).Within(Exact));
        Assert.That(cells, Has.Count.EqualTo(2));
        var c = cells[0];
        Assert.That(c.LearningRate, Is.EqualTo(0.03));
        Assert.That(c.Seeds, Is.EqualTo(2));
        Assert.That(c.Ratio, Is.EqualTo(Math.Sqrt(6)).Within(Exact), "geometric mean over seeds");
        Assert.That(c.RatioLow, Is.EqualTo(2.0).Within(Exact));
        Assert.That(c.RatioHigh, Is.EqualTo(3.0).Within(Exact));
        Assert.That(c.EquivalentLearningRate, Is.EqualTo(0.03 * Math.Sqrt(6)).Within(Exact));
        Assert.That(cells[1].Ratio, Is.EqualTo(0.5).Within(Exact));
    }

    [Test]
    public void Predict_AnEarlyWindow_UsesOnlyStepsUpToIt_AndTheBandCoversTheDrift()
    {
        var (inputs, _) = EquilibriumForecast.Predict([Run(0.03, 1, 2.0)], untilStep: 200);
        Assert.That(inputs[0].LastStep, Is.EqualTo(200));
        Assert.That(inputs[0].WindowStart, Is.EqualTo(150));
        var (_, drift) = EquilibriumForecast.Predict([Run(0.03, 1, 2.0, lastRho: 4.0)], (long?)null);
        Assert.That(drift[0].RatioHigh, Is.EqualTo(4.0).Within(Exact), "ρ at the last step widens the band");
    }

    [Test]
    public void Predict_WithoutStepZero_NamesTheRun()
    {
        Assert.That(() => EquilibriumForecast.Predict([Run(0.03, 7, 2.0, firstStep: 10)], (long?)null),
            Throws.TypeOf<NoetherTheoryException>().With.Message.Contains("A-lr0.03-free-s7").And.Message.Contains("r₀"));
    }

    [Test]
    public void Interpolate_IsPiecewiseLinear_AndExtrapolatesFromTheEndSegments()
    {
        double[] x = [0, 1, 3], y = [0, 2, 3];
        Assert.That(EquilibriumForecast.Interpolate(x, y, 0.5), Is.EqualTo(1).Within(Exact));
        Assert.That(EquilibriumForecast.Interpolate(x, y, 2), Is.EqualTo(2.5).Within(Exact));
        Assert.That(EquilibriumForecast.Interpolate(x, y, -1), Is.EqualTo(-2).Within(Exact));
        Assert.That(EquilibriumForecast.Interpolate(x, y, 5), Is.EqualTo(4).Within(Exact));
        Assert.That(EquilibriumForecast.Interpolate(x, y, double.NaN), Is.NaN);
    }

    [Test]
    public void Score_AGridThatBehavesAsPredicted_Holds_AndBeatsTheNullPrediction()
    {
        // ρ = √10 at η = 0.01 → η' = 0.0316: the constrained accuracy interpolated there is 0.85 + 0.03·ln(0.0316/0.03)/ln(0.1/0.03).
        double rho = Math.Sqrt(10);
        double predicted = 0.85 + (0.03 * Math.Log(rho * 0.01 / 0.03) / Math.Log(0.1 / 0.03));
        var score = Score([Cell(0.01, rho, rho, rho)], Grid(predicted, 0.85, 0.88));
        var c = score.Cells.Single();
        Assert.That(c.PredictedAccuracy, Is.EqualTo(predicted).Within(Exact));
        Assert.That(c.Extrapolated, Is.False);
        Assert.That(c.Tolerance, Is.EqualTo(2 * Math.Sqrt(2) * 0.002).Within(Exact), "2·√(h² + h²) = 0.00566, above the 0.005 floor");
        Assert.That(c.Verdict, Is.EqualTo("holds"));
        Assert.That(c.PredictedGapSign, Is.EqualTo(1));
        Assert.That(c.MeasuredGapSign, Is.EqualTo(1));
        Assert.That(score.Verdict, Is.EqualTo("holds"));
        Assert.That(score.ForecastMeanAbsoluteError, Is.LessThan(score.NullMeanAbsoluteError));
    }

    [Test]
    public void Score_APerturbedPrediction_Fails()
    {
        // Same grid, but the forecast says ρ = 0.3 (η' = 0.003, below the measured range: extrapolated below 0.80).
        double rho = Math.Sqrt(10);
        double measured = 0.85 + (0.03 * Math.Log(rho * 0.01 / 0.03) / Math.Log(0.1 / 0.03));
        var score = Score([Cell(0.01, 0.3, 0.25, 0.35)], Grid(measured, 0.85, 0.88));
        var c = score.Cells.Single();
        Assert.That(c.Extrapolated, Is.True);
        Assert.That(c.Verdict, Is.EqualTo("doesNotHold"));
        Assert.That(c.Evidence, Does.Contain("outside by"));
        Assert.That(score.Verdict, Is.EqualTo("doesNotHold"));
    }

    [Test]
    public void Score_ABandWiderThanTheMiss_Holds_ButOneOutsideTheBandPlusTolerance_Fails()
    {
        // ρ band 1–3 at η = 0.01 spans constrained 0.80..0.85; with the tolerance 0.00566 anything in [0.7943, 0.8557] is inside.
        Assert.That(Score([Cell(0.01, 2, 1, 3)], Grid(0.852, 0.85, 0.88)).Verdict, Is.EqualTo("holds"));
        Assert.That(Score([Cell(0.01, 2, 1, 3)], Grid(0.8601, 0.85, 0.88)).Verdict, Is.EqualTo("doesNotHold"));
        Assert.That(Score([Cell(0.01, 2, 1, 3)], Grid(0.79, 0.85, 0.88)).Verdict, Is.EqualTo("doesNotHold"));
    }

    [Test]
    public void Score_TheToleranceGrowsWithTheSeedSpread()
    {
        var c = Score([Cell(0.03, 1, 1, 1)], Grid(0.8, 0.85, 0.88, half: 0.01)).Cells.Single();
        Assert.That(c.Tolerance, Is.EqualTo(2 * Math.Sqrt(2e-4)).Within(Exact));
    }

    [Test]
    public void Score_NaN_Fails_MissingResultsArePending_AndNothingToScoreFails()
    {
        Assert.That(Score([Cell(0.03, double.NaN, double.NaN, double.NaN)], Grid(0.85, 0.85, 0.88)).Verdict, Is.EqualTo("doesNotHold"), "NaN ρ");
        Assert.That(Score([Cell(0.03, 1, 1, 1)], Grid(double.NaN, double.NaN, double.NaN)).Verdict, Is.EqualTo("doesNotHold"), "NaN accuracy");
        var missing = Score([Cell(0.3, 1, 1, 1)], Grid(0.8, 0.85, 0.88));
        Assert.That(missing.Cells.Single().Verdict, Is.EqualTo("pending"));
        Assert.That(missing.Cells.Single().Evidence, Does.Contain("no unconstrained result"));
        Assert.That(missing.Verdict, Is.EqualTo("incomplete"), "pending is neither a pass nor a failure");
        var small = Score([Cell(0.03, 1, 1, 1)], [.. Grid(0.8, 0.85, 0.88).Where(g => !g.Constrained || g.Value == 0.03)]).Cells.Single();
        Assert.That(small.Verdict, Is.EqualTo("pending"));
        Assert.That(small.Evidence, Does.Contain("needs two"));
        var noNull = Score([Cell(0.03, 1, 1, 1)], [.. Grid(0.8, 0.85, 0.88).Where(g => !(g.Constrained && g.Value == 0.03))]).Cells.Single();
        Assert.That(noNull.Verdict, Is.EqualTo("pending"));
        var nanPending = Score([Cell(0.3, double.NaN, 1, 1), Cell(0.03, 1, 1, 1)], Grid(0.8, 0.85, 0.88));
        Assert.That(nanPending.Cells[0].Verdict, Is.EqualTo("doesNotHold"), "a NaN forecast fails even before its results exist");
        Assert.That(nanPending.Verdict, Is.EqualTo("doesNotHold"));
        Assert.That(Score([], Grid(0.8, 0.85, 0.88)).Verdict, Is.EqualTo("doesNotHold"), "nothing to score is not a pass");
    }

    [Test]
    public void Documents_RoundTrip()
    {
        var (inputs, cells) = EquilibriumForecast.Predict([Run(0.03, 1, 2.0)], 300);
        var forecast = Document(cells) with { Inputs = inputs, UntilStep = 300 };
        var back = ResultDocuments.Parse(ResultDocuments.Serialize(forecast), "f.json");
        Assert.That(back, Is.TypeOf<ForecastDocument>());
        Assert.That(((ForecastDocument)back).Cells[0].Ratio, Is.EqualTo(2.0).Within(Exact));
        Assert.That(((ForecastDocument)back).UntilStep, Is.EqualTo(300));
        var score = Score(cells, Grid(0.8, 0.85, 0.88));
        Assert.That(ResultDocuments.Parse(ResultDocuments.Serialize(score), "s.json"), Is.TypeOf<ForecastScoreDocument>());
    }
}

using System.Text.RegularExpressions;
using CsCheck;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Testing;

namespace NoetherTheory.Validation.Tests.Cases;

[TestFixture]
public sealed class CaseTheoryFieldTests
{
    private const string Valid = """
        { "id": "x", "suite": "exact", "model": "rayleigh", "law": "symmetry-constraints",
          "quantity": "q", "tolerance": { "abs": 1e-13 }, "why": "round-off of a short dot product" }
        """;

    private static string With(string theory) => Valid.Replace("\"id\": \"x\",", "\"id\": \"x\", \"theory\": " + theory + ",", StringComparison.Ordinal);

    [Test]
    public void Theory_AcceptsOneCitationOrAList()
    {
        Assert.That(CaseLoader.Parse(Valid, "x.json").Theory, Is.Empty);
        Assert.That(CaseLoader.Parse(With("\"theory/05-learning-dynamics.md#eq-5-3\""), "x.json").Theory,
            Is.EqualTo(new[] { "theory/05-learning-dynamics.md#eq-5-3" }));
        Assert.That(CaseLoader.Parse(With("[\"theory/03-noether.md#eq-3-9\", \"theory/01-learning-lagrangian.md#eq-1-9\"]"), "x.json").Theory,
            Has.Count.EqualTo(2));
    }

    [TestCase("\"C.3\"", "theory")]
    [TestCase("[\"theory/03-noether.md#eq-3-9\", \"theory/03-noether.md\"]", "theory[1]")]
    [TestCase("[]", "theory")]
    [TestCase("3", "theory")]
    public void Theory_RejectsMalformedCitations(string theory, string field)
    {
        var ex = Assert.Throws<CaseFormatException>(() => CaseLoader.Parse(With(theory), "bad.json"));
        Assert.That(ex!.Field, Is.EqualTo(field));
        Assert.That(ex.Message, Does.Contain("theory/05-learning-dynamics.md#eq-5-3"), "the message shows the expected form");
    }

    [Test]
    public void RepositoryCases_EachCiteAnchorsThatExist()
    {
        var anchors = Directory.EnumerateFiles(RepositoryPaths.Combine("theory"), "*.md")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "<a id=\"(eq-[0-9]+-[0-9]+)\"></a>")
                .Select(m => $"theory/{Path.GetFileName(f)}#{m.Groups[1].Value}"))
            .ToHashSet(StringComparer.Ordinal);
        var cases = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"));
        Assert.That(cases.Where(c => c.Theory.Count == 0).Select(c => c.Id), Is.Empty, "cases without a theory anchor");
        Assert.That(cases.SelectMany(c => c.Theory.Where(t => !anchors.Contains(t)).Select(t => $"{c.Id}: {t}")), Is.Empty,
            "cited anchors missing from theory/*.md");
        Assert.That(VerificationSuite.Run(cases[0]).Theory, Is.EqualTo(cases[0].Theory), "records carry the citation");
    }
}

[TestFixture]
public sealed class TraceTests
{
    private static readonly IReadOnlyList<VerificationCase> Cases = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"));

    // Observed orders on a log-log sweep in the asymptotic range: p ± 0.2 (the same slack as IntegratorTests).
    private const double OrderSlack = 0.2;
    // A least-squares line in log-log space passes exactly through the centroid; exp/log of O(10) logs and the
    // averages of ≤ 10 terms leave ~1e-14 relative, so 1e-12 is round-off with headroom.
    private static readonly Tolerance FitThroughCentroid = Tolerance.Relative(1e-12);
    // Fig. 4's large-η slowdown is a visible effect on O(1) losses, far above integrator and round-off error: the
    // unconstrained curve must rise at least 0.1 above the constrained one somewhere, not merely differ.
    private const double LargeLrLossGap = 0.1;

    private static VerificationCase Case(string id) => Cases.Single(c => c.Id == id);

    public static IEnumerable<TestCaseData> TracedCases() =>
        Cases.Where(VerificationSuite.CanTrace).Select(c => new TestCaseData(c).SetName($"Trace/{c.Id}"));

    [TestCaseSource(nameof(TracedCases))]
    public void EveryTracedCase_GivesMeasuredAndPredictedSeriesBesideAPassingVerdict(VerificationCase c)
    {
        var trace = VerificationSuite.Trace(c);
        Assert.That(trace.Record.Passed, Is.True, trace.Record.Detail);
        Assert.That(trace.Series.Select(s => s.Role), Does.Contain(SeriesRole.Measured));
        Assert.That(trace.Series.Select(s => s.Role), Does.Contain(SeriesRole.Predicted).Or.Contain(SeriesRole.Guide));
        foreach (var s in trace.Series)
        {
            Assert.That(s.X, Has.Count.EqualTo(s.Y.Count), s.Name);
            Assert.That(s.X, Has.Count.InRange(2, VerificationSuite.MaxTracePoints + 1), s.Name);
            Assert.That(s.Y.All(double.IsFinite), s.Name + " is finite");
        }
        Assert.That(trace.XLabel, Is.Not.Empty);
        Assert.That(trace.YLabel, Is.Not.Empty);
    }

    [TestCase("momentum-green-persistent")]
    [TestCase("eq17-persistent")]
    [TestCase("nm-wd-scale-continuous")]
    [TestCase("nm-wd-translation-continuous")]
    public void FinalValueLaws_TraceEndsAtTheJudgedPair(string id)
    {
        var c = Case(id);
        var trace = VerificationSuite.Trace(c);
        var measured = trace.Series.Single(s => s.Role == SeriesRole.Measured);
        var predicted = trace.Series.Single(s => s.Role == SeriesRole.Predicted);
        Assert.That(measured.X[^1], Is.EqualTo(c.Steps), "the last sample is the last step");
        // The trace records the same run the verdict used: bit-identical end values.
        Assert.That(measured.Y[^1], Is.EqualTo(trace.Record.Measured));
        Assert.That(predicted.Y[^1], Is.EqualTo(trace.Record.Predicted));
        Assert.That(trace.Record.Measured, Is.EqualTo(VerificationSuite.Run(c).Measured), "tracing does not change the run");
    }

    [Test]
    public void LongRuns_AreSampledWithinThePointBudget()
    {
        var c = Case("steady-state-white");
        var s = VerificationSuite.Trace(c)["measured"];
        Assert.That(c.Steps, Is.GreaterThan(VerificationSuite.MaxTracePoints));
        Assert.That(s.X, Has.Count.LessThanOrEqualTo(VerificationSuite.MaxTracePoints + 1));
        Assert.That(s.X[0], Is.EqualTo(0));
        Assert.That(s.X[^1], Is.EqualTo(c.Steps));
    }

    [Test]
    public void Fig4Trace_ShowsBothLossCurvesAndTheRetimedPrediction()
    {
        var trace = VerificationSuite.Trace(Case("fig4-toy-large-lr-curves"));
        var free = trace["unconstrained"];
        var constrained = trace["constrained |q| = |q₀|"];
        Assert.That(free.Y[0], Is.EqualTo(constrained.Y[0]), "same start");
        // Large η: the unconstrained run is slower (η_eff falls as r² grows), so its loss lies above.
        Assert.That(free.Y.Zip(constrained.Y).Max(p => p.First - p.Second), Is.GreaterThan(LargeLrLossGap));
        Assert.That(() => trace["nonsense"], Throws.ArgumentException.With.Message.Contains("unconstrained"));
    }

    [TestCase("order-rk4")]
    [TestCase("order-gd-modified-flow")]
    [TestCase("order-hb-slow-mode")]
    public void Convergence_GivesTheSweepAndTheFittedSlope(string id)
    {
        var c = Case(id);
        var report = VerificationSuite.Convergence(c);
        Assert.That(report.Steps, Has.Count.EqualTo(report.Errors.Count).And.Count.GreaterThanOrEqualTo(4));
        Assert.That(report.Slope, Is.EqualTo(report.Record.Measured));
        Assert.That(report.Slope, Is.EqualTo(report.ExpectedOrder).Within(OrderSlack));
        // The fit passes through the cloud: at the geometric mean step it equals the geometric mean error.
        double hMean = Math.Exp(report.Steps.Average(Math.Log)), eMean = Math.Exp(report.Errors.Average(Math.Log));
        NumericAssert.Close(eMean, report.Fitted(hMean), FitThroughCentroid);
        var trace = VerificationSuite.Trace(c);
        Assert.That(trace.LogX && trace.LogY, Is.True);
        Assert.That(trace["error"].Y, Is.EqualTo(report.Errors));
        Assert.That(trace.Series.Any(s => s.Role == SeriesRole.Guide && s.Name.StartsWith("fit", StringComparison.Ordinal)));
    }

    [Test]
    public void UnsupportedRequests_SayWhatIsSupported()
    {
        Assert.That(() => VerificationSuite.Trace(Case("gd-wd-scale")),
            Throws.ArgumentException.With.Message.Contains("momentum-green"));
        Assert.That(() => VerificationSuite.Convergence(Case("eq17-persistent")),
            Throws.ArgumentException.With.Message.Contains("integrator-order"));
    }

    [Test]
    public void FailingRun_GivesATraceWhoseRecordSaysWhy()
    {
        var c = Case("eq17-persistent") with { Optimizer = new OptimizerOptions { LearningRate = 0.01 } };   // GD: not allowed
        var trace = VerificationSuite.Trace(c);
        Assert.That(trace.Record.Passed, Is.False);
        Assert.That(trace.Record.Detail, Does.Contain("heavy ball"));
    }
}

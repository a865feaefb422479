using NoetherTheory.Core.Documents;
using NoetherTheory.Cli.Reports;
using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;
using NoetherTheory.Validation;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Cli.Tests;

/// <summary>The BN-ε paragraph and table of the deep-network report section (theory/05-learning-dynamics.md#eq-5-7).</summary>
[TestFixture]
public sealed class DeepNetSectionTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-deepnet-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    // A small heavy-ball-like filter history: |w|² = 1, |g|² = 1 (|w||g| = 1), so ⟨g,w⟩ values are cosines directly.
    private static FilterTrace Trace(string layer, Func<long, (double Measured, double Predicted)> wg) =>
        new(layer, 0, Enumerable.Range(0, 4).Select(n =>
        {
            var (m, p) = wg(n);
            return new FilterSample(n, 1 - 0.01 * n, 1, n == 0 ? 0 : 0.5, m, n == 0 ? 0 : -0.01, p, 0.8);
        }).ToList());

    private static FilterRunEntry Run(string cell, double epsilon, Func<long, (double, double)> wg) =>
        FilterCheckValidation.ToEntry(cell, FilterChecks.Analyse([Trace("features.0", wg), Trace("features.4", wg)],
            new FilterCheckSettings(0.01, 0.9, 5e-4, 0, false, false, false, epsilon, 4)));

    private string Write(params FilterRunEntry[] runs)
    {
        var index = new MarkdownIndex("t");
        var report = new ReportContext(_root, new ReportDocument(new ReportOptions("t")), index);
        DeepNetSection.Write(report, new ValidateDocument("filters-test", "test.yaml", "synthetic images", "cpu", [], [], null, runs));
        return index.ToMarkdown();
    }

    [Test]
    public void Write_LargeEpsilonAgainstPrediction_AndTheExactZeroEpsilonStatement()
    {
        string text = Write(
            Run("filters-eps1e-1", 0.1, n => (0.02 + 3e-8, 0.02)),
            Run("filters-eps0", 0, n => (n % 2 == 0 ? 2e-8 : -1e-8, 0)));

        Assert.That(text, Does.Contain("ε/(c+ε)·γ·∂f/∂γ"));
        Assert.That(text, Does.Contain("theory/05-learning-dynamics.md#eq-5-7"));
        Assert.That(text, Does.Contain("per-layer median ≤ 3.0E-8 against the float32 bound 1.0E-4: holds; largest single value 3.0E-8 (the round-off tail; the ε = 0 run reaches |cos(w,g)| ≤ 2.0E-8)"));
        Assert.That(text, Does.Contain("relative error |measured − predicted|/|predicted| has per-layer median ≤ 1.5E-6 and is at most 1.5E-6"), "3e-8 / 0.02");
        Assert.That(text, Does.Contain("With ε = 0 the symmetry is exact (theory/05-learning-dynamics.md#eq-5-1): |cos(w,g)| ≤ 2.0E-8 over 8 filter-steps"));
        Assert.That(text, Does.Contain("| features.4 | 4 | 2.0E-2 / 2.0E-2 | 3.0E-8 / 3.0E-8 | 4 | 1.5E-6 / 1.5E-6 | 1.0E-8 / 2.0E-8 |"), "per-layer row of the ε = 0.1 run");
    }

    [Test]
    public void Write_WrongPrediction_SaysFails()
    {
        string text = Write(Run("filters-eps1e-1", 0.1, n => (0.02, 0.021)));
        Assert.That(text, Does.Contain("median ≤ 1.0E-3 against the float32 bound 1.0E-4: FAILS"));
        Assert.That(text, Does.Not.Contain("ε = 0 run reaches"), "no ε = 0 run in this summary");
    }

    [Test]
    public void Write_DefaultEpsilonBelowTheResolvedLevel_ReportsOnlyTheResidual()
    {
        string text = Write(Run("filters-eps1e-5", 1e-5, n => (2e-6 + 1e-8, 2e-6)));
        Assert.That(text, Does.Contain("No violation reaches 1.0E-3"));
        Assert.That(text, Does.Contain("| features.0 | 4 | 2.0E-6 / 2.0E-6 | 1.0E-8 / 1.0E-8 | 0 | – | – |"));
    }

    [Test]
    public void Write_OlderLogWithoutPrediction_SaysSo()
    {
        string text = Write(Run("filters-eps0", 0, n => (1e-8, double.NaN)));
        Assert.That(text, Does.Contain("has no predicted ⟨g,w⟩"));
        Assert.That(text, Does.Contain("with ε = 0 the symmetry is exact: |cos(w,g)| ≤ 1.0E-8 (round-off)"));
    }
}

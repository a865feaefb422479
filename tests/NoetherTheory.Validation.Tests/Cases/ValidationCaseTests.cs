using System.Globalization;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Testing;

namespace NoetherTheory.Validation.Tests.Cases;

/// <summary>Every file in validation/cases is one test: measured vs predicted under the case's own tolerance.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ValidationCaseTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"))
            .Select(c => new TestCaseData(c).SetName($"{c.Suite}/{c.Id}"));

    [TestCaseSource(nameof(Cases))]
    public void Case_MeetsItsTolerance(VerificationCase c)
    {
        var r = VerificationSuite.Run(c);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{c.Id}: measured {r.Measured:R}, predicted {r.Predicted:R}, error {r.Error:E3}, bound {r.Bound:E3}, {r.Runtime.TotalMilliseconds:F0} ms; {r.Detail}"));
        Assert.That(r.Passed, string.Create(CultureInfo.InvariantCulture,
            $"{c.SourceFile}: {c.Quantity}: measured {r.Measured:R} vs predicted {r.Predicted:R} (error {r.Error:E3}, bound {r.Bound:E3}); {r.Detail}. Tolerance rationale: {c.Why}"));
    }
}

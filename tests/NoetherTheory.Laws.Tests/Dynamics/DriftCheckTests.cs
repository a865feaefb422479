using NoetherTheory.Laws.Dynamics;

namespace NoetherTheory.Laws.Tests.Dynamics;

/// <summary>The numeric checks of theory/07-laws-under-momentum.md#eq-7-5 … #eq-7-8, and that each can fail.</summary>
[TestFixture]
public sealed class DriftCheckTests
{
    private static IEnumerable<TestCaseData> Fixtures()
    {
        yield return new TestCaseData("linear:2,2,2").SetName("{m}(linear_2_2_2)");
        yield return new TestCaseData("relu:2,3,2").SetName("{m}(relu_2_3_2)");
        yield return new TestCaseData("x0*x1*x2").SetName("{m}(triple)");
        yield return new TestCaseData("translation").SetName("{m}(translation)");
    }

    private static (Factorisation, List<ConservationLaw>) Build(string name) => name switch
    {
        "linear:2,2,2" => DynamicsFixtures.Linear(2, 2, 2),
        "relu:2,3,2" => DynamicsFixtures.Relu(2, 3, 2),
        "x0*x1*x2" => DynamicsFixtures.Triple(),
        _ => DynamicsFixtures.TranslationAndRescale(),
    };

    [TestCaseSource(nameof(Fixtures))]
    public void Check_EveryFlow_AllChecksPass(string name)
    {
        var (phi, laws) = Build(name);
        foreach (var flow in Enum.GetValues<Flow>())
        {
            var report = LawDynamics.Check(phi, laws, flow);
            foreach (var c in report.Checks)
                TestContext.Out.WriteLine($"{flow} {c.Kind} {c.Subject}: measured {c.Measured:G6} expected {c.Expected:G6} ± {c.Tolerance:G3} {(c.Passed ? "ok" : "FAIL")} [{string.Join(", ", c.Drifts.Take(6).Select(d => d.ToString("G3")))}] {(c.Kind == DriftCheckKind.KineticBreakingDrift ? $"identity residual {Math.Abs(c.Measured - c.Expected) / Math.Abs(c.Measured):G3}, step-halving margin {Math.Abs(c.Measured) / Math.Abs(c.Drifts[1] - c.Drifts[0]):G3}" : "")}");
            Assert.That(report.Checks.Where(c => !c.Passed).Select(c => $"{flow} {c.Kind} {c.Subject}: {c.Measured} vs {c.Expected} ± {c.Tolerance}; {c.Detail}"),
                Is.Empty);
            Assert.That(report.Checks, Is.Not.Empty);
        }
    }
}

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The malformed-input suite covers at least 300 inputs across every loader (issue 13).</summary>
[TestFixture]
public sealed class SuiteSizeTests
{
    private const int Required = 300;

    [Test]
    public void The_suite_exercises_at_least_300_malformed_inputs()
    {
        var counts = new Dictionary<string, int>
        {
            ["catalog YAML"] = CatalogInputTests.InputCount,
            ["case JSON"] = CaseInputTests.InputCount,
            ["result documents"] = DocumentInputTests.InputCount,
            ["expression texts"] = ExpressionInputTests.InputCount,
            ["command lines"] = CommandLineInputTests.InputCount,
            ["training configs"] = TrainingConfigInputTests.InputCount,
            ["experiment protocols"] = ExperimentProtocolInputTests.InputCount,
        };
        int total = counts.Values.Sum();
        TestContext.Out.WriteLine($"malformed-input suite: {total} inputs ({string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))})");
        Assert.That(total, Is.GreaterThanOrEqualTo(Required));
        Assert.That(counts.Values, Is.All.GreaterThanOrEqualTo(20), "every loader is exercised");
    }
}

using System.Globalization;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Testing;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Validation.Tests.Cases;

/// <summary>
/// No blind verdicts: for every law in the table, a real case file turned into a diverging or NaN-carrying instance must
/// fail. A NaN compares false with every bound, so a law that keeps the worst residual with <c>if (v &gt; worst)</c> would
/// report its largest finite residual (often 0) and pass a diverged run.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class NonFiniteTests
{
    // A learning rate that overflows any of the toy models within a few steps.
    private const double Diverging = 1e300;

    private static readonly IReadOnlyList<VerificationCase> All = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"));

    /// <summary>How each law is broken: most through the optimizer's learning rate; the laws that run no optimizer
    /// (a flow, an integrator sweep, random points) through a NaN in what they integrate or evaluate.</summary>
    private static readonly Dictionary<string, Func<VerificationCase, VerificationCase>> Breakers = new(StringComparer.Ordinal)
    {
        ["symmetry-constraints"] = c => c with { Model = "scale-cosine", ModelParameters = ParameterSet.Empty.With("r0", double.NaN) },
        ["integrator-order"] = c => c with { LawParameters = c.LawParameters.With("mass", double.NaN) },
        ["integral-identity"] = c => c with { LawParameters = c.LawParameters.With("k", double.NaN) },
        ["energy-ntk"] = c => c with { LawParameters = c.LawParameters.With("T", double.NaN) },
        ["boundedness"] = c => c with { LawParameters = c.LawParameters.With("T", double.NaN) },
        ["optimizer-order"] = c => c with { ModelParameters = c.ModelParameters.With("q0", double.NaN, 1) },
        ["hb-slow-mode"] = c => c with { ModelParameters = c.ModelParameters.With("q0", [.. c.ModelParameters.Vector("sigma", [1]).Select(_ => double.NaN)]) },
    };

    public static IEnumerable<TestCaseData> Laws() => VerificationSuite.Laws.Select(l => new TestCaseData(l).SetName($"NonFinite/{l}"));

    [TestCaseSource(nameof(Laws))]
    public void EveryLaw_FailsADivergedOrNaNInstance(string law)
    {
        var source = All.FirstOrDefault(c => c.Law == law);
        Assert.That(source, Is.Not.Null, $"no case file in validation/cases uses law '{law}'");
        var healthy = VerificationSuite.Run(source!);
        Assert.That(healthy.Passed, Is.True, $"the unperturbed case {source!.Id} must pass first: {healthy.Detail}");

        var broken = Breakers.TryGetValue(law, out var breaker)
            ? breaker(source)
            : source with { Optimizer = source.Optimizer with { LearningRate = Diverging } };
        var r = VerificationSuite.Run(broken);
        TestContext.Out.WriteLine($"{law} ({source.Id}): {r.Detail}");
        Assert.That(r.Passed, Is.False, $"{source.Id} broken for law {law} passed: measured {r.Measured.ToString("R", CultureInfo.InvariantCulture)}; {r.Detail}");
    }

    [Test]
    public void GdChargeRecursions_DivergedRun_FailsNamingTheStep()
    {
        var source = All.First(c => c.Id == "gd-wd-scale");
        var r = VerificationSuite.Run(source with { Optimizer = source.Optimizer with { LearningRate = Diverging } });
        Assert.That(r.Passed, Is.False);
        Assert.That(r.Detail, Does.Contain("non-finite").And.Contain("step"));
    }

    [Test]
    public void WorstResidual_KeepsTheLargest_AndThrowsOnNaNWithItsStep()
    {
        var worst = new WorstResidual();
        worst.Note(1e-3, "a", 0);
        worst.Note(2e-3, "b", 1);
        worst.Note(5e-4, "c", 2);
        Assert.That(worst.Value, Is.EqualTo(2e-3));
        Assert.That(worst.Where, Is.EqualTo("b at step 1"));
        var e = Assert.Throws<NonFiniteValueException>(() => worst.Note(double.NaN, "translation A", 7));
        Assert.That(e!.Where, Is.EqualTo("translation A at step 7"));
        Assert.Throws<NonFiniteValueException>(() => worst.Note(double.PositiveInfinity, "x"));
    }
}

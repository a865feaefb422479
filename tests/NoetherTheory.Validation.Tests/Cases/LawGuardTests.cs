using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Testing;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Validation.Tests.Cases;

/// <summary>
/// The guards of the exact-recursion laws (CaseLaws.cs) and the non-finite checks every law routes through (Finite,
/// WorstResidual), pinned so that removing or loosening one fails a test (the survivors of the 2026-12-06 mutation run
/// of the verification laws, reports/2026-12-06-mutation-validation-laws/). A law run on a case it does not model
/// (another optimizer, a model without the block it needs) must refuse with its own reason, not measure a residual of a
/// recursion that does not hold there, or of none at all.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class LawGuardTests
{
    private static readonly IReadOnlyList<VerificationCase> All = CaseLoader.LoadDirectory(RepositoryPaths.Combine("validation", "cases"));

    private static VerificationCase Case(string id) => All.Single(c => c.Id == id);

    private static VerificationCase WithOptimizer(string id, Func<OptimizerOptions, OptimizerOptions> change)
    {
        var c = Case(id);
        return c with { Optimizer = change(c.Optimizer) };
    }

    /// <summary>A model with no symmetry block at all (no translation, scale, rescale, rotation or balance).</summary>
    private static VerificationCase OnQuadratic(string id) => Case(id) with { Model = "quadratic", ModelParameters = ParameterSet.Empty };

    private const string PlainGd = "needs plain GD with coupled weight decay";
    private const string PyTorchHeavyBall = "needs PyTorch heavy ball, δ = 0, coupled decay";
    private const string RotationHeavyBall = "needs a rotation model and PyTorch heavy ball";
    private const string RotationGd = "needs a rotation model and GD";
    private const string NormalisedGd = "needs GD with coupled decay on a fully scale-invariant model";

    public static IEnumerable<TestCaseData> Mismatches()
    {
        TestCaseData Row(string name, Func<VerificationCase> make, string reason) => new TestCaseData(make, reason).SetName("Guard/" + name);
        static OptimizerOptions Hb(OptimizerOptions o) => o with { Kind = OptimizerKind.HeavyBall, Momentum = 0.9 };
        yield return Row("constraints-without-blocks", () => OnQuadratic("constraints-linear2"), "model 'quadratic' declares no symmetry blocks to check");
        yield return Row("gd-recursions-heavy-ball", () => WithOptimizer("gd-wd-scale", Hb), PlainGd);
        yield return Row("gd-recursions-decoupled", () => WithOptimizer("gd-wd-scale", o => o with { DecoupledWeightDecay = true }), PlainGd);
        foreach (var id in new[] { "hb-scale-recursion", "hb-translation-recursion" })
        {
            yield return Row(id + "-gd", () => WithOptimizer(id, o => o with { Kind = OptimizerKind.Gd, Momentum = 0 }), PyTorchHeavyBall);
            yield return Row(id + "-dampening", () => WithOptimizer(id, o => o with { Dampening = 0.1 }), PyTorchHeavyBall);
            yield return Row(id + "-nesterov", () => WithOptimizer(id, o => o with { Nesterov = true }), PyTorchHeavyBall);
            yield return Row(id + "-decoupled", () => WithOptimizer(id, o => o with { DecoupledWeightDecay = true }), PyTorchHeavyBall);
            yield return Row(id + "-terminal-buffer", () => Case(id) with { InitialBuffer = BufferStart.Terminal }, PyTorchHeavyBall);
        }
        yield return Row("hb-scale-without-scale-block", () => OnQuadratic("hb-scale-recursion"), "needs a model with a scale block");
        yield return Row("hb-translation-without-translation-block", () => OnQuadratic("hb-translation-recursion"), "needs a model with a translation block");
        yield return Row("hb-skew-without-rotation", () => OnQuadratic("hb-rotation-skew") with { InitialBuffer = BufferStart.Random }, RotationHeavyBall);
        yield return Row("hb-skew-gd", () => WithOptimizer("hb-rotation-skew", o => o with { Kind = OptimizerKind.Gd, Momentum = 0 }), RotationHeavyBall);
        yield return Row("hb-skew-dampening", () => WithOptimizer("hb-rotation-skew", o => o with { Dampening = 0.1 }), RotationHeavyBall);
        yield return Row("hb-skew-nesterov", () => WithOptimizer("hb-rotation-skew", o => o with { Nesterov = true }), RotationHeavyBall);
        yield return Row("hb-skew-decoupled", () => WithOptimizer("hb-rotation-skew", o => o with { DecoupledWeightDecay = true }), RotationHeavyBall);
        yield return Row("hb-skew-zero-start", () => Case("hb-rotation-skew") with { InitialBuffer = BufferStart.PyTorch }, "skew(W₀ᵀV₀) is zero");
        yield return Row("gd-rotation-without-rotation", () => OnQuadratic("gd-rotation-constraint"), RotationGd);
        yield return Row("gd-rotation-heavy-ball", () => WithOptimizer("gd-rotation-constraint", Hb), RotationGd);
        yield return Row("scale-init-without-scale-block", () => OnQuadratic("scale-init-symmetry"), "needs a scale-invariant model");
        yield return Row("normalised-gd-heavy-ball", () => WithOptimizer("normalised-gd-equivalence", Hb), NormalisedGd);
        yield return Row("normalised-gd-decoupled", () => WithOptimizer("normalised-gd-equivalence", o => o with { DecoupledWeightDecay = true }), NormalisedGd);
        yield return Row("normalised-gd-without-scale-block", () => OnQuadratic("normalised-gd-equivalence"), NormalisedGd);
    }

    [TestCaseSource(nameof(Mismatches))]
    public void ALawRunOnACaseItDoesNotModel_RefusesWithItsReason(Func<VerificationCase> make, string reason)
    {
        var c = make();
        var r = VerificationSuite.Run(c);
        Assert.That(r.Passed, Is.False, $"{c.Id} ({c.Law}) passed on a case it does not model: {r.Detail}");
        Assert.That(r.Detail, Does.StartWith("ArgumentException: ").And.Contain($"(law {c.Law}): {reason}"));
    }

    [Test]
    public void EveryUnmodifiedGuardedCase_Passes()
    {
        // Sanity for the rows above: each source case passes as shipped, so a refusal comes from the one change made.
        foreach (var id in new[] { "constraints-linear2", "gd-wd-scale", "hb-scale-recursion", "hb-translation-recursion", "hb-rotation-skew",
                     "gd-rotation-constraint", "scale-init-symmetry", "normalised-gd-equivalence" })
        {
            var r = VerificationSuite.Run(Case(id));
            Assert.That(r.Passed, Is.True, $"{id}: {r.Detail}");
        }
    }

    /// <summary>Every exact-recursion case whose law reads the learning rate, and (in the name) the block or quantity it checks.</summary>
    private static readonly string[] LearningRateLaws =
    [
        "gd-wd-translation", "gd-wd-scale", "gd-wd-rescale", "gd-wd-balance", "hb-scale-recursion", "hb-translation-recursion",
        "scale-init-symmetry", "normalised-gd-equivalence",
    ];

    [TestCaseSource(nameof(LearningRateLaws))]
    public void AnExactRecursion_FailsWhenTheDynamicsRunAtALearningRate5PercentOffTheLaws(string id)
    {
        // The optimizer steps with 1.05·η (a schedule overrides the constant rate) while the law predicts with η, so the
        // recursion the law checks no longer holds; every block the law checks must see it (a law that skipped its
        // residuals, or compared nothing, would still measure 0 and pass).
        var c = Case(id);
        Assert.That(VerificationSuite.Run(c).Passed, Is.True, "the unperturbed case passes");
        double eta = c.Optimizer.LearningRate;
        var r = VerificationSuite.Run(WithOptimizer(id, o => o with { LearningRateSchedule = _ => 1.05 * eta }));
        Assert.That(r.Passed, Is.False, $"{id} passed with its dynamics at 1.05·eta: measured {r.Measured}; {r.Detail}");
        Assert.That(r.Detail, Does.Not.StartWith("ArgumentException"), "the law ran and measured the broken recursion");
    }

    [Test]
    public void TheTerminalBufferStart_IsTheTerminalVelocityOfTheCoupledDirection()
    {
        // BufferStart.Terminal starts heavy ball at its terminal velocity d₀/(1 − β) with d = g(q₀) + k·q₀ (coupled decay).
        var c = Case("hb-scale-recursion") with { InitialBuffer = BufferStart.Terminal };
        Assert.That(c.Optimizer.WeightDecay, Is.GreaterThan(0), "the decay term must matter");
        var model = CaseLaws.ModelOf(c);
        var opt = CaseLaws.OptimizerOf(c, model);
        var q0 = model.InitialPoint();
        var g = new double[model.Dimension];
        model.Gradient(q0, g, GradientContext.FullBatch);
        var expected = g.Select((gi, i) => (gi + (c.Optimizer.WeightDecay * q0[i])) / (1 - c.Optimizer.Momentum)).ToArray();
        NumericAssert.AllClose(expected, opt.Buffer.ToArray(), Tolerance.RoundOff);
    }

    [Test]
    public void FiniteCheck_ReturnsAFiniteValue_AndThrowsOnNaNAndInfinityNamingWhere()
    {
        Assert.That(Finite.Check(2.5, "x"), Is.EqualTo(2.5));
        Assert.That(Finite.Check(-2.5, "x", 3), Is.EqualTo(-2.5));
        var nan = Assert.Throws<NonFiniteValueException>(() => Finite.Check(double.NaN, "the source"));
        Assert.That(nan!.Where, Is.EqualTo("the source"));
        Assert.That(double.IsNaN(nan.Value), Is.True);
        var inf = Assert.Throws<NonFiniteValueException>(() => Finite.Check(double.NegativeInfinity, "r⁴", 7));
        Assert.That(inf!.Where, Is.EqualTo("r⁴ at step 7"));
        Assert.That(inf.Value, Is.EqualTo(double.NegativeInfinity));
    }

    [Test]
    public void FiniteCheckAll_NamesTheFirstNonFiniteIndex_IncludingTheLast()
    {
        Assert.DoesNotThrow(() => Finite.CheckAll([1.0, -2.0, 3.0], "q"));
        var last = Assert.Throws<NonFiniteValueException>(() => Finite.CheckAll([1.0, 2.0, double.PositiveInfinity], "q"));
        Assert.That(last!.Where, Is.EqualTo("q[2]"));
        var first = Assert.Throws<NonFiniteValueException>(() => Finite.CheckAll([double.NaN, double.PositiveInfinity], "g"));
        Assert.That(first!.Where, Is.EqualTo("g[0]"));
    }

    [Test]
    public void FiniteCheckSweep_NamesTheStepSizeOfTheFirstNonFiniteError()
    {
        Assert.DoesNotThrow(() => Finite.CheckSweep([0.1, 0.05], [1e-3, 2.5e-4], "h"));
        var e = Assert.Throws<NonFiniteValueException>(() => Finite.CheckSweep([0.1, 0.05, 0.025], [1e-3, double.NaN, double.NaN], "eta"));
        Assert.That(e!.Where, Is.EqualTo("the error at eta = 0.05"));
    }

    private static Optimizer HeavyBall(double[]? q0 = null, double[]? buffer = null) =>
        new(ToyModels.Create("quadratic", ParameterSet.Empty, 0),
            new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.1, Momentum = 0.5, InitialBuffer = buffer }, 0, q0);

    [Test]
    public void FiniteState_NamesTheParametersOrTheBuffer()
    {
        Assert.DoesNotThrow(() => Finite.State(HeavyBall()));
        var q = Assert.Throws<NonFiniteValueException>(() => Finite.State(HeavyBall(q0: [double.NaN])));
        Assert.That(q!.Where, Is.EqualTo("q[0] after step 0 (the run diverged)"));
        // A finite q with a non-finite buffer (before the first step) is caught by the buffer's own check.
        var v = Assert.Throws<NonFiniteValueException>(() => Finite.State(HeavyBall(buffer: [double.PositiveInfinity])));
        Assert.That(v!.Where, Is.EqualTo("buffer v[0] after step 0 (the run diverged)"));
    }

    [Test]
    public void FiniteStepAndRun_TakeTheirStepsAndThrowNamingTheStepThatDiverged()
    {
        var opt = HeavyBall();
        Finite.Run(opt, 3);
        Assert.That(opt.StepIndex, Is.EqualTo(3));
        Finite.Step(opt);
        Assert.That(opt.StepIndex, Is.EqualTo(4));
        var diverging = HeavyBall(buffer: [double.NaN]);
        var e = Assert.Throws<NonFiniteValueException>(() => Finite.Step(diverging));
        Assert.That(e!.Where, Is.EqualTo("q[0] after step 1 (the run diverged)"));
        var run = Assert.Throws<NonFiniteValueException>(() => Finite.Run(HeavyBall(buffer: [double.NaN]), 5));
        Assert.That(run!.Where, Does.Contain("after step 1"));
    }

    [Test]
    public void WorstResidual_BeforeAnyResidual_IsZeroAtNoStep()
    {
        var worst = new WorstResidual();
        Assert.That(worst.Value, Is.Zero);
        Assert.That(worst.Count, Is.Zero);
        Assert.That(worst.Step, Is.EqualTo(-1));
        Assert.That(worst.Where, Is.EqualTo("none"));
    }

    [Test]
    public void WorstResidual_KeepsTheFirstOfEqualResiduals_AndStepZeroIsAStep()
    {
        var worst = new WorstResidual();
        worst.Note(1e-3, "a", 0);
        worst.Note(1e-3, "b", 4);
        worst.Note(0, "c");
        Assert.That(worst.Count, Is.EqualTo(3));
        Assert.That(worst.Where, Is.EqualTo("a at step 0"), "the first occurrence of the largest residual is reported");
        Assert.That(worst.Step, Is.Zero);
        var stepless = new WorstResidual();
        stepless.Note(2e-3, "balance W");
        Assert.That(stepless.Where, Is.EqualTo("balance W"));
        var e = Assert.Throws<NonFiniteValueException>(() => stepless.Note(double.NaN, "scale A"));
        Assert.That(e!.Where, Is.EqualTo("scale A"));
    }
}

using System.Text.RegularExpressions;
using CsCheck;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Testing;

namespace NoetherTheory.Numerics.Tests;

[TestFixture]
public sealed class PredictionFormulaTests
{
    [Test]
    public void Amplifications_GainIsSteadyStateTimesTheFasterDecay_AndWhiteIsSmallerBy1PlusBetaOver1MinusBeta() =>
        Gen.Double[0, 0.99].Sample(beta =>
        {
            foreach (bool persistent in new[] { true, false })
                NumericAssert.Close(ClosedForms.SteadyStateAmplification(beta, persistent) / (1 - beta),
                    ClosedForms.GainAmplification(beta, persistent), Tolerance.RoundOff);
            NumericAssert.Close((1 + beta) / (1 - beta),
                ClosedForms.GainAmplification(beta, true) / ClosedForms.GainAmplification(beta, false), Tolerance.RoundOff);
            NumericAssert.Close(ClosedForms.SteadyStateR4White(0.01, beta, 1e-3, 1) / ClosedForms.SteadyStateR4White(0.01, 0, 1e-3, 1),
                ClosedForms.SteadyStateAmplification(beta, false), Tolerance.RoundOff);
            NumericAssert.Close(ClosedForms.SteadyStateR4Persistent(0.01, beta, 1e-3, 1) / ClosedForms.SteadyStateR4Persistent(0.01, 0, 1e-3, 1),
                ClosedForms.SteadyStateAmplification(beta, true), Tolerance.RoundOff);
        });

    // The dropped term is O(x³/(1−β)⁵), x = ησ; its coefficient measured ≈ 2 at β = 0.9 and ≈ 1.2 at β = 0.5.
    private const double SlowModeCubicCoefficient = 3;

    // 0.1% either side of the heavy-ball edge moves the period-2 root off |z| = 1 by 2(1+β)·1e-3/(1−β) per step, so
    // 20 000 steps from an O(1) start scale the amplitude by e^{∓120} (β = 0.5) or more: thresholds three decades
    // either side of 1 tell decay from growth with enormous margin.
    private const double DecayedAmplitude = 1e-3;
    private const double GrownAmplitude = 1e3;

    // Central differences with h = 1e-6 on an O(1) smooth loss: truncation ~h² = 1e-12, round-off ~ε·|f|/h ≈ 2e-10·|f|;
    // 1e-7 absolute / 1e-6 relative leaves ≥ 1000× headroom for losses up to O(10).
    private static readonly Tolerance CentralDifference = new(1e-7, 1e-6);

    // ⟨g, q⟩ for the tangential projection a − (a·q̂)q̂: round-off relative to |a| = 1.5, not to |g| (which vanishes
    // where q ∥ a); 1e-13 ≈ 450 ulps of the terms' scale.
    private const double ProjectionRoundOffPerScale = 1e-13;

    [TestCase(0.5, 0.01)]
    [TestCase(0.9, 4e-4)]
    [TestCase(0.0, 0.05)]
    public void SlowModeLogContraction_MatchesTheExactRootToThirdOrder(double beta, double x)
    {
        double b = 1 + beta - x, exact = Math.Log((b + Math.Sqrt(b * b - 4 * beta)) / 2);
        double residual = Math.Abs(exact - ClosedForms.SlowModeLogContraction(x, beta, 1));
        Assert.That(residual, Is.LessThanOrEqualTo(SlowModeCubicCoefficient * Math.Pow(x, 3) / Math.Pow(1 - beta, 5)));
        Assert.That(residual, Is.GreaterThan(0), "the formula is only second order");
    }

    [TestCase(0.9, 1e-3)]
    [TestCase(0.5, 0.0)]
    public void StabilityEdge_IsWhereHeavyBallStopsContractingOnTheTangentialCurvature(double beta, double k)
    {
        const double eta = 0.01, a = 1, margin = 1e-3;   // 0.1% either side of the edge (see DecayedAmplitude)
        double r2 = ClosedForms.StabilityEdgeR2(eta, beta, a, k), lambda = a / r2 + k;
        NumericAssert.Close(2 * (1 + beta), eta * lambda, Tolerance.RoundOff);
        double Growth(double sigma)
        {
            var model = new QuadraticModel(new ParameterSet().With("sigma", sigma));
            var opt = new Optimizer(model, new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = eta, Momentum = beta });
            opt.Run(20_000);
            return Math.Abs(opt.Parameters[0]);
        }
        Assert.That(Growth(lambda * (1 - margin)), Is.LessThan(DecayedAmplitude), "just inside the edge the period-2 mode decays");
        Assert.That(Growth(lambda * (1 + margin)), Is.GreaterThan(GrownAmplitude), "just outside it grows");
    }

    [Test]
    public void RotatingTarget_GradientIsTheStepsLossGradient()
    {
        var model = new RotatingTargetModel(new ParameterSet().With("a", 1.5).With("omega", 0.3));
        Gen.Select(Gen.Double[-2, 2], Gen.Double[-2, 2], Gen.Int[0, 50]).Where((x, y, _) => x * x + y * y > 0.1).Sample((x, y, step) =>
        {
            double[] q = [x, y], g = new double[2];
            model.Gradient(q, g, new GradientContext(step, null, 0));
            for (int i = 0; i < 2; i++)
            {
                const double h = 1e-6;
                var qp = q.ToArray(); qp[i] += h;
                var qm = q.ToArray(); qm[i] -= h;
                NumericAssert.Close((model.LossAt(qp, step) - model.LossAt(qm, step)) / (2 * h), g[i], CentralDifference, $"∂f/∂q[{i}] at step {step}");
            }
            // Bound ⟨g, q⟩ by a few hundred ulps of |a| plus the terms' own scale (see ProjectionRoundOffPerScale).
            const double aNorm = 1.5;
            Assert.That(Math.Abs(g[0] * x + g[1] * y), Is.LessThan(ProjectionRoundOffPerScale * (Math.Abs(g[0] * x) + Math.Abs(g[1] * y) + aNorm)),
                "scale invariance: ⟨g, q⟩ = 0");
        }, iter: 50);
    }
}

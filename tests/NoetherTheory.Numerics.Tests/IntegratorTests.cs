using MathNet.Numerics.LinearAlgebra;
using NoetherTheory.Numerics.Laws;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Testing;

namespace NoetherTheory.Numerics.Tests;

[TestFixture]
public sealed class IntegratorTests
{
    // Two RK4 implementations doing the same arithmetic in a different order agree to a few ulps per step.
    private static readonly Tolerance SameMethodDifferentCode = new(1e-13, 1e-12);
    // The adaptive global error on a smooth 10-time-unit problem stays within ~10× the requested tolerance; the 4th-order
    // dense output interpolates within the same budget.
    private const double GlobalErrorPerTolerance = 10;
    // Observed orders on a log-log sweep in the asymptotic range: p ± 0.2 (theory G "O(η^p)").
    private const double OrderSlack = 0.2;
    // DP45 at rtol 1e-12, atol 1e-14 over ≤ 4 time units of an O(1) linear oscillator: global error a few hundred times
    // the local tolerance (≈1e-10), plus the closed forms' own round-off; relative part for the O(1) homogeneous values.
    private static readonly Tolerance TightAdaptiveVsClosedForm = new(1e-10, 1e-9);

    private static readonly DrivenOscillator Undamped = new();
    private static readonly DrivenOscillator Damped = new(Mass: 1, Friction: 0.5);

    [Test]
    public void RungeKutta4_MatchesMathNetRk4_OnNonAutonomousProblem()
    {
        var problem = Undamped.FirstOrder(5);
        const int steps = 200;
        var mine = new RungeKutta4().Integrate(problem, IntegratorOptions.Fixed(5.0 / steps));
        var theirs = MathNet.Numerics.OdeSolvers.RungeKutta.FourthOrder(
            Vector<double>.Build.DenseOfArray([.. problem.Y0]), 0, 5, steps + 1,
            (t, y) => Vector<double>.Build.DenseOfArray([y[1], Math.Cos(2 * t) - y[0]]));
        NumericAssert.AllClose(theirs[^1].ToArray(), mine.Y, SameMethodDifferentCode);
        Assert.That(mine.Evaluations, Is.EqualTo(4 * steps));
    }

    [TestCase("rk4", 4)]
    [TestCase("dp45", 5)]
    public void FixedStepOrder_OnDrivenOscillator(string name, int order)
    {
        IIntegrator integrator = name == "rk4" ? new RungeKutta4() : new DormandPrince45();
        var (_, observed) = ConvergenceStudy.Sweep(integrator, Damped.FirstOrder(10), Damped.ExactState, [0.2, 0.1, 0.05, 0.025]);
        Assert.That(observed, Is.EqualTo(order).Within(OrderSlack));
    }

    [Test]
    public void ConformalVerlet_IsSecondOrder_OnDampedDrivenOscillator()
    {
        double[] hs = [0.1, 0.05, 0.025, 0.0125];
        var errors = hs.Select(h => LinearAlgebra.Vec.Distance(
            ConformalStormerVerlet.Integrate(Damped.Mechanical(10), IntegratorOptions.Fixed(h)).Y, Damped.ExactState(10))).ToArray();
        Assert.That(ConvergenceStudy.ObservedOrder(hs, errors), Is.EqualTo(2).Within(OrderSlack));
    }

    [Test]
    public void ConformalVerlet_ContractsPhaseSpaceAreaLikeTheExactFlow()
    {
        // Linear damped oscillator: the one-step map is linear; its determinant must equal e^{−μh/m} exactly.
        double h = 0.1, m = 2, mu = 0.3;
        double[] Map(double q, double v) => ConformalStormerVerlet.Integrate(
            new DampedMechanicalProblem(m, mu, (t, x, f) => f[0] = -x[0], 0, [q], [v], h), IntegratorOptions.Fixed(h)).Y;
        var a = Map(1, 0); var b = Map(0, 1);
        NumericAssert.Close(Math.Exp(-mu * h / m), a[0] * b[1] - a[1] * b[0], Tolerance.RoundOff);
    }

    [TestCase(1e-6)]
    [TestCase(1e-9)]
    public void DormandPrince_Adaptive_MeetsTolerance_AndDenseOutputInterpolates(double tol)
    {
        var problem = Damped.FirstOrder(10);
        var r = new DormandPrince45().Integrate(problem, IntegratorOptions.Adaptive(tol, tol, dense: true));
        Assert.That(r.Status, Is.EqualTo(IntegrationStatus.Success));
        Assert.That(r.ErrorEstimate, Is.LessThanOrEqualTo(1), "accepted steps have scaled error ≤ 1");
        Assert.That(r.Options.InitialStep, Is.Not.Null.And.GreaterThan(0), "effective options report the chosen first step");
        Assert.That(LinearAlgebra.Vec.Distance(r.Y, Damped.ExactState(10)), Is.LessThan(GlobalErrorPerTolerance * tol));
        foreach (double t in new[] { 0.0, 0.37, 3.3, 7.77, 10.0 })
            NumericAssert.AllClose(Damped.ExactState(t), r.Dense!.Evaluate(t), new Tolerance(GlobalErrorPerTolerance * tol, 0));
    }

    [Test]
    public void DenseOutput_IsExactOnLinearSolutions()
    {
        // y′ = 3 − 2t·0 (constant slope): every RK interpolant must reproduce a straight line (ΣDᵢ = 0 in the coefficients).
        var p = new OdeProblem((t, y, dy) => { dy[0] = 3; dy[1] = 2 * t; }, 0, [1.0, 0.0], 2);
        var r = new DormandPrince45().Integrate(p, IntegratorOptions.Fixed(0.5) with { DenseOutput = true });
        foreach (double t in new[] { 0.1, 0.77, 1.3, 1.99 })
        {
            var y = r.Dense!.Evaluate(t);
            NumericAssert.Close(1 + 3 * t, y[0], Tolerance.RoundOff);
            NumericAssert.Close(t * t, y[1], Tolerance.RoundOff);
        }
    }

    [Test]
    public void DormandPrince_TighterToleranceCostsMoreSteps_AndShrinksError()
    {
        var p = Damped.FirstOrder(10);
        var loose = new DormandPrince45().Integrate(p, IntegratorOptions.Adaptive(1e-5, 1e-5));
        var tight = new DormandPrince45().Integrate(p, IntegratorOptions.Adaptive(1e-10, 1e-10));
        Assert.That(tight.AcceptedSteps, Is.GreaterThan(loose.AcceptedSteps));
        Assert.That(LinearAlgebra.Vec.Distance(tight.Y, Damped.ExactState(10)),
            Is.LessThan(LinearAlgebra.Vec.Distance(loose.Y, Damped.ExactState(10))));
    }

    [Test]
    public void Integrators_ReportMaxStepsAndNonFinite_AsStatus()
    {
        var p = Undamped.FirstOrder(10);
        Assert.That(new RungeKutta4().Integrate(p, IntegratorOptions.Fixed(0.01) with { MaxSteps = 5 }).Status,
            Is.EqualTo(IntegrationStatus.MaxStepsReached));
        var blowUp = new OdeProblem((t, y, dy) => dy[0] = y[0] * y[0], 0, [1.0], 2);   // y = 1/(1−t): singular at t = 1
        Assert.That(new RungeKutta4().Integrate(blowUp, IntegratorOptions.Fixed(0.01)).Succeeded, Is.False);
        Assert.That(new DormandPrince45().Integrate(blowUp, IntegratorOptions.Adaptive(1e-8, 1e-8)).Succeeded, Is.False);
    }

    [Test]
    public void BadOptions_ThrowWithTheFieldName()
    {
        var p = Undamped.FirstOrder(1);
        Assert.That(() => new RungeKutta4().Integrate(p, new IntegratorOptions()),
            Throws.ArgumentException.With.Message.Contains("Step"));
        Assert.That(() => new DormandPrince45().Integrate(p, IntegratorOptions.Adaptive(0, 0)),
            Throws.ArgumentException.With.Message.Contains("tolerances"));
        Assert.That(() => new RungeKutta4().Integrate(p with { T1 = -1 }, IntegratorOptions.Fixed(0.1)),
            Throws.ArgumentException.With.Message.Contains("T0 < T1"));
    }

    [TestCase(0.5, 4.0)]   // underdamped
    [TestCase(2.0, 4.0)]   // critical
    [TestCase(3.0, 4.0)]   // overdamped
    public void DampedOscillator_GreenAndHomogeneous_MatchDormandPrince(double gamma, double omega2)
    {
        var osc = new DampedOscillator(gamma, omega2 == 4.0 && gamma == 2.0 ? 4.0 : omega2);
        var rhs = new OdeRhs((t, y, dy) => { dy[0] = y[1]; dy[1] = -2 * gamma * y[1] - osc.OmegaSquared * y[0]; });
        var opts = IntegratorOptions.Adaptive(1e-12, 1e-14);
        foreach (double T in new[] { 0.3, 1.7, 4.0 })
        {
            var h = new DormandPrince45().Integrate(new OdeProblem(rhs, 0, [1.0, 0.0], T), opts);
            var g = new DormandPrince45().Integrate(new OdeProblem(rhs, 0, [0.0, 1.0], T), opts);
            NumericAssert.Close(h.Y[0], osc.Homogeneous(T), TightAdaptiveVsClosedForm);
            NumericAssert.Close(g.Y[0], osc.Green(T), TightAdaptiveVsClosedForm);
        }
    }

    [TestCase(0.5, 4.0)]
    [TestCase(2.0, 4.0)]
    [TestCase(3.0, 4.0)]
    public void GreenSum_EqualsDirectSum(double gamma, double omega2)
    {
        var osc = new DampedOscillator(gamma, omega2);
        double dt = 0.01;
        var sum = osc.CreateSum(dt);
        var w = Enumerable.Range(0, 500).Select(j => 1 + Math.Sin(0.1 * j)).ToArray();
        for (int j = 0; j < w.Length; j++) { sum.Add(w[j]); if (j < w.Length - 1) sum.Advance(); }
        double direct = 0;
        for (int j = 0; j < w.Length; j++) direct += osc.Green((w.Length - 1 - j) * dt) * w[j];
        NumericAssert.Close(direct, sum.Value, Tolerance.MachineAccumulated);
    }
}

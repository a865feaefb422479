using NoetherTheory.Mechanics;
using NoetherTheory.Numerics.Ode;
using NoetherTheory.Simulation.Compiled;
using static NoetherTheory.Simulation.Tests.CompiledTestSupport;

namespace NoetherTheory.Simulation.Tests;

[TestFixture]
public sealed class CompiledChargeTests
{
    /// <summary>
    /// RK4's global error is O(h⁴): halving h must cut the charge-law residual by 2⁴ = 16. Accepting ≥ 10 allows the
    /// next-order term and round-off; a charge that does not obey the law (a wrong τ, source or sign) leaves an O(1)
    /// residual that does not shrink at all.
    /// </summary>
    private const double MinRk4Reduction = 10;

    /// <summary>Absolute bound on the charge-law residual at the finer step: 50·(h/τ_fast)⁴ scaled by |J|, from
    /// theory/04-numerical-integration.md#eq-4-3 with the fastest rate 1/τ of the damped system.</summary>
    private static double Rk4Bound(double h, double rate, double scale) => 50 * Math.Pow(h * rate, 4) * Math.Max(scale, 1e-3);

    private static (double J, double Predicted) ChargeAtEnd(CompiledSystem system, double[] q0, double[] v0, double t1, double h)
    {
        var y0 = q0.Concat(v0).ToList();
        double j0 = system.Charge(0, y0.ToArray()).Charge;
        y0.Add(j0);
        var r = new RungeKutta4().Integrate(new OdeProblem(system.CreateChargeAugmentedRhs(), 0, y0, t1), IntegratorOptions.Fixed(h));
        Assert.That(r.Succeeded, Is.True, $"RK4 ended with {r.Status}");
        int n = system.Dimension;
        return (system.Charge(t1, r.Y.AsSpan(0, 2 * n)).Charge, r.Y[2 * n]);
    }

    // (rule, symmetry, model, β, k): decay laws (rotation), translation/scale/rescale with and without weight decay.
    [TestCase("heavy-ball", "rotation", "rotation-factor", 0.9, 0.1)]
    [TestCase("gd", "rotation", "rotation-factor", 0.0, 0.0)]
    [TestCase("heavy-ball", "translation", "softmax", 0.5, 0.2)]
    [TestCase("heavy-ball", "scale", "cosine", 0.9, 0.05)]
    [TestCase("gd", "rescale", "linear-scalar", 0.0, 0.1)]
    [TestCase("nesterov", "scale", "rayleigh", 0.5, 0.0)]
    public void ChargeOfCompiledFlow_ObeysTheDerivedChargeEquation_ToIntegratorAccuracy(string rule, string symmetry, string model, double beta, double k)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["eta"] = 0.05, ["beta"] = beta, ["k"] = k, ["delta"] = 0,
            ["a[0]"] = 1, ["a[1]"] = 0.5, ["a[2]"] = -0.25, ["y"] = 1, ["A[0]"] = 1, ["A[1]"] = 0.3, ["A[2]"] = 3,
            ["M[0]"] = 1.2, ["M[1]"] = 0.4, ["M[2]"] = 0.7, ["w[0]"] = 0.3, ["w[1]"] = -0.2, ["w[2]"] = 0.5, ["x"] = 1.5,
        };
        var system = CompiledSystem.From(Derive(rule, symmetry, model), values);
        int n = system.Dimension;
        var rng = new Random(7);
        var q0 = Enumerable.Range(0, n).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        var v0 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double tau = system.DampingTime!.Value, t1 = 4 * tau, h = tau / 40;
        var (jCoarse, pCoarse) = ChargeAtEnd(system, q0, v0, t1, h);
        var (jFine, pFine) = ChargeAtEnd(system, q0, v0, t1, h / 2);
        double coarse = Math.Abs(jCoarse - pCoarse), fine = Math.Abs(jFine - pFine);
        TestContext.Out.WriteLine($"J(T)={jFine:E6} predicted={pFine:E6} residual h: {coarse:E3}, h/2: {fine:E3}");
        Assert.That(Math.Abs(jFine), Is.GreaterThan(1e-6), "the test needs a charge that is not trivially zero");
        Assert.That(fine, Is.LessThanOrEqualTo(Rk4Bound(h / 2, 1 / tau, Math.Abs(jFine))), "charge-law residual at h/2");
        Assert.That(coarse <= 1e-13 || coarse / fine >= MinRk4Reduction, Is.True, $"residual must fall like h⁴: {coarse:E3} → {fine:E3}");
    }

    [Test]
    public void RotationCharge_DecaysExactlyAsExpMinusTOverTau()
    {
        var values = new Dictionary<string, double> { ["eta"] = 0.02, ["beta"] = 0.9, ["k"] = 0.3, ["delta"] = 0, ["M[0]"] = 1.2, ["M[1]"] = 0.4, ["M[2]"] = 0.7 };
        var system = CompiledSystem.From(Derive("heavy-ball", "rotation", "rotation-factor"), values);
        Assert.That(system.Law!.Kind, Is.EqualTo(ChargeLawKind.Decay));
        double tau = 0.02 * 1.9 / (2 * 0.1);   // τ = η(1+β)/(2(1−β)), theory/01-learning-lagrangian.md#eq-1-8
        Assert.That(system.DampingTime!.Value, Is.EqualTo(tau).Within(1e-15 * tau));
        double[] y0 = [0.9, -0.3, 0.4, 1.1, 0.2, 0.7, -0.5, 0.1];
        double j0 = system.Charge(0, y0).Charge, t1 = 3 * tau, h = tau / 80;
        var r = new RungeKutta4().Integrate(system.Problem(y0[..4], y0[4..], t1), IntegratorOptions.Fixed(h));
        double j1 = system.Charge(t1, r.Y).Charge, expected = j0 * Math.Exp(-t1 / tau);
        TestContext.Out.WriteLine($"J0={j0:E6} J(3τ)={j1:E6} J0·e^-3={expected:E6}");
        Assert.That(j1, Is.EqualTo(expected).Within(Rk4Bound(h, 1 / tau, Math.Abs(j0))), "ℓ(t) = ℓ(0)e^{−t/τ} (theory/03-noether.md#eq-3-11)");
    }

    /// <summary>
    /// RK4 keeps linear invariants exactly but quadratic ones only to O(h⁴): with k = 0 the gradient flow's NM charge
    /// (|q|² for scale, q₀² − q₁² for rescale) must drift by at most the RK4 budget and the drift must fall ~16× per halving.
    /// </summary>
    [TestCase("gd", "scale", "cosine")]
    [TestCase("heavy-ball", "scale", "cosine")]
    [TestCase("gd", "rescale", "linear-scalar")]
    [TestCase("heavy-ball", "scale", "rayleigh")]
    public void GradientFlow_WithoutWeightDecay_KeepsTheNeuralMechanicsCharge(string rule, string symmetry, string model)
    {
        var pair = ModelCorrespondence.For(model);
        var flow = CompiledFlow.From(Derive(rule, symmetry, model), FlowKind.GradientFlow, Values(pair, 0.1, rule == "gd" ? 0 : 0.5, 0));
        var q0 = pair.InitialPoint.ToArray();
        double c0 = flow.Quantity(q0);
        double Drift(double h)
        {
            var r = new RungeKutta4().Integrate(flow.Problem(q0, 2.0), IntegratorOptions.Fixed(h));
            return Math.Abs(flow.Quantity(r.Y) - c0);
        }
        double coarse = Drift(0.1), fine = Drift(0.05);
        TestContext.Out.WriteLine($"C0={c0:R} drift h=0.1: {coarse:E3}, h=0.05: {fine:E3}");
        Assert.That(fine, Is.LessThanOrEqualTo(Rk4Bound(0.05, 1, Math.Abs(c0))), "drift at h = 0.05");
        Assert.That(coarse <= 1e-13 || coarse / fine >= MinRk4Reduction, Is.True, $"drift must fall like h⁴: {coarse:E3} → {fine:E3}");
    }

    [Test]
    public void GradientFlow_WithWeightDecay_DecaysTheScaleChargeAtTheOverdampedRate()
    {
        // μ₀ẋ + λ₀x = 0 under gradient flow (theory/03-noether.md#eq-3-7): x(t) = x(0)e^{−λ₀t/μ₀}, λ₀ = 2k, μ₀ = 1 − β.
        var pair = ModelCorrespondence.For("cosine");
        double beta = 0.5, k = 0.2;
        var flow = CompiledFlow.From(Derive("heavy-ball", "scale", "cosine"), FlowKind.GradientFlow, Values(pair, 0.1, beta, k));
        Assert.That(flow.OverdampedRate, Is.EqualTo(2 * k / (1 - beta)).Within(1e-15));
        var q0 = pair.InitialPoint.ToArray();
        double h = 0.02, t1 = 2;
        var r = new RungeKutta4().Integrate(flow.Problem(q0, t1), IntegratorOptions.Fixed(h));
        double expected = flow.Quantity(q0) * Math.Exp(-2 * k * t1 / (1 - beta));
        Assert.That(flow.Quantity(r.Y), Is.EqualTo(expected).Within(Rk4Bound(h, 2, expected)));
    }
}

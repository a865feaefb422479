using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The group laws on float64 heavy-ball simulations where the answer is known (theory/08-group-laws.md).</summary>
public sealed class GroupChecksTests
{
    private const double Eta = 0.05, Beta = 0.9, K = 1e-3;

    /// <summary>
    /// Heavy ball (PyTorch form, coupled decay) in float64 on a rescale pair (w_in ∈ ℝ³ with power +1, w_out ∈ ℝ² with
    /// power −1) whose gradient satisfies ⟨w_in, g_in⟩ − ⟨w_out, g_out⟩ = 0, and on a translation slice (ℝ⁴, Σg = 0):
    /// every step measured, values as groups.csv holds them. `violation` adds that much of ξ to the gradient (a refuted group).
    /// </summary>
    internal static GroupRun Simulate(int steps, double violation = 0, int seed = 5)
    {
        var rng = new Random(seed);
        double[] win = [1, 0.5, -0.3], wout = [0.7, -1.1], t = [0.4, -0.2, 0.9, 0.1];
        var vin = new double[3];
        var vout = new double[2];
        var vt = new double[4];
        var rescale = new List<GeneratorSample>();
        var translation = new List<GeneratorSample>();
        var rates = new Dictionary<long, double>();
        static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
        for (int n = 0; n < steps; n++)
        {
            double[] gin = [.. Enumerable.Range(0, 3).Select(_ => rng.NextDouble() - 0.5)];
            double[] gout = [.. Enumerable.Range(0, 2).Select(_ => rng.NextDouble() - 0.5)];
            // Project (g_in, g_out) onto ⟨ξ, g⟩ = 0 with ξ = (w_in, −w_out), then add the violation along ξ.
            double along = (Dot(win, gin) - Dot(wout, gout)) / (Dot(win, win) + Dot(wout, wout)) - violation;
            for (int i = 0; i < 3; i++) gin[i] -= along * win[i];
            for (int i = 0; i < 2; i++) gout[i] += along * wout[i];
            double[] gt = [.. Enumerable.Range(0, 4).Select(_ => rng.NextDouble() - 0.5)];
            double mean = gt.Average() - violation;
            for (int i = 0; i < 4; i++) gt[i] -= mean;
            rescale.Add(new GeneratorSample(n, Dot(win, win) - Dot(wout, wout), Dot(win, vin) - Dot(wout, vout), Dot(win, gin) - Dot(wout, gout),
                Dot(vin, vin) - Dot(vout, vout), Dot(win, win) + Dot(wout, wout), Dot(gin, gin) + Dot(gout, gout), Dot(vin, vin) + Dot(vout, vout)));
            translation.Add(new GeneratorSample(n, t.Sum(), vt.Sum(), gt.Sum(), 0, 4 * Dot(t, t), 4 * Dot(gt, gt), 4 * Dot(vt, vt)));
            rates[n] = Eta;
            Step(win, vin, gin);
            Step(wout, vout, gout);
            Step(t, vt, gt);
        }
        return new GroupRun(
            [new GroupEntry("rescale:pair", "rescale", "holds", "none", 1, true), new GroupEntry("translation:slice", "translation", "holds", "none", 1, true)],
            new Dictionary<string, IReadOnlyList<IReadOnlyList<GeneratorSample>>>(StringComparer.Ordinal)
            {
                ["rescale:pair"] = [rescale], ["translation:slice"] = [translation],
            }, rates);
    }

    private static void Step(double[] q, double[] v, double[] g)
    {
        for (int i = 0; i < q.Length; i++)
        {
            v[i] = Beta * v[i] + g[i] + K * q[i];
            q[i] -= Eta * v[i];
        }
    }

    // float64 simulation: the recursions are algebraic identities, so only a few ulps accumulate.
    private const double Float64Bound = 1e-13;

    [Test]
    public void Analyse_ExactHeavyBall_EveryLawHolds()
    {
        var report = GroupChecks.Analyse(Simulate(40), new GroupCheckSettings(Beta, K));
        Assert.That(report.Passed, Is.True);
        foreach (var g in report.Groups)
        {
            Assert.That(g.Pairs, Is.EqualTo(39), g.Name);
            Assert.That(g.ChargeRecursion.Max, Is.LessThan(Float64Bound), g.Name);
            Assert.That(g.VelocityRecursion.Max, Is.LessThan(Float64Bound), g.Name);
            Assert.That(g.Identity.Max, Is.LessThan(Float64Bound), g.Name + ": the simulated gradient satisfies the identity");
            Assert.That(report.RecursionHolds(g), Is.True, g.Name);
            Assert.That(report.IdentityHolds(g), Is.True, g.Name);
        }
    }

    [TestCase(0.8, K, TestName = "Analyse_WrongMomentum_RecursionFails")]
    [TestCase(Beta, 0.0, TestName = "Analyse_MissingWeightDecay_RecursionFails")]
    public void Analyse_PerturbedLaw_Fails(double beta, double k)
    {
        var report = GroupChecks.Analyse(Simulate(40), new GroupCheckSettings(beta, k));
        Assert.That(report.Passed, Is.False);
        Assert.That(report.Groups.Select(report.RecursionHolds), Has.All.False);
    }

    [Test]
    public void Analyse_RefutedGroup_IdentityFails_ButTheRecursionStillHolds()
    {
        // A group that is no symmetry: ⟨ξ, g⟩ ≠ 0 at every step. The recursion (written with the measured G) is still the
        // optimizer's algebra; the identity catches it.
        var report = GroupChecks.Analyse(Simulate(40, violation: 0.05), new GroupCheckSettings(Beta, K));
        Assert.That(report.Passed, Is.False);
        foreach (var g in report.Groups)
        {
            Assert.That(report.RecursionHolds(g), Is.True, g.Name);
            Assert.That(report.IdentityHolds(g), Is.False, g.Name);
            Assert.That(g.Identity.Median, Is.GreaterThan(GroupChecks.IdentityMedianTolerance), g.Name);
        }
    }

    [Test]
    public void Analyse_BrokenGroup_ReportsTheViolation_WithoutAVerdict()
    {
        var run = Simulate(20, violation: 0.05);
        run = run with { Groups = [.. run.Groups.Select(g => g with { Verdict = "broken", Cause = "bias" })] };
        var report = GroupChecks.Analyse(run, new GroupCheckSettings(Beta, K));
        Assert.That(report.Groups.Select(report.IdentityHolds), Has.All.Null);
        Assert.That(report.Passed, Is.True, "a broken group's recursion holds; its violation is reported, not bounded");
        Assert.That(report.Groups.Select(g => g.Identity.Median), Has.All.GreaterThan(1e-3));
    }

    [Test]
    public void Analyse_NonFiniteValue_Fails_AndIsNamed()
    {
        var run = Simulate(10);
        var samples = run.Samples["rescale:pair"][0].ToList();
        samples[4] = samples[4] with { B = double.NaN };
        run = run with
        {
            Samples = new Dictionary<string, IReadOnlyList<IReadOnlyList<GeneratorSample>>>(run.Samples, StringComparer.Ordinal) { ["rescale:pair"] = [samples] },
        };
        var report = GroupChecks.Analyse(run, new GroupCheckSettings(Beta, K));
        var g = report.Groups.Single(x => x.Name == "rescale:pair");
        Assert.That(g.FirstNonFinite, Is.EqualTo("generator 0, step 4: b = NaN"));
        Assert.That(report.RecursionHolds(g), Is.False);
        Assert.That(report.IdentityHolds(g), Is.False);
        Assert.That(report.Passed, Is.False);
    }

    [Test]
    public void Analyse_InapplicableOptimizer_SaysWhy_AndChecksNoPair()
    {
        var report = GroupChecks.Analyse(Simulate(10), new GroupCheckSettings(Beta, K, "Adam/AdamW (the recursions are for heavy ball)"));
        Assert.That(report.Groups.Select(g => g.Pairs), Has.All.Zero);
        Assert.That(report.Groups.Select(report.IdentityHolds), Has.All.True, "the identity is the loss's, whatever the optimizer");
    }
}

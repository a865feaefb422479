using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>Rotational equilibria derived from each rule's catalog update (issue 16 item 2), cross-checked against the
/// published formulas (Kosson, Messmer &amp; Jaggi, ICML 2024) and NLD's white-noise steady state.</summary>
[TestFixture]
public sealed class EquilibriumTests
{
    private static readonly Catalog TheCatalog = Catalog.Load(CatalogTests.CatalogDir);

    private static void AssertEqual(Expr? actual, Expr expected, string what)
    {
        Assert.That(actual, Is.Not.Null, what);
        var z = ZeroTest.Run(actual! - expected);
        Assert.That(z.IsZero, Is.True, $"{what}: engine gave {actual}, expected {expected} ({z})");
    }

    private static Expr NoDampening(Expr e) => e.Substitute(Expr.Symbol("delta"), Expr.Zero);

    [TestCase(GradientForcing.White)]
    [TestCase(GradientForcing.Persistent)]
    public void HeavyBallAngularUpdateIsKossonsSgdMomentumFormula(GradientForcing forcing)
    {
        var e = Equilibrium.Derive(TheCatalog.Rule("heavy-ball"), forcing);
        Assert.That(e.NotDerived, Is.Null);
        AssertEqual(NoDampening(e.AngularUpdateSquared!), Equilibrium.KossonSgdMomentum, $"heavy ball θ*² ({forcing})");
    }

    [Test]
    public void AdamWAngularUpdateIsKossonsAdamWFormula()
    {
        var e = Equilibrium.Derive(TheCatalog.Rule("adamw"), GradientForcing.White);
        Assert.That(e.NotDerived, Is.Null, e.NotDerived);
        Assert.That(e.Scale, Is.EqualTo(DrivingScale.Normalised));
        Assert.That(e.Linearisation, Does.Contain("eps → 0"));
        AssertEqual(e.AngularUpdateSquared, Equilibrium.KossonAdamW, "AdamW θ*²");
        AssertEqual(e.NormLaw, Expr.Parse("C*eta/(2*k)"), "AdamW r²*");
        AssertEqual(e.RelaxationSteps, Expr.Parse("1/(2*eta*k)"), "AdamW r² relaxation");
    }

    [Test]
    public void AKossonFormulaPerturbedByOnePercentIsNotTheDerivedOne()
    {
        var e = Equilibrium.Derive(TheCatalog.Rule("adamw"), GradientForcing.White);
        var z = ZeroTest.Run(e.AngularUpdateSquared! - (Expr.Parse("101/100") * Equilibrium.KossonAdamW));
        Assert.That(z.IsZero, Is.False);
    }

    [Test]
    public void HeavyBallWhiteNormIsNldsWhiteNoiseSteadyStateAndRelaxesInTheR4MemoryTime()
    {
        var e = Equilibrium.Derive(TheCatalog.Rule("heavy-ball"), GradientForcing.White);
        AssertEqual(NoDampening(e.NormLaw!), Expr.Parse("eta*s/(2*k*(1 - beta))"), "r⁴* white (theory/05-learning-dynamics.md#eq-5-4)");
        AssertEqual(NoDampening(e.RelaxationSteps!), Expr.Parse("(1 - beta)/(4*eta*k)"), "r⁴ memory time");
        AssertEqual(NoDampening(e.EffectiveLearningRate!), Expr.Parse("eta/((1 - beta)*(eta*s/(2*k*(1 - beta)))^(1/2))"), "η/((1−β) r*²)");
    }

    [Test]
    public void DecoupledWeightDecayTurnsSlowerByOneMinusBeta()
    {
        // q' = (1 − ηk)(q − ηv'): the decay is not amplified by the momentum, so θ*² = 2ηk(1 − β)/(1 + β) for both forcings.
        foreach (var f in new[] { GradientForcing.White, GradientForcing.Persistent })
            AssertEqual(Equilibrium.Derive(TheCatalog.Rule("heavy-ball-decoupled"), f).AngularUpdateSquared,
                Expr.Parse("2*eta*k*(1 - beta)/(1 + beta)"), $"decoupled θ*² ({f})");
    }

    [Test]
    public void TheNormLawIsTheBufferStatisticsSteadyState()
    {
        foreach (var rule in TheCatalog.Rules.Where(r => r.Kind == RuleKind.Position))
        {
            var stats = BufferStatistics.Derive(rule);
            AssertEqual(Equilibrium.Derive(rule, GradientForcing.White).NormLaw, stats.SteadyStateWhite!, $"{rule.Id} white r⁴*");
            AssertEqual(Equilibrium.Derive(rule, GradientForcing.Persistent).NormLaw, stats.SteadyStatePersistent!, $"{rule.Id} persistent r⁴*");
        }
    }

    [Test]
    public void AdamWithCoupledDecayAndAccumulatorRulesSayWhyNothingIsDerived()
    {
        var adam = Equilibrium.Derive(TheCatalog.Rule("adam"), GradientForcing.White);
        Assert.That(adam.NotDerived, Does.Contain("weight decay inside the adaptive normalisation"));
        Assert.That(adam.AngularUpdateSquared, Is.Null);
        Assert.That(Equilibrium.Derive(TheCatalog.Rule("adamw"), GradientForcing.Persistent).NotDerived, Does.Contain("only white"));
        Assert.That(Equilibrium.Derive(TheCatalog.Rule("rmsprop"), GradientForcing.White).NotDerived, Does.Contain("accumulator"));
    }

    [Test]
    public void TheExactDiscreteAngleApproachesTheLeadingOrderAsEtaShrinks()
    {
        var e = Equilibrium.Derive(TheCatalog.Rule("heavy-ball"), GradientForcing.White);
        double Gap(double eta)
        {
            var v = new Dictionary<Symbol, double>
                { [Coordinates.Eta] = eta, [Coordinates.Beta] = 0.9, [Coordinates.K] = 0.01, [Expr.Symbol("delta")] = 0 };
            double lead = e.AngularUpdateSquared!.Evaluate(v);
            return Math.Abs(e.ExactAngularUpdateSquared(v) - lead) / lead;
        }
        double g1 = Gap(0.01), g2 = Gap(0.001);
        Assert.That(g2, Is.LessThan(g1 / 5), $"the O(η) gap should shrink about tenfold: {g1:G3} → {g2:G3}");
        Assert.That(g2, Is.GreaterThan(0), "the exact discrete value differs from the leading order");
    }

    [Test]
    public void DeriveAllListsTheAdaptiveRulesAsNotDerived()
    {
        var all = Derivation.RunAll(SmallCatalog(out var dir));
        try
        {
            Assert.That(all.NotDerived.Select(n => n.Rule.Id), Is.EquivalentTo(new[] { "adam", "adamw" }));
            Assert.That(all.Results.Select(r => r.Rule.Id).Distinct(), Is.EquivalentTo(new[] { "gd" }));
            Assert.That(DerivationFormatter.ToText(all), Does.Contain("--   adamw: adaptive rule, no closed form:"));
            Assert.That(DerivationFormatter.ToJson(all), Does.Contain("\"notDerived\""));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
        var ex = Assert.Throws<NoetherTheoryException>(() => Derivation.Run(TheCatalog, "adamw", "scale", ModelSpec.Abstract));
        Assert.That(ex!.Message, Does.Contain("adaptive rule").And.Contain("square root"));
    }

    [Test]
    public void ACatalogWithoutAdaptiveRulesWritesNoNotDerivedKey()
    {
        var catalog = SmallCatalog(out var dir, adaptive: false);
        try
        {
            Assert.That(DerivationFormatter.ToJson(Derivation.RunAll(catalog)), Does.Not.Contain("notDerived"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // gd, adam and adamw with the scale symmetry only: RunAll in well under a second.
    private static Catalog SmallCatalog(out string dir, bool adaptive = true)
    {
        dir = Path.Combine(Path.GetTempPath(), "noether-eq-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        Directory.CreateDirectory(Path.Combine(dir, "symmetries"));
        var rules = adaptive ? new[] { "gd", "adam", "adamw" } : new[] { "gd" };
        foreach (var r in rules)
            File.Copy(Path.Combine(CatalogTests.CatalogDir, "rules", r + ".yaml"), Path.Combine(dir, "rules", r + ".yaml"));
        File.Copy(Path.Combine(CatalogTests.CatalogDir, "symmetries", "scale.yaml"), Path.Combine(dir, "symmetries", "scale.yaml"));
        return Catalog.Load(dir);
    }

    [TestCase("kind: position\nbuffers: [v, G]", "buffers", "for 'kind: adaptive'")]
    [TestCase("kind: adaptive", "buffers", "declares its state buffers")]
    [TestCase("kind: adaptive\nbuffers: [v, v]", "buffers", "listed twice")]
    [TestCase("kind: adaptive\nbuffers: [m]", "buffers", "reserved")]
    public void ABadAdaptiveRuleIsLocated(string head, string field, string message)
    {
        var dir = Path.Combine(Path.GetTempPath(), "noether-eq-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        File.WriteAllText(Path.Combine(dir, "rules", "x.yaml"),
            "id: x\nname: x\n" + head.Replace("\\n", "\n", StringComparison.Ordinal) + "\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q - eta*g(q)\n");
        try
        {
            Assert.That(Catalog.TryLoad(dir, out _, out var errors), Is.False);
            Assert.That(errors.Any(e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal)), Is.True,
                string.Join("\n", errors));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>Stationary buffer statistics derived from each rule's catalog update (issue 12 item 1).</summary>
[TestFixture]
public sealed class BufferStatisticsTests
{
    private static readonly Catalog TheCatalog = Catalog.Load(CatalogTests.CatalogDir);

    private static void AssertEqual(Expr? actual, string expected, string what)
    {
        Assert.That(actual, Is.Not.Null, what);
        var z = ZeroTest.Run(actual! - Expr.Parse(expected));
        Assert.That(z.IsZero, Is.True, $"{what}: engine gave {actual}, theory says {expected} ({z})");
    }

    // Expected leading-order r⁴* (persistent, white) per rule; heavy ball and GD from theory notes C.4 / G #12–13, the
    // decoupled and Nesterov forms from the rule's own recursion (Nesterov's white law equals heavy ball's).
    [TestCase("gd", "eta*s/(2*k)", "eta*s/(2*k)")]
    [TestCase("heavy-ball", "eta*(1 - delta)*(1 + beta)*s/(2*k*(1 - beta)^2)", "eta*(1 - delta)*s/(2*k*(1 - beta))")]
    [TestCase("heavy-ball-decoupled", "eta*(1 + beta)*s/(2*k*(1 - beta)^3)", "eta*s/(2*k*(1 - beta)^2)")]
    [TestCase("nesterov", "eta*(1 - beta + 2*beta^2)*s/(2*k*(1 - beta)^2)", "eta*s/(2*k*(1 - beta))")]
    public void SteadyStatesAreDerivedFromTheUpdate(string rule, string persistent, string white)
    {
        var stats = BufferStatistics.Derive(TheCatalog.Rule(rule));
        Assert.That(stats.NotDerived, Is.Null);
        AssertEqual(stats.SteadyStatePersistent, persistent, $"{rule} persistent r⁴*");
        AssertEqual(stats.SteadyStateWhite, white, $"{rule} white r⁴*");
    }

    [Test]
    public void NesterovWhiteLawInTheScaleDerivationIsHeavyBalls()
    {
        var nesterov = Derivation.Run(TheCatalog, "nesterov", "scale", ModelSpec.Abstract).Adaptive!;
        AssertEqual(nesterov.SteadyStateWhite, "eta*s/(2*k*(1 - beta))", "Nesterov white r⁴* (was eta*(1 − beta + 2 beta²)s/(2k(1 − beta²)))");
        AssertEqual(nesterov.GainWhite, "2*eta/(1 - beta)^2", "Nesterov white gain = D·r⁴*/s with D = 4k/(1 − beta)");
        Assert.That(nesterov.WhiteNoiseFromRuleStatistics, Is.True);
        var heavy = Derivation.Run(TheCatalog, "heavy-ball", "scale", ModelSpec.Abstract).Adaptive!;
        Assert.That(heavy.WhiteNoiseFromRuleStatistics, Is.False, "heavy ball's law was already right and is kept verbatim");
    }

    [Test]
    public void AnAccumulatorRuleSaysWhyNothingIsDerived()
    {
        var stats = BufferStatistics.Derive(TheCatalog.Rule("rmsprop"));
        Assert.That(stats.NotDerived, Does.Contain("accumulator"));
        Assert.That(stats.SteadyStateWhite, Is.Null);
    }

    [Test]
    public void TheExactDiscreteRatioApproachesTheLeadingOrderAsEtaShrinks()
    {
        var stats = BufferStatistics.Derive(TheCatalog.Rule("nesterov"));
        double Gap(double eta)
        {
            var v = new Dictionary<Symbol, double> { [Coordinates.Eta] = eta, [Coordinates.Beta] = 0.9, [Coordinates.K] = 0.01, [Expr.Symbol("s")] = 1 };
            double lead = stats.SteadyStateWhite!.Evaluate(v);
            return Math.Abs(stats.ExactRatio(v, GradientForcing.White) - lead) / lead;
        }
        // First order in η: halving η halves the gap (ratio 2 within 10%).
        Assert.That(Gap(0.02) / Gap(0.01), Is.EqualTo(2).Within(0.2));
    }
}

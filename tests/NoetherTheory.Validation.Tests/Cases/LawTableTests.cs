using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Validation.Tests.Cases;

/// <summary>The one table of case laws: every row is reachable by its id and the public lists are views of it.</summary>
[TestFixture]
public sealed class LawTableTests
{
    [Test]
    public void Ids_AreUniqueAndKeyTheTable()
    {
        Assert.That(CaseLaws.Table.Select(e => e.Id), Is.Unique);
        Assert.That(CaseLaws.ById, Has.Count.EqualTo(CaseLaws.Table.Length));
        Assert.That(VerificationSuite.Laws, Is.EquivalentTo(CaseLaws.Table.Select(e => e.Id)));
    }

    [Test]
    public void OrderLaws_AreTracedAndListedFromTheTable()
    {
        Assert.That(VerificationSuite.OrderLaws, Is.EquivalentTo(new[] { "integrator-order", "optimizer-order", "hb-slow-mode" }));
        Assert.That(VerificationSuite.OrderLaws, Is.SubsetOf(VerificationSuite.TracedLaws));
        Assert.That(VerificationSuite.TracedLaws, Is.EquivalentTo(CaseLaws.Table.Where(e => e.Shape != LawShape.Plain).Select(e => e.Id)));
    }
}

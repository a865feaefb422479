using NoetherTheory.Testing;

namespace NoetherTheory.Mechanics.Tests;

[TestFixture]
public sealed class CatalogTests
{
    internal static string CatalogDir => RepositoryPaths.Combine("theory", "catalog");

    [Test]
    public void ShippedCatalog_LoadsWithoutErrors_AndHasEveryRequiredEntry()
    {
        Assert.That(Catalog.TryLoad(CatalogDir, out var catalog, out var errors), Is.True, string.Join("\n", errors));
        Assert.That(catalog!.Rules.Select(r => r.Id), Is.SupersetOf(new[] { "gd", "heavy-ball", "nesterov", "heavy-ball-decoupled", "rmsprop" }));
        Assert.That(catalog.Symmetries.Select(s => s.Kind).Distinct(), Is.EquivalentTo(Enum.GetValues<SymmetryKind>()));
        Assert.That(catalog.Models.Select(m => m.Id), Is.SupersetOf(new[]
            { "cosine", "rayleigh", "linear-scalar", "linear-net", "relu-unit", "softmax", "rotation-factor", "abstract-scale" }));
        Assert.That(catalog.Models.Count(m => m.IsAbstract), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void UnknownId_ThrowsWithTheKnownIds()
    {
        var catalog = Catalog.Load(CatalogDir);
        var ex = Assert.Throws<NoetherTheory.NoetherTheoryException>(() => catalog.Rule("lion"));
        Assert.That(ex!.Message, Does.Contain("lion").And.Contain("heavy-ball").And.Contain("adamw"));
    }

    private static IReadOnlyList<CatalogError> LoadBroken(string sub, string fileName, string yaml)
    {
        var dir = Path.Combine(Path.GetTempPath(), "noether-catalog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, sub));
        File.WriteAllText(Path.Combine(dir, sub, fileName), yaml);
        try
        {
            Assert.That(Catalog.TryLoad(dir, out var catalog, out var errors), Is.False);
            Assert.That(catalog, Is.Null);
            return errors;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // Each case: folder, YAML, expected line, expected field, a word the message must contain.
    private static readonly object[] BrokenFiles =
    [
        new object[] { "rules", "id: x\nname: [unclosed\n", 3, "", "invalid YAML" },
        new object[] { "rules", "id: x\nname: [unclosed\nkind: position\n", 2, "", "never closed" },
        new object[] { "symmetries", "id: s\nname: S\nkind: scale\nsets:\n  ? [0]\n  : [1]\n", 5, "", "a key must be a single value" },
        new object[] { "symmetries", "id: s\nname: S\nkind: scale\nkind: rescale\n", 4, "", "duplicate key 'kind'" },
        new object[] { "models", "id: m\nname: M\ndimension: two\n", 3, "dimension", "expected an integer, got 'two'" },
        new object[] { "rules", "id: x\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q - eta*g(q)\n", 1, "name", "missing required field" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\nupdat: 1\nupdate:\n  q_next: q\n", 4, "updat", "unknown field" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q - eta*(g(q) +\n", 5, "update.q_next", "cannot parse" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q - lr*g(q)\n", 5, "update.q_next", "unknown name 'lr'" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q - eta*h(q)\n", 5, "update.q_next", "only function" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\nbuffer: v\nupdate:\n  q_next: q - eta*v_next\n", 6, "update", "must assign 'v_next'" },
        new object[] { "rules", "id: x\nname: X\nkind: magic\nhyperparameters: {eta: lr}\nupdate:\n  q_next: q\n", 3, "kind", "unknown rule kind" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\ndomains:\n  eta: \"[1, 0)\"\nupdate:\n  q_next: q\n", 5, "domains.eta", "empty" },
        new object[] { "rules", "id: x\nname: X\nhyperparameters: {eta: lr}\ndomains:\n  beta: \"[0, 1)\"\nupdate:\n  q_next: q\n", 5, "domains.beta", "not declared under 'hyperparameters'" },
        new object[] { "symmetries", "id: s\nname: S\nkind: scale\ndimension: 2\nsets:\n  A: [0, 5]\n", 6, "sets.A", "outside" },
        new object[] { "symmetries", "id: s\nname: S\nkind: spin\n", 3, "kind", "unknown symmetry kind" },
        new object[] { "symmetries", "id: s\nname: S\nkind: rescale\nsets:\n  A1: [0]\n", 1, "sets", "A1" },
        new object[] { "symmetries", "id: s\nname: S\nkind: custom\ndimension: 3\ngenerator: [\"q[1]\", \"-q[0]\"]\n", 5, "generator", "components" },
        new object[] { "symmetries", "id: s\nname: S\nkind: custom\ngenerator: [\"q[1]*t\", \"-q[0]\"]\n", 4, "generator[0]", "may depend only on" },
        new object[] { "models", "id: m\nname: M\ndimension: 2\npotential: \"q[0]^2 + q[3]\"\n", 4, "potential", "outside" },
        new object[] { "models", "id: m\nname: M\ndimension: 2\npotential: \"q[0]*eta\"\n", 4, "potential", "reserved" },
        new object[] { "models", "id: m\nname: M\ndimension: 2\nabstract: true\n", 1, "symmetries", "must declare" },
        new object[] { "models", "id: m\nname: M\ndimension: 2\npotential: \"q[0]\"\nsymmetries:\n  - nosuch\n", 6, "symmetries", "unknown symmetry 'nosuch'" },
        new object[] { "models", "id: m\nname: M\ndimension: 2\npotential: \"q[0]\"\nmatrices:\n  W: {rows: 2, cols: 2, offset: 0}\n", 6, "matrices.W", "does not fit" },
    ];

    [TestCaseSource(nameof(BrokenFiles))]
    public void BrokenFile_GivesFileLineFieldError_NotAStackTrace(string sub, string yaml, int line, string field, string word)
    {
        var errors = LoadBroken(sub, "broken.yaml", yaml);
        var e = errors.FirstOrDefault(x => x.Field == field && x.Message.Contains(word, StringComparison.Ordinal));
        Assert.That(e, Is.Not.Null, "errors were:\n" + string.Join("\n", errors));
        Assert.That(e!.File, Is.EqualTo(sub + "/broken.yaml"));
        Assert.That(e.Line, Is.EqualTo(line), e.ToString());
        Assert.That(e.ToString(), Does.StartWith($"{sub}/broken.yaml:{line}:"));
    }

    [Test]
    public void ParseError_PointsAtTheColumnInsideTheExpression()
    {
        var errors = LoadBroken("models", "col.yaml", "id: m\nname: M\ndimension: 1\npotential: \"q[0] + * 2\"\n");
        var e = errors.Single(x => x.Field == "potential");
        Assert.That((e.Line, e.Column), Is.EqualTo((4, 20)), e.ToString());
    }

    [Test]
    public void DuplicateIds_AreReported()
    {
        var dir = Path.Combine(Path.GetTempPath(), "noether-catalog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "symmetries"));
        foreach (var f in new[] { "a.yaml", "b.yaml" })
            File.WriteAllText(Path.Combine(dir, "symmetries", f), "id: same\nname: S\nkind: scale\nsets: {A: [0]}\n");
        try
        {
            Assert.That(Catalog.TryLoad(dir, out _, out var errors), Is.False);
            Assert.That(errors.Single().Message, Does.Contain("duplicate symmetry id 'same'"));
            var ex = Assert.Throws<CatalogException>(() => Catalog.Load(dir));
            Assert.That(ex!.Errors, Has.Length.EqualTo(1));
            Assert.That(ex.Message, Does.Contain("symmetries/b.yaml:1:1"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void MissingDirectory_IsAnError()
    {
        Assert.That(Catalog.TryLoad("/nonexistent/catalog", out _, out var errors), Is.False);
        Assert.That(errors.Single().Message, Does.Contain("does not exist"));
    }
}

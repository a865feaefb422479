using CsCheck;
using System.Text.RegularExpressions;
using NoetherTheory.Cli;
using NoetherTheory.Mechanics;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The catalog loader under the error contract: every malformed catalog file ends in a
/// <see cref="CatalogException"/> whose errors each name a file, a 1-based line and column, and a field.</summary>
[TestFixture]
public sealed partial class CatalogInputTests
{
    private const int MutationCount = 120;
    private const int GeneratedCount = 40;

    [GeneratedRegex(@"^[^\s:]+:\d+:\d+: ")]
    private static partial Regex Located();

    internal static IReadOnlyList<(string Name, string Text)> RealFiles() =>
        [.. new[] { "rules", "symmetries", "models" }
            .SelectMany(sub => Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Catalog(), sub), "*.yaml").Order(StringComparer.Ordinal))
            .Select(f => (Path.GetRelativePath(RepositoryLayout.Catalog(), f).Replace('\\', '/'), File.ReadAllText(f)))];

    // Hand-written bad files: (what, file under the catalog, its text, a fragment the first error must contain).
    internal static IEnumerable<(string What, string File, string Text, string Expect)> HandWritten()
    {
        const string sym = "symmetries/bad.yaml";
        const string model = "models/bad.yaml";
        yield return ("sets key that is a list", sym, "id: bad\nname: B\nkind: scale\nsets:\n  [a, b]: [0]\n", "bad.yaml");
        yield return ("sets key that is a mapping", sym, "id: bad\nname: B\nkind: scale\nsets: {{a: 1}: [0]}\n", "bad.yaml");
        yield return ("huge dimension with sets all", sym, "id: bad\nname: B\nkind: scale\ndimension: 2000000000\nsets: {A: all}\n", "Catalog.MaxDimension");
        yield return ("dimension above int", sym, "id: bad\nname: B\nkind: scale\ndimension: 99999999999999\nsets: {A: [0]}\n", "integer");
        yield return ("huge index", sym, "id: bad\nname: B\nkind: scale\nsets: {A: [0, 2000000000]}\n", "Catalog.MaxDimension");
        yield return ("huge plane index", sym, "id: bad\nname: B\nkind: rotation\nplanes: [[0, 2000000000]]\n", "plane");
        yield return ("negative dimension", sym, "id: bad\nname: B\nkind: scale\ndimension: -3\nsets: {A: [0]}\n", "dimension");
        yield return ("zero dimension", sym, "id: bad\nname: B\nkind: scale\ndimension: 0\nsets: {A: all}\n", "dimension");
        yield return ("NaN dimension", sym, "id: bad\nname: B\nkind: scale\ndimension: .nan\nsets: {A: [0]}\n", "integer");
        yield return ("sets not a mapping", sym, "id: bad\nname: B\nkind: scale\nsets: [0, 1]\n", "sets");
        yield return ("empty index set", sym, "id: bad\nname: B\nkind: scale\nsets: {A: []}\n", "index set");
        yield return ("repeated index", sym, "id: bad\nname: B\nkind: scale\nsets: {A: [0, 0]}\n", "twice");
        yield return ("numeric kind", sym, "id: bad\nname: B\nkind: 2000000000\nsets: {A: [0]}\n", "kind");
        yield return ("unknown kind", sym, "id: bad\nname: B\nkind: boost\nsets: {A: [0]}\n", "boost");
        yield return ("custom without generator", sym, "id: bad\nname: B\nkind: custom\n", "generator");
        yield return ("generator on a non-custom kind", sym, "id: bad\nname: B\nkind: scale\nsets: {A: [0]}\ngenerator: [\"q[0]\"]\n", "generator");
        yield return ("generator naming another variable", sym, "id: bad\nname: B\nkind: custom\ngenerator: [x]\n", "generator");
        yield return ("generator that does not parse", sym, "id: bad\nname: B\nkind: custom\ngenerator: [\"q[0] +\"]\n", "parse");
        yield return ("rescale with overlapping sets", sym, "id: bad\nname: B\nkind: rescale\nsets: {A1: [0], A2: [0]}\n", "disjoint");
        yield return ("empty file", sym, "", "bad.yaml");
        yield return ("a list, not a mapping", sym, "- a\n- b\n", "mapping");
        yield return ("tab indentation", sym, "id: bad\nname: B\nkind: scale\nsets:\n\tA: [0]\n", "bad.yaml");
        yield return ("unclosed bracket", sym, "id: bad\nname: B\nkind: scale\nsets: {A: [0, 1}\n", "bad.yaml");
        yield return ("unknown alias", sym, "id: bad\nname: *nope\nkind: scale\nsets: {A: [0]}\n", "bad.yaml");
        yield return ("repeated key", sym, "id: bad\nid: bad2\nname: B\nkind: scale\nsets: {A: [0]}\n", "bad.yaml");
        yield return ("id with a space", sym, "id: bad one\nname: B\nkind: scale\nsets: {A: [0]}\n", "id");
        yield return ("duplicate id", sym, "id: scale\nname: B\nkind: scale\nsets: {A: [0]}\n", "duplicate");
        yield return ("unknown field", sym, "id: bad\nname: B\nkind: scale\nsets: {A: [0]}\ncolour: red\n", "colour");
        yield return ("binary bytes", sym, "\0\u0001\u0002\u00ff\ufffe", "bad.yaml");
        yield return ("model lacking its declared scale symmetry", model,
            "id: bad\nname: B\ndimension: 2\npotential: \"q[0]^2 + q[1]\"\nsymmetries: [scale]\n", "not invariant");
        yield return ("model lacking its declared translation symmetry", model,
            "id: bad\nname: B\ndimension: 3\npotential: \"q[0]^2\"\nsymmetries: [translation]\n", "not invariant");
        yield return ("model lacking its declared rotation symmetry", model,
            "id: bad\nname: B\ndimension: 2\npotential: \"q[0]^2 + 2*q[1]^2\"\nsymmetries: [{id: rotation, planes: [[0, 1]]}]\n", "not invariant");
        yield return ("model with dimension 0 and a potential", model,
            "id: bad\nname: B\ndimension: 0\npotential: \"q[0]^2\"\n", "dimension");
        yield return ("model with a huge dimension", model,
            "id: bad\nname: B\ndimension: 2000000000\npotential: \"q[0]^2\"\nsymmetries: [{id: scale, sets: {A: all}}]\n", "Catalog.MaxDimension");
        yield return ("model using a coordinate it lacks", model,
            "id: bad\nname: B\ndimension: 2\npotential: \"q[5]^2\"\n", "outside");
        yield return ("model with a reserved parameter name", model,
            "id: bad\nname: B\ndimension: 1\npotential: \"eta*q[0]^2\"\n", "reserved");
        yield return ("model with NaN as a name", model,
            "id: bad\nname: B\ndimension: 1\npotential: \"NaN*q[0]^2\"\n", "NaN");
        yield return ("model with Infinity as a name", model,
            "id: bad\nname: B\ndimension: 1\npotential: \"q[0]^2 + Infinity\"\n", "Infinity");
        yield return ("model with an unknown symmetry", model,
            "id: bad\nname: B\ndimension: 2\npotential: \"q[0]^2\"\nsymmetries: [boost]\n", "unknown symmetry");
        yield return ("model with a huge matrix block", model,
            "id: bad\nname: B\ndimension: 2\npotential: \"q[0]^2\"\nmatrices: {W: {rows: 2000000000, cols: 2000000000, offset: 0}}\n", "does not fit");
        yield return ("abstract model with a potential", model,
            "id: bad\nname: B\ndimension: 2\nabstract: true\npotential: \"q[0]\"\nsymmetries: [scale]\n", "abstract");
        yield return ("model without a dimension", model, "id: bad\nname: B\npotential: \"q[0]^2\"\n", "dimension");
        yield return ("rule with an unknown name", "rules/bad.yaml",
            "id: bad\nname: B\nhyperparameters: {eta: lr}\nupdate: {q_next: \"q - eta*g(q) + zeta\"}\n", "zeta");
        yield return ("rule without q_next", "rules/bad.yaml", "id: bad\nname: B\nhyperparameters: {eta: lr}\nupdate: {}\n", "q_next");
        yield return ("rule with NaN in its update", "rules/bad.yaml",
            "id: bad\nname: B\nhyperparameters: {eta: lr}\nupdate: {q_next: \"q - NaN*g(q)\"}\n", "NaN");
        yield return ("rule with a hyperparameter named inf", "rules/bad.yaml",
            "id: bad\nname: B\nhyperparameters: {inf: lr}\nupdate: {q_next: \"q - g(q)\"}\n", "inf");
    }

    private static IEnumerable<TestCaseData> HandWrittenCases() =>
        HandWritten().Select(c => new TestCaseData(c.File, c.Text, c.Expect).SetName("Catalog: " + c.What));

    private static IEnumerable<TestCaseData> MutatedCases() =>
        Mutations.Of(RealFiles(), MutationCount, seed: 13, json: false).Select(m => new TestCaseData(m.Name.Split(' ')[0], m.Text).SetName("Catalog mutation: " + m.Name));

    internal static int InputCount => HandWritten().Count() + MutationCount + GeneratedCount + 2;

    private static string CatalogWith(string file, string text)
    {
        string root = Bounded.TempFolder();
        foreach (var (name, content) in RealFiles())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.WriteAllText(Path.Combine(root, name), content);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
        File.WriteAllText(Path.Combine(root, file), text);
        return root;
    }

    private static CatalogException? Load(string file, string text)
    {
        string root = CatalogWith(file, text);
        try
        {
            var e = Bounded.SuccessOrDomainError(() => Catalog.Load(root), file);
            if (e is null) return null;
            Assert.That(e, Is.InstanceOf<CatalogException>());
            var errors = ((CatalogException)e).Errors;
            Assert.That(errors, Is.Not.Empty);
            foreach (var error in errors)
            {
                Assert.That(error.ToString(), Does.Match(Located()), "every error is located");
                Assert.That(error.Line, Is.GreaterThanOrEqualTo(1), error.ToString());
                Assert.That(error.Column, Is.GreaterThanOrEqualTo(1), error.ToString());
            }
            return (CatalogException)e;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestCaseSource(nameof(HandWrittenCases))]
    public void A_malformed_catalog_file_is_refused_with_a_located_error(string file, string text, string expect)
    {
        var e = Load(file, text);
        Assert.That(e, Is.Not.Null, "the input is invalid and must be refused");
        Assert.That(e!.Errors[0].ToString(), Does.Contain(expect));
        Assert.That(e.Message, Does.Not.Contain("q[-"), "no follow-on error from an invalid dimension");
    }

    [Test]
    public void An_invalid_dimension_gives_one_error_not_follow_on_errors()
    {
        var e = Load("models/bad.yaml", "id: bad\nname: B\ndimension: 0\npotential: \"q[0]^2 + q[1]\"\nsymmetries: [{id: scale, sets: {A: all}}]\n");
        Assert.That(e!.Errors, Has.Length.EqualTo(1), e.Message);
        Assert.That(e.Errors[0].Message, Does.Contain("Catalog.MaxDimension"));
    }

    [Test]
    public void A_model_declaring_a_symmetry_its_potential_lacks_names_both()
    {
        var e = Load("models/bad.yaml", "id: bad\nname: B\ndimension: 2\npotential: \"q[0]^2 + q[1]\"\nsymmetries: [scale]\n");
        Assert.That(e!.Errors.Single().Message, Does.Contain("model 'bad'").And.Contain("symmetry 'scale'").And.Contain("<grad f, xi>"));
        Assert.That(e.Errors.Single().Line, Is.EqualTo(5));
    }

    [TestCaseSource(nameof(MutatedCases))]
    public void A_damaged_catalog_file_loads_or_is_refused_with_a_located_error(string file, string text) => Load(file, text);

    [Test]
    public void Generated_damage_to_catalog_files_never_escapes_the_contract()
    {
        var files = RealFiles();
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, files.Count - 1], CsCheck.Gen.Int[0, Mutations.Kinds - 1], CsCheck.Gen.Int)
            .Sample((f, kind, seed) => Load(files[f].Name, Mutations.Apply(files[f].Text, kind, new Random(seed), json: false)),
                iter: GeneratedCount, threads: 1);
    }

    [Test]
    public void A_folder_that_is_not_a_catalog_is_refused_naming_it()
    {
        string empty = Bounded.TempFolder();
        try
        {
            foreach (var folder in new[] { empty, "/etc" })
            {
                var outcome = Bounded.Cli(["derive", "--all", "--catalog", folder], "derive --catalog " + folder);
                Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.BadInput), outcome.Error);
                Assert.That(outcome.Error, Does.Contain(folder).And.Contain("not a catalog folder").And.Contain("models/*.yaml"));
            }
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Test]
    public void The_real_catalog_loads() => Assert.That(Load("models/cosine.yaml", File.ReadAllText(Path.Combine(RepositoryLayout.Catalog(), "models", "cosine.yaml"))), Is.Null);
}

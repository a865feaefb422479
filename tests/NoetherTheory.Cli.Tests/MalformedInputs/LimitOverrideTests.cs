using System.Text.RegularExpressions;
using NoetherTheory.Cli;
using NoetherTheory.Mechanics;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>
/// The size limits of case files (steps, model sizes) and of the catalog (coordinates) refuse a big input by default with
/// the limit named, and a legitimate big input passes when the limit is raised (issue 13); the CLI's environment
/// variables are validated and named in the hint.
/// </summary>
[TestFixture]
public sealed class LimitOverrideTests
{
    private static string Valid => CaseInputTests.RealFiles()[0].Text;

    private static string WithSteps(int steps) => Regex.Replace(Valid, "\"steps\": [^,\\n]+", $"\"steps\": {steps}");

    // force-white in a given dimension, without the shipped case's 2-component q0 (the model's default start is used).
    private static string WithWhiteDimension(int dimension) =>
        Regex.Replace(Valid.Replace("\"model\": \"force-persistent\"", "\"model\": \"force-white\"")
            .Replace("\"s\": 0.1", $"\"s\": 0.1, \"dimension\": {dimension}"), "\"q0\": \\[[^\\]]*\\]", "");

    [Test]
    public void Case_steps_above_the_default_are_refused_naming_the_limit_and_its_variable()
    {
        var e = Assert.Throws<CaseFormatException>(() => CaseLoader.Parse(WithSteps(20_000_000), "case.json"))!;
        Assert.That(e.Message, Does.Contain("CaseLimits.MaxSteps").And.Match(@"^case\.json:\d+:\d+: field 'steps'"));
        Assert.That(LimitOverrides.Hint(e.Message), Does.Contain(LimitOverrides.CaseSteps));
    }

    [Test]
    public void Case_steps_pass_when_the_limit_is_raised()
    {
        var c = CaseLoader.Parse(WithSteps(20_000_000), "case.json", new CaseLimits { MaxSteps = 30_000_000 });
        Assert.That(c.Steps, Is.EqualTo(20_000_000));
        Assert.Throws<CaseFormatException>(() => CaseLoader.Parse(WithSteps(40_000_000), "case.json", new CaseLimits { MaxSteps = 30_000_000 }));
    }

    [Test]
    public void A_model_size_above_the_default_is_refused_naming_the_limit_and_passes_when_raised()
    {
        var e = Assert.Throws<CaseFormatException>(() => CaseLoader.Parse(WithWhiteDimension(200_000), "case.json"))!;
        Assert.That(e.Message, Does.Contain("CaseLimits.MaxModelSize"));
        Assert.That(LimitOverrides.Hint(e.Message), Does.Contain(LimitOverrides.ModelSize));
        var c = CaseLoader.Parse(WithWhiteDimension(200_000), "case.json", new CaseLimits { MaxModelSize = 250_000 });
        Assert.That(c.ModelParameters.Names, Does.Contain("dimension"));
    }

    [Test]
    public void Catalog_coordinates_above_the_default_are_refused_and_pass_when_raised()
    {
        string root = Bounded.TempFolder();
        foreach (var (name, content) in CatalogInputTests.RealFiles())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.WriteAllText(Path.Combine(root, name), content);
        }
        File.WriteAllText(Path.Combine(root, "symmetries", "wide.yaml"), "id: wide\nname: Wide\nkind: scale\ndimension: 100\nsets: {A: [0, 99]}\n");
        try
        {
            var e = Assert.Throws<CatalogException>(() => Catalog.Load(root))!;
            Assert.That(e.Errors[0].ToString(), Does.Contain("wide.yaml").And.Contain("Catalog.MaxDimension"));
            Assert.That(LimitOverrides.Hint(e.Message), Does.Contain(LimitOverrides.CatalogDimension));
            var catalog = Catalog.Load(root, 128);
            Assert.That(catalog.Symmetries.Single(s => s.Id == "wide").Dimension, Is.EqualTo(100));
            Assert.Throws<ArgumentOutOfRangeException>(() => Catalog.Load(root, Catalog.MaxDimensionCeiling + 1));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestCase(null, 64)]
    [TestCase("", 64)]
    [TestCase(" 200 ", 200)]
    [TestCase("4096", 4096)]
    public void A_variable_that_is_unset_or_a_whole_number_in_range_is_taken(string? text, int expected) =>
        Assert.That(LimitOverrides.Parse(LimitOverrides.CatalogDimension, text, Catalog.MaxDimension, Catalog.MaxDimensionCeiling), Is.EqualTo(expected));

    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("1e3")]
    [TestCase("4097")]
    [TestCase("99999999999")]
    public void A_bad_variable_is_a_usage_error_naming_it(string text)
    {
        var e = Assert.Throws<UsageException>(() => LimitOverrides.Parse(LimitOverrides.CatalogDimension, text, Catalog.MaxDimension, Catalog.MaxDimensionCeiling))!;
        Assert.That(e.Message, Does.Contain(LimitOverrides.CatalogDimension).And.Contain("1..4096"));
    }

    [Test]
    public void A_message_that_names_no_limit_gets_no_hint() => Assert.That(LimitOverrides.Hint("case.json:3:4: field 'law': unknown law"), Is.Empty);
}

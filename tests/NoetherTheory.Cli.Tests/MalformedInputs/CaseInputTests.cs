using CsCheck;
using System.Text.RegularExpressions;
using NoetherTheory.Cli;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The case-file loader under the error contract: every malformed case ends in a <see cref="CaseFormatException"/>
/// located at file:line:column (1-based) with the field and what to do.</summary>
[TestFixture]
public sealed partial class CaseInputTests
{
    private const int MutationCount = 150;
    private const int GeneratedCount = 40;
    private const string Name = "case.json";

    [GeneratedRegex(@"^case\.json:[1-9]\d*:[1-9]\d*: field '.+?': ")] // a damaged field name may itself contain a quote
    private static partial Regex Located();

    internal static IReadOnlyList<(string Name, string Text)> RealFiles() =>
        [.. Directory.EnumerateFiles(RepositoryLayout.ValidationCases(), "*.json").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))];

    private static string Valid => RealFiles()[0].Text;

    private static string Replace(string field, string value) =>
        Regex.Replace(Valid, "\"" + Regex.Escape(field) + "\": [^,\\n]+", $"\"{field}\": {value}");

    // (what, text, a fragment the message must contain)
    internal static IEnumerable<(string What, string Text, string Expect)> HandWritten()
    {
        yield return ("steps of two billion", Replace("steps", "2000000000"), "CaseLimits.MaxSteps");
        yield return ("steps above int", Replace("steps", "99999999999"), "integer");
        yield return ("negative steps", Replace("steps", "-5"), "≥ 0");
        yield return ("fractional steps", Replace("steps", "1.5"), "integer");
        yield return ("steps as text", Replace("steps", "\"many\""), "integer");
        yield return ("model parameter a: abc", Valid.Replace("\"s\": 0.1", "\"a\": \"abc\""), "has no parameter 'a'");
        yield return ("model parameter s: abc", Valid.Replace("\"s\": 0.1", "\"s\": \"abc\""), "must be a number");
        yield return ("unknown model parameter", Valid.Replace("\"s\": 0.1", "\"s\": 0.1, \"sigma\": 2"), "reads");
        yield return ("huge model dimension", Valid.Replace("\"model\": \"force-persistent\"", "\"model\": \"force-white\"").Replace("\"s\": 0.1", "\"s\": 0.1, \"dimension\": 2000000000"), "limit");
        yield return ("NaN parameter", Valid.Replace("\"s\": 0.1", "\"s\": NaN"), "JSON");
        yield return ("Infinity learning rate", Valid.Replace("\"lr\": 0.01", "\"lr\": Infinity"), "JSON");
        yield return ("1e999 learning rate", Valid.Replace("\"lr\": 0.01", "\"lr\": 1e999"), "finite");
        yield return ("negative learning rate", Valid.Replace("\"lr\": 0.01", "\"lr\": -1"), "optimizer");
        yield return ("unknown optimizer", Valid.Replace("\"kind\": \"hb\"", "\"kind\": \"lion\""), "lion");
        yield return ("unknown optimizer field", Valid.Replace("\"lr\": 0.01", "\"lr\": 0.01, \"lrr\": 1"), "optimizer.lrr");
        yield return ("unknown model", Valid.Replace("\"model\": \"force-persistent\"", "\"model\": \"resnet\""), "resnet");
        yield return ("unknown law", Valid.Replace("\"law\": \"accumulator-gain\"", "\"law\": \"magic\""), "magic");
        yield return ("unknown top-level field", Valid.Replace("\"seed\": 14", "\"seed\": 14, \"colour\": 1"), "colour");
        yield return ("tolerance zero", Valid.Replace("\"rel\": 0.001", "\"rel\": 0"), "tolerance");
        yield return ("tolerance as text", Valid.Replace("\"rel\": 0.001", "\"rel\": \"small\""), "tolerance.rel");
        yield return ("short why", Regex.Replace(Valid, "\"why\": \"[^\"]*\"", "\"why\": \"ok\""), "why");
        yield return ("bad theory citation", Valid.Replace("theory/05-learning-dynamics.md#eq-5-5", "chapter 5"), "theory");
        yield return ("empty theory list", Regex.Replace(Valid, "\"theory\": \\[[^\\]]*\\]", "\"theory\": []"), "theory");
        yield return ("missing law", Regex.Replace(Valid, "\"law\": \"[^\"]*\",", ""), "law");
        yield return ("missing id", Regex.Replace(Valid, "\"id\": \"[^\"]*\",", ""), "id");
        yield return ("null id", Regex.Replace(Valid, "\"id\": \"[^\"]*\"", "\"id\": null"), "id");
        yield return ("seed as text", Replace("seed", "\"x\""), "seed");
        yield return ("modelParameters a list", Regex.Replace(Valid, "\"modelParameters\": \\{", "\"modelParameters\": [{"), "JSON");
        yield return ("truncated", Valid[..(Valid.Length / 2)], "not valid JSON");
        yield return ("empty", "", "not valid JSON");
        yield return ("a bare number", "42", "object");
        yield return ("an array", "[1, 2]", "object");
        yield return ("binary", "\0\u0001\u00ff", "not valid JSON");
        yield return ("deep nesting", new string('[', 5000) + new string(']', 5000), "not valid JSON");
        yield return ("single quotes", Valid.Replace('"', '\''), "not valid JSON");
        yield return ("initial buffer unknown", Valid.Replace("\"lr\": 0.01", "\"lr\": 0.01, \"initialBuffer\": \"zero\""), "initialBuffer");
        yield return ("batch size as float", Valid.Replace("\"lr\": 0.01", "\"lr\": 0.01, \"batchSize\": 2.5"), "batchSize");
        yield return ("unknown law parameter (a typo)", Valid.Replace("\"quantity\": \"gain\",", "\"quantity\": \"gain\", \"burnin\": 5,"),
            "law 'accumulator-gain' has no parameter 'burnin'; it reads quantity, burnIn");
        yield return ("law parameter of another law", Valid.Replace("\"quantity\": \"gain\",", "\"quantity\": \"gain\", \"measure\": \"curve-gap\","),
            "has no parameter 'measure'");
        yield return ("reference without value", Valid.Replace("\"seed\": 14", "\"seed\": 14, \"reference\": {\"source\": \"x\", \"tolerance\": {\"abs\": 1}}"), "reference.value");
    }

    private static IEnumerable<TestCaseData> HandWrittenCases() =>
        HandWritten().Select(c => new TestCaseData(c.Text, c.Expect).SetName("Case JSON: " + c.What));

    private static IEnumerable<TestCaseData> MutatedCases() =>
        Mutations.Of(RealFiles(), MutationCount, seed: 13, json: true).Select(m => new TestCaseData(m.Text).SetName("Case JSON mutation: " + m.Name));

    internal static int InputCount => HandWritten().Count() + MutationCount + GeneratedCount + 2;

    private static CaseFormatException? Parse(string text)
    {
        var e = Bounded.SuccessOrDomainError(() => CaseLoader.Parse(text, Name), Name);
        if (e is null) return null;
        Assert.That(e, Is.InstanceOf<CaseFormatException>());
        Assert.That(e.Message, Does.Match(Located()), "file:line:column: field");
        return (CaseFormatException)e;
    }

    [TestCaseSource(nameof(HandWrittenCases))]
    public void A_malformed_case_is_refused_with_a_located_error(string text, string expect)
    {
        var e = Parse(text);
        Assert.That(e, Is.Not.Null, "the input is invalid and must be refused");
        Assert.That(e!.Message, Does.Contain(expect));
    }

    [TestCaseSource(nameof(MutatedCases))]
    public void A_damaged_case_loads_or_is_refused_with_a_located_error(string text) => Parse(text);

    [Test]
    public void Generated_damage_to_case_files_never_escapes_the_contract()
    {
        var files = RealFiles();
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, files.Count - 1], CsCheck.Gen.Int[0, Mutations.Kinds - 1], CsCheck.Gen.Int)
            .Sample((f, kind, seed) => Parse(Mutations.Apply(files[f].Text, kind, new Random(seed), json: true)), iter: GeneratedCount, threads: 1);
    }

    [Test]
    public void Positions_are_one_based_line_and_column_of_the_field()
    {
        // "steps" is on line 18, its quote in column 3 of the first shipped case.
        var e = Parse(Replace("steps", "2000000000"));
        Assert.That((e!.Line, e.Column), Is.EqualTo((18, 3)));
        var syntax = Parse("{\n  \"id\": x\n}");
        Assert.That((syntax!.Line, syntax.Column), Is.EqualTo((2, 9)), syntax.Message);
        Assert.That(syntax.Message, Does.Not.Contain("LineNumber"), "no 0-based position from the reader");
    }

    [Test]
    public void Every_shipped_case_still_loads() => Assert.That(RealFiles().Select(f => Parse(f.Text)), Is.All.Null);
}

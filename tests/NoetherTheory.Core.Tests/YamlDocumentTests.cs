using NoetherTheory.Core.Yaml;

namespace NoetherTheory.Core.Tests;

[TestFixture]
public sealed class YamlDocumentTests
{
    // Each case: the text, the line and column the error must name, a phrase its message must hold. Whatever the YAML
    // library throws (YamlException, InvalidOperationException from its scanner, …), the caller sees YamlInputException.
    private static readonly object[] Malformed =
    [
        new object[] { "name: [x\nother: 1\n", 1, 7, "'[' opened here is never closed" },
        new object[] { "a: {b: 1\nc: 2\n", 1, 4, "'{' opened here is never closed" },
        new object[] { "id: x\nname: [unclosed\n", 3, 1, "invalid YAML" },
        new object[] { "sets:\n  ? [0, 1]\n  : [2]\n", 2, 5, "a key must be a single value" },
        new object[] { "sets: {[0]: [1]}\n", 1, 8, "a key must be a single value" },
        new object[] { "sets:\n  ? {A: 1}\n  : [2]\n", 2, 5, "not a mapping" },
        new object[] { "a:\n\tb: 1\n", 2, 1, "tab" },
        new object[] { "a: 1\n\tb: 1\n", 2, 1, "tab" },
        new object[] { "a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)" },
        new object[] { "a:\n  x: 1\n  x: 2\n", 3, 3, "duplicate key 'x'" },
        new object[] { "a: *nope\n", 1, 4, "names no anchor" },
        new object[] { "a: 'x\n", 1, 4, "invalid YAML" },
        new object[] { "a: b: c\n", 1, 5, "invalid YAML" },
        new object[] { "steps: 10\n  optimizer: {\n", 2, 12, "invalid YAML" },
    ];

    [TestCaseSource(nameof(Malformed))]
    public void MalformedText_GivesTheLocatedError(string text, int line, int column, string phrase)
    {
        var e = Assert.Throws<YamlInputException>(() => YamlDocument.Parse(text, "f.yaml"))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((line, column)), e.Message);
        Assert.That(e.Message, Does.StartWith($"f.yaml:{line}:{column}: ").And.Contains(phrase));
        Assert.That(e, Is.InstanceOf<NoetherTheoryException>(), "a domain error, so the CLI prints it without a stack trace");
    }

    [Test]
    public void NodesCarryTheirPlaces_AndQuotedScalarsSaySo()
    {
        var map = YamlDocument.ParseMapping("a: 1\nb:\n  - x\n  - \"q[0]\"\nc: {d: e}\n", "f.yaml", "expected a mapping");
        Assert.That(map.Entries.Select(e => (e.Key.Text, e.Key.Line, e.Key.Column)), Is.EqualTo(new[] { ("a", 1, 1), ("b", 2, 1), ("c", 5, 1) }));
        var list = map.Find("b")!.AsList("b");
        Assert.That(list.Items.Select(i => (i.Line, i.Column)), Is.EqualTo(new[] { (3, 5), (4, 5) }));
        Assert.That(list.Items.Cast<YamlScalar>().Select(s => (s.Text, s.IsQuoted)), Is.EqualTo(new[] { ("x", false), ("q[0]", true) }));
        Assert.That(map.Find("c")!.AsMap("c").Find("d")!.AsScalar("c.d").Text, Is.EqualTo("e"));
        Assert.That(map.Find("missing"), Is.Null);
    }

    [Test]
    public void AnAliasIsTheAnchoredNode()
    {
        var map = YamlDocument.ParseMapping("a: &x [1, 2]\nb: *x\n", "f.yaml", "expected a mapping");
        Assert.That(map.Find("b"), Is.SameAs(map.Find("a")));
    }

    [TestCase("", "f.yaml:1:1: expected a mapping")]
    [TestCase("- 1\n- 2\n", "f.yaml:1:1: expected a mapping")]
    [TestCase("a: 1\n---\nb: 2\n", "f.yaml:1:1: expected a mapping")]
    public void ParseMapping_OtherwiseShapedText_IsAnErrorAtTheStart(string text, string message) =>
        Assert.That(() => YamlDocument.ParseMapping(text, "f.yaml", "expected a mapping"),
            Throws.TypeOf<YamlInputException>().With.Message.EqualTo(message));

    // Wrong types: the typed readings fail at the value's place, naming the field and what would be right.
    private static readonly object[] WrongTypes =
    [
        new object[] { "n: ten\n", (Func<YamlFields, object>)(f => f.Long("n", 0)), 1, 4, "n: 'ten' is not an integer" },
        new object[] { "n: 1.5\n", (Func<YamlFields, object>)(f => f.Int("n", 0)), 1, 4, "n: '1.5' is not an integer" },
        new object[] { "n: 0\n", (Func<YamlFields, object>)(f => f.Int("n", 0, min: 1)), 1, 4, "n: 0 must be ≥ 1" },
        new object[] { "n: 3000000000\n", (Func<YamlFields, object>)(f => f.Int("n", 0)), 1, 4, "n: 3000000000 is too large" },
        new object[] { "x: 0,1\n", (Func<YamlFields, object>)(f => f.Double("x", 0)), 1, 4, "x: '0,1' is not a number (use '.'" },
        new object[] { "x: 2\n", (Func<YamlFields, object>)(f => f.Double("x", 0, max: 1)), 1, 4, "x: 2 is out of range" },
        new object[] { "b: maybe\n", (Func<YamlFields, object>)(f => f.Bool("b", false)), 1, 4, "b: 'maybe' is not true or false" },
        new object[] { "s:\n  t: [1, 2]\n", (Func<YamlFields, object>)(f => f.Section("s")!.Double("t", 0)), 2, 6, "s.t: expected a single value, not a list" },
        new object[] { "s: [1]\n", (Func<YamlFields, object>)(f => f.Section("s")!), 1, 4, "s: expected a mapping" },
        new object[] { "l: 1\n", (Func<YamlFields, object>)(f => f.List("l")!), 1, 4, "l: expected a list such as [1, 2], not '1'" },
        new object[] { "k: c\n", (Func<YamlFields, object>)(f => f.OneOf("k", 0, new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 })), 1, 4, "k: 'c' is not one of a, b" },
    ];

    [TestCaseSource(nameof(WrongTypes))]
    public void WrongType_GivesTheLocatedError(string text, Func<YamlFields, object> read, int line, int column, string phrase)
    {
        var fields = new YamlFields(YamlDocument.ParseMapping(text, "f.yaml", "expected a mapping"));
        var e = Assert.Throws<YamlInputException>(() => read(fields))!;
        Assert.That(e.Message, Does.StartWith($"f.yaml:{line}:{column}: {phrase}"));
    }

    [Test]
    public void Fields_ReadValues_AndRejectUnknownKeys()
    {
        var fields = new YamlFields(YamlDocument.ParseMapping("steps: 10\nlr: 0.5\nflag: yes\nstpes: 3\n", "f.yaml", "expected a mapping"));
        Assert.That((fields.Long("steps", 0), fields.Double("lr", 0), fields.Bool("flag", false), fields.Int("absent", 7)),
            Is.EqualTo((10L, 0.5, true, 7)));
        Assert.That(fields.RejectUnknown, Throws.TypeOf<YamlInputException>().With.Message
            .StartsWith("f.yaml:4:1: unknown field 'stpes' (check the spelling; known: absent, flag, lr, steps)"));
    }
}

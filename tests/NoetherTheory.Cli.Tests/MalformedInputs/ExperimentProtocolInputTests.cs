using CsCheck;
using System.Globalization;
using System.Text.RegularExpressions;
using NoetherTheory.Cli;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The experiment-protocol loader under the error contract: every malformed protocol ends in a
/// <see cref="TrainingConfigException"/> located at file:line:column (1-based). Load only: no run is started.</summary>
[TestFixture]
public sealed partial class ExperimentProtocolInputTests
{
    private const int MutationCount = 120;
    private const int GeneratedCount = 40;
    private const string Name = "protocol.yaml";

    [GeneratedRegex(@"^protocol\.yaml:[1-9]\d*:[1-9]\d*: ")]
    private static partial Regex Located();

    internal static IReadOnlyList<(string Name, string Text)> RealFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root(), "validation", "experiments"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n", StringComparison.Ordinal)))];

    private static string Valid => RealFiles().Single(f => f.Name == "test-tiny.yaml").Text;

    private static string Replace(string what, string with)
    {
        Assert.That(Valid, Does.Contain(what), "the hand-written case edits test-tiny.yaml");
        return Valid.Replace(what, with, StringComparison.Ordinal);
    }

    private static string Seeds(int count) => "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";

    // (what, text, a fragment the message must contain)
    internal static IEnumerable<(string What, string Text, string Expect)> HandWritten()
    {
        yield return ("empty file", "", "mapping");
        yield return ("a list, not a mapping", "- name: x\n", "mapping");
        yield return ("binary bytes", "\0\u0001\u0002\u00ff\ufffe", "protocol.yaml");
        yield return ("unclosed flow sequence followed by a key", Replace("seeds: [1, 2]", "seeds: [1, 2\nname: x"), "protocol.yaml");
        yield return ("unclosed values list followed by a key", Replace("values: [0.0001, 0.3]", "values: [0.0001, 0.3\n      log_every: 5"), "protocol.yaml");
        yield return ("tab indentation", Replace("  steps: 60", "\tsteps: 60"), "protocol.yaml");
        yield return ("unknown top-level key", Valid + "colour: red\n", "colour");
        yield return ("missing base", Regex.Replace(Valid, @"(?s)base:\n.*?(?=grid:)", ""), "base");
        yield return ("nothing to run", Regex.Replace(Valid, @"(?s)grid:\n.*", ""), "nothing to run");
        yield return ("no seeds", Replace("seeds: [1, 2]", "seeds: []"), "seeds");
        yield return ("repeated seed", Replace("seeds: [1, 2]", "seeds: [1, 1]"), "seeds");
        yield return ("seed as text", Replace("seeds: [1, 2]", "seeds: [one]"), "seeds");
        yield return ("seeds a mapping", Replace("seeds: [1, 2]", "seeds: {a: 1}"), "seeds");
        yield return ("name with a slash", Replace("name: test-tiny", "name: a/b"), "name");
        yield return ("empty name", Replace("name: test-tiny", "name: ''"), "name");
        yield return ("base a list", Regex.Replace(Valid, @"(?s)base:\n.*?(?=grid:)", "base: [1]\n"), "base");
        yield return ("base without steps", Replace("  steps: 60\n", ""), "steps");
        yield return ("base lr zero", Replace("    lr: 0.05", "    lr: 0"), "optimizer.lr");
        yield return ("base momentum one", Replace("    momentum: 0.9", "    momentum: 1"), "optimizer.momentum");
        yield return ("base unknown key", Replace("  steps: 60", "  steps: 60\n  colour: red"), "colour");
        yield return ("base huge width", Replace("    width: 0.0625", "    width: 1e9"), "width");
        yield return ("base huge train count", Replace("      train_count: 128", "      train_count: 2000000000"), "train_count");
        yield return ("unknown grid key", Replace("  constrained: [false, true]", "  constrained: [false, true]\n  rows: 2"), "grid.rows");
        yield return ("constrained not a bool", Replace("  constrained: [false, true]", "  constrained: [maybe]"), "grid.constrained");
        yield return ("grid without panels", Regex.Replace(Valid, @"(?s)  panels:\n.*?(?=filters:)", ""), "panels");
        yield return ("unknown panel", Replace("    A:\n", "    D:\n"), "panel 'D'");
        yield return ("unknown variable", Replace("vary: lr", "vary: batch_size"), "batch_size");
        yield return ("empty values", Replace("values: [0.0001, 0.3]", "values: []"), "values");
        yield return ("values as text", Replace("values: [0.0001, 0.3]", "values: [fast]"), "values");
        yield return ("lr value zero", Replace("values: [0.0001, 0.3]", "values: [0]"), "lr");
        yield return ("lr value negative", Replace("values: [0.0001, 0.3]", "values: [-1]"), "lr");
        yield return ("lr value NaN", Replace("values: [0.0001, 0.3]", "values: [.nan]"), "protocol.yaml");
        yield return ("lr value infinite", Replace("values: [0.0001, 0.3]", "values: [.inf]"), "protocol.yaml");
        yield return ("momentum value one", Replace("values: [0, 0.9]", "values: [1]"), "momentum");
        yield return ("momentum value above one", Replace("values: [0, 0.9]", "values: [1.5]"), "momentum");
        yield return ("weight decay value negative", Replace("values: [0, 1.0e-2]", "values: [-1]"), "weight_decay");
        yield return ("repeated value", Replace("values: [0.0001, 0.3]", "values: [0.3, 0.3]"), "twice");
        yield return ("unknown panel override", Replace("      log_every: 5\n      measure_every: 60\n    B:", "      log_every: 5\n      colour: 60\n    B:"), "colour");
        yield return ("panel override steps zero", Replace("      log_every: 5\n      measure_every: 60\n    B:", "      log_every: 5\n      steps: 0\n    B:"), "steps");
        yield return ("panel override log_every huge", Replace("      log_every: 5\n      measure_every: 60\n    B:", "      log_every: 99999999999\n    B:"), "log_every");
        yield return ("panel override lr as a list", Replace("      log_every: 5\n      measure_every: 60\n    B:", "      lr: [1]\n    B:"), "lr");
        yield return ("panel a scalar", Replace("    A:\n      vary: lr\n      values: [0.0001, 0.3]\n      log_every: 5\n      measure_every: 60\n", "    A: lr\n"), "grid.panels.A");
        yield return ("filters a mapping", Regex.Replace(Valid, @"(?s)filters:\n.*", "filters: {id: eps}\n"), "filters");
        yield return ("filter without id", Replace("  - id: eps\n    bn_epsilon: 0.1", "  - bn_epsilon: 0.1"), "id");
        yield return ("repeated filter id", Replace("  - id: eps0", "  - id: eps"), "twice");
        yield return ("filter with a negative epsilon", Replace("    bn_epsilon: 0.1", "    bn_epsilon: -0.1"), "filters-eps");
        yield return ("filter with an unknown override", Replace("    bn_epsilon: 0.1", "    dropout: 0.1"), "dropout");
        yield return ("filter milestones decreasing", Replace("    bn_epsilon: 0.1", "    milestones: [20, 10]"), "milestones");
        yield return ("filter milestones as text", Replace("    bn_epsilon: 0.1", "    milestones: [ten]"), "milestones");
        yield return ("a grid of millions of runs", Replace("seeds: [1, 2]", "seeds: " + Seeds(3000)).Replace("values: [0.0001, 0.3]", "values: " + Seeds(3000), StringComparison.Ordinal), "MaxRuns");
        yield return ("too many filter runs", Regex.Replace(Valid, @"(?s)grid:\n.*", "filters:\n" + string.Concat(Enumerable.Range(0, 10_001).Select(i => $"  - id: f{i}\n"))), "MaxRuns");
        yield return ("deep nesting", "seeds: " + new string('[', 5000) + new string(']', 5000) + "\n", "protocol.yaml");
    }

    private static IEnumerable<TestCaseData> HandWrittenCases() =>
        HandWritten().Select(c => new TestCaseData(c.Text, c.Expect).SetName("Experiment protocol: " + c.What));

    private static IEnumerable<TestCaseData> MutatedCases() =>
        Mutations.Of(RealFiles(), MutationCount, seed: 13, json: false).Select(m => new TestCaseData(m.Text).SetName("Experiment protocol mutation: " + m.Name));

    internal static int InputCount => HandWritten().Count() + MutationCount + GeneratedCount + RealFiles().Count;

    private static TrainingConfigException? Parse(string text)
    {
        var e = Bounded.SuccessOrDomainError(() => ExperimentProtocolLoader.Parse(text, Name), Name);
        if (e is null) return null;
        Assert.That(e, Is.InstanceOf<TrainingConfigException>());
        Assert.That(e.Message, Does.Match(Located()), "file:line:column");
        return (TrainingConfigException)e;
    }

    [TestCaseSource(nameof(HandWrittenCases))]
    public void A_malformed_protocol_is_refused_with_a_located_error(string text, string expect)
    {
        var e = Parse(text);
        Assert.That(e, Is.Not.Null, "the input is invalid and must be refused");
        Assert.That(e!.Message, Does.Contain(expect));
    }

    [TestCaseSource(nameof(MutatedCases))]
    public void A_damaged_protocol_loads_or_is_refused_with_a_located_error(string text) => Parse(text);

    [Test]
    public void Generated_damage_to_protocols_never_escapes_the_contract()
    {
        var files = RealFiles();
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, files.Count - 1], CsCheck.Gen.Int[0, Mutations.Kinds - 1], CsCheck.Gen.Int)
            .Sample((f, kind, seed) => Parse(Mutations.Apply(files[f].Text, kind, new Random(seed), json: false)), iter: GeneratedCount, threads: 1);
    }

    [Test]
    public void Every_shipped_protocol_still_loads() => Assert.That(RealFiles().Select(f => Parse(f.Text)), Is.All.Null);
}

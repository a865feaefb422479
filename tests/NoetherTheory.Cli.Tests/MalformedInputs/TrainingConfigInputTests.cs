using CsCheck;
using System.Text.RegularExpressions;
using NoetherTheory.Cli;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>The training-config loader under the error contract: every malformed config ends in a
/// <see cref="TrainingConfigException"/> located at file:line:column (1-based). Load only: nothing is trained and no
/// tensor is allocated.</summary>
[TestFixture]
public sealed partial class TrainingConfigInputTests
{
    private const int MutationCount = 120;
    private const int GeneratedCount = 40;
    private const string Name = "train.yaml";

    [GeneratedRegex(@"^train\.yaml:[1-9]\d*:[1-9]\d*: ")]
    private static partial Regex Located();

    // The shape of /work-style train configs: every section the loader reads, each with a valid value.
    private const string Full = """
        name: base
        seed: 3
        steps: 40
        batch_size: 16
        log_every: 1
        transfer_every: 5
        measure_every: 1
        measure_window: 1
        checkpoint_every: 20
        keep_checkpoints: 2
        eval_batch_size: 64
        constrain_filter_norms: false
        on_non_finite: stop
        dataset:
          kind: synthetic
          synthetic: {train_count: 128, test_count: 32, channels: 3, size: 8, classes: 3, seed: 9}
        augmentation: {crop_padding: 0, horizontal_flip: false}
        model: {width: 0.0625, head: gap, bn_epsilon: 1.0e-5, bn_momentum: 0.1, hidden: 16, dropout: 0.25}
        optimizer: {lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0.0005, nesterov: false}
        schedule: {milestones: [10, 20], gamma: 0.5}
        limits: {memory_gib: 4}

        """;

    // Block-style configs: the valid base of every shipped protocol, lifted out of its 'base:' section.
    internal static IReadOnlyList<(string Name, string Text)> RealFiles()
    {
        var files = new List<(string, string)> { ("full.yaml", Full.Replace("\r\n", "\n", StringComparison.Ordinal)) };
        foreach (var (name, text) in ExperimentProtocolInputTests.RealFiles())
        {
            var lines = text.Split('\n');
            int start = Array.FindIndex(lines, l => l == "base:");
            if (start < 0) continue;
            var body = lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith("  ", StringComparison.Ordinal))
                .Select(l => l.Length >= 2 ? l[2..] : l);
            files.Add((name + " base", string.Join('\n', body) + "\n"));
        }
        return files;
    }

    private static string Valid => Full.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Set(string field, string value) =>
        Regex.Replace(Valid, @"(?m)^" + Regex.Escape(field) + @": .*$", $"{field}: {value}");

    private static string Inline(string field, string value) =>
        Regex.Replace(Valid, @"([{ ])" + Regex.Escape(field) + @": [^,}]+", $"$1{field}: {value}");

    // (what, text, a fragment the message must contain)
    internal static IEnumerable<(string What, string Text, string Expect)> HandWritten()
    {
        yield return ("empty file", "", "mapping");
        yield return ("only a comment", "# nothing\n", "mapping");
        yield return ("a list, not a mapping", "- steps: 1\n", "mapping");
        yield return ("a bare scalar", "42\n", "mapping");
        yield return ("binary bytes", "\0\u0001\u0002\u00ff\ufffe", "train.yaml");
        yield return ("unclosed flow sequence followed by a key", "steps: 10\nschedule: {milestones: [10, 20\nlog_every: 2\noptimizer: {lr: 0.1}\n", "train.yaml");
        yield return ("unclosed flow mapping followed by a key", "steps: 10\noptimizer: {lr: 0.1\nlog_every: 2\n", "train.yaml");
        yield return ("unclosed quote", "name: \"base\nsteps: 10\noptimizer: {lr: 0.1}\n", "train.yaml");
        yield return ("tab indentation", "steps: 10\noptimizer:\n\tlr: 0.1\n", "train.yaml");
        yield return ("repeated key", Valid + "steps: 41\n", "steps");
        yield return ("unknown alias", Set("name", "*nope"), "train.yaml");
        yield return ("two documents", Valid + "---\nsteps: 1\n", "train.yaml");
        yield return ("missing optimizer", Regex.Replace(Valid, "(?m)^optimizer: .*\n", ""), "optimizer");
        yield return ("missing lr", Inline("lr", "0.05").Replace("{lr: 0.05, ", "{", StringComparison.Ordinal), "optimizer.lr");
        yield return ("missing steps", Regex.Replace(Valid, "(?m)^steps: .*\n", ""), "steps");
        yield return ("steps zero", Set("steps", "0"), "steps");
        yield return ("negative steps", Set("steps", "-5"), "steps");
        yield return ("steps above long", Set("steps", "99999999999999999999999"), "steps");
        yield return ("steps as text", Set("steps", "many"), "steps");
        yield return ("fractional steps", Set("steps", "1.5"), "steps");
        yield return ("steps a list", Set("steps", "[1, 2]"), "steps");
        yield return ("steps a mapping", Set("steps", "{a: 1}"), "steps");
        yield return ("steps NaN", Set("steps", ".nan"), "steps");
        yield return ("batch size one", Set("batch_size", "1"), "batch_size");
        yield return ("batch size two billion", Set("batch_size", "2000000000"), "batch_size");
        yield return ("batch size above int", Set("batch_size", "99999999999"), "batch_size");
        yield return ("log_every zero", Set("log_every", "0"), "log_every");
        yield return ("measure_every negative", Set("measure_every", "-1"), "measure_every");
        yield return ("checkpoint_every negative", Set("checkpoint_every", "-1"), "checkpoint_every");
        yield return ("keep_checkpoints zero", Set("keep_checkpoints", "0"), "keep_checkpoints");
        yield return ("eval batch huge", Set("eval_batch_size", "2000000000"), "GiB");
        yield return ("seed as text", Set("seed", "abc"), "seed");
        yield return ("constrain_filter_norms not a bool", Set("constrain_filter_norms", "maybe"), "constrain_filter_norms");
        yield return ("unknown on_non_finite", Set("on_non_finite", "ignore"), "on_non_finite");
        yield return ("unknown top-level key", Valid + "colour: red\n", "colour");
        yield return ("misspelt key", Valid.Replace("log_every", "log_evry", StringComparison.Ordinal), "log_evry");
        yield return ("unknown optimizer key", Inline("lr", "0.05, lrr: 1"), "lrr");
        yield return ("unknown model key", Inline("width", "0.0625, depth: 11"), "depth");
        yield return ("unknown dataset key", Valid.Replace("  kind: synthetic", "  kind: synthetic\n  colour: red", StringComparison.Ordinal), "colour");
        yield return ("unknown dataset kind", Valid.Replace("kind: synthetic", "kind: imagenet", StringComparison.Ordinal), "imagenet");
        yield return ("synthetic section without synthetic kind", Valid.Replace("kind: synthetic", "kind: fashion-mnist", StringComparison.Ordinal), "synthetic");
        yield return ("lr zero", Inline("lr", "0"), "optimizer.lr");
        yield return ("lr negative", Inline("lr", "-0.1"), "optimizer.lr");
        yield return ("lr NaN", Inline("lr", ".nan"), "optimizer.lr");
        yield return ("lr infinite", Inline("lr", ".inf"), "optimizer.lr");
        yield return ("lr 1e999", Inline("lr", "1e999"), "optimizer.lr");
        yield return ("lr as text", Inline("lr", "fast"), "optimizer.lr");
        yield return ("lr a list", Inline("lr", "[0.1]"), "optimizer.lr");
        yield return ("momentum one", Inline("momentum", "1"), "optimizer.momentum");
        yield return ("momentum above one", Inline("momentum", "1.5"), "optimizer.momentum");
        yield return ("momentum negative", Inline("momentum", "-0.1"), "optimizer.momentum");
        yield return ("momentum NaN", Inline("momentum", ".NaN"), "optimizer.momentum");
        yield return ("dampening one", Inline("dampening", "1"), "dampening");
        yield return ("weight decay negative", Inline("weight_decay", "-1"), "weight_decay");
        yield return ("weight decay -inf", Inline("weight_decay", "-.inf"), "weight_decay");
        yield return ("nesterov without momentum", Inline("momentum", "0").Replace("nesterov: false", "nesterov: true", StringComparison.Ordinal), "nesterov");
        yield return ("width zero", Inline("width", "0"), "model.width");
        yield return ("width huge", Inline("width", "1e9"), "model.width");
        yield return ("width infinite", Inline("width", ".inf"), "model.width");
        yield return ("hidden two billion", Inline("hidden", "2000000000").Replace("head: gap", "head: classifier", StringComparison.Ordinal), "GiB");
        yield return ("dropout one", Inline("dropout", "1"), "model.dropout");
        yield return ("bn epsilon negative", Inline("bn_epsilon", "-1"), "bn_epsilon");
        yield return ("bn momentum zero", Inline("bn_momentum", "0"), "bn_momentum");
        yield return ("unknown head", Inline("head", "transformer"), "transformer");
        yield return ("train count two billion", Inline("train_count", "2000000000"), "train_count");
        yield return ("train count zero", Inline("train_count", "0"), "train_count");
        yield return ("image size two billion", Inline("size", "2000000000"), "GiB");
        yield return ("channels two billion", Inline("channels", "2000000000"), "GiB");
        yield return ("one class", Inline("classes", "1"), "classes");
        yield return ("crop padding negative", Inline("crop_padding", "-1"), "crop_padding");
        yield return ("crop padding huge", Inline("crop_padding", "2000000000"), "augmentation.crop_padding");
        yield return ("milestones decreasing", Valid.Replace("milestones: [10, 20]", "milestones: [20, 10]", StringComparison.Ordinal), "milestones");
        yield return ("milestone zero", Valid.Replace("milestones: [10, 20]", "milestones: [0]", StringComparison.Ordinal), "milestones");
        yield return ("milestone as text", Valid.Replace("milestones: [10, 20]", "milestones: [ten]", StringComparison.Ordinal), "milestones");
        yield return ("milestones a mapping", Valid.Replace("milestones: [10, 20]", "milestones: {a: 1}", StringComparison.Ordinal), "milestones");
        yield return ("gamma zero", Inline("gamma", "0"), "gamma");
        yield return ("memory limit zero", Inline("memory_gib", "0"), "memory_gib");
        yield return ("memory limit NaN", Inline("memory_gib", ".nan"), "memory_gib");
        yield return ("section that is a scalar", Valid.Replace("augmentation: {crop_padding: 0, horizontal_flip: false}", "augmentation: none", StringComparison.Ordinal), "augmentation");
        yield return ("section that is a list", Valid.Replace("limits: {memory_gib: 4}", "limits: [4]", StringComparison.Ordinal), "limits");
        yield return ("deep nesting", "steps: " + new string('[', 5000) + new string(']', 5000) + "\n", "train.yaml");
        yield return ("huge key", new string('k', 100_000) + ": 1\n", "train.yaml");
    }

    private static IEnumerable<TestCaseData> HandWrittenCases() =>
        HandWritten().Select(c => new TestCaseData(c.Text, c.Expect).SetName("Training config: " + c.What));

    private static IEnumerable<TestCaseData> MutatedCases() =>
        Mutations.Of(RealFiles(), MutationCount, seed: 13, json: false).Select(m => new TestCaseData(m.Text).SetName("Training config mutation: " + m.Name));

    internal static int InputCount => HandWritten().Count() + MutationCount + GeneratedCount + RealFiles().Count;

    private static TrainingConfigException? Parse(string text)
    {
        var e = Bounded.SuccessOrDomainError(() => TrainingConfigLoader.Parse(text, Name), Name);
        if (e is null) return null;
        Assert.That(e, Is.InstanceOf<TrainingConfigException>());
        Assert.That(e.Message, Does.Match(Located()), "file:line:column");
        return (TrainingConfigException)e;
    }

    [TestCaseSource(nameof(HandWrittenCases))]
    public void A_malformed_training_config_is_refused_with_a_located_error(string text, string expect)
    {
        var e = Parse(text);
        Assert.That(e, Is.Not.Null, "the input is invalid and must be refused");
        Assert.That(e!.Message, Does.Contain(expect));
    }

    [TestCaseSource(nameof(MutatedCases))]
    public void A_damaged_training_config_loads_or_is_refused_with_a_located_error(string text) => Parse(text);

    [Test]
    public void Generated_damage_to_training_configs_never_escapes_the_contract()
    {
        var files = RealFiles();
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, files.Count - 1], CsCheck.Gen.Int[0, Mutations.Kinds - 1], CsCheck.Gen.Int)
            .Sample((f, kind, seed) => Parse(Mutations.Apply(files[f].Text, kind, new Random(seed), json: false)), iter: GeneratedCount, threads: 1);
    }

    [Test]
    public void Every_valid_training_config_loads() => Assert.That(RealFiles().Select(f => Parse(f.Text)), Is.All.Null);
}

using System.Globalization;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NoetherTheory.Torch.Runs;

/// <summary>Reads <see cref="TrainingConfig"/> from YAML. Every error names file:line:column and the field.</summary>
/// <remarks>Unknown keys are errors (a typo must not silently fall back to a default). Numbers use the invariant culture.
/// Relative dataset paths are resolved against the config file's folder.</remarks>
public static class TrainingConfigLoader
{
    /// <summary>Loads and validates a config file.</summary>
    /// <exception cref="TrainingConfigException">The file is missing, not YAML, or a field is wrong.</exception>
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new TrainingConfigException($"{path}: training config not found.");
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses and validates config text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="TrainingConfigException">The text is not YAML, or a field is wrong.</exception>
    public static TrainingConfig Parse(string yaml, string source = "<config>", string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e)
        {
            throw new TrainingConfigException($"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new TrainingConfigException($"{source}:1:1: expected one YAML document holding a mapping (name: …, steps: …).");

        var r = new YamlSection(source, root, "");
        var datasetSection = r.Section("dataset");
        var kind = datasetSection?.Enum("kind", DatasetKind.FashionMnist, DatasetKinds) ?? DatasetKind.FashionMnist;
        string? path = datasetSection?.String("path", null);
        string? cache = datasetSection?.String("cache", null);
        if (baseDirectory is not null)
        {
            if (path is not null && !Path.IsPathRooted(path)) path = Path.GetFullPath(Path.Combine(baseDirectory, path));
            if (cache is not null && !Path.IsPathRooted(cache)) cache = Path.GetFullPath(Path.Combine(baseDirectory, cache));
        }
        SyntheticImageOptions? synthetic = null;
        var syn = datasetSection?.Section("synthetic");
        if (kind == DatasetKind.Synthetic)
        {
            var d = new SyntheticImageOptions();
            synthetic = new SyntheticImageOptions(
                syn?.Int("train_count", d.TrainCount, 1) ?? d.TrainCount, syn?.Int("test_count", d.TestCount, 1) ?? d.TestCount,
                syn?.Int("channels", d.Channels, 1) ?? d.Channels, syn?.Int("size", d.Size, 1) ?? d.Size,
                syn?.Int("classes", d.Classes, 2) ?? d.Classes, syn?.Long("seed", d.Seed) ?? d.Seed);
        }
        else if (syn is not null)
        {
            throw syn.Error("dataset.synthetic is only allowed with kind: synthetic");
        }
        datasetSection?.RejectUnknown();

        var aug = r.Section("augmentation");
        var augmentation = new AugmentationOptions(aug?.Int("crop_padding", 4, 0) ?? 4, aug?.Bool("horizontal_flip", true) ?? true);
        aug?.RejectUnknown();

        var m = r.Section("model");
        var dm = new Vgg11BnOptions();
        var model = dm with
        {
            WidthMultiplier = m?.Double("width", dm.WidthMultiplier, min: double.Epsilon) ?? dm.WidthMultiplier,
            BatchNormEpsilon = m?.Double("bn_epsilon", dm.BatchNormEpsilon, min: 0) ?? dm.BatchNormEpsilon,
            BatchNormMomentum = m?.Double("bn_momentum", dm.BatchNormMomentum, min: double.Epsilon, max: 1) ?? dm.BatchNormMomentum,
            Head = m?.Enum("head", dm.Head, Heads) ?? dm.Head,
            HiddenWidth = m?.Int("hidden", dm.HiddenWidth, 1) ?? dm.HiddenWidth,
            Dropout = m?.Double("dropout", dm.Dropout, min: 0, max: 0.999999) ?? dm.Dropout,
        };
        m?.RejectUnknown();

        var o = r.Section("optimizer") ?? throw r.Error("missing section 'optimizer' (at least optimizer.lr)");
        double lr = o.Double("lr", double.NaN, min: 0);
        if (double.IsNaN(lr)) throw o.Error("missing field 'optimizer.lr' (the base learning rate)");
        var optimizer = new HeavyBallOptions(
            o.Double("momentum", 0.9, min: 0), o.Double("dampening", 0, min: 0, max: 0.999999), o.Double("weight_decay", 0, min: 0),
            o.Bool("nesterov", false), o.Bool("decoupled_weight_decay", false));
        if (optimizer.Nesterov && (optimizer.Momentum <= 0 || optimizer.Dampening != 0))
            throw o.Error("optimizer.nesterov: true needs momentum > 0 and dampening 0");
        o.RejectUnknown();

        var sc = r.Section("schedule");
        var milestones = sc?.LongList("milestones") ?? [];
        for (int i = 1; i < milestones.Count; i++)
            if (milestones[i] <= milestones[i - 1]) throw sc!.Error("schedule.milestones must be strictly increasing");
        var schedule = new LearningRateSchedule(lr, milestones, sc?.Double("gamma", 0.1, min: double.Epsilon) ?? 0.1);
        sc?.RejectUnknown();

        int logEvery = r.Int("log_every", 10, 1);
        var config = new TrainingConfig(
            Name: r.String("name", "run") ?? "run",
            Seed: r.Long("seed", 1),
            Dataset: new DatasetConfig(kind, path, cache, synthetic),
            Augmentation: augmentation,
            Model: model,
            Optimizer: optimizer,
            Schedule: schedule,
            ConstrainFilterNorms: r.Bool("constrain_filter_norms", false),
            BatchSize: r.Int("batch_size", 128, 2),
            Steps: r.Long("steps", -1),
            LogEvery: logEvery,
            MeasureEvery: r.Int("measure_every", logEvery, 1),
            CheckpointEvery: r.Int("checkpoint_every", 1000, 0),
            KeepCheckpoints: r.Int("keep_checkpoints", 2, 1),
            EvalBatchSize: r.Int("eval_batch_size", 256, 1),
            MeasureWindow: r.Int("measure_window", 1, 1),
            TransferEvery: r.Int("transfer_every", 1, 1));
        if (config.Steps < 1) throw r.Error("missing or non-positive field 'steps' (number of optimizer steps)");
        r.RejectUnknown();
        try { config.Validate(); }
        catch (ArgumentException e)
        {
            throw new TrainingConfigException($"{source}:{r.LineOf(e.ParamName)}: {e.Message}", e);
        }
        return config;
    }

    internal static string DatasetKindName(DatasetKind kind) => DatasetKinds.First(p => p.Value == kind).Key;

    private static readonly Dictionary<string, DatasetKind> DatasetKinds = new(StringComparer.Ordinal)
    {
        ["synthetic"] = DatasetKind.Synthetic, ["fashion-mnist"] = DatasetKind.FashionMnist, ["tiny-imagenet"] = DatasetKind.TinyImageNet,
    };

    private static readonly Dictionary<string, Vgg11BnHead> Heads = new(StringComparer.Ordinal)
    {
        ["gap"] = Vgg11BnHead.GapLinear, ["classifier"] = Vgg11BnHead.Classifier,
    };

    // A mapping node with typed getters that remember which keys were read, so unknown keys can be reported.
    private sealed class YamlSection(string source, YamlMappingNode node, string prefix)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public TrainingConfigException Error(string message, YamlNode? at = null)
        {
            var mark = (at ?? node).Start;
            return new TrainingConfigException($"{source}:{mark.Line}:{mark.Column}: {message}");
        }

        public string LineOf(string? field)
        {
            if (field is not null)
            {
                string first = field.Split('.')[0];
                foreach (var (k, v) in node.Children)
                    if (k is YamlScalarNode s && s.Value == first) return $"{v.Start.Line}:{v.Start.Column}";
            }
            return $"{node.Start.Line}:{node.Start.Column}";
        }

        private YamlNode? Get(string key)
        {
            _read.Add(key);
            foreach (var (k, v) in node.Children)
                if (k is YamlScalarNode s && s.Value == key) return v;
            return null;
        }

        private string? Scalar(string key, out YamlNode? at)
        {
            at = Get(key);
            if (at is null) return null;
            if (at is not YamlScalarNode s) throw Error($"{prefix}{key}: expected a single value", at);
            return s.Value;
        }

        public YamlSection? Section(string key)
        {
            var v = Get(key);
            if (v is null) return null;
            if (v is not YamlMappingNode map) throw Error($"{prefix}{key}: expected a mapping (indented key: value lines)", v);
            return new YamlSection(source, map, prefix + key + ".");
        }

        public string? String(string key, string? fallback) => Scalar(key, out _) ?? fallback;

        public bool Bool(string key, bool fallback)
        {
            string? s = Scalar(key, out var at);
            if (s is null) return fallback;
            return s switch
            {
                "true" or "True" or "yes" => true,
                "false" or "False" or "no" => false,
                _ => throw Error($"{prefix}{key}: '{s}' is not true or false", at),
            };
        }

        public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
        {
            string? s = Scalar(key, out var at);
            if (s is null) return fallback;
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                throw Error($"{prefix}{key}: '{s}' is not a number (use '.' as decimal separator, e.g. 0.1 or 5e-4)", at);
            if (x < min || x > max)
                throw Error(string.Create(CultureInfo.InvariantCulture, $"{prefix}{key}: {s} is out of range [{min}, {max}]"), at);
            return x;
        }

        public long Long(string key, long fallback, long min = long.MinValue)
        {
            string? s = Scalar(key, out var at);
            if (s is null) return fallback;
            if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x))
                throw Error($"{prefix}{key}: '{s}' is not an integer", at);
            if (x < min) throw Error(string.Create(CultureInfo.InvariantCulture, $"{prefix}{key}: {x} must be ≥ {min}"), at);
            return x;
        }

        public int Int(string key, int fallback, int min)
        {
            long x = Long(key, fallback, min);
            if (x > int.MaxValue) throw Error($"{prefix}{key}: {x} is too large", node);
            return (int)x;
        }

        public T Enum<T>(string key, T fallback, Dictionary<string, T> names)
        {
            string? s = Scalar(key, out var at);
            if (s is null) return fallback;
            if (!names.TryGetValue(s, out var value))
                throw Error($"{prefix}{key}: '{s}' is not one of {string.Join(", ", names.Keys)}", at);
            return value;
        }

        public List<long> LongList(string key)
        {
            var v = Get(key);
            if (v is null) return [];
            if (v is not YamlSequenceNode seq) throw Error($"{prefix}{key}: expected a list such as [100, 200]", v);
            var list = new List<long>();
            foreach (var item in seq.Children)
            {
                if (item is not YamlScalarNode s || !long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) || x < 1)
                    throw Error($"{prefix}{key}: every entry must be a step number ≥ 1", item);
                list.Add(x);
            }
            return list;
        }

        public void RejectUnknown()
        {
            foreach (var (k, _) in node.Children)
                if (k is YamlScalarNode s && s.Value is not null && !_read.Contains(s.Value))
                    throw Error($"unknown field '{prefix}{s.Value}' (check the spelling; known: {string.Join(", ", _read.Order(StringComparer.Ordinal))})", k);
        }
    }
}

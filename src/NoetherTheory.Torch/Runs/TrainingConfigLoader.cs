using System.Globalization;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Symmetries;

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
        try
        {
            return Parse(YamlDocument.ParseMapping(yaml, source, "expected one YAML document holding a mapping (name: …, steps: …)."),
                baseDirectory, "run");
        }
        catch (YamlInputException e)
        {
            throw new TrainingConfigException(e.Message, e);
        }
    }

    /// <summary>Reads a config from a parsed mapping (a config file's root, or a protocol's <c>base</c> section); a missing
    /// name is <paramref name="defaultName"/>.</summary>
    /// <exception cref="YamlInputException">A field is wrong (located).</exception>
    /// <exception cref="TrainingConfigException">The config is inconsistent (located at the field's value).</exception>
    internal static TrainingConfig Parse(YamlMap root, string? baseDirectory, string defaultName)
    {
        var r = new YamlFields(root);
        var datasetSection = r.Section("dataset");
        var kind = datasetSection?.OneOf("kind", DatasetKind.FashionMnist, DatasetKinds) ?? DatasetKind.FashionMnist;
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
        // The model section by kind (NetworkConfigLoader): VGG11-BN's keys give exactly the options they always gave.
        var network = m is null ? null : NetworkConfigLoader.Read(m, new NetworkConfig());
        var model = network is { Kind: ModelKind.Vgg11Bn, Vgg: { } vgg } ? vgg : new Vgg11BnOptions();
        m?.RejectUnknown();

        var o = r.Section("optimizer") ?? throw r.Error("missing section 'optimizer' (at least optimizer.lr)");
        double lr = o.Double("lr", double.NaN, min: 0);
        if (double.IsNaN(lr)) throw o.Error("missing field 'optimizer.lr' (the base learning rate)");
        var optimizerKind = o.OneOf("kind", OptimizerKind.Sgd, OptimizerKinds);
        var optimizer = new HeavyBallOptions();
        AdamOptions? adam = null;
        if (optimizerKind == OptimizerKind.Sgd)
        {
            optimizer = new HeavyBallOptions(
                o.Double("momentum", 0.9, min: 0), o.Double("dampening", 0, min: 0, max: 0.999999), o.Double("weight_decay", 0, min: 0),
                o.Bool("nesterov", false), o.Bool("decoupled_weight_decay", false));
            if (optimizer.Nesterov && (optimizer.Momentum <= 0 || optimizer.Dampening != 0))
                throw o.Error("optimizer.nesterov: true needs momentum > 0 and dampening 0");
        }
        else
        {
            var defaults = new AdamOptions();
            double beta1 = defaults.Beta1, beta2 = defaults.Beta2;
            if (o.List("betas", "[0.9, 0.999]") is { } betas)
            {
                if (betas.Items.Count != 2)
                    throw betas.Error("optimizer.betas", "give two numbers [beta1, beta2], each in [0, 1), e.g. [0.9, 0.999]");
                beta1 = betas.Items[0].AsScalar("optimizer.betas[0]").AsDouble("optimizer.betas[0]", 0, 0.999999999);
                beta2 = betas.Items[1].AsScalar("optimizer.betas[1]").AsDouble("optimizer.betas[1]", 0, 0.999999999);
            }
            adam = new AdamOptions(beta1, beta2, o.Double("eps", defaults.Epsilon, min: double.Epsilon),
                o.Double("weight_decay", optimizerKind == OptimizerKind.AdamW ? 0.01 : 0, min: 0), optimizerKind == OptimizerKind.AdamW);
        }
        o.RejectUnknown();

        var sc = r.Section("schedule");
        var milestones = sc?.List("milestones", "[100, 200]")?.Items
            .Select(item => item is YamlScalar { Text: var t } && long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) && x >= 1
                ? x : throw item.Error("schedule.milestones", "every entry must be a step number ≥ 1")).ToList() ?? [];
        for (int i = 1; i < milestones.Count; i++)
            if (milestones[i] <= milestones[i - 1]) throw sc!.Error("schedule.milestones must be strictly increasing");
        var schedule = new LearningRateSchedule(lr, milestones, sc?.Double("gamma", 0.1, min: double.Epsilon) ?? 0.1);
        sc?.RejectUnknown();

        var limits = r.Section("limits");
        double? memoryLimit = limits?.Scalar("memory_gib") is null ? null : limits.Double("memory_gib", 0, min: double.Epsilon);
        limits?.RejectUnknown();
        var onNonFinite = r.OneOf("on_non_finite", NonFiniteAction.Stop, NonFiniteActions);
        var groups = ReadGroups(r, baseDirectory);

        var stepsValue = r.Find("steps");
        long steps = r.Long("steps", -1);
        if (steps < 1)
            throw stepsValue is null ? r.Error("missing field 'steps' (number of optimizer steps)")
                : r.Error("field 'steps' must be ≥ 1 (number of optimizer steps)", stepsValue);
        int logEvery = r.Int("log_every", 10, 1);
        var config = new TrainingConfig(
            Name: r.String("name", defaultName) ?? defaultName,
            Seed: r.Long("seed", 1),
            Dataset: new DatasetConfig(kind, path, cache, synthetic),
            Augmentation: augmentation,
            Model: model,
            Optimizer: optimizer,
            Schedule: schedule,
            ConstrainFilterNorms: r.Bool("constrain_filter_norms", false),
            BatchSize: r.Int("batch_size", 128, 2),
            Steps: steps,
            LogEvery: logEvery,
            MeasureEvery: r.Int("measure_every", logEvery, 1),
            CheckpointEvery: r.Int("checkpoint_every", 1000, 0),
            KeepCheckpoints: r.Int("keep_checkpoints", 2, 1),
            EvalBatchSize: r.Int("eval_batch_size", 256, 1),
            MeasureWindow: r.Int("measure_window", 1, 1),
            TransferEvery: r.Int("transfer_every", 1, 1),
            OnNonFinite: onNonFinite,
            MemoryLimitGib: memoryLimit,
            Network: network is { Kind: not ModelKind.Vgg11Bn } ? network : null,
            Adam: adam,
            Groups: groups);
        r.RejectUnknown();
        try { config.Validate(); }
        catch (ArgumentException e)
        {
            var (line, column) = PlaceOf(root, e.ParamName);
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new TrainingConfigException(string.Create(CultureInfo.InvariantCulture, $"{root.Source}:{line}:{column}: {message}"), e);
        }
        return config;
    }

    // measure: auto | [scale, rescale, translation]; declare: [file, …] (relative to the config's folder). Null without measure.
    private static GroupMeasurementConfig? ReadGroups(YamlFields r, string? baseDirectory)
    {
        var measure = r.Find("measure");
        var declare = r.List("declare", "[groups.yaml]");
        if (measure is null)
        {
            if (declare is not null) throw r.Error("'declare' needs 'measure' (auto, or a list of group kinds) to say which groups are measured", declare);
            return null;
        }
        string kinds = string.Join(", ", GroupMeasurementConfig.KindNames.Keys);
        bool auto = false;
        var list = new List<GroupKind>();
        if (measure is YamlScalar scalar)
        {
            if (scalar.Text == "auto") auto = true;
            else if (GroupMeasurementConfig.KindNames.TryGetValue(scalar.Text, out var one)) list.Add(one);
            else throw scalar.Error("measure", $"'{scalar.Text}' is not a group kind: say auto, or list kinds from {kinds}");
        }
        else
        {
            var items = measure.AsList("measure", "[scale, translation]").Items;
            if (items.Count == 0) throw measure.Error("measure", $"list at least one group kind ({kinds}) or say auto");
            for (int i = 0; i < items.Count; i++)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"measure[{i}]");
                var item = items[i].AsScalar(at);
                if (!GroupMeasurementConfig.KindNames.TryGetValue(item.Text, out var kind))
                    throw item.Error(at, $"unknown group kind '{item.Text}' (known: {kinds}; or say measure: auto)");
                if (list.Contains(kind)) throw item.Error(at, $"'{item.Text}' is listed twice");
                list.Add(kind);
            }
        }
        var files = new List<string>();
        if (declare is not null)
            for (int i = 0; i < declare.Items.Count; i++)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"declare[{i}]");
                var item = declare.Items[i].AsScalar(at);
                string file = baseDirectory is not null && !Path.IsPathRooted(item.Text) ? Path.GetFullPath(Path.Combine(baseDirectory, item.Text)) : item.Text;
                if (!File.Exists(file)) throw item.Error(at, $"symmetry declaration file '{file}' not found");
                files.Add(file);
            }
        return new GroupMeasurementConfig(auto, list, files);
    }

    // The place of a dotted field's value (as deep as the file spells it), or of the root mapping.
    private static (int Line, int Column) PlaceOf(YamlMap root, string? field)
    {
        YamlValue at = root;
        foreach (string part in (field ?? "").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (at is YamlMap map && map.Find(part) is { } value) at = value;
            else break;
        }
        return (at.Line, at.Column);
    }

    internal static string DatasetKindName(DatasetKind kind) => DatasetKinds.First(p => p.Value == kind).Key;

    private static readonly Dictionary<string, DatasetKind> DatasetKinds = new(StringComparer.Ordinal)
    {
        ["synthetic"] = DatasetKind.Synthetic, ["fashion-mnist"] = DatasetKind.FashionMnist, ["tiny-imagenet"] = DatasetKind.TinyImageNet,
    };

    private enum OptimizerKind
    {
        Sgd,
        Adam,
        AdamW,
    }

    private static readonly Dictionary<string, OptimizerKind> OptimizerKinds = new(StringComparer.Ordinal)
    {
        ["sgd"] = OptimizerKind.Sgd, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW,
    };

    private static readonly Dictionary<string, NonFiniteAction> NonFiniteActions = new(StringComparer.Ordinal)
    {
        ["stop"] = NonFiniteAction.Stop, ["flag"] = NonFiniteAction.Flag,
    };
}

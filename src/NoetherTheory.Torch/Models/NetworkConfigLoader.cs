using System.Globalization;
using NoetherTheory.Core.Yaml;

namespace NoetherTheory.Torch.Models;

/// <summary>
/// Reads a <see cref="NetworkConfig"/> from YAML: a model file of its own, or the <c>model:</c> section of a training
/// config (input channels, size and classes then come from its data set). Every error names file:line:column and the field.
/// </summary>
/// <remarks>
/// <para>Keys by kind (a key another kind uses is an error, as is any unknown key):</para>
/// <list type="bullet">
/// <item><c>vgg11-bn</c> (the default): width, bn_epsilon, bn_momentum, head (gap | classifier), hidden, dropout.</item>
/// <item><c>resnet18</c>: width (multiplies 64, 128, 256, 512), depth (blocks per stage, 2), epsilon, bn_momentum.</item>
/// <item><c>mlp</c>: hidden, depth (hidden layers), bias (true/false), activation (relu | tanh | gelu).</item>
/// <item><c>layernorm-net</c>: hidden, depth, bias, activation, epsilon.</item>
/// </list>
/// <para>A model file of its own adds input_channels, input_size and classes (defaults 3, 32, 10).</para>
/// </remarks>
public static class NetworkConfigLoader
{
    /// <summary>Loads a model file, or the model of a training config (a file with <c>steps</c> or <c>optimizer</c>).</summary>
    /// <exception cref="YamlInputException">The file is missing, not YAML, or a field is wrong.</exception>
    public static NetworkConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new YamlInputException($"{path}: model config not found.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a model file or training config; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="YamlInputException">Not YAML, or a field is wrong.</exception>
    public static NetworkConfig Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = YamlDocument.ParseMapping(yaml, source, "expected a mapping (kind: …, or a training config with a model: section).");
        if (root.Find("steps") is null && root.Find("optimizer") is null)
        {
            var r = new YamlFields(root, "model.");
            var inputs = new NetworkConfig(InputChannels: r.Int("input_channels", 3, 1), InputSize: r.Int("input_size", 32, 1), Classes: r.Int("classes", 10, 2));
            var config = Read(r, inputs);
            r.RejectUnknown();
            return Checked(config, root);
        }
        var fields = new YamlFields(root);
        var data = fields.Section("dataset");
        string kind = data?.String("kind", "fashion-mnist") ?? "fashion-mnist";
        var syn = data?.Section("synthetic");
        var shape = kind switch
        {
            "synthetic" => new NetworkConfig(InputChannels: syn?.Int("channels", 3, 1) ?? 3, InputSize: syn?.Int("size", 16, 1) ?? 16, Classes: syn?.Int("classes", 10, 2) ?? 10),
            "tiny-imagenet" => new NetworkConfig(InputChannels: 3, InputSize: 64, Classes: 200),
            _ => new NetworkConfig(InputChannels: 1, InputSize: 28, Classes: 10),
        };
        var m = fields.Section("model");
        var network = m is null ? shape with { Vgg = new Vgg11BnOptions() } : Read(m, shape);
        m?.RejectUnknown();
        return Checked(network, root);
    }

    /// <summary>Reads the model keys of <paramref name="m"/> (kind first) onto <paramref name="inputs"/>' input shape and classes.
    /// Unknown keys are left for the caller's <see cref="YamlFields.RejectUnknown"/>.</summary>
    /// <exception cref="YamlInputException">A field is wrong.</exception>
    internal static NetworkConfig Read(YamlFields m, NetworkConfig inputs)
    {
        var kind = m.OneOf("kind", ModelKind.Vgg11Bn, NetworkConfig.KindNames);
        var d = new NetworkConfig();
        switch (kind)
        {
            case ModelKind.Vgg11Bn:
                var dv = new Vgg11BnOptions();
                return inputs with
                {
                    Kind = kind,
                    Vgg = dv with
                    {
                        WidthMultiplier = m.Double("width", dv.WidthMultiplier, min: double.Epsilon),
                        BatchNormEpsilon = m.Double("bn_epsilon", dv.BatchNormEpsilon, min: 0),
                        BatchNormMomentum = m.Double("bn_momentum", dv.BatchNormMomentum, min: double.Epsilon, max: 1),
                        Head = m.OneOf("head", dv.Head, Heads),
                        HiddenWidth = m.Int("hidden", dv.HiddenWidth, 1),
                        Dropout = m.Double("dropout", dv.Dropout, min: 0, max: 0.999999),
                    },
                };
            case ModelKind.ResNet18:
                return inputs with
                {
                    Kind = kind,
                    WidthMultiplier = m.Double("width", d.WidthMultiplier, min: double.Epsilon),
                    Depth = m.Int("depth", d.Depth, 1),
                    NormEpsilon = m.Double("epsilon", d.NormEpsilon, min: 0),
                    BatchNormMomentum = m.Double("bn_momentum", d.BatchNormMomentum, min: double.Epsilon, max: 1),
                };
            default:
                return inputs with
                {
                    Kind = kind,
                    Hidden = m.Int("hidden", d.Hidden, 1),
                    Depth = m.Int("depth", d.Depth, 1),
                    Bias = m.Bool("bias", d.Bias),
                    Activation = m.OneOf("activation", d.Activation, NetworkConfig.ActivationNames),
                    NormEpsilon = kind == ModelKind.LayerNormNet ? m.Double("epsilon", d.NormEpsilon, min: 0) : d.NormEpsilon,
                };
        }
    }

    internal static IReadOnlyDictionary<string, Vgg11BnHead> Heads { get; } = new Dictionary<string, Vgg11BnHead>(StringComparer.Ordinal)
    {
        ["gap"] = Vgg11BnHead.GapLinear, ["classifier"] = Vgg11BnHead.Classifier,
    };

    private static NetworkConfig Checked(NetworkConfig config, YamlMap root)
    {
        try
        {
            config.Validate();
            return config;
        }
        catch (ArgumentException e)
        {
            YamlValue at = root;
            foreach (string part in (e.ParamName ?? "").Split('.', StringSplitOptions.RemoveEmptyEntries))
                if (at is YamlMap map && map.Find(part) is { } value) at = value;
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new YamlInputException(string.Create(CultureInfo.InvariantCulture, $"{root.Source}:{at.Line}:{at.Column}: {message}"), e);
        }
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>Writes the <see cref="ModelDescription"/> of each network kind from its construction.</summary>
internal static class NetworkDescriptions
{
    public static ModelDescription Describe(NetworkConfig config, nn.Module<Tensor, Tensor> module)
    {
        var parameters = Parameters(module);
        var input = new long[] { config.InputChannels, config.InputSize, config.InputSize };
        return module switch
        {
            Vgg11Bn vgg => Vgg(config, vgg, parameters, input),
            ResNet18 resnet => ResNet(config, resnet, parameters, input),
            Mlp => DescribeMlp(config, parameters, input),
            LayerNormNet => DescribeLayerNorm(config, parameters, input),
            _ => throw new System.Diagnostics.UnreachableException($"no description for {module.GetType().Name}"),
        };
    }

    // Roles from the module that owns each parameter.
    private static List<ParameterDescription> Parameters(nn.Module<Tensor, Tensor> module)
    {
        var owners = module.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var list = new List<ParameterDescription>();
        foreach (var (name, p) in module.named_parameters())
        {
            int dot = name.LastIndexOf('.');
            string owner = dot < 0 ? "" : name[..dot], leaf = name[(dot + 1)..];
            bool weight = leaf == "weight";
            var role = owners.GetValueOrDefault(owner) switch
            {
                Conv2d => weight ? ParameterRole.ConvWeight : ParameterRole.ConvBias,
                Linear => weight ? ParameterRole.LinearWeight : ParameterRole.LinearBias,
                BatchNorm2d or LayerNorm => weight ? ParameterRole.NormWeight : ParameterRole.NormBias,
                var m => throw new InvalidOperationException($"parameter {name} belongs to an unexpected module {m?.GetType().Name ?? "(none)"}"),
            };
            list.Add(new ParameterDescription(name, p.shape.ToArray(), role));
        }
        return list;
    }

    private static SliceFamily Rows(List<ParameterDescription> ps, string name) => new(name, 0, 1, 0, ps.Single(p => p.Name == name).Shape[0]);

    private static SliceFamily Columns(List<ParameterDescription> ps, string name, long block = 1) =>
        new(name, 1, block, 0, ps.Single(p => p.Name == name).Shape[1] / block);

    private static ModelDescription Vgg(NetworkConfig config, Vgg11Bn vgg, List<ParameterDescription> ps, long[] input)
    {
        var o = vgg.Options;
        var norms = vgg.ConvLayers.Select(l => new NormalisationFact(NormName(l.Name), NormalisationKind.Batch, o.BatchNormEpsilon, l.Name + ".weight", null)).ToList();
        // Where the pools are, as the constructor places them (a pool is skipped once the map is 1×1).
        var pooledAfter = new bool[vgg.ConvLayers.Count];
        long size = o.InputSize;
        int conv = -1;
        foreach (int entry in Vgg11BnOptions.ConfigurationA)
        {
            if (entry != 0) conv++;
            else if (size >= 2)
            {
                pooledAfter[conv] = true;
                size /= 2;
            }
        }
        var units = new List<UnitLink>();
        for (int i = 0; i < vgg.ConvLayers.Count; i++)
        {
            string bn = NormName(vgg.ConvLayers[i].Name);
            var passes = new List<string>();
            if (pooledAfter[i]) passes.Add("max-pool");
            SliceFamily consumer;
            if (i + 1 < vgg.ConvLayers.Count) consumer = Columns(ps, vgg.ConvLayers[i + 1].Name + ".weight");
            else if (o.Head == Vgg11BnHead.GapLinear)
            {
                passes.Add("global-average-pool");
                consumer = Columns(ps, "output.weight");
            }
            else
            {
                passes.Add("flatten");
                consumer = Columns(ps, "classifier.0.weight", size * size);
            }
            units.Add(new UnitLink(ReluName(vgg.ConvLayers[i].Name), "relu", [Rows(ps, bn + ".weight"), Rows(ps, bn + ".bias")], [consumer], passes, false));
        }
        if (o.Head == Vgg11BnHead.Classifier)
        {
            units.Add(new UnitLink("classifier.1", "relu", [Rows(ps, "classifier.0.weight"), Rows(ps, "classifier.0.bias")], [Columns(ps, "classifier.3.weight")], ["dropout"], false));
            units.Add(new UnitLink("classifier.4", "relu", [Rows(ps, "classifier.3.weight"), Rows(ps, "classifier.3.bias")], [Columns(ps, "output.weight")], ["dropout"], false));
        }
        return new ModelDescription(config.Summary, ps, norms, units, "output.weight", "output.bias", input, config.Classes);
    }

    // features.k is the conv, features.k+1 its BN, features.k+2 its ReLU.
    private static string NormName(string conv) => Shifted(conv, 1);

    private static string ReluName(string conv) => Shifted(conv, 2);

    private static string Shifted(string conv, int by)
    {
        int dot = conv.LastIndexOf('.');
        int index = int.Parse(conv[(dot + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return conv[..(dot + 1)] + (index + by).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ModelDescription ResNet(NetworkConfig config, ResNet18 net, List<ParameterDescription> ps, long[] input)
    {
        double eps = config.NormEpsilon;
        var norms = new List<NormalisationFact> { new("stem.bn", NormalisationKind.Batch, eps, "stem.conv.weight", null) };
        var blocks = net.Blocks;
        string Prefix(int j)
        {
            int s = j / config.Depth, b = j % config.Depth;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stages.{s}.{b}.");
        }
        for (int j = 0; j < blocks.Count; j++)
        {
            string p = Prefix(j);
            norms.Add(new(p + "bn1", NormalisationKind.Batch, eps, p + "conv1.weight", null));
            norms.Add(new(p + "bn2", NormalisationKind.Batch, eps, p + "conv2.weight", null));
            if (!blocks[j].IdentityShortcut) norms.Add(new(p + "shortcut.bn", NormalisationKind.Batch, eps, p + "shortcut.conv.weight", null));
        }
        // The consumers of block j's input: its conv1 and, with a projection shortcut, the shortcut conv; an identity
        // shortcut reads the input without parameters.
        List<SliceFamily> Consumers(int j)
        {
            if (j == blocks.Count) return [Columns(ps, "output.weight")];
            string p = Prefix(j);
            var list = new List<SliceFamily> { Columns(ps, p + "conv1.weight") };
            if (!blocks[j].IdentityShortcut) list.Add(Columns(ps, p + "shortcut.conv.weight"));
            return list;
        }
        SliceFamily[] Affine(string norm) => [Rows(ps, norm + ".weight"), Rows(ps, norm + ".bias")];
        var units = new List<UnitLink> { new("stem.relu", "relu", Affine("stem.bn"), Consumers(0), [], blocks[0].IdentityShortcut) };
        for (int j = 0; j < blocks.Count; j++)
        {
            string p = Prefix(j);
            units.Add(new(p + "relu1", "relu", Affine(p + "bn1"), [Columns(ps, p + "conv2.weight")], [], false));
            var incoming = new List<SliceFamily>(Affine(p + "bn2"));
            if (!blocks[j].IdentityShortcut) incoming.AddRange(Affine(p + "shortcut.bn"));
            bool last = j + 1 == blocks.Count;
            bool skip = blocks[j].IdentityShortcut || (!last && blocks[j + 1].IdentityShortcut);
            units.Add(new(p + "relu2", "relu", incoming, Consumers(j + 1), last ? ["global-average-pool"] : [], skip));
        }
        return new ModelDescription(config.Summary, ps, norms, units, "output.weight", "output.bias", input, config.Classes);
    }

    private static ModelDescription DescribeMlp(NetworkConfig config, List<ParameterDescription> ps, long[] input)
    {
        string act = NetworkConfig.NameOf(config.Activation);
        var units = new List<UnitLink>();
        for (int i = 0; i < config.Depth; i++)
        {
            string layer = Inv($"layers.{i}"), next = i + 1 < config.Depth ? Inv($"layers.{i + 1}") : "output";
            var incoming = new List<SliceFamily> { Rows(ps, layer + ".weight") };
            if (config.Bias) incoming.Add(Rows(ps, layer + ".bias"));
            units.Add(new UnitLink(layer + "." + act, act, incoming, [Columns(ps, next + ".weight")], [], false));
        }
        return new ModelDescription(config.Summary, ps, [], units, "output.weight", config.Bias ? "output.bias" : null, input, config.Classes);
    }

    private static ModelDescription DescribeLayerNorm(NetworkConfig config, List<ParameterDescription> ps, long[] input)
    {
        string act = NetworkConfig.NameOf(config.Activation);
        var norms = new List<NormalisationFact>();
        var units = new List<UnitLink>();
        for (int i = 0; i < config.Depth; i++)
        {
            string block = Inv($"blocks.{i}."), next = i + 1 < config.Depth ? Inv($"blocks.{i + 1}.linear") : "output";
            norms.Add(new(block + "norm", NormalisationKind.Layer, config.NormEpsilon, block + "linear.weight", config.Bias ? block + "linear.bias" : null));
            units.Add(new UnitLink(block + act, act, [Rows(ps, block + "norm.weight"), Rows(ps, block + "norm.bias")], [Columns(ps, next + ".weight")], [], false));
        }
        return new ModelDescription(config.Summary, ps, norms, units, "output.weight", config.Bias ? "output.bias" : null, input, config.Classes);
    }

    private static string Inv(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

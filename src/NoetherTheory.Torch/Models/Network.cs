using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>
/// A built network together with its <see cref="ModelDescription"/>: the module, the config it came from, and the
/// parameter tensors by name.
/// </summary>
/// <remarks>The description is written from the construction (which conv feeds which BN, which activation joins which
/// layers) and checked against the module's <c>named_parameters</c> (names and shapes) when the network is created, so the
/// facts cannot drift from the module they describe.</remarks>
public sealed class Network : IDisposable
{
    private Dictionary<string, Parameter> _parameters;
    private readonly Vgg11Bn? _vgg;

    private Network(NetworkConfig config, nn.Module<Tensor, Tensor> module, ModelDescription description)
    {
        Config = config;
        Module = module;
        Description = description;
        _vgg = module as Vgg11Bn;
        _parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var named = module.named_parameters().Select(p => (p.name, Shape: p.parameter.shape)).ToList();
        if (named.Count != description.Parameters.Count
            || named.Zip(description.Parameters).Any(z => z.First.name != z.Second.Name || !z.First.Shape.SequenceEqual(z.Second.Shape)))
            throw new InvalidOperationException($"the description of {description.Model} does not match its module's parameters: " +
                string.Join(", ", named.Select(n => n.name)) + " vs " + string.Join(", ", description.Parameters.Select(p => p.Name)));
    }

    /// <summary>The config the network was built from.</summary>
    public NetworkConfig Config { get; }

    /// <summary>The module (logits from a batch of images [N, C, H, W]).</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Its parameter tensors, roles and graph facts.</summary>
    public ModelDescription Description { get; }

    /// <summary>The parameter called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such parameter.</exception>
    public Parameter Parameter(string name) =>
        _parameters.TryGetValue(name, out var p) ? p : throw new ArgumentException($"model {Description.Model} has no parameter '{name}'.", nameof(name));

    /// <summary>Builds the network on the CPU, initialised from torch's global generator (seed it first).</summary>
    /// <exception cref="ArgumentException">The config is out of range.</exception>
    public static Network Create(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        nn.Module<Tensor, Tensor> module = config.Kind switch
        {
            ModelKind.Vgg11Bn => new Vgg11Bn(config.VggOptions),
            ModelKind.ResNet18 => new ResNet18(config),
            ModelKind.Mlp => new Mlp(config),
            ModelKind.LayerNormNet => new LayerNormNet(config),
            _ => throw new System.Diagnostics.UnreachableException($"model kind {config.Kind}"),
        };
        try
        {
            return new Network(config, module, NetworkDescriptions.Describe(config, module));
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Logits for a batch. Dropout (VGG's classifier head) draws its masks from a generator reset to a fixed seed
    /// before every call, so two calls on the same batch use the same masks (the loss is a deterministic function of the
    /// parameters, as the invariance check needs).</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_vgg is null || _vgg.Options.Head != Vgg11BnHead.Classifier || _vgg.Options.Dropout == 0) return Module.call(input);
        using var generator = new Generator(0x5eed, CPU);
        _vgg.UseGenerator(generator);
        try { return Module.call(input); }
        finally { _vgg.UseGenerator(null); }
    }

    /// <summary>Converts every parameter and buffer to <paramref name="dtype"/> (the float64 copy of the evidence).</summary>
    internal void ConvertTo(ScalarType dtype)
    {
        Module.to(dtype);
        _parameters = Module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => Module.Dispose();
}

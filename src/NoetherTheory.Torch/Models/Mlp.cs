using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>
/// A multilayer perceptron on flattened images: <c>Depth</c> hidden layers Linear → activation, then a linear output
/// layer; biases optional, no normalisation. Parameter names: layers.{i}.weight|bias, output.weight|bias.
/// </summary>
/// <remarks>With ReLU each hidden unit has a rescale symmetry (incoming row and bias ×α, outgoing column ×1/α); with a
/// non-homogeneous activation it has none. Initialisation is PyTorch's default for linear layers.</remarks>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> _layers = [];
    private readonly Linear _output;

    /// <summary>Builds the network on the CPU from torch's global generator (seed it first).</summary>
    /// <exception cref="ArgumentException">The config is out of range or not an MLP.</exception>
    public Mlp(NetworkConfig config) : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Kind != ModelKind.Mlp) throw new ArgumentException($"config kind {config.Kind} is not mlp.", nameof(config));
        Config = config;
        long width = (long)config.InputChannels * config.InputSize * config.InputSize;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < config.Depth; i++)
        {
            var layer = nn.Linear(width, config.Hidden, hasBias: config.Bias);
            layers.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
            _layers.Add(layer);
            width = config.Hidden;
        }
        register_module("layers", nn.Sequential(layers.ToArray()));
        _output = nn.Linear(width, config.Classes, hasBias: config.Bias);
        register_module("output", _output);
    }

    /// <summary>The config it was built from.</summary>
    public NetworkConfig Config { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.flatten(1);
        foreach (var layer in _layers) x = Activations.Apply(Config.Activation, layer.call(x));
        return scope.MoveToOuter(_output.call(x));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var l in _layers) l.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>The elementwise activations by kind.</summary>
internal static class Activations
{
    public static Tensor Apply(ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Relu => nn.functional.relu(x),
        ActivationKind.Tanh => x.tanh(),
        ActivationKind.Gelu => nn.functional.gelu(x),
        _ => throw new System.Diagnostics.UnreachableException($"activation {kind}"),
    };
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>
/// A small network with layer normalisation on flattened images: <c>Depth</c> blocks Linear → LayerNorm → activation,
/// then a linear output layer. Parameter names: blocks.{i}.linear.weight|bias, blocks.{i}.norm.weight|bias, output.weight|bias.
/// </summary>
/// <remarks>LayerNorm normalises each sample over all features of the layer, so its invariance is per layer: the whole
/// pre-norm output z = Wx + b may be scaled by one α &gt; 0 (W and b together) and shifted by a constant along the all-ones
/// vector (the same vector added to every row of W, the same number to every bias) — not per channel.</remarks>
public sealed class LayerNormNet : nn.Module<Tensor, Tensor>
{
    private readonly List<(Linear Linear, LayerNorm Norm)> _blocks = [];
    private readonly Linear _output;

    /// <summary>Builds the network on the CPU from torch's global generator (seed it first).</summary>
    /// <exception cref="ArgumentException">The config is out of range or not a LayerNorm net.</exception>
    public LayerNormNet(NetworkConfig config) : base(nameof(LayerNormNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Kind != ModelKind.LayerNormNet) throw new ArgumentException($"config kind {config.Kind} is not layernorm-net.", nameof(config));
        Config = config;
        long width = (long)config.InputChannels * config.InputSize * config.InputSize;
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < config.Depth; i++)
        {
            var linear = nn.Linear(width, config.Hidden, hasBias: config.Bias);
            var norm = nn.LayerNorm([config.Hidden], config.NormEpsilon);
            blocks.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Sequential(("linear", linear), ("norm", norm))));
            _blocks.Add((linear, norm));
            width = config.Hidden;
        }
        register_module("blocks", nn.Sequential(blocks.ToArray()));
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
        foreach (var (linear, norm) in _blocks) x = Activations.Apply(Config.Activation, norm.call(linear.call(x)));
        return scope.MoveToOuter(_output.call(x));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (l, n) in _blocks)
            {
                l.Dispose();
                n.Dispose();
            }
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}

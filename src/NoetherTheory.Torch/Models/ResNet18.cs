using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>
/// CIFAR-style ResNet-18: a 3×3 stem conv → BN → ReLU, four stages of basic blocks (widths 64, 128, 256, 512 times the
/// width multiplier; stride 2 at the first block of stages 2–4), global average pooling and one linear layer.
/// </summary>
/// <remarks>
/// A basic block is relu(bn2(conv2(relu(bn1(conv1 x)))) + s(x)) with s the identity, or conv1×1 → BN where the stride or
/// width changes (He et al. 2016, option B). Convs have no bias (BN removes it). Initialisation: Kaiming-normal fan-out
/// convs, BN γ = 1, β = 0, the linear layer PyTorch's default. Parameter names: stem.conv, stem.bn,
/// stages.{s}.{b}.conv1|bn1|conv2|bn2|shortcut.conv|shortcut.bn, output.
/// </remarks>
public sealed class ResNet18 : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _stemConv;
    private readonly BatchNorm2d _stemNorm;
    private readonly List<BasicBlock> _blocks = [];
    private readonly Linear _output;

    /// <summary>Builds the network on the CPU from torch's global generator (seed it first).</summary>
    /// <exception cref="ArgumentException">The config is out of range or not a ResNet.</exception>
    public ResNet18(NetworkConfig config) : base(nameof(ResNet18))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Kind != ModelKind.ResNet18) throw new ArgumentException($"config kind {config.Kind} is not resnet18.", nameof(config));
        Config = config;
        long channels = config.Width(64);
        _stemConv = nn.Conv2d(config.InputChannels, channels, 3, padding: 1, bias: false);
        _stemNorm = nn.BatchNorm2d(channels, eps: config.NormEpsilon, momentum: config.BatchNormMomentum);
        register_module("stem", nn.Sequential(("conv", _stemConv), ("bn", _stemNorm)));
        var stages = new List<(string, nn.Module<Tensor, Tensor>)>();
        int[] widths = [64, 128, 256, 512];
        for (int s = 0; s < widths.Length; s++)
        {
            var stage = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < config.Depth; b++)
            {
                long width = config.Width(widths[s]);
                int stride = s > 0 && b == 0 ? 2 : 1;
                var block = new BasicBlock(channels, width, stride, config);
                stage.Add((b.ToString(System.Globalization.CultureInfo.InvariantCulture), block));
                _blocks.Add(block);
                channels = width;
            }
            stages.Add((s.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Sequential(stage.ToArray())));
        }
        register_module("stages", nn.Sequential(stages.ToArray()));
        _output = nn.Linear(channels, config.Classes);
        register_module("output", _output);
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            if (module is Conv2d conv) nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            if (module is BatchNorm2d norm)
            {
                nn.init.ones_(norm.weight!);
                nn.init.zeros_(norm.bias!);
            }
        }
    }

    /// <summary>The config it was built from.</summary>
    public NetworkConfig Config { get; }

    /// <summary>The blocks in order (stage by stage), with their shortcut kind.</summary>
    internal IReadOnlyList<BasicBlock> Blocks => _blocks;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_stemNorm.call(_stemConv.call(input)));
        foreach (var block in _blocks) x = block.call(x);
        return scope.MoveToOuter(_output.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stemConv.Dispose();
            _stemNorm.Dispose();
            foreach (var b in _blocks) b.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)).</summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _bn1, _bn2;
    private readonly Conv2d? _shortcutConv;
    private readonly BatchNorm2d? _shortcutNorm;

    public BasicBlock(long input, long output, int stride, NetworkConfig config) : base(nameof(BasicBlock))
    {
        _conv1 = nn.Conv2d(input, output, 3, stride: stride, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(output, eps: config.NormEpsilon, momentum: config.BatchNormMomentum);
        _conv2 = nn.Conv2d(output, output, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(output, eps: config.NormEpsilon, momentum: config.BatchNormMomentum);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (stride != 1 || input != output)
        {
            _shortcutConv = nn.Conv2d(input, output, 1, stride: stride, bias: false);
            _shortcutNorm = nn.BatchNorm2d(output, eps: config.NormEpsilon, momentum: config.BatchNormMomentum);
            register_module("shortcut", nn.Sequential(("conv", _shortcutConv), ("bn", _shortcutNorm)));
        }
    }

    /// <summary>True when the shortcut is the identity (no parameters).</summary>
    public bool IdentityShortcut => _shortcutConv is null;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = _bn2.call(_conv2.call(nn.functional.relu(_bn1.call(_conv1.call(input)))));
        var s = _shortcutConv is null ? input : _shortcutNorm!.call(_shortcutConv.call(input));
        return scope.MoveToOuter(nn.functional.relu(y + s));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _conv2.Dispose();
            _bn1.Dispose();
            _bn2.Dispose();
            _shortcutConv?.Dispose();
            _shortcutNorm?.Dispose();
        }
        base.Dispose(disposing);
    }
}

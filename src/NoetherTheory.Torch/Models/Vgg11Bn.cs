using NoetherTheory.Torch.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Models;

/// <summary>A convolution followed by batch normalisation: its filters are scale invariant (theory/05-learning-dynamics.md#eq-5-1).</summary>
/// <param name="Name">The conv's parameter name prefix in the model (e.g. "features.0").</param>
/// <param name="Conv">The convolution; its weight has one filter per output channel.</param>
/// <param name="Norm">The batch normalisation that follows it.</param>
public sealed record ConvBnLayer(string Name, Conv2d Conv, BatchNorm2d Norm)
{
    /// <summary>Number of filters (output channels).</summary>
    public long Filters => Conv.weight!.shape[0];
}

/// <summary>
/// VGG11 with batch normalisation (configuration A: 64-M-128-M-256-256-M-512-512-M-512-512-M), each conv followed by
/// BN and ReLU, with a width multiplier and small-input support for tests.
/// </summary>
/// <remarks>
/// <para>Convs have no bias: BN subtracts the per-channel mean, so a conv bias gets zero loss gradient and would only
/// be shrunk by weight decay. Conv weights use Kaiming-normal fan-out initialisation (ReLU gain), BN starts at γ = 1,
/// β = 0, linear layers at N(0, 0.01²) with zero bias, as torchvision's VGG.</para>
/// <para>A max-pool is skipped when the feature map is already 1×1, so inputs smaller than 32×32 work (tests use 8×8).</para>
/// <para>Dropout draws from the generator given to <see cref="UseGenerator"/> so that a resumed run replays the same
/// masks on every device (theory/05-learning-dynamics.md#eq-5-6 describes the Fig. 4 protocol this model serves).</para>
/// </remarks>
public sealed class Vgg11Bn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Sequential? _classifier;
    private readonly Linear _output;
    private readonly List<GeneratorDropout> _dropouts = [];
    private readonly List<ConvBnLayer> _layers = [];
    private readonly List<nn.Module<Tensor, Tensor>> _featureModules = [];
    private readonly Dictionary<nn.Module<Tensor, Tensor>, int> _normIndex = new(ReferenceEqualityComparer.Instance);
    private readonly Tensor?[] _batchVariance;

    /// <summary>Builds the network on the CPU, initialised from torch's global generator (seed it first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Vgg11Bn(Vgg11BnOptions options) : base(nameof(Vgg11Bn))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;

        var features = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = options.InputChannels, size = options.InputSize;
        foreach (int entry in Vgg11BnOptions.ConfigurationA)
        {
            if (entry == 0)
            {
                if (size < 2) continue;
                features.Add((features.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.MaxPool2d(2, 2)));
                size /= 2;
                continue;
            }
            int width = options.Width(entry);
            var conv = nn.Conv2d(channels, width, 3, padding: 1, bias: false);
            var norm = nn.BatchNorm2d(width, eps: options.BatchNormEpsilon, momentum: options.BatchNormMomentum);
            string convName = features.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            features.Add((convName, conv));
            features.Add((features.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), norm));
            features.Add((features.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.ReLU()));
            _layers.Add(new ConvBnLayer("features." + convName, conv, norm));
            channels = width;
        }
        _features = nn.Sequential(features.ToArray());
        register_module("features", _features);
        _featureModules.AddRange(features.Select(f => f.Item2));
        for (int i = 0; i < _layers.Count; i++) _normIndex[_layers[i].Norm] = i;
        _batchVariance = new Tensor?[_layers.Count];

        if (options.Head == Vgg11BnHead.GapLinear)
        {
            _output = nn.Linear(channels, options.Classes);
            register_module("output", _output);
        }
        else
        {
            long flat = channels * size * size;
            var d1 = new GeneratorDropout(options.Dropout);
            var d2 = new GeneratorDropout(options.Dropout);
            _dropouts.AddRange([d1, d2]);
            _classifier = nn.Sequential(
                ("0", nn.Linear(flat, options.HiddenWidth)), ("1", nn.ReLU()), ("2", d1),
                ("3", nn.Linear(options.HiddenWidth, options.HiddenWidth)), ("4", nn.ReLU()), ("5", d2));
            register_module("classifier", _classifier);
            _output = nn.Linear(options.HiddenWidth, options.Classes);
            register_module("output", _output);
        }
        Initialise();
    }

    /// <summary>The options the net was built with.</summary>
    public Vgg11BnOptions Options { get; }

    /// <summary>Every BN-preceded convolution, input to output.</summary>
    public IReadOnlyList<ConvBnLayer> ConvLayers => _layers;

    /// <summary>The final linear layer (logits); its rows are the per-class weights of the translation symmetry
    /// (theory/03-noether.md#eq-3-8).</summary>
    public Linear Output => _output;

    /// <summary>
    /// When true, every forward pass in training mode keeps, per BN-preceded conv, the biased batch variance
    /// c_f = Var_{N,H,W}[z_f] of the conv output that BN normalised with (<see cref="BatchVariances"/>). Off by default:
    /// an uncaptured forward costs nothing extra.
    /// </summary>
    /// <remarks>
    /// The measurement of the BN-ε symmetry breaking needs c (theory/05-learning-dynamics.md#eq-5-7): the predicted
    /// ⟨g,w⟩ of filter f is ε/(c_f+ε)·γ_f·∂f/∂γ_f. BatchNorm2d in training mode divides by √(c+ε) with c the variance
    /// over (N, H, W) with divisor N·H·W (not the unbiased one, and not the running variance), which is what is kept.
    /// </remarks>
    public bool CaptureBatchVariance { get; set; }

    /// <summary>
    /// Per BN-preceded conv (input to output), the [F] biased batch variance (float64) of its output from the most recent
    /// forward pass in training mode with <see cref="CaptureBatchVariance"/> on; all null after any other forward pass.
    /// The tensors belong to the model (detached from every dispose scope, freed at the next forward pass).
    /// </summary>
    public IReadOnlyList<Tensor?> BatchVariances => _batchVariance;

    /// <summary>Makes dropout draw its masks from <paramref name="generator"/> (null: torch's global generator).</summary>
    public void UseGenerator(Generator? generator)
    {
        foreach (var d in _dropouts) d.Generator = generator;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ClearBatchVariances();
        var x = CaptureBatchVariance && training ? CapturingFeatures(input) : _features.call(input);
        if (_classifier is null)
            return _output.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
        return _output.call(_classifier.call(x.flatten(1)));
    }

    // The same modules as _features, called one by one so that each BN layer's batch variance can be read. With running
    // statistics (momentum m in (0, 1]) it comes from BN's own update r ← (1 − m)·r + m·c·M/(M − 1), M = N·H·W: c =
    // (r_after − (1 − m)·r_before)/m·(M − 1)/M, in float64 from the two float32 running variances — a per-channel
    // computation (a direct Var over (N, H, W) of the activations cost about 70% of a forward pass on the CPU). Its rounding
    // is ≈ 3·2⁻²⁴·r/m relative to c·(r/c), far below the identity's tolerance. Without running statistics the variance is
    // taken directly. Identical kernels either way, so the output is bitwise that of _features.call. Each intermediate's
    // handle is released as soon as the next module has its output, as the sequential call does (autograd keeps what it
    // saved): held to the end of the step, the activations' storage cannot be reused by the next layers (groups bench, six
    // runs each: VGG's mean measured/unmeasured throughput 0.93× with the early release, 0.91× without, a difference
    // within the machine's drift).
    private Tensor CapturingFeatures(Tensor input)
    {
        var x = input;
        void Advance(Tensor next)
        {
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next)) x.Dispose();
            x = next;
        }
        foreach (var module in _featureModules)
        {
            if (!_normIndex.TryGetValue(module, out int layer))
            {
                Advance(module.call(x));
                continue;
            }
            var norm = (BatchNorm2d)module;
            double? momentum = norm.momentum;
            var running = norm.running_var;
            if (running is null || momentum is not (> 0 and <= 1))
            {
                using (var scope = NewDisposeScope())
                using (torch.no_grad())
                    _batchVariance[layer] = x.detach().var([0L, 2L, 3L], unbiased: false).DetachFromDisposeScope();
                Advance(module.call(x));
                continue;
            }
            double m = momentum.Value, count = x.shape[0] * x.shape[2] * x.shape[3];
            Tensor before;
            using (torch.no_grad()) before = running.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
            Advance(module.call(x));
            using (before)
            using (var scope = NewDisposeScope())
            using (torch.no_grad())
                _batchVariance[layer] = running.to(ScalarType.Float64).sub(before.mul(1 - m)).mul((count - 1) / (count * m)).DetachFromDisposeScope();
        }
        return x;
    }

    private void ClearBatchVariances()
    {
        for (int i = 0; i < _batchVariance.Length; i++)
        {
            _batchVariance[i]?.Dispose();
            _batchVariance[i] = null;
        }
    }

    private void Initialise()
    {
        using var noGrad = torch.no_grad();
        foreach (var layer in _layers)
        {
            nn.init.kaiming_normal_(layer.Conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            nn.init.ones_(layer.Norm.weight!);
            nn.init.zeros_(layer.Norm.bias!);
        }
        foreach (var module in modules())
        {
            if (module is not Linear linear) continue;
            nn.init.normal_(linear.weight!, 0, 0.01);
            if (linear.bias is not null) nn.init.zeros_(linear.bias);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearBatchVariances();
            _features.Dispose();
            _classifier?.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>Inverted dropout whose masks come from an explicit generator (resumable, device independent).</summary>
internal sealed class GeneratorDropout(double probability) : nn.Module<Tensor, Tensor>(nameof(GeneratorDropout))
{
    public Generator? Generator { get; set; }

    public override Tensor forward(Tensor input)
    {
        if (!training || probability == 0) return input.alias();   // a new handle: Sequential disposes intermediates
        double keep = 1 - probability;
        // Drawn on the (CPU) generator and moved: the same masks on every device, and no device generator needed.
        var mask = torch.rand(input.shape, dtype: input.dtype, generator: Generator).lt(keep).ToDeviceWithoutSync(input.device);
        return input * mask / keep;
    }
}

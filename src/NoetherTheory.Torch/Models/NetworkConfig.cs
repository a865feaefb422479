using System.Globalization;

namespace NoetherTheory.Torch.Models;

/// <summary>The networks the engine builds.</summary>
public enum ModelKind
{
    /// <summary><see cref="Vgg11Bn"/> (YAML <c>vgg11-bn</c>, the default).</summary>
    Vgg11Bn,

    /// <summary><see cref="ResNet18"/>: CIFAR-style, BN and skip connections (YAML <c>resnet18</c>).</summary>
    ResNet18,

    /// <summary><see cref="Mlp"/>: linear layers and an elementwise activation, no normalisation (YAML <c>mlp</c>).</summary>
    Mlp,

    /// <summary><see cref="LayerNormNet"/>: linear → LayerNorm → activation blocks (YAML <c>layernorm-net</c>).</summary>
    LayerNormNet,
}

/// <summary>The elementwise activation of <see cref="Mlp"/> and <see cref="LayerNormNet"/>.</summary>
public enum ActivationKind
{
    /// <summary>max(x, 0): positively homogeneous.</summary>
    Relu,

    /// <summary>tanh: not homogeneous (the per-unit rescale through it is not a symmetry).</summary>
    Tanh,

    /// <summary>x·Φ(x): not homogeneous.</summary>
    Gelu,
}

/// <summary>
/// What to build: the kind and its size. Fields a kind does not use are ignored by it (the YAML loader refuses them).
/// </summary>
/// <param name="Kind">Which network.</param>
/// <param name="InputChannels">Channels of the input images.</param>
/// <param name="InputSize">Height = width of the input images.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Vgg">VGG11-BN's own options (kind vgg11-bn; channels, size and classes are taken from this record).</param>
/// <param name="WidthMultiplier">ResNet-18: scales the stage widths 64, 128, 256, 512 (at least one channel).</param>
/// <param name="Depth">ResNet: basic blocks per stage (2 is ResNet-18); MLP and LayerNorm net: hidden layers.</param>
/// <param name="Hidden">MLP and LayerNorm net: width of every hidden layer.</param>
/// <param name="Bias">MLP and LayerNorm net: whether the linear layers have biases.</param>
/// <param name="Activation">MLP and LayerNorm net: the activation.</param>
/// <param name="NormEpsilon">ResNet: BN's ε; LayerNorm net: LayerNorm's ε.</param>
/// <param name="BatchNormMomentum">ResNet: BN's running-statistics momentum.</param>
public sealed record NetworkConfig(
    ModelKind Kind = ModelKind.Vgg11Bn,
    int InputChannels = 3,
    int InputSize = 32,
    int Classes = 10,
    Vgg11BnOptions? Vgg = null,
    double WidthMultiplier = 1.0,
    int Depth = 2,
    int Hidden = 64,
    bool Bias = true,
    ActivationKind Activation = ActivationKind.Relu,
    double NormEpsilon = 1e-5,
    double BatchNormMomentum = 0.1)
{
    /// <summary>The YAML spelling of each kind.</summary>
    public static IReadOnlyDictionary<string, ModelKind> KindNames { get; } = new Dictionary<string, ModelKind>(StringComparer.Ordinal)
    {
        ["vgg11-bn"] = ModelKind.Vgg11Bn, ["resnet18"] = ModelKind.ResNet18, ["mlp"] = ModelKind.Mlp, ["layernorm-net"] = ModelKind.LayerNormNet,
    };

    /// <summary>The YAML spelling of each activation.</summary>
    public static IReadOnlyDictionary<string, ActivationKind> ActivationNames { get; } = new Dictionary<string, ActivationKind>(StringComparer.Ordinal)
    {
        ["relu"] = ActivationKind.Relu, ["tanh"] = ActivationKind.Tanh, ["gelu"] = ActivationKind.Gelu,
    };

    /// <summary>The YAML name of a kind.</summary>
    public static string NameOf(ModelKind kind) => KindNames.First(p => p.Value == kind).Key;

    /// <summary>The YAML name of an activation.</summary>
    public static string NameOf(ActivationKind kind) => ActivationNames.First(p => p.Value == kind).Key;

    /// <summary>VGG options with this config's input and classes.</summary>
    public Vgg11BnOptions VggOptions => (Vgg ?? new Vgg11BnOptions()) with { InputChannels = InputChannels, InputSize = InputSize, Classes = Classes };

    /// <summary>The same network with every normalisation's ε set to 0 (the counterfactual that decides "broken by ε").</summary>
    public NetworkConfig WithoutEpsilon() => this with { NormEpsilon = 0, Vgg = VggOptions with { BatchNormEpsilon = 0 } };

    /// <summary>The normalisation ε of the built network (0 for the MLP).</summary>
    public double Epsilon => Kind switch
    {
        ModelKind.Vgg11Bn => VggOptions.BatchNormEpsilon,
        ModelKind.Mlp => 0,
        _ => NormEpsilon,
    };

    /// <summary>The model in words (kind and size).</summary>
    public string Summary => Architecture + Inv($" on {InputChannels}×{InputSize}×{InputSize} inputs, {Classes} classes");

    /// <summary>The model's kind and size in words, without its inputs (e.g. "mlp (3 hidden × 256, relu, with biases)").</summary>
    public string Architecture => Kind switch
    {
        ModelKind.Vgg11Bn => Inv($"vgg11-bn (width {VggOptions.WidthMultiplier}, {(VggOptions.Head == Vgg11BnHead.GapLinear ? "gap" : "classifier")} head, ε {VggOptions.BatchNormEpsilon})"),
        ModelKind.ResNet18 => Inv($"resnet18 (width {WidthMultiplier}, {Depth} blocks per stage, ε {NormEpsilon})"),
        ModelKind.Mlp => Inv($"mlp ({Depth} hidden × {Hidden}, {NameOf(Activation)}, {(Bias ? "with" : "without")} biases)"),
        _ => Inv($"layernorm-net ({Depth} hidden × {Hidden}, {NameOf(Activation)}, {(Bias ? "with" : "without")} biases, ε {NormEpsilon})"),
    };

    /// <summary>Throws when a value is out of range, naming the YAML field (model.…).</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string field, string message)
        {
            if (!ok) throw new ArgumentException($"{field}: {message}", field);
        }
        Require(Enum.IsDefined(Kind), "model.kind", "must be one of " + string.Join(", ", KindNames.Keys));
        Require(InputChannels >= 1, "model.input_channels", "must be ≥ 1");
        Require(InputSize >= 1, "model.input_size", "must be ≥ 1");
        Require(Classes >= 2, "model.classes", "must be ≥ 2");
        Require(WidthMultiplier > 0 && double.IsFinite(WidthMultiplier), "model.width", "must be a positive number");
        Require(Depth is >= 1 and <= 64, "model.depth", "must be between 1 and 64");
        Require(Hidden is >= 1 and <= 1 << 16, "model.hidden", "must be between 1 and 65536");
        Require(NormEpsilon >= 0 && double.IsFinite(NormEpsilon), "model.epsilon", "must be ≥ 0");
        Require(BatchNormMomentum is > 0 and <= 1, "model.bn_momentum", "must be in (0, 1]");
        Require(Enum.IsDefined(Activation), "model.activation", "must be one of " + string.Join(", ", ActivationNames.Keys));
        if (Kind == ModelKind.Vgg11Bn)
        {
            try { VggOptions.Validate(); }
            catch (ArgumentOutOfRangeException e) { throw new ArgumentException("model: " + e.Message, "model", e); }
        }
    }

    /// <summary>ResNet stage width after the multiplier.</summary>
    internal int Width(int baseWidth) => Math.Max(1, (int)Math.Round(baseWidth * WidthMultiplier, MidpointRounding.AwayFromZero));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace NoetherTheory.Torch.Models;

/// <summary>The classifier that follows the convolutional features.</summary>
public enum Vgg11BnHead
{
    /// <summary>Global average pooling and one linear layer (small, no dropout).</summary>
    GapLinear,

    /// <summary>The VGG classifier: flatten → Linear(·, hidden) → ReLU → Dropout → Linear(hidden, hidden) → ReLU → Dropout → Linear
    /// (2048 → 1024 → 1024 → classes for 64×64 inputs at width 1).</summary>
    Classifier,
}

/// <summary>Options of <see cref="Vgg11Bn"/>.</summary>
/// <param name="InputChannels">Channels of the input images (3 for Tiny ImageNet, 1 for Fashion-MNIST).</param>
/// <param name="InputSize">Height = width of the input images.</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="WidthMultiplier">Scales every conv width (64·w, 128·w, …; at least 1 channel). 1 is the standard net.</param>
/// <param name="BatchNormEpsilon">BN's ε. 0 makes each filter's loss exactly scale invariant (theory/05-learning-dynamics.md#eq-5-1);
/// PyTorch's default 1e-5 breaks the symmetry by ε/(Var + ε).</param>
/// <param name="BatchNormMomentum">Running-statistics momentum of BN (PyTorch's default 0.1).</param>
/// <param name="Head">Classifier head.</param>
/// <param name="HiddenWidth">Hidden width of the <see cref="Vgg11BnHead.Classifier"/> head.</param>
/// <param name="Dropout">Dropout probability of the <see cref="Vgg11BnHead.Classifier"/> head.</param>
public sealed record Vgg11BnOptions(
    int InputChannels = 3,
    int InputSize = 64,
    int Classes = 200,
    double WidthMultiplier = 1.0,
    double BatchNormEpsilon = 1e-5,
    double BatchNormMomentum = 0.1,
    Vgg11BnHead Head = Vgg11BnHead.Classifier,
    int HiddenWidth = 1024,
    double Dropout = 0.5)
{
    /// <summary>VGG configuration "A": conv widths, 0 standing for a 2×2 max-pool.</summary>
    public static IReadOnlyList<int> ConfigurationA { get; } = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0];

    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Check(InputChannels >= 1, nameof(InputChannels), InputChannels, "must be ≥ 1");
        Check(InputSize >= 1, nameof(InputSize), InputSize, "must be ≥ 1");
        Check(Classes >= 2, nameof(Classes), Classes, "must be ≥ 2");
        Check(WidthMultiplier > 0 && double.IsFinite(WidthMultiplier), nameof(WidthMultiplier), WidthMultiplier, "must be a positive number");
        Check(BatchNormEpsilon >= 0, nameof(BatchNormEpsilon), BatchNormEpsilon, "must be ≥ 0");
        Check(BatchNormMomentum is > 0 and <= 1, nameof(BatchNormMomentum), BatchNormMomentum, "must be in (0, 1]");
        Check(HiddenWidth >= 1, nameof(HiddenWidth), HiddenWidth, "must be ≥ 1");
        Check(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "must be in [0, 1)");
    }

    /// <summary>Each BN-preceded conv's name (as <see cref="Vgg11Bn.ConvLayers"/> names it) and the number of weights per
    /// filter (input channels × 3 × 3), computed as the constructor lays the net out, without building it.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> ConvFanIns() => ConvWeights(active: false);

    /// <summary>Like <see cref="ConvFanIns"/>, but counting only the weights that can receive a gradient: on a 1×1 input map a
    /// padded 3×3 conv reads its input through the centre tap alone, so the other eight taps per input channel get no
    /// gradient and only decay (from a 2×2 map on every tap reaches the input).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> ConvActiveFanIns() => ConvWeights(active: true);

    private List<KeyValuePair<string, int>> ConvWeights(bool active)
    {
        var result = new List<KeyValuePair<string, int>>();
        int modules = 0, channels = InputChannels, size = InputSize;
        foreach (int entry in ConfigurationA)
        {
            if (entry == 0)
            {
                if (size < 2) continue;
                modules++;
                size /= 2;
                continue;
            }
            result.Add(new("features." + modules.ToString(CultureInfo.InvariantCulture), channels * (active && size == 1 ? 1 : 9)));
            modules += 3;
            channels = Width(entry);
        }
        return result;
    }

    /// <summary>The conv widths after the width multiplier.</summary>
    public int Width(int baseWidth) => Math.Max(1, (int)Math.Round(baseWidth * WidthMultiplier, MidpointRounding.AwayFromZero));

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"VGG11-BN option {name} = {value} {rule}."));
    }
}

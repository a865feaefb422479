using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>Options of <see cref="SyntheticImages"/>.</summary>
/// <param name="TrainCount">Training images.</param>
/// <param name="TestCount">Test images.</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Size">Height = width.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Seed">Seed of the generator that draws templates and noise.</param>
public sealed record SyntheticImageOptions(int TrainCount = 256, int TestCount = 64, int Channels = 3, int Size = 16, int Classes = 4, long Seed = 1);

/// <summary>
/// A learnable synthetic image set for tests: each class has a random smooth template; an image is its class template
/// plus pixel noise, quantised to uint8. Deterministic for a seed, independent of torch's global generator.
/// </summary>
public static class SyntheticImages
{
    /// <summary>Generates both splits on the CPU.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or size is not positive, or fewer than 2 classes.</exception>
    public static DatasetPair Create(SyntheticImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainCount < 1 || options.TestCount < 1 || options.Channels < 1 || options.Size < 1 || options.Classes < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options, "Synthetic images need positive counts and size and at least 2 classes.");
        using var generator = new Generator((ulong)options.Seed, CPU);
        using var scope = NewDisposeScope();
        // Templates: low-resolution noise upsampled to the image size, so that convs and pooling can pick them up.
        int low = Math.Max(1, options.Size / 4);
        var coarse = randn([options.Classes, options.Channels, low, low], generator: generator);
        var templates = nn.functional.interpolate(coarse, [options.Size, options.Size], mode: InterpolationMode.Nearest);
        var train = Sample(templates, options.TrainCount, options.Classes, generator);
        var test = Sample(templates, options.TestCount, options.Classes, generator);
        var (mean, std) = ImageDataset.ChannelStatistics(train.Images);
        return new DatasetPair(
            new ImageDataset("synthetic/train", train.Images, train.Labels, options.Classes, mean, std),
            new ImageDataset("synthetic/test", test.Images, test.Labels, options.Classes, mean, std));
    }

    private static (Tensor Images, Tensor Labels) Sample(Tensor templates, int count, int classes, Generator generator)
    {
        var labels = arange(count, dtype: ScalarType.Int64) % classes;
        var noise = randn([count, templates.shape[1], templates.shape[2], templates.shape[3]], generator: generator);
        var x = templates.index_select(0, labels) + 0.7 * noise;
        var pixels = (x * 40 + 128).clamp(0, 255).round().to(ScalarType.Byte);
        return (pixels.DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    }
}

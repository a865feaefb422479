using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>
/// Images as one uint8 tensor [N, C, H, W] and labels as int64 [N], both on one device, with per-channel mean and
/// standard deviation (of pixel/255 over the training images) for normalisation. Augmentation and normalisation run on
/// the device batch by batch, so the data set costs one byte per pixel of device memory.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Wraps tensors (the data set takes ownership).</summary>
    /// <exception cref="ArgumentException">Shapes, dtypes or statistics are inconsistent.</exception>
    public ImageDataset(string name, Tensor images, Tensor labels, int classes, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
            throw new ArgumentException($"Images must be uint8 [N, C, H, W], got {images.dtype} [{string.Join(",", images.shape)}].", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0] || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be int64 [{images.shape[0]}], got {labels.dtype} [{string.Join(",", labels.shape)}].", nameof(labels));
        if (images.shape[2] != images.shape[3])
            throw new ArgumentException($"Images must be square, got {images.shape[2]}×{images.shape[3]}.", nameof(images));
        if (mean.Count != images.shape[1] || std.Count != images.shape[1] || std.Any(s => !(s > 0)))
            throw new ArgumentException("Mean and std need one entry per channel, std > 0.", nameof(std));
        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        Classes = classes;
        Mean = mean.ToArray();
        Std = std.ToArray();
        // Normalisation constants live on the images' device, so that assembling a batch copies nothing from the host.
        using var scope = NewDisposeScope();
        NormalisationMean = tensor(Mean.Select(m => (float)m).ToArray()).view(1, -1, 1, 1).to(images.device).DetachFromDisposeScope();
        NormalisationStd = tensor(Std.Select(x => (float)x).ToArray()).view(1, -1, 1, 1).to(images.device).DetachFromDisposeScope();
    }

    /// <summary>A short description (e.g. "fashion-mnist/train").</summary>
    public string Name { get; }

    /// <summary>uint8 [N, C, H, W].</summary>
    public Tensor Images { get; }

    /// <summary>int64 [N], values in [0, <see cref="Classes"/>).</summary>
    public Tensor Labels { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Per-channel mean of pixel/255.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviation of pixel/255.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>float32 [1, C, 1, 1] of <see cref="Mean"/> on the images' device.</summary>
    internal Tensor NormalisationMean { get; }

    /// <summary>float32 [1, C, 1, 1] of <see cref="Std"/> on the images' device.</summary>
    internal Tensor NormalisationStd { get; }

    /// <summary>Number of images.</summary>
    public long Count => Images.shape[0];

    /// <summary>Channels per image.</summary>
    public int Channels => (int)Images.shape[1];

    /// <summary>Height = width.</summary>
    public int Size => (int)Images.shape[2];

    /// <summary>The float32 [B, C, H, W] batch of the images at <paramref name="indices"/> (int64 on the images' device),
    /// normalised per channel, optionally augmented with draws from <paramref name="generator"/> (a CPU generator: the
    /// draws are made on the host and moved to the device). The result belongs to the caller's dispose scope.</summary>
    public Tensor Batch(Tensor indices, AugmentationOptions? augmentation = null, Generator? generator = null) =>
        BatchPipeline.Assemble(this, indices, augmentation, generator);

    /// <summary>A copy on <paramref name="device"/> (this instance keeps its tensors).</summary>
    public ImageDataset To(Device device) =>
        new(Name, Images.to(device), Labels.to(device), Classes, Mean, Std);

    /// <summary>A copy with other normalisation statistics (a test split uses its training split's).</summary>
    public ImageDataset WithStatistics(IReadOnlyList<double> mean, IReadOnlyList<double> std) =>
        new(Name, Images.alias(), Labels.alias(), Classes, mean, std);

    /// <summary>Per-channel mean and standard deviation of pixel/255, computed in float64 on the tensors' device.</summary>
    public static (double[] Mean, double[] Std) ChannelStatistics(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float64).div(255.0);
        var mean = x.mean([0L, 2L, 3L]);
        var std = x.std([0L, 2L, 3L], unbiased: false);
        var both = stack([mean, std]).cpu();
        var data = both.data<double>().ToArray();
        int c = (int)images.shape[1];
        return (data[..c], data[c..]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        NormalisationMean.Dispose();
        NormalisationStd.Dispose();
    }
}

/// <summary>A training and a test split (the test split normalised with the training split's statistics).</summary>
/// <param name="Train">Training images.</param>
/// <param name="Test">Held-out images.</param>
public sealed record DatasetPair(ImageDataset Train, ImageDataset Test) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

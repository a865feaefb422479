using NoetherTheory.Torch.Runtime;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>Augmentation applied on the device to each training batch.</summary>
/// <param name="CropPadding">Random crop after zero-padding each side by this many pixels (0: no crop).</param>
/// <param name="HorizontalFlip">Flip each image left-right with probability 1/2.</param>
public sealed record AugmentationOptions(int CropPadding = 4, bool HorizontalFlip = true)
{
    /// <summary>No augmentation.</summary>
    public static AugmentationOptions None { get; } = new(0, false);
}

/// <summary>Batch assembly on the device: gather, augment (random crop, flip), normalise.</summary>
internal static class BatchPipeline
{
    /// <summary>Float32 [B, C, H, W] normalised images for the given indices, augmented with draws from
    /// <paramref name="generator"/> (a CPU generator: the draws are made on the host and moved to the batch's device).</summary>
    public static Tensor Assemble(ImageDataset data, Tensor indices, AugmentationOptions? augmentation, Generator? generator)
    {
        var x = data.Images.index_select(0, indices).to(ScalarType.Float32);
        if (augmentation is { CropPadding: > 0 }) x = RandomCrop(x, augmentation.CropPadding, generator);
        if (augmentation is { HorizontalFlip: true })
        {
            var flip = rand([x.shape[0]], generator: generator).lt(0.5).ToDeviceWithoutSync(x.device).view(-1, 1, 1, 1);
            x = where(flip, x.flip(3), x);
        }
        return Normalise(x, data);
    }

    /// <summary>(x/255 − mean)/std per channel.</summary>
    public static Tensor Normalise(Tensor x, ImageDataset data)
    {
        var mean = data.NormalisationMean;
        var std = data.NormalisationStd;
        if (mean.device_type != x.device_type || mean.device_index != x.device_index)
        {
            mean = mean.to(x.device);
            std = std.to(x.device);
        }
        return x.div(255f).sub_(mean).div_(std);
    }

    // Per-sample random crop of a zero-padded batch with two gathers (rows, then columns): one kernel each, no host loop.
    private static Tensor RandomCrop(Tensor x, int pad, Generator? generator)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var padded = nn.functional.pad(x, [pad, pad, pad, pad]);
        // Offsets are drawn on the host generator (see Trainer: random streams are device independent) and moved over.
        var dy = randint(0, 2 * pad + 1, [b], dtype: ScalarType.Int64, generator: generator);
        var dx = randint(0, 2 * pad + 1, [b], dtype: ScalarType.Int64, generator: generator);
        var offsets = stack([dy, dx]).ToDeviceWithoutSync(x.device);
        dy = offsets[0];
        dx = offsets[1];
        var rows = (dy.view(-1, 1) + arange(h, device: x.device)).view(b, 1, h, 1).expand(b, c, h, w + 2 * pad);
        var cropped = padded.gather(2, rows);
        var cols = (dx.view(-1, 1) + arange(w, device: x.device)).view(b, 1, 1, w).expand(b, c, h, w);
        return cropped.gather(3, cols);
    }
}

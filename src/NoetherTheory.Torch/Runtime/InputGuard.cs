using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runtime;

/// <summary>
/// Managed-side checks of what the training path hands libtorch: a batch's data set against the model (device, channels,
/// image size, label range) and the batch indices (int64, 1-D, non-empty, on the data's device).
/// </summary>
/// <remarks>On some hosts a libtorch error ends the process instead of arriving as an exception (<c>noether doctor</c>'s
/// deliberate-error probes find out; on the Debian 12 build host it aborts with SIGABRT). These checks make every mistake
/// the trainer can make with its inputs a <see cref="ArgumentException"/> before libtorch sees it. The data-set check runs
/// once per data set (it reads the label range: one host synchronisation); the index check reads only tensor metadata.
/// Index values are not range-checked (that would synchronise every step): the trainer draws them from permutations of
/// the data set's size.</remarks>
internal static class InputGuard
{
    /// <exception cref="ArgumentException">The data set does not fit the model.</exception>
    public static void CheckDataset(Vgg11Bn model, ImageDataset data) =>
        CheckDataset(model.Output.weight!.device, model.Options.InputChannels, model.Options.InputSize, model.Options.Classes, data);

    /// <exception cref="ArgumentException">The data set does not fit a model on <paramref name="device"/> built for
    /// <paramref name="channels"/>-channel <paramref name="size"/>² images and <paramref name="classes"/> classes.</exception>
    public static void CheckDataset(Device device, int channels, int size, int classes, ImageDataset data)
    {
        if (data.Images.device_type != device.type || data.Images.device_index != device.index)
            throw new ArgumentException($"Data set {data.Name} is on {data.Images.device}, the model on {device}: move it with ImageDataset.To first.", nameof(data));
        if (data.Channels != channels || data.Size != size)
            throw new ArgumentException($"Data set {data.Name} has {data.Channels}-channel {data.Size}×{data.Size} images; the model was built for " +
                $"{channels}-channel {size}×{size}.", nameof(data));
        if (data.Count == 0)
            throw new ArgumentException($"Data set {data.Name} is empty.", nameof(data));
        using var scope = NewDisposeScope();
        var range = stack([data.Labels.min(), data.Labels.max()]).cpu().data<long>().ToArray();
        if (range[0] < 0 || range[1] >= classes)
            throw new ArgumentException($"Data set {data.Name} has labels in [{range[0]}, {range[1]}]; the model has {classes} classes (labels 0…{classes - 1}).", nameof(data));
    }

    /// <exception cref="ArgumentException">The indices are not a non-empty int64 vector on the data's device.</exception>
    public static void CheckIndices(ImageDataset data, Tensor indices)
    {
        if (indices.dtype != ScalarType.Int64 || indices.dim() != 1 || indices.shape[0] == 0)
            throw new ArgumentException($"Batch indices must be a non-empty int64 vector, got {indices.dtype} [{string.Join(",", indices.shape)}].", nameof(indices));
        if (indices.device_type != data.Images.device_type || indices.device_index != data.Images.device_index)
            throw new ArgumentException($"Batch indices are on {indices.device}, data set {data.Name} on {data.Images.device}.", nameof(indices));
    }
}

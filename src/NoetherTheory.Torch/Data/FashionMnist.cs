using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>Fashion-MNIST from its IDX files (gzip), as shipped by Debian's dataset-fashion-mnist package.</summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    /// <summary>Loads both splits (60 000 training, 10 000 test images, 1×28×28) onto the CPU.</summary>
    /// <param name="directory">Folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
    /// t10k-labels-idx1-ubyte.gz.</param>
    /// <exception cref="DatasetUnavailableException">A file is missing or not a valid IDX file.</exception>
    public static DatasetPair Load(string directory = DefaultDirectory)
    {
        var train = LoadSplit(directory, "train", "fashion-mnist/train");
        var test = LoadSplit(directory, "t10k", "fashion-mnist/test");
        var (mean, std) = ImageDataset.ChannelStatistics(train.Images);
        using (train)
        using (test)
            return new DatasetPair(
                new ImageDataset(train.Name, train.Images.alias(), train.Labels.alias(), Classes, mean, std),
                new ImageDataset(test.Name, test.Images.alias(), test.Labels.alias(), Classes, mean, std));
    }

    private static ImageDataset LoadSplit(string directory, string prefix, string name)
    {
        string imagesPath = Path.Combine(directory, prefix + "-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(directory, prefix + "-labels-idx1-ubyte.gz");
        var (imageDims, pixels) = ReadIdx(imagesPath, expectedMagic: 0x0803, expectedRank: 3);
        var (labelDims, labels) = ReadIdx(labelsPath, expectedMagic: 0x0801, expectedRank: 1);
        if (labelDims[0] != imageDims[0])
            throw new DatasetUnavailableException($"{labelsPath}: {labelDims[0]} labels for {imageDims[0]} images in {imagesPath}.");
        if (labels.Any(l => l >= Classes))
            throw new DatasetUnavailableException($"{labelsPath}: a label is ≥ {Classes}; the file is not Fashion-MNIST.");
        var images = tensor(pixels, [imageDims[0], 1, imageDims[1], imageDims[2]], ScalarType.Byte);
        var y = tensor(labels.Select(b => (long)b).ToArray(), ScalarType.Int64);
        return new ImageDataset(name, images, y, Classes, [0.5], [0.5]);
    }

    /// <summary>Reads an IDX file (optionally gzip-compressed): big-endian magic, dimensions, then unsigned bytes.</summary>
    internal static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedMagic, int expectedRank)
    {
        if (!File.Exists(path))
            throw new DatasetUnavailableException(
                $"Fashion-MNIST file not found: {path}. Install the Debian package dataset-fashion-mnist " +
                $"(sudo apt-get install dataset-fashion-mnist; ./noether does this) or set the dataset path in the config.");
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            byte[] all = memory.ToArray();
            if (all.Length < 4) throw new DatasetUnavailableException($"{path}: too short for an IDX header.");
            int magic = BinaryPrimitives.ReadInt32BigEndian(all);
            if (magic != expectedMagic)
                throw new DatasetUnavailableException($"{path}: IDX magic 0x{magic:x8}, expected unsigned-byte data of rank {expectedRank}.");
            int header = 4 + 4 * expectedRank;
            var dims = new int[expectedRank];
            for (int i = 0; i < expectedRank; i++) dims[i] = BinaryPrimitives.ReadInt32BigEndian(all.AsSpan(4 + 4 * i));
            long expected = dims.Aggregate(1L, (a, d) => a * d);
            if (all.Length - header != expected)
                throw new DatasetUnavailableException($"{path}: {all.Length - header} data bytes, dimensions [{string.Join("×", dims)}] need {expected}.");
            return (dims, all[header..]);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetUnavailableException($"{path}: not a valid gzip file ({e.Message}).", e);
        }
    }
}

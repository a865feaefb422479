using System.Buffers.Binary;
using System.Globalization;
using SkiaSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>
/// Tiny ImageNet (200 classes, 64×64 RGB) from its folder layout: <c>train/&lt;wnid&gt;/images/*.JPEG</c> and
/// <c>val/images/*.JPEG</c> with <c>val/val_annotations.txt</c>. The JPEGs are decoded once with SkiaSharp and cached as
/// a uint8 tensor file; later loads read the cache.
/// </summary>
public static class TinyImageNet
{
    /// <summary>Image size.</summary>
    public const int Size = 64;

    private const string CacheMagic = "NTTIN001";

    /// <summary>Loads both splits (the validation split serves as test split) onto the CPU.</summary>
    /// <param name="root">The folder holding train/ and val/ (and optionally wnids.txt).</param>
    /// <param name="cacheDirectory">Where decoded splits are cached (created if missing).</param>
    /// <exception cref="DatasetUnavailableException">The layout is missing or malformed, or a JPEG cannot be decoded.</exception>
    public static DatasetPair Load(string root, string cacheDirectory)
    {
        if (!Directory.Exists(Path.Combine(root, "train")) || !Directory.Exists(Path.Combine(root, "val")))
            throw new DatasetUnavailableException(
                $"Tiny ImageNet not found at {Path.GetFullPath(root)}: expected the folders train/<wnid>/images and val/images with " +
                "val/val_annotations.txt (the layout of tiny-imagenet-200.zip). Set dataset.path in the config to the unpacked folder.");
        var wnids = ClassIds(root);
        var index = wnids.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        Directory.CreateDirectory(cacheDirectory);
        var train = LoadOrDecode(Path.Combine(cacheDirectory, "tiny-imagenet-train.u8"), () => TrainFiles(root, wnids, index), "tiny-imagenet/train", wnids.Count);
        var test = LoadOrDecode(Path.Combine(cacheDirectory, "tiny-imagenet-val.u8"), () => ValFiles(root, index), "tiny-imagenet/val", wnids.Count);
        var (mean, std) = ImageDataset.ChannelStatistics(train.Images);
        using (train)
        using (test)
            return new DatasetPair(train.WithStatistics(mean, std), test.WithStatistics(mean, std));
    }

    private static List<string> ClassIds(string root)
    {
        string wnidsFile = Path.Combine(root, "wnids.txt");
        var ids = File.Exists(wnidsFile)
            ? File.ReadAllLines(wnidsFile).Select(l => l.Trim()).Where(l => l.Length > 0)
            : Directory.EnumerateDirectories(Path.Combine(root, "train")).Select(Path.GetFileName).OfType<string>();
        var list = ids.Order(StringComparer.Ordinal).ToList();
        if (list.Count < 2) throw new DatasetUnavailableException($"{Path.Combine(root, "train")}: fewer than two class folders.");
        return list;
    }

    private static List<(string Path, int Label)> TrainFiles(string root, List<string> wnids, Dictionary<string, int> index)
    {
        var files = new List<(string, int)>();
        foreach (string wnid in wnids)
        {
            string dir = Path.Combine(root, "train", wnid, "images");
            if (!Directory.Exists(dir)) throw new DatasetUnavailableException($"Tiny ImageNet class folder missing: {dir}.");
            files.AddRange(Directory.EnumerateFiles(dir, "*.JPEG").Order(StringComparer.Ordinal).Select(f => (f, index[wnid])));
        }
        return files;
    }

    private static List<(string Path, int Label)> ValFiles(string root, Dictionary<string, int> index)
    {
        string annotations = Path.Combine(root, "val", "val_annotations.txt");
        if (!File.Exists(annotations)) throw new DatasetUnavailableException($"Tiny ImageNet validation labels missing: {annotations}.");
        var files = new List<(string, int)>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(annotations))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] parts = line.Split('\t');
            if (parts.Length < 2 || !index.TryGetValue(parts[1], out int label))
                throw new DatasetUnavailableException($"{annotations}:{lineNumber}: expected '<file>\\t<wnid>…' with a known wnid, got '{line}'.");
            files.Add((Path.Combine(root, "val", "images", parts[0]), label));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return files;
    }

    private static ImageDataset LoadOrDecode(string cache, Func<List<(string Path, int Label)>> list, string name, int classes)
    {
        if (File.Exists(cache)) return ReadCache(cache, name, classes);
        var files = list();
        var pixels = new byte[(long)files.Count * 3 * Size * Size];
        var labels = new long[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            Decode(files[i].Path, pixels.AsSpan(i * 3 * Size * Size, 3 * Size * Size));
            labels[i] = files[i].Label;
        });
        WriteCache(cache, pixels, labels, files.Count);
        return new ImageDataset(name, tensor(pixels, [files.Count, 3, Size, Size], ScalarType.Byte), tensor(labels, ScalarType.Int64),
            classes, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    }

    // Decodes one JPEG into CHW uint8 RGB, resizing if it is not 64×64 (Tiny ImageNet's are; a few are greyscale).
    private static void Decode(string path, Span<byte> chw)
    {
        using var decoded = SKBitmap.Decode(path)
            ?? throw new DatasetUnavailableException($"{path}: SkiaSharp could not decode this image (corrupt or not a JPEG).");
        var info = new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var rgba = new SKBitmap(info);
        if (decoded.Width == Size && decoded.Height == Size && decoded.ColorType == SKColorType.Rgba8888)
            decoded.CopyTo(rgba);
        else if (!decoded.ScalePixels(rgba, SKFilterQuality.Medium))
            throw new DatasetUnavailableException($"{path}: could not convert the image to 64×64 RGBA.");
        ReadOnlySpan<byte> src = rgba.GetPixelSpan();
        int plane = Size * Size;
        for (int p = 0; p < plane; p++)
        {
            chw[p] = src[4 * p];
            chw[plane + p] = src[4 * p + 1];
            chw[2 * plane + p] = src[4 * p + 2];
        }
    }

    private static void WriteCache(string path, byte[] pixels, long[] labels, int count)
    {
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            w.Write(System.Text.Encoding.ASCII.GetBytes(CacheMagic));
            w.Write(count);
            w.Write(pixels);
            foreach (long l in labels) w.Write(l);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static ImageDataset ReadCache(string path, string name, int classes)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        string magic = System.Text.Encoding.ASCII.GetString(r.ReadBytes(CacheMagic.Length));
        if (magic != CacheMagic)
            throw new DatasetUnavailableException($"{path}: not a Tiny ImageNet cache file (delete it to rebuild the cache).");
        int count = r.ReadInt32();
        long bytes = (long)count * 3 * Size * Size;
        if (count <= 0 || r.BaseStream.Length != CacheMagic.Length + 4 + bytes + 8L * count)
            throw new DatasetUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: truncated or corrupt cache ({r.BaseStream.Length} bytes for {count} images); delete it to rebuild."));
        byte[] pixels = r.ReadBytes(checked((int)bytes));
        byte[] labelBytes = r.ReadBytes(8 * count);
        var labels = new long[count];
        for (int i = 0; i < count; i++) labels[i] = BinaryPrimitives.ReadInt64LittleEndian(labelBytes.AsSpan(8 * i));
        return new ImageDataset(name, tensor(pixels, [count, 3, Size, Size], ScalarType.Byte), tensor(labels, ScalarType.Int64),
            classes, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    }
}

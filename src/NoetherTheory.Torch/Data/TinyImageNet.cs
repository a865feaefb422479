using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NoetherTheory.Core.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Data;

/// <summary>
/// Tiny ImageNet (200 classes, 64×64 RGB) from its folder layout: <c>train/&lt;wnid&gt;/images/*.JPEG</c> and
/// <c>val/images/*.JPEG</c> with <c>val/val_annotations.txt</c>, optionally <c>wnids.txt</c>. The JPEGs are decoded once
/// with SkiaSharp (in parallel) and cached as a uint8 tensor file per split; later loads read the cache.
/// </summary>
/// <remarks>
/// <para>Labels: the class index of a wnid is its line in <c>wnids.txt</c> when that file exists, otherwise its rank in
/// the ordinal sort of the <c>train/</c> folder names (the order of torchvision's <c>ImageFolder</c>). Training images
/// come class by class in that order, file names ordinal within a class; validation images in ordinal file-name order,
/// labelled by the second column of <c>val_annotations.txt</c> (<c>file⇥wnid⇥x0⇥y0⇥x1⇥y1</c>).</para>
/// <para>Pixels: every image must be 64×64 (all of Tiny ImageNet's are; another size means another data set, and
/// resizing would silently change its statistics, so it is an error). Greyscale JPEGs (the real set has a few) are
/// replicated to three equal channels. Images are stored [N, 3, 64, 64] in R, G, B order.</para>
/// <para>Cache: one file per split, written to a temporary file, flushed to disk and renamed into place, so a killed
/// decode leaves no cache that loads. Its header holds a SHA-256 fingerprint of the class order and of the list of image
/// files with their labels (names, not contents): when images are added, removed or relabelled the cache is stale and
/// is rebuilt. A truncated, damaged or stale cache is decoded again, with a warning through the progress callback.
/// Editing an image in place without renaming it is not detected: delete the cache folder after doing so.</para>
/// </remarks>
public static class TinyImageNet
{
    /// <summary>Image size.</summary>
    public const int Size = 64;

    private const int ImageBytes = 3 * Size * Size;
    private const string CacheMagic = "NTTIN002";
    private const int FingerprintBytes = 32;
    private const int HeaderBytes = 8 + FingerprintBytes + 4 + 4;   // magic, fingerprint, image size, image count
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    /// <summary>Progress of <see cref="Load"/> for one split.</summary>
    /// <param name="Split">"tiny-imagenet/train" or "tiny-imagenet/val".</param>
    /// <param name="Done">Images decoded (or read from the cache) so far.</param>
    /// <param name="Total">Images in the split.</param>
    /// <param name="FromCache">Whether the split was read from its cache file.</param>
    /// <param name="Warning">Set when something the user should know happened (a stale or damaged cache was rebuilt,
    /// the cache could not be written); the images still load.</param>
    public sealed record LoadProgress(string Split, int Done, int Total, bool FromCache, string? Warning = null);

    /// <summary>Loads both splits (the validation split serves as test split) onto the CPU, both normalised with the
    /// training split's per-channel statistics.</summary>
    /// <param name="root">The folder holding train/ and val/ (and optionally wnids.txt).</param>
    /// <param name="cacheDirectory">Where decoded splits are cached (created if missing).</param>
    /// <param name="progress">Receives decode progress (about every 1 % of a split, from worker threads) and warnings.</param>
    /// <exception cref="DatasetUnavailableException">The layout is missing or malformed, or an image cannot be decoded;
    /// the message names the file (and the line, for val_annotations.txt and wnids.txt).</exception>
    public static DatasetPair Load(string root, string cacheDirectory, IProgress<LoadProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        root = Path.GetFullPath(root);
        if (!Directory.Exists(Path.Combine(root, "train")) || !Directory.Exists(Path.Combine(root, "val")))
            throw new DatasetUnavailableException(
                $"Tiny ImageNet not found at {root}: expected the folders train/<wnid>/images and val/images with " +
                "val/val_annotations.txt (the layout of tiny-imagenet-200.zip). Set dataset.path in the config to the unpacked folder.");
        var wnids = ClassIds(root);
        var index = wnids.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        var trainFiles = TrainFiles(root, wnids);
        var valFiles = ValFiles(root, index);
        Directory.CreateDirectory(cacheDirectory);
        var train = LoadOrDecode(root, Path.Combine(cacheDirectory, "tiny-imagenet-train.u8"), trainFiles, wnids, "tiny-imagenet/train", progress);
        var val = LoadOrDecode(root, Path.Combine(cacheDirectory, "tiny-imagenet-val.u8"), valFiles, wnids, "tiny-imagenet/val", progress);
        var (mean, std) = ChannelStatistics(train.Pixels, train.Labels.Length, root);
        var trainSet = ToDataset(train, "tiny-imagenet/train", wnids.Count, mean, std);
        try
        {
            return new DatasetPair(trainSet, ToDataset(val, "tiny-imagenet/val", wnids.Count, mean, std));
        }
        catch
        {
            trainSet.Dispose();
            throw;
        }
    }

    private static ImageDataset ToDataset(DecodedSplit split, string name, int classes, double[] mean, double[] std) =>
        new(name, tensor(split.Pixels, [split.Labels.Length, 3, Size, Size], ScalarType.Byte), tensor(split.Labels, ScalarType.Int64),
            classes, mean, std);

    // wnids.txt order when present (one wnid a line), else the ordinal order of the train/ folder names.
    private static List<string> ClassIds(string root)
    {
        string trainDir = Path.Combine(root, "train");
        var folders = Directory.EnumerateDirectories(trainDir).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        string wnidsFile = Path.Combine(root, "wnids.txt");
        if (!File.Exists(wnidsFile))
        {
            if (folders.Count < 2)
                throw new DatasetUnavailableException($"{trainDir}: {folders.Count} class folder(s); Tiny ImageNet has one folder per class (at least two).");
            return folders;
        }
        var list = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(wnidsFile))
        {
            lineNumber++;
            string wnid = raw.Trim();
            if (wnid.Length == 0) continue;
            if (!seen.TryAdd(wnid, lineNumber))
                throw new DatasetUnavailableException(string.Create(CultureInfo.InvariantCulture,
                    $"{wnidsFile}:{lineNumber}: wnid '{wnid}' is listed twice (first on line {seen[wnid]}); each class must appear once."));
            list.Add(wnid);
        }
        if (list.Count < 2)
            throw new DatasetUnavailableException($"{wnidsFile}: lists {list.Count} class(es); expected one wnid a line, at least two.");
        if (folders.FirstOrDefault(f => !seen.ContainsKey(f)) is { } extra)
            throw new DatasetUnavailableException(
                $"{Path.Combine(trainDir, extra)}: this class folder is not listed in {wnidsFile}; add its wnid there or remove the folder.");
        return list;
    }

    private static bool IsJpeg(string path) =>
        path.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase);

    private static List<(string Path, int Label)> TrainFiles(string root, List<string> wnids)
    {
        var files = new List<(string, int)>();
        for (int label = 0; label < wnids.Count; label++)
        {
            string dir = Path.Combine(root, "train", wnids[label], "images");
            if (!Directory.Exists(dir))
                throw new DatasetUnavailableException($"Tiny ImageNet class folder missing: {dir} (class {wnids[label]} has no train/{wnids[label]}/images folder).");
            int before = files.Count;
            files.AddRange(Directory.EnumerateFiles(dir).Where(IsJpeg).Order(StringComparer.Ordinal).Select(f => (f, label)));
            if (files.Count == before)
                throw new DatasetUnavailableException($"{dir}: no JPEG images (*.JPEG, *.jpg) for class {wnids[label]}.");
        }
        return files;
    }

    private static List<(string Path, int Label)> ValFiles(string root, Dictionary<string, int> index)
    {
        string annotations = Path.Combine(root, "val", "val_annotations.txt");
        if (!File.Exists(annotations))
            throw new DatasetUnavailableException(
                $"Tiny ImageNet validation labels missing: {annotations} (tab-separated lines 'file<TAB>wnid<TAB>x0<TAB>y0<TAB>x1<TAB>y1', as in tiny-imagenet-200.zip).");
        var files = new List<(string, int)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(annotations))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string where = string.Create(CultureInfo.InvariantCulture, $"{annotations}:{lineNumber}:");
            string[] parts = line.Split('\t');
            if (parts.Length < 2)
                throw new DatasetUnavailableException($"{where} expected 'file<TAB>wnid<TAB>x0<TAB>y0<TAB>x1<TAB>y1', got '{line}'.");
            string file = parts[0].Trim(), wnid = parts[1].Trim();
            if (!index.TryGetValue(wnid, out int label))
                throw new DatasetUnavailableException(
                    $"{where} wnid '{wnid}' of {file} is not one of the {index.Count} classes (the train/ folders, or wnids.txt).");
            string path = Path.Combine(root, "val", "images", file);
            if (!File.Exists(path))
                throw new DatasetUnavailableException($"{where} image {path} not found.");
            if (!seen.TryAdd(file, lineNumber))
                throw new DatasetUnavailableException(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {file} is annotated twice (first on line {seen[file]})."));
            files.Add((path, label));
        }
        if (files.Count == 0) throw new DatasetUnavailableException($"{annotations}: no annotated images.");
        files.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return files;
    }

    private sealed record DecodedSplit(byte[] Pixels, long[] Labels);

    private static DecodedSplit LoadOrDecode(string root, string cache, List<(string Path, int Label)> files, List<string> wnids,
        string name, IProgress<LoadProgress>? progress)
    {
        byte[] fingerprint = Fingerprint(root, files, wnids);
        RemoveAbandonedTemporaries(cache, progress, name, files.Count);
        if (File.Exists(cache))
        {
            if (TryReadCache(cache, fingerprint, wnids.Count, out var cached, out string? problem))
            {
                progress?.Report(new LoadProgress(name, cached.Labels.Length, cached.Labels.Length, FromCache: true));
                return cached;
            }
            progress?.Report(new LoadProgress(name, 0, files.Count, FromCache: false, $"{cache}: {problem}; decoding the images again."));
        }
        var split = Decode(files, name, progress);
        try
        {
            WriteCache(cache, fingerprint, split);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            progress?.Report(new LoadProgress(name, files.Count, files.Count, FromCache: false,
                $"{cache}: could not write the cache ({e.Message}); the next load decodes again."));
        }
        return split;
    }

    // SHA-256 of the format, the class order and the relative path and label of every image, in load order.
    private static byte[] Fingerprint(string root, List<(string Path, int Label)> files, List<string> wnids)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        text.Append(CacheMagic).Append('\n').Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (string w in wnids) text.Append(w).Append('\n');
        text.Append('\0');
        foreach (var (path, label) in files)
        {
            text.Append(Path.GetRelativePath(root, path).Replace('\\', '/')).Append('\t').Append(label.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (text.Length > 1 << 16)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
                text.Clear();
            }
        }
        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        return hash.GetHashAndReset();
    }

    private static DecodedSplit Decode(List<(string Path, int Label)> files, string name, IProgress<LoadProgress>? progress)
    {
        int n = files.Count;
        if ((long)n * ImageBytes > Array.MaxLength)
            throw new DatasetUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {n} images do not fit one array ({Array.MaxLength / ImageBytes} at most)."));
        var pixels = GC.AllocateUninitializedArray<byte>(n * ImageBytes);
        var labels = new long[n];
        var failures = new string?[n];
        int done = 0, every = Math.Max(1, n / 100);
        progress?.Report(new LoadProgress(name, 0, n, FromCache: false));
        // One RGBA scratch bitmap per worker; each SKCodec and bitmap is used by one thread only.
        Parallel.For(0, n,
            () => new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul)),
            (i, _, scratch) =>
            {
                failures[i] = DecodeOne(files[i].Path, scratch, pixels.AsSpan(i * ImageBytes, ImageBytes));
                labels[i] = files[i].Label;
                int d = Interlocked.Increment(ref done);
                if (d % every == 0 && d < n) progress?.Report(new LoadProgress(name, d, n, FromCache: false));
                return scratch;
            },
            scratch => scratch.Dispose());
        int bad = failures.Count(f => f is not null);
        if (bad > 0)
        {
            string first = failures.First(f => f is not null)!;
            throw new DatasetUnavailableException(bad == 1 ? first : string.Create(CultureInfo.InvariantCulture,
                $"{bad} of {n} images of {name} could not be decoded; the first: {first}"));
        }
        progress?.Report(new LoadProgress(name, n, n, FromCache: false));
        return new DecodedSplit(pixels, labels);
    }

    // Decodes one image into CHW uint8 R, G, B planes; returns what went wrong, or null.
    private static string? DecodeOne(string path, SKBitmap scratch, Span<byte> chw)
    {
        using var codec = SKCodec.Create(path, out var created);
        if (codec is null)
            return $"{path}: not a decodable image ({created}); the file is corrupt or not a JPEG. Replace it from tiny-imagenet-200.zip.";
        var info = codec.Info;
        if (info.Width != Size || info.Height != Size)
            return string.Create(CultureInfo.InvariantCulture,
                $"{path}: {info.Width}×{info.Height} pixels; every Tiny ImageNet image is {Size}×{Size} (resize the folder's images, or use another data set kind).");
        // The codec converts any JPEG colour model (YCbCr, greyscale, CMYK) to RGBA: a greyscale image gives R = G = B.
        var result = codec.GetPixels(scratch.Info, scratch.GetPixels());
        if (result != SKCodecResult.Success)
            return $"{path}: decoding failed ({result}); the file is truncated or corrupt. Replace it from tiny-imagenet-200.zip.";
        ReadOnlySpan<byte> rgba = scratch.GetPixelSpan();
        const int plane = Size * Size;
        for (int p = 0; p < plane; p++)
        {
            chw[p] = rgba[4 * p];
            chw[plane + p] = rgba[4 * p + 1];
            chw[2 * plane + p] = rgba[4 * p + 2];
        }
        return null;
    }

    // Per-channel mean and population std of pixel/255 from exact integer sums (no float accumulation over 10⁹ pixels,
    // and no float64 copy of the images).
    private static (double[] Mean, double[] Std) ChannelStatistics(byte[] pixels, int count, string root)
    {
        var sums = new long[6];
        var gate = new Lock();
        Parallel.For(0, count, () => new long[6], (i, _, local) =>
        {
            for (int c = 0; c < 3; c++)
            {
                long s = 0, q = 0;
                foreach (byte b in pixels.AsSpan(i * ImageBytes + c * Size * Size, Size * Size))
                {
                    s += b;
                    q += b * b;
                }
                local[c] += s;
                local[3 + c] += q;
            }
            return local;
        }, local =>
        {
            lock (gate)
                for (int k = 0; k < 6; k++) sums[k] += local[k];
        });
        long n = (long)count * Size * Size;
        var mean = new double[3];
        var std = new double[3];
        for (int c = 0; c < 3; c++)
        {
            mean[c] = sums[c] / (255.0 * n);
            Int128 scaledVariance = (Int128)n * sums[3 + c] - (Int128)sums[c] * sums[c];   // n²·255²·var, exact
            std[c] = Math.Sqrt((double)scaledVariance / ((double)n * n)) / 255.0;
            if (!(std[c] > 0))
                throw new DatasetUnavailableException($"{root}: every training pixel of channel {"RGB"[c]} has the same value; the images cannot be normalised.");
        }
        return (mean, std);
    }

    // Temporary cache files of decodes that were killed (untouched for AbandonedAfter): delete them, they are large.
    private static void RemoveAbandonedTemporaries(string cache, IProgress<LoadProgress>? progress, string name, int total)
    {
        foreach (string tmp in AtomicFile.AbandonedTemporaries(cache, AbandonedAfter))   // younger: may be another process's write
        {
            File.Delete(tmp);
            progress?.Report(new LoadProgress(name, 0, total, FromCache: false, $"{tmp}: removed the temporary file of an interrupted decode."));
        }
    }

    // Header (magic, fingerprint, size, count), uint8 pixels [N,3,64,64], int64 little-endian labels [N]; written to a
    // temporary file, flushed to disk, then renamed: a reader sees the old cache, the new one, or none.
    private static void WriteCache(string path, byte[] fingerprint, DecodedSplit split) =>
        AtomicFile.Write(path, stream =>
        {
            var header = new byte[HeaderBytes];
            Encoding.ASCII.GetBytes(CacheMagic, header);
            fingerprint.CopyTo(header, 8);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8 + FingerprintBytes), Size);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12 + FingerprintBytes), split.Labels.Length);
            stream.Write(header);
            stream.Write(split.Pixels);
            var labels = new byte[8 * split.Labels.Length];
            for (int i = 0; i < split.Labels.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(labels.AsSpan(8 * i), split.Labels[i]);
            stream.Write(labels);
        }, bufferSize: 1 << 20);

    private static bool TryReadCache(string path, byte[] fingerprint, int classes, out DecodedSplit split, out string? problem)
    {
        split = null!;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        long length = stream.Length;
        var header = new byte[HeaderBytes];
        if (length < HeaderBytes)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"truncated cache ({length} bytes, shorter than its header)");
            return false;
        }
        stream.ReadExactly(header);
        if (Encoding.ASCII.GetString(header, 0, 8) != CacheMagic)
        {
            problem = $"not a Tiny ImageNet cache of this version (format {CacheMagic})";
            return false;
        }
        if (!header.AsSpan(8, FingerprintBytes).SequenceEqual(fingerprint))
        {
            problem = "stale cache: the image files or the class order changed since it was written";
            return false;
        }
        int size = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8 + FingerprintBytes));
        int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12 + FingerprintBytes));
        long expected = HeaderBytes + (long)count * (ImageBytes + 8);
        if (size != Size || count <= 0 || length != expected)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"truncated or corrupt cache ({length} bytes; {count} images of {size}×{size} need {expected})");
            return false;
        }
        var pixels = GC.AllocateUninitializedArray<byte>(count * ImageBytes);
        stream.ReadExactly(pixels);
        var labelBytes = new byte[8 * count];
        stream.ReadExactly(labelBytes);
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = BinaryPrimitives.ReadInt64LittleEndian(labelBytes.AsSpan(8 * i));
            if (labels[i] < 0 || labels[i] >= classes)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"corrupt cache (label {labels[i]} of image {i} is not a class index)");
                return false;
            }
        }
        split = new DecodedSplit(pixels, labels);
        problem = null;
        return true;
    }
}

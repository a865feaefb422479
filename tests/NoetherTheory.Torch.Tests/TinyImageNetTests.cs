using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Runs;
using SkiaSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// Tiny ImageNet loader on a synthetic folder with the real layout (the real set is not available offline):
/// train/&lt;wnid&gt;/images/*.JPEG, val/images/*.JPEG with val/val_annotations.txt, optional wnids.txt.
/// </summary>
[TestFixture, Category("Native")]
public sealed class TinyImageNetTests
{
    // Deliberately not in ordinal order, so that "sorted" and "wnids.txt order" give different labels.
    private static readonly string[] Wnids = ["n09246464", "n01443537", "n02124075"];
    private const int TrainPerClass = 4;
    private const int ValCount = 5;
    private const int S = TinyImageNet.Size;

    // JPEG round trip at quality 100 (SkiaSharp's encoder, 4:2:0 chroma) of images built so that nothing but rounding
    // can change them: 32×32 solid quadrants (every 8×8 DCT block inside one quadrant) that differ only in luma, with one
    // chroma per image (the decoder interpolates the half-resolution chroma across quadrant edges; equal chroma makes
    // that exact). Measured error: 0 levels on every pixel; allowed: 2 for the RGB→YCbCr→RGB rounding of another
    // libjpeg build. A swapped R/B is off by ≥ MinRedBlueGap, a transposed or flipped image by ≥ MinLumaGap.
    private const int JpegTolerance = 2;
    private const int MinRedBlueGap = 40;
    private const int MinLumaGap = 30;

    // Channel mean and population std of pixel/255 both move by at most the largest per-pixel error /255 (both are
    // 1-Lipschitz in the sup norm), so the JPEG tolerance carries over.
    private static readonly Tolerance StatisticsTolerance = Tolerance.Absolute(JpegTolerance / 255.0);

    private string _root = "";
    private string _data = "";
    private string _cache = "";

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    [SetUp]
    public void MakeFolder()
    {
        _root = Directory.CreateTempSubdirectory("noether-tin-").FullName;
        _data = Path.Combine(_root, "tiny-imagenet-200");
        _cache = Path.Combine(_root, "cache");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Load_SyntheticFolder_CountsShapesAndLabelsFollowOrdinalWnidOrder()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using var pair = TinyImageNet.Load(_data, _cache);

        Assert.That(pair.Train.Images.shape, Is.EqualTo(new long[] { Wnids.Length * TrainPerClass, 3, S, S }));
        Assert.That(pair.Test.Images.shape, Is.EqualTo(new long[] { ValCount, 3, S, S }));
        Assert.That(pair.Train.Images.dtype, Is.EqualTo(ScalarType.Byte));
        Assert.That(pair.Train.Classes, Is.EqualTo(Wnids.Length));
        string[] sorted = Wnids.Order(StringComparer.Ordinal).ToArray();
        Assert.That(pair.Train.Labels.data<long>().ToArray(), Is.EqualTo(folder.ExpectedLabels(folder.Train, sorted)));
        Assert.That(pair.Test.Labels.data<long>().ToArray(), Is.EqualTo(folder.ExpectedLabels(folder.Val, sorted)));
    }

    [Test]
    public void Load_WithWnidsTxt_LabelsFollowItsOrder()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: true);
        using var pair = TinyImageNet.Load(_data, _cache);
        Assert.That(pair.Train.Labels.data<long>().ToArray(), Is.EqualTo(folder.ExpectedLabels(folder.Train, Wnids)));
        Assert.That(pair.Test.Labels.data<long>().ToArray(), Is.EqualTo(folder.ExpectedLabels(folder.Val, Wnids)));
        // Train images come class by class in wnids.txt order (labels alone cannot show it: they are 0,0,0,0,1,… either way).
        AssertPixels(folder.InLoadOrder(folder.Train, Wnids), pair.Train.Images);
    }

    [Test]
    public void Load_Pixels_MatchTheWrittenColours_InRgbOrderAndOrientation()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using var pair = TinyImageNet.Load(_data, _cache);
        AssertPixels(folder.InLoadOrder(folder.Train, Wnids.Order(StringComparer.Ordinal).ToArray()), pair.Train.Images);
        AssertPixels(folder.InLoadOrder(folder.Val, null), pair.Test.Images);
    }

    [Test]
    public void Load_GreyscaleJpeg_IsReplicatedToThreeEqualChannels()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false, greyscaleTrainIndex: 5);
        var grey = folder.Train[5];
        Assert.That(SyntheticFolder.JpegComponents(grey.Path), Is.EqualTo(1), "the test image really is a one-component (greyscale) JPEG");
        using var pair = TinyImageNet.Load(_data, _cache);
        int index = Array.IndexOf(folder.InLoadOrder(folder.Train, Wnids.Order(StringComparer.Ordinal).ToArray()), grey);
        byte[] chw = pair.Train.Images[index].contiguous().data<byte>().ToArray();
        Assert.That(chw.AsSpan(0, S * S).SequenceEqual(chw.AsSpan(S * S, S * S)) && chw.AsSpan(0, S * S).SequenceEqual(chw.AsSpan(2 * S * S, S * S)),
            "R, G and B planes of a greyscale image are identical");
        AssertPixels([grey], pair.Train.Images[index].unsqueeze(0));
    }

    [Test]
    public void Load_NormalisationStatistics_MatchTheWrittenTrainingPixels()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using var pair = TinyImageNet.Load(_data, _cache);
        var (mean, std) = SyntheticFolder.Statistics(folder.Train);
        NumericAssert.AllClose(mean, pair.Train.Mean.ToArray(), StatisticsTolerance, "channel means of pixel/255");
        NumericAssert.AllClose(std, pair.Train.Std.ToArray(), StatisticsTolerance, "channel std of pixel/255");
        Assert.That(pair.Test.Mean, Is.EqualTo(pair.Train.Mean), "the validation split is normalised with the training statistics");
        Assert.That(pair.Test.Std, Is.EqualTo(pair.Train.Std));
    }

    [Test]
    public void Load_Twice_SecondLoadReadsTheCache_AndReturnsEqualTensors()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using var first = TinyImageNet.Load(_data, _cache);
        Assert.That(Directory.GetFiles(_cache, "*.u8"), Has.Length.EqualTo(2), "one cache file per split");
        // Every JPEG becomes undecodable: a second load can only succeed by reading the cache.
        foreach (var image in folder.Train.Concat(folder.Val)) File.WriteAllText(image.Path, "no longer a JPEG");
        using var second = TinyImageNet.Load(_data, _cache);
        AssertEqual(first, second);
    }

    [TestCase("truncated")]
    [TestCase("wrong-magic")]
    [TestCase("empty")]
    public void Load_CorruptCache_IsDecodedAgain_WithAWarning(string damage)
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using var first = TinyImageNet.Load(_data, _cache);
        string cacheFile = Directory.GetFiles(_cache, "*train*.u8").Single();
        byte[] bytes = File.ReadAllBytes(cacheFile);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(cacheFile, bytes[..(bytes.Length / 2)]); break;   // what a killed in-place write leaves
            case "wrong-magic": File.WriteAllBytes(cacheFile, [(byte)(bytes[0] ^ 0xFF), .. bytes[1..]]); break;
            default: File.WriteAllBytes(cacheFile, []); break;
        }
        var reports = new List<TinyImageNet.LoadProgress>();
        using var second = TinyImageNet.Load(_data, _cache, new SynchronousProgress<TinyImageNet.LoadProgress>(reports.Add));
        AssertEqual(first, second);
        Assert.That(reports.Select(r => r.Warning).OfType<string>(), Has.One.Contains(cacheFile),
            "one warning naming the damaged cache file");
        Assert.That(File.ReadAllBytes(cacheFile), Is.EqualTo(bytes), "the rebuilt cache equals the original one");
    }

    [Test]
    public void Load_AfterTheImageListChanged_RebuildsTheStaleCache()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        using (TinyImageNet.Load(_data, _cache)) { }
        string extra = Path.Combine(Path.GetDirectoryName(folder.Train[0].Path)!, "zz_extra.JPEG");
        File.Copy(folder.Train[0].Path, extra);
        var reports = new List<TinyImageNet.LoadProgress>();
        using var pair = TinyImageNet.Load(_data, _cache, new SynchronousProgress<TinyImageNet.LoadProgress>(reports.Add));
        Assert.That(pair.Train.Count, Is.EqualTo(Wnids.Length * TrainPerClass + 1), "the added image is in the reloaded split");
        Assert.That(reports.Select(r => r.Warning).OfType<string>(), Has.One.Contains("stale"));
        Assert.That(pair.Test.Count, Is.EqualTo(ValCount));
    }

    [Test]
    public void Load_ReportsProgressUpToEverySplitsTotal_AndLeavesNoTemporaryFiles()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        var reports = new List<TinyImageNet.LoadProgress>();
        using (TinyImageNet.Load(_data, _cache, new SynchronousProgress<TinyImageNet.LoadProgress>(reports.Add))) { }
        var last = reports.GroupBy(r => r.Split).ToDictionary(g => g.Key, g => g.Last());
        Assert.That(last.Keys, Is.EquivalentTo(new[] { "tiny-imagenet/train", "tiny-imagenet/val" }));
        Assert.That(last["tiny-imagenet/train"].Done, Is.EqualTo(Wnids.Length * TrainPerClass));
        Assert.That(last["tiny-imagenet/val"].Done, Is.EqualTo(ValCount));
        Assert.That(reports.All(r => !r.FromCache && r.Done <= r.Total), "first load decodes");
        Assert.That(Directory.GetFiles(_cache), Has.All.EndsWith(".u8"), "the temporary cache files were renamed into place");

        reports.Clear();
        using (TinyImageNet.Load(_data, _cache, new SynchronousProgress<TinyImageNet.LoadProgress>(reports.Add))) { }
        Assert.That(reports.Select(r => (r.FromCache, r.Done == r.Total)), Is.EqualTo(new[] { (true, true), (true, true) }),
            "second load: one report per split, read from the cache");
    }

    [Test]
    public void Load_RemovesTheTemporaryFileOfAKilledDecode_ButNotOneBeingWritten()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        Directory.CreateDirectory(_cache);
        // What a decode killed while writing its cache leaves: a partial temporary file, never the cache itself.
        string killed = Path.Combine(_cache, ".tiny-imagenet-train.u8.4242-0123456789abcdef.tmp");
        string writing = Path.Combine(_cache, ".tiny-imagenet-train.u8.4243-fedcba9876543210.tmp");
        File.WriteAllBytes(killed, new byte[1000]);
        File.WriteAllBytes(writing, new byte[1000]);
        File.SetLastWriteTimeUtc(killed, DateTime.UtcNow.AddHours(-1));
        var reports = new List<TinyImageNet.LoadProgress>();
        using var pair = TinyImageNet.Load(_data, _cache, new SynchronousProgress<TinyImageNet.LoadProgress>(reports.Add));
        Assert.That(pair.Train.Count, Is.EqualTo(Wnids.Length * TrainPerClass));
        Assert.That(File.Exists(killed), Is.False, "an hour-old temporary file belongs to a dead decode");
        Assert.That(File.Exists(writing), Is.True, "a fresh temporary file may be another process's write in progress");
        Assert.That(reports.Select(r => r.Warning).OfType<string>(), Has.One.Contains(killed));
    }

    [TestCase("garbage")]
    [TestCase("cut")]
    public void Load_CorruptJpeg_ThrowsNamingTheFile(string damage)
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        string bad = folder.Train[6].Path;
        byte[] bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, damage == "garbage" ? "GIF89a? no"u8.ToArray() : bytes[..(bytes.Length / 2)]);
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(bad));
        Assert.That(Directory.Exists(_cache) ? Directory.GetFiles(_cache, "*train*") : [], Is.Empty, "no cache is written for a failed decode");
    }

    [Test]
    public void Load_ImageOfAnotherSize_ThrowsNamingTheFileAndItsSize()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        string odd = folder.Val[2].Path;
        using (var bitmap = new SKBitmap(new SKImageInfo(48, 40, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            bitmap.Erase(new SKColor(10, 200, 30));
            SyntheticFolder.WriteJpeg(odd, bitmap);
        }
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(odd).And.Message.Contains("48×40"));
    }

    [Test]
    public void Load_ValImageOfAnUnknownClass_ThrowsWithFileAndLine()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        string annotations = Path.Combine(_data, "val", "val_annotations.txt");
        var lines = File.ReadAllLines(annotations);
        lines[3] = lines[3].Replace(lines[3].Split('\t')[1], "n99999999", StringComparison.Ordinal);
        File.WriteAllLines(annotations, lines);
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(annotations + ":4:").And.Message.Contains("n99999999"));
    }

    [Test]
    public void Load_ValAnnotationNamingAMissingImage_ThrowsWithFileAndLine()
    {
        var folder = SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        File.Delete(folder.Val[0].Path);
        string annotations = Path.Combine(_data, "val", "val_annotations.txt");
        string file = Path.GetFileName(folder.Val[0].Path);
        int line = Array.FindIndex(File.ReadAllLines(annotations), l => l.StartsWith(file + "\t", StringComparison.Ordinal)) + 1;
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(annotations + ":" + line.ToString(CultureInfo.InvariantCulture) + ":")
                .And.Message.Contains(folder.Val[0].Path));
    }

    [Test]
    public void Load_WithoutValAnnotations_ThrowsNamingTheMissingFile()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: false);
        string annotations = Path.Combine(_data, "val", "val_annotations.txt");
        File.Delete(annotations);
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(annotations));
    }

    [Test]
    public void Load_WnidsTxtListingAClassWithoutFolder_ThrowsNamingTheFolder()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: true);
        File.AppendAllText(Path.Combine(_data, "wnids.txt"), "n00000001\n");
        Assert.That(() => TinyImageNet.Load(_data, _cache),
            Throws.TypeOf<DatasetUnavailableException>().With.Message.Contains(Path.Combine(_data, "train", "n00000001")));
    }

    [Test]
    public void TrainingConfig_OfKindTinyImageNet_TrainsThreeStepsOnTheCpu()
    {
        SyntheticFolder.Write(_data, Wnids, TrainPerClass, ValCount, writeWnidsTxt: true);
        string configPath = Path.Combine(_root, "tin.yaml");
        File.WriteAllText(configPath, """
            name: tin-e2e
            seed: 5
            steps: 3
            batch_size: 4
            log_every: 1
            checkpoint_every: 0
            eval_batch_size: 8
            dataset:
              kind: tiny-imagenet
              path: tiny-imagenet-200
              cache: decoded
            model:
              width: 0.0625
              head: gap
            optimizer:
              lr: 0.05
              weight_decay: 0.0005
            """);
        var config = TrainingConfigLoader.Load(configPath);
        Assert.That(config.Dataset.Path, Is.EqualTo(_data), "relative dataset path resolved against the config's folder");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "run"), Log: log.Enqueue));
        Assert.That(result.Steps, Is.EqualTo(3));
        Assert.That(log, Has.Some.Contains("tiny-imagenet/train: decoded 12 of 12 JPEGs"), "decode progress reaches the run's log");
        log.Clear();
        _ = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "run2"), Log: log.Enqueue));
        Assert.That(log, Has.Some.Contains("read from the cache"), "a second run reads the decoded cache and says so");
        Assert.That(double.IsFinite(result.TrainLoss) && double.IsFinite(result.TestLoss), $"finite losses: train {result.TrainLoss}, test {result.TestLoss}");
        var metrics = File.ReadAllLines(Path.Combine(result.RunDirectory, "metrics.csv"));
        Assert.That(metrics.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(Directory.GetFiles(Path.Combine(_root, "decoded"), "*.u8"), Has.Length.EqualTo(2), "the decoded splits were cached in dataset.cache");
    }

    /// <summary>Decode rate on synthetic JPEGs (run explicitly: it writes 3000 files). The images are uniform noise, the
    /// worst case for the entropy decoder (natural 64×64 JPEGs of the real set are 1–3 kB, noise at quality 90 ≈ 9 kB).</summary>
    [Test, Explicit("benchmark: writes 3000 JPEGs"), Category("Benchmark")]
    public void DecodeRate_OnSyntheticJpegs()
    {
        const int perClass = 1000;
        var folder = SyntheticFolder.Write(_data, Wnids, perClass, ValCount, writeWnidsTxt: false);
        var random = new Random(3);
        using (var noise = new SKBitmap(new SKImageInfo(S, S, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            var bytes = new byte[S * S * 4];
            foreach (var image in folder.Train)
            {
                random.NextBytes(bytes);
                System.Runtime.InteropServices.Marshal.Copy(bytes, 0, noise.GetPixels(), bytes.Length);
                using var data = noise.Encode(SKEncodedImageFormat.Jpeg, 90);
                File.WriteAllBytes(image.Path, data.ToArray());
            }
        }
        // Best of three timed decodes after a warm-up one (JIT, page cache); the machine may be shared.
        double decode = double.PositiveInfinity;
        long total = 0;
        for (int round = 0; round < 4; round++)
        {
            if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
            var clock = Stopwatch.StartNew();
            using var pair = TinyImageNet.Load(_data, _cache);
            if (round > 0) decode = Math.Min(decode, clock.Elapsed.TotalSeconds);
            Assert.That(pair.Train.Count, Is.EqualTo(Wnids.Length * perClass));
            total = pair.Train.Count + pair.Test.Count;
        }
        var read = Stopwatch.StartNew();
        using (TinyImageNet.Load(_data, _cache)) { }
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decode: {total} images in {decode:F3} s = {total / decode:F0} images/s on {Environment.ProcessorCount} cores; cache read {read.Elapsed.TotalSeconds:F3} s = {total / read.Elapsed.TotalSeconds:F0} images/s"));
    }

    private static void AssertPixels(IReadOnlyList<SyntheticImage> expected, TorchSharp.torch.Tensor images)
    {
        Assert.That(images.shape[0], Is.EqualTo(expected.Count));
        byte[] all = images.contiguous().data<byte>().ToArray();
        for (int n = 0; n < expected.Count; n++)
        {
            var image = expected[n];
            int worst = 0;
            string where = "";
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < S; y++)
                    for (int x = 0; x < S; x++)
                    {
                        int error = Math.Abs(all[((n * 3 + c) * S + y) * S + x] - image.Channel(c, y, x));
                        if (error > worst) (worst, where) = (error, $"channel {"RGB"[c]} at (y {y}, x {x})");
                    }
            Assert.That(worst, Is.LessThanOrEqualTo(JpegTolerance), $"{image.Path}: largest error {worst} levels, {where}");
        }
    }

    private static void AssertEqual(DatasetPair a, DatasetPair b)
    {
        static bool Same(TorchSharp.torch.Tensor x, TorchSharp.torch.Tensor y) =>
            x.shape.SequenceEqual(y.shape) && x.dtype == y.dtype && x.eq(y).all().item<bool>();
        Assert.That(Same(a.Train.Images, b.Train.Images) && Same(a.Train.Labels, b.Train.Labels), "train split equal");
        Assert.That(Same(a.Test.Images, b.Test.Images) && Same(a.Test.Labels, b.Test.Labels), "val split equal");
        Assert.That(b.Train.Mean, Is.EqualTo(a.Train.Mean));
        Assert.That(b.Train.Std, Is.EqualTo(a.Train.Std));
    }

    internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>One written image: four 32×32 solid quadrants (TL, TR, BL, BR), or a greyscale one.</summary>
    internal sealed record SyntheticImage(string Path, string Wnid, (byte R, byte G, byte B)[] Quadrants, bool Greyscale)
    {
        public byte Channel(int c, int y, int x)
        {
            var q = Quadrants[(y < S / 2 ? 0 : 2) + (x < S / 2 ? 0 : 1)];
            return c switch { 0 => q.R, 1 => q.G, _ => q.B };
        }
    }

    /// <summary>Writes a Tiny ImageNet folder (real layout and annotation format) and remembers what it wrote.</summary>
    internal sealed record SyntheticFolder(IReadOnlyList<SyntheticImage> Train, IReadOnlyList<SyntheticImage> Val)
    {
        public static SyntheticFolder Write(string root, string[] wnids, int trainPerClass, int valCount, bool writeWnidsTxt, int greyscaleTrainIndex = -1)
        {
            var random = new Random(17);
            var train = new List<SyntheticImage>();
            foreach (string wnid in wnids)
            {
                string dir = Path.Combine(root, "train", wnid, "images");
                Directory.CreateDirectory(dir);
                // The real set has a bounding-box file beside images/; the loader must ignore it.
                File.WriteAllText(Path.Combine(root, "train", wnid, wnid + "_boxes.txt"), "");
                for (int i = 0; i < trainPerClass; i++)
                {
                    bool grey = train.Count == greyscaleTrainIndex;
                    train.Add(WriteImage(Path.Combine(dir, $"{wnid}_{i}.JPEG"), wnid, random, grey));
                }
            }
            string valDir = Path.Combine(root, "val", "images");
            Directory.CreateDirectory(valDir);
            var val = new List<SyntheticImage>();
            var annotations = new System.Text.StringBuilder();
            for (int i = 0; i < valCount; i++)
            {
                // Written in descending file order, to check that the loader's order does not depend on the file's.
                int k = valCount - 1 - i;
                string wnid = wnids[(2 * k + 1) % wnids.Length];   // every class appears
                string file = $"val_{k}.JPEG";
                val.Add(WriteImage(Path.Combine(valDir, file), wnid, random, grey: false));
                annotations.Append(CultureInfo.InvariantCulture, $"{file}\t{wnid}\t{k}\t{2 * k}\t{40 + k}\t{50 + k}\n");
            }
            File.WriteAllText(Path.Combine(root, "val", "val_annotations.txt"), annotations.ToString());
            if (writeWnidsTxt) File.WriteAllLines(Path.Combine(root, "wnids.txt"), wnids);
            return new SyntheticFolder(train, val);
        }

        private static SyntheticImage WriteImage(string path, string wnid, Random random, bool grey)
        {
            // One chroma (Cb, Cr) per image and one luma per quadrant: JPEG stores chroma at half resolution and the
            // decoder interpolates it across the quadrant edges, so equal chroma everywhere keeps edges exact too.
            var quadrants = new (byte R, byte G, byte B)[4];
            while (true)
            {
                double cb = grey ? 128 : random.Next(90, 167), cr = grey ? 128 : random.Next(90, 167);
                var luma = Enumerable.Range(0, 4).Select(_ => random.Next(60, 200)).ToArray();
                bool distinct = Enumerable.Range(0, 4).All(i => Enumerable.Range(i + 1, 3 - i).All(j => Math.Abs(luma[i] - luma[j]) >= MinLumaGap));
                int[][] rgb = luma.Select(y => new[]
                {
                    (int)Math.Round(y + 1.402 * (cr - 128)),
                    (int)Math.Round(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)),
                    (int)Math.Round(y + 1.772 * (cb - 128)),
                }).ToArray();
                bool inGamut = rgb.All(c => c.All(v => v is >= 0 and <= 255));
                bool redBlueApart = grey || Math.Abs(rgb[0][0] - rgb[0][2]) >= MinRedBlueGap;
                if (!distinct || !inGamut || !redBlueApart) continue;
                for (int q = 0; q < 4; q++) quadrants[q] = ((byte)rgb[q][0], (byte)rgb[q][1], (byte)rgb[q][2]);
                break;
            }
            var info = new SKImageInfo(S, S, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
            using var bitmap = new SKBitmap(info);
            using (var canvas = new SKCanvas(bitmap))
            {
                for (int q = 0; q < 4; q++)
                {
                    using var paint = new SKPaint { Color = new SKColor(quadrants[q].R, quadrants[q].G, quadrants[q].B), IsAntialias = false };
                    canvas.DrawRect(SKRect.Create(q % 2 * S / 2, q / 2 * S / 2, S / 2, S / 2), paint);
                }
            }
            WriteJpeg(path, bitmap);
            return new SyntheticImage(path, wnid, quadrants, grey);
        }

        public static void WriteJpeg(string path, SKBitmap bitmap)
        {
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        /// <summary>Number of colour components in the JPEG's start-of-frame segment.</summary>
        public static int JpegComponents(string path)
        {
            byte[] b = File.ReadAllBytes(path);
            for (int i = 2; i + 9 < b.Length;)
            {
                if (b[i] != 0xFF) throw new InvalidDataException($"{path}: not at a JPEG marker at byte {i}");
                byte marker = b[i + 1];
                if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) return b[i + 9];
                i += 2 + (b[i + 2] << 8 | b[i + 3]);
            }
            throw new InvalidDataException($"{path}: no start-of-frame segment");
        }

        public long[] ExpectedLabels(IReadOnlyList<SyntheticImage> split, string[] classOrder) =>
            InLoadOrder(split, split == Train ? classOrder : null).Select(i => (long)Array.IndexOf(classOrder, i.Wnid)).ToArray();

        /// <summary>Train: class by class in <paramref name="classOrder"/>, files ordinal within a class; val: by file name.</summary>
        public SyntheticImage[] InLoadOrder(IReadOnlyList<SyntheticImage> split, string[]? classOrder) =>
            classOrder is null
                ? split.OrderBy(i => i.Path, StringComparer.Ordinal).ToArray()
                : split.OrderBy(i => Array.IndexOf(classOrder, i.Wnid)).ThenBy(i => i.Path, StringComparer.Ordinal).ToArray();

        /// <summary>Per-channel mean and population std of pixel/255 over the written images.</summary>
        public static (double[] Mean, double[] Std) Statistics(IReadOnlyList<SyntheticImage> images)
        {
            var mean = new double[3];
            var std = new double[3];
            for (int c = 0; c < 3; c++)
            {
                // Each quadrant is a quarter of every image: the statistics are those of the 4·N quadrant values.
                var values = images.SelectMany(i => i.Quadrants).Select(q => (c switch { 0 => q.R, 1 => q.G, _ => q.B }) / 255.0).ToArray();
                mean[c] = values.Average();
                std[c] = Math.Sqrt(values.Select(v => (v - mean[c]) * (v - mean[c])).Average());
            }
            return (mean, std);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Tests.MalformedInputs;

/// <summary>The checkpoint reader under the error contract (issue 13): damaged copies of a real checkpoint (truncated,
/// flipped bytes in the header, lengths and data, zeroed or forged digest, the digest-free older format) are rejected
/// with the domain error naming the file, or resume correctly where the damage changes nothing; never a crash or a hang.</summary>
[TestFixture, Category("Native")]
public sealed class CheckpointInputTests
{
    // A tiny run resumes in well under a second; 20 s only catches a hang.
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);
    private const int RandomCount = 80;
    private const int ResumedRandomCount = 8;
    private const int DigestLength = 32;

    private string _root = "";
    private string _interrupted = "";
    private byte[] _valid = [];
    private TrainingConfig _config = TrainerTests.Tiny(6);

    private static string CheckpointIn(string dir) => Path.Combine(dir, "checkpoints", "step-000000002.ckpt");

    [OneTimeSetUp]
    public void TrainOnce()
    {
        TorchTestEnvironment.RequireTorch();
        _root = Directory.CreateTempSubdirectory("noether-ckpt-fuzz-").FullName;
        _interrupted = Path.Combine(_root, "interrupted");
        _config = TrainerTests.Tiny(6) with { CheckpointEvery = 2, KeepCheckpoints = 3 };
        Trainer.Run(_config, new TrainingRunOptions(_interrupted));
        foreach (string f in new[] { "result.yaml", "checkpoints/step-000000006.ckpt", "checkpoints/step-000000004.ckpt" })
            File.Delete(Path.Combine(_interrupted, f));
        _valid = File.ReadAllBytes(CheckpointIn(_interrupted));
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (_root.Length > 0) Directory.Delete(_root, recursive: true);
    }

    // Recomputes the digest, as a tool that forges a checkpoint would: the bounds checks behind it must still hold.
    private static byte[] Reseal(byte[] bytes)
    {
        if (bytes.Length < DigestLength + 8) return bytes;
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - DigestLength)).CopyTo(bytes, bytes.Length - DigestLength);
        return bytes;
    }

    // The digest-free NTCKPT01 layout: every length and shape is then checked by the reader alone.
    private static byte[] Legacy(byte[] bytes)
    {
        var legacy = bytes[..^DigestLength];
        Encoding.ASCII.GetBytes("NTCKPT01").CopyTo(legacy, 0);
        return legacy;
    }

    private static byte[] Flip(byte[] bytes, int at, byte mask = 0x40)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= mask;
        return copy;
    }

    private static int IndexOf(byte[] bytes, string ascii)
    {
        byte[] needle = Encoding.UTF8.GetBytes(ascii);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
            if (bytes.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException($"'{ascii}' not in the checkpoint");
    }

    private static byte[] Put(byte[] bytes, int at, byte[] value)
    {
        var copy = (byte[])bytes.Clone();
        value.CopyTo(copy, at);
        return copy;
    }

    // (what, the damaged bytes)
    private IEnumerable<(string What, byte[] Bytes)> HandWritten()
    {
        var v = _valid;
        const string weight = "model.features.0.weight";
        int weightAt = IndexOf(v, (char)weight.Length + weight);
        int rankAt = weightAt + 1 + weight.Length + 1 + 4;
        int lengthAt = rankAt + 4 + 4 * 8;
        int stepAt = IndexOf(v, "\u0004step") + 5;
        yield return ("empty file", []);
        yield return ("magic only", v[..8]);
        yield return ("seven bytes", v[..7]);
        yield return ("cut after the counter count", v[..12]);
        yield return ("cut in the middle", v[..(v.Length / 2)]);
        yield return ("cut one byte short", v[..^1]);
        yield return ("digest removed", v[..^DigestLength]);
        yield return ("zeroed digest", Put(v, v.Length - DigestLength, new byte[DigestLength]));
        yield return ("flipped digest byte", Flip(v, v.Length - 1));
        yield return ("flipped magic", Flip(v, 2));
        yield return ("another file's magic", Put(v, 0, Encoding.ASCII.GetBytes("PK\u0003\u0004zipx")));
        yield return ("flipped counter count", Flip(v, 8));
        yield return ("flipped data byte", Flip(v, v.Length / 2));
        yield return ("one byte appended", [.. v, 0]);
        yield return ("all zeros", new byte[v.Length]);
        yield return ("huge counter count, resealed", Reseal(Put(v, 8, BitConverter.GetBytes(int.MaxValue))));
        yield return ("negative counter count, resealed", Reseal(Put(v, 8, BitConverter.GetBytes(-1))));
        yield return ("step beyond the run, resealed", Reseal(Put(v, stepAt, BitConverter.GetBytes(long.MaxValue))));
        yield return ("negative step, resealed", Reseal(Put(v, stepAt, BitConverter.GetBytes(-2L))));
        yield return ("rank 1000, resealed", Reseal(Put(v, rankAt, BitConverter.GetBytes(1000))));
        yield return ("rank -1, resealed", Reseal(Put(v, rankAt, BitConverter.GetBytes(-1))));
        yield return ("rank 3, resealed", Reseal(Put(v, rankAt, BitConverter.GetBytes(3))));
        yield return ("huge dimension, resealed", Reseal(Put(v, rankAt + 4, BitConverter.GetBytes(long.MaxValue))));
        yield return ("negative dimension, resealed", Reseal(Put(v, rankAt + 4, BitConverter.GetBytes(-1L))));
        yield return ("byte length int.MaxValue, resealed", Reseal(Put(v, lengthAt, BitConverter.GetBytes(int.MaxValue))));
        yield return ("byte length negative, resealed", Reseal(Put(v, lengthAt, BitConverter.GetBytes(-8))));
        yield return ("unsupported dtype, resealed", Reseal(Put(v, rankAt - 4, BitConverter.GetBytes(99))));
        yield return ("float64 dtype, resealed", Reseal(Put(v, rankAt - 4, BitConverter.GetBytes(7))));
        yield return ("NaN weight, resealed", Reseal(Put(v, lengthAt + 4, BitConverter.GetBytes(float.NaN))));
        yield return ("infinite weight, resealed", Reseal(Put(v, lengthAt + 4, BitConverter.GetBytes(float.PositiveInfinity))));
        yield return ("renamed tensor, resealed", Reseal(Flip(v, weightAt + 3, 0x01)));
        yield return ("older format cut in the middle", Legacy(v)[..(v.Length / 2)]);
        yield return ("older format, huge byte length", Put(Legacy(v), lengthAt, BitConverter.GetBytes(int.MaxValue)));
        yield return ("older format, trailing bytes", [.. Legacy(v), 1, 2, 3]);
        yield return ("older format, NaN weight", Put(Legacy(v), lengthAt + 4, BitConverter.GetBytes(float.NaN)));
    }

    // Seeded random damage: a cut, a flipped byte (with and without a recomputed digest), a flipped byte in the older
    // format, a deleted or inserted span with a recomputed digest.
    private IEnumerable<(string What, byte[] Bytes)> RandomDamage()
    {
        var random = new Random(13);
        for (int i = 0; i < RandomCount; i++)
        {
            int kind = i % 6;
            int at = random.Next(_valid.Length - DigestLength);
            byte mask = (byte)(1 << random.Next(8));
            int span = 1 + random.Next(16);
            byte[] bytes = kind switch
            {
                0 => _valid[..random.Next(_valid.Length)],
                1 => Flip(_valid, random.Next(_valid.Length), mask),
                2 => Reseal(Flip(_valid, at, mask)),
                3 => Flip(Legacy(_valid), at, mask),
                4 => Reseal([.. _valid[..at], .. _valid[Math.Min(at + span, _valid.Length - DigestLength)..]]),
                _ => Reseal([.. _valid[..at], .. Enumerable.Range(0, span).Select(_ => (byte)random.Next(256)), .. _valid[at..]]),
            };
            yield return ($"random damage {i} (kind {kind}, at byte {at})", bytes);
        }
    }

    /// <summary>Inputs this fixture feeds the reader (the hand-written ones also through a resume).</summary>
    internal int InputCount => HandWritten().Count() + RandomCount + 1;

    private static Exception? Bounded(Action action, string what)
    {
        Exception? thrown = null;
        var task = Task.Run(() =>
        {
            try { action(); }
            catch (Exception e) { thrown = e; }
        });
        Assert.That(task.Wait(TimeLimit), Is.True, $"{what}: still running after {TimeLimit.TotalSeconds} s");
        return thrown;
    }

    // Resumes a copy of the interrupted run whose checkpoint holds bytes; null if it resumed (to the uninterrupted result).
    private TrainingConfigException? Resume(byte[] bytes, string what)
    {
        string dir = Path.Combine(_root, "case-" + Guid.NewGuid().ToString("N"));
        foreach (string f in Directory.EnumerateFiles(_interrupted, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(dir, Path.GetRelativePath(_interrupted, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        string ckpt = CheckpointIn(dir);
        File.WriteAllBytes(ckpt, bytes);
        TrainingResult? result = null;
        var e = Bounded(() => result = Trainer.Run(_config, new TrainingRunOptions(dir, Resume: true)), what);
        if (e is null)
        {
            Assert.That(result!.ResumedFromStep, Is.EqualTo(2), $"{what}: resumed from the damaged checkpoint");
            return null;
        }
        Assert.That(e, Is.TypeOf<TrainingConfigException>(), $"{what}: not the domain error:\n{e}");
        Assert.That(e.Message, Does.Contain(ckpt), $"{what}: the message names the file");
        return (TrainingConfigException)e;
    }

    // The reader alone: the tensors it returns, or its InvalidDataException naming the file (the resume path wraps it).
    private void Read(byte[] bytes, string what)
    {
        string path = Path.Combine(_root, "read-" + Guid.NewGuid().ToString("N") + ".ckpt");
        File.WriteAllBytes(path, bytes);
        (Dictionary<string, long>, Dictionary<string, TorchSharp.torch.Tensor?>)? loaded = null;
        var e = Bounded(() => loaded = Checkpoint.Load(path), what);
        File.Delete(path);
        if (e is null)
        {
            foreach (var t in loaded!.Value.Item2.Values) t?.Dispose();
            return;
        }
        Assert.That(e, Is.TypeOf<InvalidDataException>(), $"{what}: not the reader's error:\n{e}");
        Assert.That(e.Message, Does.Contain(path), $"{what}: the message names the file");
    }

    [Test]
    public void Every_hand_written_damage_is_refused_on_resume_naming_the_file()
    {
        foreach (var (what, bytes) in HandWritten())
            Assert.That(Resume(bytes, what), Is.Not.Null, $"{what}: the damaged checkpoint must be refused");
    }

    [Test]
    public void An_undamaged_copy_resumes() => Assert.That(Resume(_valid, "undamaged"), Is.Null);

    [Test]
    public void Random_damage_never_escapes_the_reader_contract()
    {
        foreach (var (what, bytes) in RandomDamage()) Read(bytes, what);
    }

    [Test]
    public void Random_damage_resumes_correctly_or_is_refused_naming_the_file()
    {
        // The digest-recomputed kinds reach the bounds checks of the restore; a few of them go all the way through a resume.
        foreach (var (what, bytes) in RandomDamage().Where((_, i) => i % 6 is 2 or 4 or 5).Take(ResumedRandomCount)) Resume(bytes, what);
    }

    [Test]
    public void The_fixture_feeds_at_least_100_damaged_checkpoints() => Assert.That(InputCount, Is.GreaterThanOrEqualTo(100));
}

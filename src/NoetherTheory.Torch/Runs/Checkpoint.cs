using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NoetherTheory.Core.IO;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// A checkpoint file: named tensors (model parameters and buffers, momentum buffers, generator state, sampler state) and
/// scalar counters, stored bit for bit so that a resumed CPU run reproduces an uninterrupted one exactly.
/// </summary>
/// <remarks>
/// <para>Format NTCKPT02: ASCII magic, then counters (name, int64), then tensors (name, dtype, rank, shape, raw
/// little-endian bytes), then the SHA-256 of every byte before it (32 bytes). A file whose digest does not match is
/// rejected (flipped bits must never resume into a NaN run). NTCKPT01 files (the same layout without the digest, written
/// before the digest existed) are still read, with every length and shape checked. Written to a temporary file and
/// renamed, so a crash never leaves a half-written checkpoint.</para>
/// <para>Everything read is bounded before anything is allocated: counts, ranks (≤ <see cref="MaxRank"/>), dimensions,
/// and each tensor's byte length, which must equal its shape's element count times its dtype's size and fit in the file.</para>
/// </remarks>
internal static class Checkpoint
{
    private const string Magic = "NTCKPT02";
    private const string LegacyMagic = "NTCKPT01";
    private const int DigestLength = 32;

    /// <summary>Largest tensor rank a checkpoint may hold (the model's conv weights have rank 4).</summary>
    public const int MaxRank = 8;

    public static void Save(string path, IReadOnlyDictionary<string, long> counters, IReadOnlyList<(string Name, Tensor? Value)> tensors)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(counters.Count);
            foreach (var (k, v) in counters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.Write(k);
                w.Write(v);
            }
            w.Write(tensors.Count);
            foreach (var (name, value) in tensors)
            {
                w.Write(name);
                w.Write(value is not null);
                if (value is null) continue;
                using var cpuCopy = value.detach().cpu().contiguous();
                w.Write((int)cpuCopy.dtype);
                w.Write((int)cpuCopy.dim());
                foreach (long d in cpuCopy.shape) w.Write(d);
                byte[] bytes = Bytes(cpuCopy);
                w.Write(bytes.Length);
                w.Write(bytes);
            }
            w.Flush();
            w.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        }
        // AtomicFile flushes to disk before the rename: a power cut leaves the old checkpoint or the new one.
        AtomicFile.Write(path, file => buffer.WriteTo(file));
    }

    /// <exception cref="InvalidDataException">Not a checkpoint, truncated, its digest does not match, or a length, rank or
    /// shape is out of bounds (the message names the file).</exception>
    public static (Dictionary<string, long> Counters, Dictionary<string, Tensor?> Tensors) Load(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < Magic.Length) throw new InvalidDataException($"{path}: truncated checkpoint ({file.Length} bytes).");
        string magic = Encoding.ASCII.GetString(file, 0, Magic.Length);
        int bodyLength = file.Length;
        if (magic == Magic)
        {
            bodyLength = file.Length - DigestLength;
            if (bodyLength < Magic.Length
                || !SHA256.HashData(file.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(file.AsSpan(bodyLength, DigestLength)))
                throw new InvalidDataException($"{path}: checksum mismatch (the file was changed or damaged after it was written).");
        }
        else if (magic != LegacyMagic)
        {
            throw new InvalidDataException($"{path}: not a NoetherTheory checkpoint.");
        }
        using var r = new BinaryReader(new MemoryStream(file, Magic.Length, bodyLength - Magic.Length, writable: false), Encoding.UTF8);
        var tensors = new Dictionary<string, Tensor?>(StringComparer.Ordinal);
        try
        {
            var counters = new Dictionary<string, long>(StringComparer.Ordinal);
            int n = r.ReadInt32();
            if (n < 0 || n > 64) throw new InvalidDataException($"{path}: {n} counters (expected at most 64).");
            for (int i = 0; i < n; i++) counters[r.ReadString()] = r.ReadInt64();
            int m = r.ReadInt32();
            if (m < 0 || m > 100_000) throw new InvalidDataException($"{path}: {m} tensors (expected at most 100000).");
            for (int i = 0; i < m; i++)
            {
                string name = r.ReadString();
                if (!r.ReadBoolean()) { tensors[name] = null; continue; }
                var dtype = (ScalarType)r.ReadInt32();
                int size = ElementSize(dtype) ?? throw new InvalidDataException($"{path}: tensor '{name}' has an unsupported dtype {(int)dtype}.");
                int rank = r.ReadInt32();
                if (rank < 0 || rank > MaxRank) throw new InvalidDataException($"{path}: tensor '{name}' has rank {rank} (expected 0…{MaxRank}).");
                var shape = new long[rank];
                long remaining = r.BaseStream.Length - r.BaseStream.Position;
                long elements = 1;
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = r.ReadInt64();
                    if (shape[d] < 0 || shape[d] > remaining) throw new InvalidDataException($"{path}: tensor '{name}' has dimension {d} of length {shape[d]}.");
                    elements = shape[d] == 0 ? 0 : Math.Min(elements * shape[d], long.MaxValue / 16);
                }
                int length = r.ReadInt32();
                remaining = r.BaseStream.Length - r.BaseStream.Position;
                if (length < 0 || length > remaining || (long)length != elements * size)
                    throw new InvalidDataException($"{path}: tensor '{name}' declares {length} bytes; its shape [{string.Join(",", shape)}] of {dtype} needs {elements * size} (and {remaining} remain in the file).");
                byte[] bytes = r.ReadBytes(length);
                if (tensors.TryGetValue(name, out var duplicate)) duplicate?.Dispose();
                tensors[name] = FromBytes(bytes, dtype, shape).DetachFromDisposeScope();
            }
            if (r.BaseStream.Position != r.BaseStream.Length)
                throw new InvalidDataException($"{path}: {r.BaseStream.Length - r.BaseStream.Position} unexpected bytes after the last tensor.");
            return (counters, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException)
        {
            foreach (var t in tensors.Values) t?.Dispose();
            if (e is InvalidDataException) throw;
            throw new InvalidDataException($"{path}: truncated or damaged checkpoint.", e);
        }
    }

    private static int? ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Byte => 1,
        _ => null,
    };

    private static byte[] Bytes(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => MemoryMarshal.AsBytes<float>(t.data<float>().ToArray()).ToArray(),
        ScalarType.Float64 => MemoryMarshal.AsBytes<double>(t.data<double>().ToArray()).ToArray(),
        ScalarType.Int64 => MemoryMarshal.AsBytes<long>(t.data<long>().ToArray()).ToArray(),
        ScalarType.Int32 => MemoryMarshal.AsBytes<int>(t.data<int>().ToArray()).ToArray(),
        ScalarType.Byte => t.data<byte>().ToArray(),
        _ => throw new NotSupportedException($"Checkpoints do not store {t.dtype} tensors."),
    };

    private static Tensor FromBytes(byte[] bytes, ScalarType dtype, long[] shape) => dtype switch
    {
        ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape),
        ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), shape),
        ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape),
        ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), shape),
        ScalarType.Byte => tensor(bytes, shape, ScalarType.Byte),
        _ => throw new InvalidDataException($"Checkpoint holds an unsupported dtype {dtype}."),
    };
}

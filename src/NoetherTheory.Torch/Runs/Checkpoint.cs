using System.Runtime.InteropServices;
using System.Text;
using NoetherTheory.Core.IO;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// A checkpoint file: named tensors (model parameters and buffers, momentum buffers, generator state, sampler state) and
/// scalar counters, stored bit for bit so that a resumed CPU run reproduces an uninterrupted one exactly.
/// </summary>
/// <remarks>Format: ASCII magic, then counters (name, int64), then tensors (name, dtype, rank, shape, raw little-endian
/// bytes). Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint.</remarks>
internal static class Checkpoint
{
    private const string Magic = "NTCKPT01";

    public static void Save(string path, IReadOnlyDictionary<string, long> counters, IReadOnlyList<(string Name, Tensor? Value)> tensors)
    {
        AtomicFile.Write(path, file =>
        {
            using var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
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
            w.Flush();   // AtomicFile flushes to disk before the rename: a power cut leaves the old checkpoint or the new one
        });
    }

    public static (Dictionary<string, long> Counters, Dictionary<string, Tensor?> Tensors) Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            if (Encoding.ASCII.GetString(r.ReadBytes(Magic.Length)) != Magic)
                throw new InvalidDataException($"{path}: not a NoetherTheory checkpoint.");
            var counters = new Dictionary<string, long>(StringComparer.Ordinal);
            int n = r.ReadInt32();
            for (int i = 0; i < n; i++) counters[r.ReadString()] = r.ReadInt64();
            var tensors = new Dictionary<string, Tensor?>(StringComparer.Ordinal);
            int m = r.ReadInt32();
            for (int i = 0; i < m; i++)
            {
                string name = r.ReadString();
                if (!r.ReadBoolean()) { tensors[name] = null; continue; }
                var dtype = (ScalarType)r.ReadInt32();
                int rank = r.ReadInt32();
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = r.ReadInt64();
                byte[] bytes = r.ReadBytes(r.ReadInt32());
                tensors[name] = FromBytes(bytes, dtype, shape).DetachFromDisposeScope();
            }
            return (counters, tensors);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: truncated checkpoint.", e);
        }
    }

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

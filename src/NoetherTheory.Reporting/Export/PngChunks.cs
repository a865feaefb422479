using System.Buffers.Binary;

namespace NoetherTheory.Reporting.Export;

/// <summary>Adds a pHYs chunk (physical pixel density) to an encoded PNG, so LaTeX's <c>\includegraphics</c> and image
/// viewers know the intended DPI and print the figure at its physical size.</summary>
internal static class PngChunks
{
    private const int SignatureLength = 8;
    private const int ChunkOverhead = 12;      // length + type + CRC
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Returns <paramref name="png"/> with a pHYs chunk after IHDR (replacing none: Skia writes none).</summary>
    public static byte[] WithDpi(byte[] png, double dpi)
    {
        // IHDR is always first: signature, then 4-byte length (13), "IHDR", 13 data bytes, CRC.
        int ihdrEnd = SignatureLength + ChunkOverhead + 13;
        if (png.Length < ihdrEnd || png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R')
            throw new InvalidOperationException("Encoder output is not a PNG starting with IHDR; cannot set its DPI.");

        uint pixelsPerMetre = (uint)Math.Round(dpi / 0.0254);
        var chunk = new byte[ChunkOverhead + 9];
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(0), 9);
        "pHYs"u8.CopyTo(chunk.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), pixelsPerMetre);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), pixelsPerMetre);
        chunk[16] = 1;                                    // unit: metre
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(17), Crc32(chunk.AsSpan(4, 13)));

        var result = new byte[png.Length + chunk.Length];
        png.AsSpan(0, ihdrEnd).CopyTo(result);
        chunk.CopyTo(result.AsSpan(ihdrEnd));
        png.AsSpan(ihdrEnd).CopyTo(result.AsSpan(ihdrEnd + chunk.Length));
        return result;
    }

    /// <summary>CRC-32 (ISO 3309, polynomial 0xEDB88320) as the PNG specification defines it.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}

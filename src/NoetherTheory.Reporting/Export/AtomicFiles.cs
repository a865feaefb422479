using System.Text;

namespace NoetherTheory.Reporting.Export;

/// <summary>Writes a file through a temporary beside it, flushed to disk and renamed, so a crash leaves the old file
/// or the new one, never half of one (figures, index.md, and every result file the CLI writes; the PDF does the same in
/// <c>ReportDocument.Save</c>). The folder is created if missing.</summary>
public static class AtomicFiles
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> crash-safely.</summary>
    public static void Write(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder ?? ".", "." + Path.GetFileName(full) + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/> crash-safely.</summary>
    public static void Write(string path, string text) =>
        Write(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
}

using System.Globalization;
using System.Text;

namespace NoetherTheory.Core.IO;

/// <summary>
/// The one crash-safe file write of NoetherTheory: the content goes to a temporary file with a unique name in the target's
/// folder, is flushed to disk, and the temporary is renamed over the target. A crash or power cut therefore leaves the old
/// file or the new one, never half of one; a failed write removes its temporary and leaves the target untouched.
/// </summary>
/// <remarks>The target's folder is created if missing. Temporaries are named <c>.&lt;file name&gt;.&lt;process id&gt;-&lt;unique&gt;.tmp</c>
/// (hidden on Unix, and unique, so concurrent writers of one target never share a temporary); <see cref="AbandonedTemporaries"/>
/// finds those a killed process left behind.</remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> crash-safely.</summary>
    /// <exception cref="IOException">The file cannot be written (the target is unchanged).</exception>
    public static void Write(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark to <paramref name="path"/> crash-safely.</summary>
    /// <exception cref="IOException">The file cannot be written (the target is unchanged).</exception>
    public static void Write(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, Utf8NoBom.GetBytes(text));
    }

    /// <summary>Writes the bytes <paramref name="write"/> puts into the stream to <paramref name="path"/> crash-safely; the
    /// stream is flushed to disk after <paramref name="write"/> returns. An exception from <paramref name="write"/> leaves the
    /// target untouched and propagates.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the content; must not close the stream (wrap writers with leaveOpen, or dispose them inside).</param>
    /// <param name="bufferSize">The file stream's buffer size in bytes (large writes may want a larger one).</param>
    /// <exception cref="IOException">The file cannot be written (the target is unchanged).</exception>
    public static void Write(string path, Action<Stream> write, int bufferSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = Prepare(path, out string full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            Remove(temporary);
        }
    }

    /// <summary>Temporaries of <paramref name="path"/> that are older than <paramref name="age"/>: left behind by a writer that
    /// was killed (a younger one may belong to a write in progress, in this or another process).</summary>
    public static IReadOnlyList<string> AbandonedTemporaries(string path, TimeSpan age)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) return [];
        return [.. Directory.EnumerateFiles(folder, "." + Path.GetFileName(full) + ".*.tmp")
            .Where(t => DateTime.UtcNow - File.GetLastWriteTimeUtc(t) >= age)
            .Order(StringComparer.Ordinal)];
    }

    private static string Prepare(string path, out string full)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file in a folder.", nameof(path));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp"));
    }

    private static void Remove(string temporary)
    {
        try
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        catch (IOException)
        {
            // The temporary stays; AbandonedTemporaries finds it later. The original failure (if any) is what matters.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

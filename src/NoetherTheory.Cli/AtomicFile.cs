namespace NoetherTheory.Cli;

/// <summary>Crash-safe writes: a temporary file beside the target, flushed, then renamed over it.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }
}

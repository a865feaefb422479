using System.Text;

namespace NoetherTheory.Torch.Runs;

/// <summary>Run-folder files written crash-safely: a temporary beside the target, flushed to disk, then renamed over it,
/// so a crash or power cut leaves the old file or the new one (config.yaml, result.yaml, cell.json, a CSV trimmed on
/// resume). Checkpoints and the Tiny ImageNet cache stream their bytes the same way.</summary>
internal static class DurableFile
{
    public static void Write(string path, byte[] bytes)
    {
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static void Write(string path, string text) => Write(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
}

using System.Globalization;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Torch.Runs;

/// <summary>An append-only CSV log of a run folder. On resume, rows with step ≥ the checkpoint step (and a row cut short by
/// a crash) are removed first, and the file keeps the layout its header names: the current one or, where given, the
/// legacy one (never a file with mixed rows).</summary>
internal sealed class RunLogFile : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens (resume: trims) or starts the log.</summary>
    /// <param name="path">The file.</param>
    /// <param name="header">This version's header.</param>
    /// <param name="legacyHeader">An older header a resumed file may have, or null.</param>
    /// <param name="olderHeaders">Further older headers a resumed file may have (each a prefix of the newer one).</param>
    /// <param name="keepBelowStep">The checkpoint step resumed from; 0 starts a new file.</param>
    /// <exception cref="TrainingConfigException">The existing file has another header.</exception>
    public RunLogFile(string path, string header, string? legacyHeader, long keepBelowStep, params string[] olderHeaders)
    {
        string? existing = File.Exists(path) && keepBelowStep > 0 ? File.ReadLines(path).FirstOrDefault() : null;
        Columns = header.Count(c => c == ',') + 1;
        if (!string.IsNullOrEmpty(existing))
        {
            if (existing == legacyHeader || olderHeaders.Contains(existing))
            {
                Legacy = true;
                Columns = existing.Count(c => c == ',') + 1;
            }
            else if (existing != header)
                throw new TrainingConfigException($"{path}:1: cannot resume: the header '{existing}' is neither this version's '{header}'"
                    + (legacyHeader is null ? "" : $" nor the older '{legacyHeader}'")
                    + string.Concat(olderHeaders.Select(h => $" nor '{h}'"))
                    + "; resume with the version that started the run, or start the run again in a new folder.");
            // A row cut short by a crash (no comma, or a step that does not parse) is dropped with the rows after the checkpoint.
            var kept = File.ReadLines(path).Where((line, i) => i == 0 || (line.IndexOf(',', StringComparison.Ordinal) is int comma and > 0 &&
                long.TryParse(line.AsSpan(0, comma), NumberStyles.Integer, CultureInfo.InvariantCulture, out long step) && step < keepBelowStep)).ToList();
            AtomicFile.Write(path, string.Concat(kept.Select(line => line + "\n")));
            _writer = new StreamWriter(path, append: true) { NewLine = "\n" };
        }
        else
        {
            _writer = new StreamWriter(path, append: false) { NewLine = "\n" };
            _writer.WriteLine(header);
        }
    }

    /// <summary>True when the file was started in an older layout: rows are written in it.</summary>
    public bool Legacy { get; }

    /// <summary>The number of columns of the file's layout.</summary>
    public int Columns { get; }

    /// <summary>Appends the first <see cref="Columns"/> columns of a row written in the newest layout (the older layouts
    /// are prefixes of it).</summary>
    public void WritePrefix(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int at = -1;
        for (int i = 0; i < Columns && at < line.Length; i++)
        {
            at = line.IndexOf(',', at + 1);
            if (at < 0) break;
        }
        _writer.WriteLine(at < 0 ? line : line[..at]);
    }

    /// <summary>Appends one row.</summary>
    public void Write(string line) => _writer.WriteLine(line);

    /// <summary>Flushes the rows written so far to the file.</summary>
    public void Flush() => _writer.Flush();

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}

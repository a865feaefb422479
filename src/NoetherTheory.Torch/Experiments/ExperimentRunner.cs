using System.Diagnostics;
using System.Text.Json;
using NoetherTheory.Core.IO;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Experiments;

/// <summary>How to run a protocol.</summary>
/// <param name="OutDir">The protocol's folder: one run folder per cell under cells/&lt;id&gt;.</param>
/// <param name="Device">"cpu", "cuda" or "cuda:&lt;i&gt;".</param>
/// <param name="Jobs">Cells trained concurrently in this process (≥ 1).</param>
/// <param name="OnlyCells">Run only these cell ids (null: all); used by array jobs that run one cell each.</param>
/// <param name="Log">Data-loading messages of every cell (<see cref="Runs.TrainingRunOptions.Log"/>); null: silent.</param>
/// <param name="Threads">libtorch CPU threads of each cell, set on the thread that trains it
/// (<see cref="Runtime.TorchRuntime.ConfigureThreads"/> chooses one); null: leave libtorch's count as it is.</param>
public sealed record ExperimentRunOptions(string OutDir, string Device = "cpu", int Jobs = 1, IReadOnlySet<string>? OnlyCells = null,
    Action<string>? Log = null, int? Threads = null);

/// <summary>Progress of one cell.</summary>
/// <param name="CellId">The cell.</param>
/// <param name="Training">The training progress.</param>
public sealed record CellProgress(string CellId, TrainingProgress Training);

/// <summary>A finished cell.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="RunDirectory">Its run folder.</param>
/// <param name="TestAccuracy">Final test accuracy.</param>
/// <param name="TestLoss">Final test loss.</param>
/// <param name="TrainLoss">Training loss of the last logged interval.</param>
/// <param name="WallSeconds">Wall time of the invocation that finished it (a resumed cell counts only its last part).</param>
/// <param name="Device">The device it trained on.</param>
/// <param name="ResumedFromStep">The checkpoint step it resumed from (null: trained from scratch).</param>
/// <param name="Reused">True when an earlier validate had already finished it (nothing was trained now).</param>
public sealed record CellOutcome(ExperimentCell Cell, string RunDirectory, double TestAccuracy, double TestLoss, double TrainLoss,
    double WallSeconds, string Device, long? ResumedFromStep, bool Reused);

/// <summary>
/// Runs the cells of a protocol, each as a resumable <see cref="Trainer"/> run. A finished cell leaves cell.json (written
/// atomically after result.yaml), so a killed validate skips finished cells and resumes the running ones from their last
/// checkpoint.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The completion marker of a cell.</summary>
    public const string CellFile = "cell.json";

    /// <summary>Runs (or resumes) every selected cell, <see cref="ExperimentRunOptions.Jobs"/> at a time.</summary>
    /// <returns>Outcomes in protocol order.</returns>
    /// <exception cref="ArgumentException">An id in <see cref="ExperimentRunOptions.OnlyCells"/> is not in the protocol.</exception>
    /// <exception cref="TrainingConfigException">A cell's folder holds a different config.</exception>
    public static IReadOnlyList<CellOutcome> Run(ExperimentProtocol protocol, ExperimentRunOptions options,
        IProgress<CellProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Jobs, 1);
        if (options.Threads is { } t) ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(options));
        if (options.OnlyCells is { } only && only.FirstOrDefault(id => protocol.Cells.All(c => c.Id != id)) is { } unknown)
            throw new ArgumentException($"cell '{unknown}' is not in protocol '{protocol.Name}' (ids: {string.Join(", ", protocol.Cells.Select(c => c.Id))}).", nameof(options));
        var cells = protocol.Cells.Where(c => options.OnlyCells?.Contains(c.Id) ?? true).ToList();
        var outcomes = new CellOutcome[cells.Count];
        Parallel.For(0, cells.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
            i => outcomes[i] = RunCell(cells[i], options, progress, cancellationToken));
        return outcomes;
    }

    /// <summary>The run folder of a cell.</summary>
    public static string CellDirectory(string outDir, ExperimentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Path.Combine(outDir, "cells", cell.Id);
    }

    /// <summary>Reads a finished cell's outcome; null when the cell has not finished (or its folder holds another config).</summary>
    public static CellOutcome? TryReadFinished(string outDir, ExperimentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string dir = CellDirectory(outDir, cell);
        string marker = Path.Combine(dir, CellFile), config = Path.Combine(dir, "config.yaml");
        if (!File.Exists(marker) || !File.Exists(config) || File.ReadAllText(config) != cell.Config.ToYaml()) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(marker));
        var r = doc.RootElement;
        return new CellOutcome(cell, dir, Read(r, "test_accuracy"), Read(r, "test_loss"),
            Read(r, "train_loss"), r.GetProperty("wall_seconds").GetDouble(), r.GetProperty("device").GetString() ?? "",
            r.TryGetProperty("resumed_from_step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null, Reused: true);
    }

    private static CellOutcome RunCell(ExperimentCell cell, ExperimentRunOptions options, IProgress<CellProgress>? progress, CancellationToken ct)
    {
        if (TryReadFinished(options.OutDir, cell) is { } done) return done;
        string dir = CellDirectory(options.OutDir, cell);
        if (options.Threads is { } threads) Runtime.TorchRuntime.UseThreads(threads);
        var wall = Stopwatch.StartNew();
        var forward = progress is null ? null : new ForwardProgress(p => progress.Report(new CellProgress(cell.Id, p)));
        var result = Trainer.Run(cell.Config, new TrainingRunOptions(dir, options.Device, Resume: true, Log: options.Log), forward, ct);
        var outcome = new CellOutcome(cell, dir, result.TestAccuracy, result.TestLoss, result.TrainLoss, wall.Elapsed.TotalSeconds,
            result.Device, result.ResumedFromStep, Reused: false);
        WriteMarker(Path.Combine(dir, CellFile), outcome);
        return outcome;
    }

    private static void WriteMarker(string path, CellOutcome o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("id", o.Cell.Id);
            w.WriteString("kind", o.Cell.Kind == CellKind.Grid ? "grid" : "filters");
            w.WriteNumber("seed", o.Cell.Seed);
            w.WriteBoolean("constrained", o.Cell.Constrained);
            Number(w, "test_accuracy", o.TestAccuracy);
            Number(w, "test_loss", o.TestLoss);
            Number(w, "train_loss", o.TrainLoss);
            w.WriteNumber("wall_seconds", o.WallSeconds);
            w.WriteString("device", o.Device);
            if (o.ResumedFromStep is { } s) w.WriteNumber("resumed_from_step", s);
            else w.WriteNull("resumed_from_step");
            w.WriteString("dataset", ExperimentProtocol.DescribeDataset(o.Cell.Config.Dataset));
            w.WriteEndObject();
        }
        AtomicFile.Write(path, buffer.ToArray());
    }

    // JSON has no NaN: a diverged run's loss is written as null (and read back as NaN).
    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    private static double Read(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN;

    private sealed class ForwardProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }

}

using System.Globalization;
using NoetherTheory.Core.IO;
using NoetherTheory.Core.RunLogs;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// A training run's folder: config.yaml (the resolved config), the CSV logs of <see cref="RunLogSchema"/>, checkpoints/ and
/// result.yaml. Files other than the append-only logs are written crash-safely (<see cref="AtomicFile"/>).
/// </summary>
/// <remarks>The logs are appended and flushed at every logged step; on resume the rows after the checkpoint are dropped
/// first (see <see cref="RunLogFile"/>), so the files end up identical to those of an uninterrupted run.</remarks>
internal sealed class RunFolder
{
    public RunFolder(string outDir)
    {
        Directory = Path.GetFullPath(outDir);
        Checkpoints = Path.Combine(Directory, "checkpoints");
        ConfigPath = Path.Combine(Directory, "config.yaml");
        ResultPath = Path.Combine(Directory, "result.yaml");
    }

    /// <summary>The run folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>The checkpoints folder.</summary>
    public string Checkpoints { get; }

    /// <summary>config.yaml.</summary>
    public string ConfigPath { get; }

    /// <summary>result.yaml.</summary>
    public string ResultPath { get; }

    /// <summary>The single-writer lock file (present only while a process trains in the folder).</summary>
    public const string LockFile = "run.lock";

    /// <summary>True when the folder holds a run: a metrics log or a checkpoint. A config.yaml alone (left by a start that
    /// failed before its first step) is not a run and never blocks the next start.</summary>
    public bool HoldsRun =>
        File.Exists(Path.Combine(Directory, RunLogSchema.MetricsFile)) || NewestCheckpoint() is not null || File.Exists(ResultPath);

    /// <summary>Checks, without writing anything, that a run with config <paramref name="yaml"/> may start (fresh: the
    /// folder holds no run) or resume (the folder's run has the same config).</summary>
    /// <exception cref="TrainingConfigException">The folder holds a different config (resume) or a run (fresh start).</exception>
    public void CheckStart(string yaml, bool resume)
    {
        if (!HoldsRun) return;
        if (!resume)
            throw new TrainingConfigException(
                $"{Directory} already holds a run: resume it (--resume / TrainingRunOptions.Resume) or choose another output folder.");
        if (File.Exists(ConfigPath) && File.ReadAllText(ConfigPath) != yaml)
            throw new TrainingConfigException(
                $"{ConfigPath}: the run folder holds a different config; resume with the same config, or start a new run in another folder.");
    }

    /// <summary>Creates the folder and takes its single-writer lock (<see cref="LockFile"/>, an exclusive lock on an open
    /// file, released when the process ends however it ends).</summary>
    /// <exception cref="TrainingConfigException">Another process (or another run in this one) trains in the folder.</exception>
    public IDisposable Lock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, LockFile);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new TrainingConfigException(
                $"{Directory} is in use: another training process holds {path}. Wait for it to finish (or stop it), then resume; " +
                "or choose another output folder.", e);
        }
        stream.SetLength(0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        stream.Flush();
        return new FolderLock(stream, path);
    }

    /// <summary>Writes config.yaml and creates checkpoints/ (after <see cref="CheckStart"/>, under <see cref="Lock"/>).</summary>
    /// <exception cref="TrainingConfigException">The folder holds a different config (resume) or a run (fresh start).</exception>
    public void Prepare(string yaml, bool resume)
    {
        CheckStart(yaml, resume);
        System.IO.Directory.CreateDirectory(Checkpoints);
        AtomicFile.Write(ConfigPath, yaml);
    }

    /// <summary>The result of a finished run (result.yaml exists), marked <see cref="TrainingResult.AlreadyComplete"/>; null
    /// when the run has not finished.</summary>
    /// <exception cref="TrainingConfigException">result.yaml is malformed.</exception>
    public TrainingResult? ReadFinished()
    {
        if (!File.Exists(ResultPath)) return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(ResultPath))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) fields[line[..colon].Trim()] = line[(colon + 1)..].Trim().Trim('\'');
        }
        string Need(string key) => fields.TryGetValue(key, out var v) ? v
            : throw new TrainingConfigException($"{ResultPath}: result of a finished run lacks '{key}'; delete it to evaluate the run again.");
        double D(string key) => double.TryParse(Need(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
            : throw new TrainingConfigException($"{ResultPath}: '{key}' is not a number; delete the file to evaluate the run again.");
        long L(string key) => long.TryParse(Need(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x
            : throw new TrainingConfigException($"{ResultPath}: '{key}' is not an integer; delete the file to evaluate the run again.");
        long? resumed = Need("resumed_from_step") == "null" ? null : L("resumed_from_step");
        NonFiniteValue? nonFinite = null;
        if (fields.TryGetValue("non_finite_step", out _))
            nonFinite = new NonFiniteValue(L("non_finite_step"), Need("non_finite_quantity"));
        return new TrainingResult(Directory, L("steps"), resumed, D("train_loss"), D("train_accuracy"), D("test_loss"), D("test_accuracy"),
            Need("device"), TimeSpan.Zero, nonFinite, AlreadyComplete: true);
    }

    /// <summary>Train loss and accuracy of the last row of metrics.csv (NaN when there is none): the result of a run killed
    /// after its final checkpoint is completed from them.</summary>
    public (double Loss, double Accuracy) LastLoggedMetrics()
    {
        string path = Path.Combine(Directory, RunLogSchema.MetricsFile);
        if (!File.Exists(path)) return (double.NaN, double.NaN);
        string? last = File.ReadLines(path).Skip(1).LastOrDefault(l => l.Split(',').Length >= 5);
        if (last is null) return (double.NaN, double.NaN);
        var cells = last.Split(',');
        static double P(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN;
        return (P(cells[3]), P(cells[4]));
    }

    /// <summary>The newest checkpoint file, or null.</summary>
    public string? NewestCheckpoint() =>
        System.IO.Directory.Exists(Checkpoints)
            ? System.IO.Directory.EnumerateFiles(Checkpoints, "step-*.ckpt").OrderByDescending(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>Opens the three logs (and groups.csv when <paramref name="groups"/>, groups-bn.csv when
    /// <paramref name="predictions"/>) for appending, keeping only rows of steps below <paramref name="keepBelowStep"/> (0: a
    /// fresh run, the files are started with their headers).</summary>
    /// <exception cref="TrainingConfigException">A log has a header of neither layout.</exception>
    public LogFiles OpenLogs(long keepBelowStep, bool groups = false, bool predictions = false) => new(
        new RunLogFile(Path.Combine(Directory, RunLogSchema.MetricsFile), RunLogSchema.MetricsHeader, null, keepBelowStep),
        new RunLogFile(Path.Combine(Directory, RunLogSchema.LayersFile), RunLogSchema.LayersHeader, RunLogSchema.LegacyLayersHeader, keepBelowStep),
        new RunLogFile(Path.Combine(Directory, RunLogSchema.FiltersFile), RunLogSchema.FiltersHeader, RunLogSchema.LegacyFiltersHeader, keepBelowStep,
            RunLogSchema.PreAngleFiltersHeader),
        groups ? new RunLogFile(Path.Combine(Directory, GroupLogSchema.GroupsFile), GroupLogSchema.GroupsHeader, null, keepBelowStep) : null,
        predictions ? new RunLogFile(Path.Combine(Directory, GroupLogSchema.PredictionsFile), GroupLogSchema.PredictionsHeader, null, keepBelowStep) : null);

    /// <summary>Writes symmetries.csv: every candidate group with its verdict and whether it is measured.</summary>
    public void WriteSymmetries(IReadOnlyList<GroupVerdict> verdicts, GroupMeasurementConfig selection)
    {
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder(GroupLogSchema.SymmetriesHeader).Append('\n');
        foreach (var v in verdicts)
            text.Append(CultureInfo.InvariantCulture, $"{v.Group.Name},{GroupMeasurementConfig.NameOf(v.Group.Kind)},{v.Verdict.ToString().ToLowerInvariant()},")
                .Append(CultureInfo.InvariantCulture, $"{v.Cause.ToString().ToLowerInvariant()},{v.Group.Dimension},{(selection.Measures(v) ? "true" : "false")},")
                .Append(CultureInfo.InvariantCulture, $"{R(v.Float32.Gradient)},{R(v.Float64.Gradient)},{R(v.Float64.Invariance)}\n");
        AtomicFile.Write(Path.Combine(Directory, GroupLogSchema.SymmetriesFile), text.ToString());
    }

    /// <summary>Writes result.yaml.</summary>
    public void WriteResult(TrainingResult r)
    {
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        AtomicFile.Write(ResultPath,
            $"steps: {r.Steps.ToString(CultureInfo.InvariantCulture)}\n" +
            $"resumed_from_step: {(r.ResumedFromStep is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null")}\n" +
            $"train_loss: {R(r.TrainLoss)}\ntrain_accuracy: {R(r.TrainAccuracy)}\n" +
            $"test_loss: {R(r.TestLoss)}\ntest_accuracy: {R(r.TestAccuracy)}\ndevice: '{r.Device}'\n" +
            (r.NonFinite is { } nf ? $"non_finite_step: {nf.Step.ToString(CultureInfo.InvariantCulture)}\nnon_finite_quantity: '{nf.Quantity}'\n" : ""));
    }

    // Holds the folder's lock file open with an exclusive lock; removes it on release.
    private sealed class FolderLock(FileStream stream, string path) : IDisposable
    {
        public void Dispose()
        {
            try { File.Delete(path); }
            catch (IOException) { }   // another process may hold it open already: it is theirs now
            catch (UnauthorizedAccessException) { }
            stream.Dispose();
        }
    }

    /// <summary>The run's three CSV logs (metrics, layers, filters) and, when groups are measured, groups.csv (and groups-bn.csv
    /// when a measured group has a BN-ε prediction), written together.</summary>
    public sealed class LogFiles(RunLogFile metrics, RunLogFile layers, RunLogFile filters, RunLogFile? groups = null, RunLogFile? predictions = null) : IDisposable
    {
        /// <summary>Appends the rows of one logged step and flushes the files.</summary>
        public void Write(long step, long epoch, double lr, double loss, double accuracy, StepMeasurement? m, GroupStepMeasurement? measuredGroups = null,
            GroupPredictionStep? predicted = null)
        {
            static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
            string s = step.ToString(CultureInfo.InvariantCulture);
            string translation = m is null ? ",,,"
                : $"{R(m.Translation.WeightSumNormSq)},{R(m.Translation.GradSumNormSq)},{R(m.Translation.BiasSum)},{R(m.Translation.BiasGradSum)}";
            metrics.Write($"{s},{epoch.ToString(CultureInfo.InvariantCulture)},{R(lr)},{R(loss)},{R(accuracy)},{translation}");
            if (m is not null)
            {
                foreach (var layer in m.Layers)
                {
                    string layerRow = $"{s},{layer.Name},{layer.Filters.Count.ToString(CultureInfo.InvariantCulture)},{R(layer.WeightNormSq)},{R(layer.GradNormSq)},{R(layer.VelocityNormSq)},{R(layer.WeightDotGrad)},{R(layer.WeightDotVelocity)}";
                    layers.Write(layers.Legacy ? layerRow : $"{layerRow},{R(layer.PredictedWeightDotGrad)}");
                    var f = layer.Filters;
                    for (int i = 0; i < f.Count; i++)
                    {
                        string row = $"{s},{layer.Name},{i.ToString(CultureInfo.InvariantCulture)},{R(f.WeightNormSq[i])},{R(f.GradNormSq[i])},{R(f.VelocityNormSq[i])},{R(f.WeightDotGrad[i])},{R(f.WeightDotVelocity[i])}";
                        filters.WritePrefix($"{row},{R(f.PredictedWeightDotGrad[i])},{R(f.BatchVariance[i])},{R(f.AngularUpdate is { } a ? a[i] : double.NaN)}");
                    }
                }
            }
            if (groups is not null && measuredGroups is not null)
                foreach (var group in measuredGroups.Groups)
                    for (int i = 0; i < group.Generators.Count; i++)
                    {
                        var x = group.Generators[i];
                        groups.Write($"{s},{group.Group},{i.ToString(CultureInfo.InvariantCulture)},{R(x.Charge)},{R(x.ChargeVelocity)},{R(x.ChargeGradient)},{R(x.VelocityCharge)},{R(x.WeightScale)},{R(x.GradientScale)},{R(x.VelocityScale)}");
                    }
            if (predictions is not null && predicted is not null)
                foreach (var group in predicted.Groups)
                    for (int i = 0; i < group.Predicted.Count; i++)
                        predictions.Write($"{s},{group.Group},{i.ToString(CultureInfo.InvariantCulture)},{R(group.Predicted[i])},{R(group.BatchVariance[i])}");
            metrics.Flush();
            layers.Flush();
            filters.Flush();
            groups?.Flush();
            predictions?.Flush();
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            metrics.Dispose();
            layers.Dispose();
            filters.Dispose();
            groups?.Dispose();
            predictions?.Dispose();
        }
    }
}

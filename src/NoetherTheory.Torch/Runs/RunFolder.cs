using System.Globalization;
using NoetherTheory.Core.IO;
using NoetherTheory.Core.RunLogs;
using NoetherTheory.Torch.Measurement;

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

    /// <summary>Creates the folder and writes config.yaml; a resumed run must have the same config, a fresh run an empty folder.</summary>
    /// <exception cref="TrainingConfigException">The folder holds a different config (resume) or a run (fresh start).</exception>
    public void Prepare(string yaml, bool resume)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (resume)
        {
            if (File.Exists(ConfigPath) && File.ReadAllText(ConfigPath) != yaml)
                throw new TrainingConfigException(
                    $"{ConfigPath}: the run folder holds a different config; resume with the same config, or start a new run in another folder.");
        }
        else if (System.IO.Directory.Exists(Checkpoints) || File.Exists(Path.Combine(Directory, RunLogSchema.MetricsFile)))
        {
            throw new TrainingConfigException(
                $"{Directory} already holds a run: resume it (--resume / TrainingRunOptions.Resume) or choose another output folder.");
        }
        System.IO.Directory.CreateDirectory(Checkpoints);
        AtomicFile.Write(ConfigPath, yaml);
    }

    /// <summary>The newest checkpoint file, or null.</summary>
    public string? NewestCheckpoint() =>
        System.IO.Directory.Exists(Checkpoints)
            ? System.IO.Directory.EnumerateFiles(Checkpoints, "step-*.ckpt").OrderByDescending(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>Opens the three logs for appending, keeping only rows of steps below <paramref name="keepBelowStep"/>
    /// (0: a fresh run, the files are started with their headers).</summary>
    /// <exception cref="TrainingConfigException">A log has a header of neither layout.</exception>
    public LogFiles OpenLogs(long keepBelowStep) => new(
        new RunLogFile(Path.Combine(Directory, RunLogSchema.MetricsFile), RunLogSchema.MetricsHeader, null, keepBelowStep),
        new RunLogFile(Path.Combine(Directory, RunLogSchema.LayersFile), RunLogSchema.LayersHeader, RunLogSchema.LegacyLayersHeader, keepBelowStep),
        new RunLogFile(Path.Combine(Directory, RunLogSchema.FiltersFile), RunLogSchema.FiltersHeader, RunLogSchema.LegacyFiltersHeader, keepBelowStep));

    /// <summary>Writes result.yaml.</summary>
    public void WriteResult(TrainingResult r)
    {
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        AtomicFile.Write(ResultPath,
            $"steps: {r.Steps.ToString(CultureInfo.InvariantCulture)}\n" +
            $"resumed_from_step: {(r.ResumedFromStep is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null")}\n" +
            $"train_loss: {R(r.TrainLoss)}\ntrain_accuracy: {R(r.TrainAccuracy)}\n" +
            $"test_loss: {R(r.TestLoss)}\ntest_accuracy: {R(r.TestAccuracy)}\ndevice: '{r.Device}'\n");
    }

    /// <summary>The run's three CSV logs (metrics, layers, filters), written together.</summary>
    public sealed class LogFiles(RunLogFile metrics, RunLogFile layers, RunLogFile filters) : IDisposable
    {
        /// <summary>Appends the rows of one logged step and flushes the files.</summary>
        public void Write(long step, long epoch, double lr, double loss, double accuracy, StepMeasurement? m)
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
                        filters.Write(filters.Legacy ? row : $"{row},{R(f.PredictedWeightDotGrad[i])},{R(f.BatchVariance[i])}");
                    }
                }
            }
            metrics.Flush();
            layers.Flush();
            filters.Flush();
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            metrics.Dispose();
            layers.Dispose();
            filters.Dispose();
        }
    }
}

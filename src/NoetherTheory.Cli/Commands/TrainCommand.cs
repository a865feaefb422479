using System.CommandLine;
using System.Globalization;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using Spectre.Console;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether train --config &lt;yaml&gt; [--device cpu|cuda] [--out runs/&lt;name&gt;] [--resume]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<FileInfo>("--config") { Description = "Training config (YAML); see validation/experiments/*.yaml for examples", Required = true };
        var device = new DeviceOption();
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/<config name>)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's last checkpoint" };
        var dataPath = new Option<string?>("--dataset-path") { Description = "Override dataset.path (e.g. the bundle's data/fashion-mnist)" };
        var tf32 = new Tf32Option();
        var threads = new ThreadsOption();
        var command = new Command("train", "Train VGG11-BN with per-filter measurement (metrics, filters.csv, checkpoints in the run folder).")
        {
            config, device, output, resume, dataPath, tf32, threads,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(context, parse.GetValue(config)!, parse.GetValue(device)!,
            parse.GetValue(output), parse.GetValue(resume), parse.GetValue(dataPath), parse.GetValue(tf32), parse.GetValue(threads), cancel)));
        return command;
    }

    private static int Run(CliContext context, FileInfo configFile, string device, string? output, bool resume, string? datasetPath,
        bool tf32, int? threads, CancellationToken cancel)
    {
        var config = LoadConfig(configFile.FullName);
        if (datasetPath is not null)
        {
            if (!Directory.Exists(datasetPath))
                throw new UsageException($"--dataset-path '{datasetPath}' is not a folder.");
            config = config with { Dataset = config.Dataset with { Path = Path.GetFullPath(datasetPath) } };
        }
        string outDir = output ?? Path.Combine("runs", config.Name);
        string precision = Tf32Option.Apply(device, tf32);
        if (precision != "float32") context.Error.WriteLine($"train {config.Name}: arithmetic {precision}");
        var threadCount = ThreadsOption.Apply(threads, 1);
        if (threads is not null) context.Error.WriteLine($"train {config.Name}: {threadCount.Words}");
        var result = RunTraining(context, config, new TrainingRunOptions(outDir, device, resume, Log: line => context.Error.WriteLine($"train {config.Name}: {line}")), cancel);
        if (result.AlreadyComplete)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {result.RunDirectory} is already complete ({result.Steps} steps; test loss {result.TestLoss:F4}, test accuracy {result.TestAccuracy:P2}); nothing changed."));
            return result.NonFinite is null ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {result.RunDirectory}: {result.Steps} steps on {result.Device} in {result.WallTime.TotalSeconds:F1} s; " +
            $"test loss {result.TestLoss:F4}, test accuracy {result.TestAccuracy:P2}"));
        if (result.NonFinite is { } nonFinite)
        {
            context.Error.WriteLine($"noether: run {result.RunDirectory} met a {nonFinite} (on_non_finite: flag; recorded in result.yaml).");
            return ExitCodes.CheckFailed;
        }
        return config.Groups is null || CheckGroups(context, config, result.RunDirectory) ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    // The exact laws of every measured group (measure: in the config), printed and kept as group-checks.txt and group-checks.json
    // (the report's section per model) in the run folder.
    private static bool CheckGroups(CliContext context, TrainingConfig config, string runDirectory)
    {
        var (text, document) = NoetherTheory.Validation.DeepNet.GroupCheckDocuments.Check(runDirectory, config,
            Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory))));
        NoetherTheory.Core.IO.AtomicFile.Write(Path.Combine(runDirectory, "group-checks.txt"), text);
        NoetherTheory.Core.IO.AtomicFile.Write(Path.Combine(runDirectory, NoetherTheory.Core.Documents.GroupChecksDocument.FileName), NoetherTheory.Core.Documents.ResultDocuments.Serialize(document));
        context.Out.Write(text);
        if (!document.Passed) context.Error.WriteLine($"noether: run {runDirectory}: a group law failed (group-checks.txt).");
        return document.Passed;
    }

    /// <summary>Loads a config, turning its errors into usage errors (file:line:column and field).</summary>
    internal static TrainingConfig LoadConfig(string path)
    {
        if (Directory.Exists(path))
            throw new UsageException($"--config '{path}' is a folder; give the config file (e.g. validation/experiments/*.yaml).");
        if (!File.Exists(path))
            throw new UsageException($"--config '{path}' does not exist.");
        try
        {
            return TrainingConfigLoader.Load(path);
        }
        catch (TrainingConfigException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Runs one training with a progress bar on stderr; expected failures become usage errors (exit 2).</summary>
    internal static TrainingResult RunTraining(CliContext context, TrainingConfig config, TrainingRunOptions options, CancellationToken cancel)
    {
        try
        {
            return ProgressBars.Run(context, $"train {config.Name}", config.Steps,
                progress => Trainer.Run(config, options, progress, cancel));
        }
        catch (TrainingConfigException e)
        {
            throw new UsageException(e.Message);
        }
        catch (DatasetUnavailableException e)
        {
            throw new UsageException(e.Message);
        }
        catch (TorchUnavailableException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>Progress bars on stderr for long work (a plain line per update when stderr is not a terminal).</summary>
internal static class ProgressBars
{
    public static T Run<T>(CliContext context, string title, long totalSteps, Func<IProgress<TrainingProgress>, T> work)
    {
        bool interactive = context.Error == Console.Error && !Console.IsErrorRedirected;
        if (!interactive)
        {
            var plain = new PlainProgress(context.Error, title, totalSteps);
            return work(plain);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalSteps));
                var progress = new SyncProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape(Describe(title, p));
                });
                result = work(progress);
                task.Value = task.MaxValue;
            });
        return result;
    }

    internal static string Describe(string title, TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{title} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} acc {p.Accuracy:P1} {p.ImagesPerSecond:F0} img/s ETA {p.Eta:hh\\:mm\\:ss}");

    private sealed class PlainProgress(TextWriter writer, string title, long total) : IProgress<TrainingProgress>
    {
        private long _lastPrinted = -1;

        public void Report(TrainingProgress value)
        {
            // At most ~20 lines per run in logs.
            long every = Math.Max(1, total / 20);
            if (value.Step - _lastPrinted < every && value.Step != total)
                return;
            _lastPrinted = value.Step;
            writer.WriteLine(Describe(title, value));
        }
    }

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress<TValue>(Action<TValue> handler) : IProgress<TValue>
    {
        public void Report(TValue value) => handler(value);
    }
}

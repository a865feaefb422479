using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NoetherTheory.Simulation.DeepNet;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether validate --experiment &lt;yaml&gt; [--device cpu|cuda] [--out runs/&lt;name&gt;] [--jobs N] [--cell id]… [--emit slurm]</c>:
/// runs a deep-network protocol (validation/experiments), then writes summary.json, grid.csv and filter-checks.csv.
/// Exit 1 when the exact heavy-ball recursion fails on a filter run (a bookkeeping error); the Fig. 4 claims are
/// empirical findings and never change the exit code.
/// </summary>
internal static class ValidateCommand
{
    public const string SummaryFile = "summary.json";

    public static Command Create(CliContext context)
    {
        var experiment = new Option<FileInfo>("--experiment") { Description = "Protocol (YAML) in validation/experiments", Required = true };
        var device = new DeviceOption();
        var output = new Option<string?>("--out") { Description = "Output folder (default: runs/<protocol name>)" };
        var jobs = new Option<int>("--jobs") { Description = "Cells trained concurrently on this machine", DefaultValueFactory = _ => 1 };
        var cells = new Option<string[]>("--cell") { Description = "Run only this cell id (repeatable; no summary is written)", AllowMultipleArgumentsPerToken = false };
        var dataPath = new Option<string?>("--dataset-path") { Description = "Override dataset.path of every run (e.g. the bundle's data/fashion-mnist)" };
        var tf32 = new Tf32Option();
        var emit = new Option<string?>("--emit") { Description = "slurm: write an sbatch array script (one cell per task) into the output folder instead of running" };
        var command = new Command("validate", "Run a deep-network validation protocol: filter-level checks of the learning-dynamics laws and the NLD Fig. 4 grid.")
        {
            experiment, device, output, jobs, cells, emit, dataPath, tf32,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(context, parse.GetValue(experiment)!.FullName, parse.GetValue(device)!,
            parse.GetValue(output), parse.GetValue(jobs), parse.GetValue(cells) ?? [], parse.GetValue(emit), cancel, parse.GetValue(dataPath),
            parse.GetValue(tf32))));
        return command;
    }

    internal static int Run(CliContext context, string protocolPath, string device, string? output, int jobs, string[] only, string? emit,
        CancellationToken cancel, string? datasetPath = null, bool tf32 = false)
    {
        if (jobs < 1) throw new UsageException($"--jobs {jobs}: must be ≥ 1.");
        var protocol = WithDatasetPath(LoadProtocol(protocolPath), datasetPath);
        string outDir = Path.GetFullPath(output ?? Path.Combine("runs", protocol.Name));
        if (emit is not null)
        {
            if (emit != "slurm") throw new UsageException($"--emit '{emit}': the only target is 'slurm'.");
            string script = WriteSlurm(protocol, protocolPath, outDir, device, tf32);
            context.Out.WriteLine($"wrote {script}: sbatch it, then run validate again without --cell to write the summary.");
            return ExitCodes.Ok;
        }
        string precision = Tf32Option.Apply(device, tf32);
        context.Error.WriteLine($"validate {protocol.Name}: {protocol.Cells.Count} runs on {protocol.DatasetName}, device {device} ({precision}), {jobs} at a time → {outDir}");
        IReadOnlyList<CellOutcome> outcomes;
        try
        {
            var progress = new CellProgressLines(context.Error, protocol.Cells.ToDictionary(c => c.Id, c => c.Config.Steps));
            outcomes = ExperimentRunner.Run(protocol, new ExperimentRunOptions(outDir, device, jobs, only.Length > 0 ? only.ToHashSet() : null,
                line => { lock (context.Error) context.Error.WriteLine($"validate {protocol.Name}: {line}"); }), progress, cancel);
        }
        catch (ArgumentException e) when (e.ParamName == "options") { throw new UsageException("--cell: " + e.Message); }
        catch (TrainingConfigException e) { throw new UsageException(e.Message); }
        catch (DatasetUnavailableException e) { throw new UsageException(e.Message); }
        catch (TorchUnavailableException e) { throw new UsageException(e.Message); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0 && e.InnerExceptions[0] is TrainingConfigException or DatasetUnavailableException or TorchUnavailableException)
        {
            throw new UsageException(e.InnerExceptions[0].Message);
        }
        if (only.Length > 0)
        {
            context.Out.WriteLine($"ran {outcomes.Count} cell(s); run validate without --cell to write the summary.");
            return ExitCodes.Ok;
        }
        var summary = Summarise(protocol, outcomes, device, precision);
        WriteSummary(outDir, summary);
        PrintSummary(context.Out, summary, outDir);
        return summary.Filters.Any(f => (f.Report.RecursionPairs > 0 && !f.Report.RecursionHolds) || f.Report.NonFinite is not null)
            ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    /// <summary>Points every run of the protocol at <paramref name="path"/> (null: unchanged).</summary>
    internal static ExperimentProtocol WithDatasetPath(ExperimentProtocol protocol, string? path)
    {
        if (path is null)
            return protocol;
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new UsageException($"--dataset-path '{path}' is not a folder.");
        return protocol with
        {
            Cells = protocol.Cells.Select(c => c with { Config = c.Config with { Dataset = c.Config.Dataset with { Path = full } } }).ToList(),
        };
    }

    internal static ExperimentProtocol LoadProtocol(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"--experiment '{path}' is a folder; give a protocol file (validation/experiments/*.yaml).");
        if (!File.Exists(path)) throw new UsageException($"--experiment '{path}' does not exist (protocols live in validation/experiments/).");
        try { return ExperimentProtocolLoader.Load(path); }
        catch (TrainingConfigException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Everything validate found; serialised to summary.json (camelCase).</summary>
    internal sealed record Summary(string Protocol, string Source, string Dataset, string Device, IReadOnlyList<CellRecord> Cells,
        IReadOnlyList<GridRun> GridRuns, Fig4Summary? Grid, IReadOnlyList<FilterRun> Filters, string Precision = "float32");

    /// <summary>One cell's row of grid.csv / summary.json.</summary>
    internal sealed record CellRecord(string Id, string Kind, string? Panel, string? Variable, double Value, bool Constrained, long Seed,
        double TestAccuracy, double TestLoss, double TrainLoss, double WallSeconds, string Device, long? ResumedFromStep, string RunDirectory,
        string Dataset);

    /// <summary>The filter checks of one filter run.</summary>
    internal sealed record FilterRun(string Cell, FilterCheckReport Report);

    internal static Summary Summarise(ExperimentProtocol protocol, IReadOnlyList<CellOutcome> outcomes, string device, string precision = "float32")
    {
        var records = outcomes.Select(o => new CellRecord(o.Cell.Id, o.Cell.Kind == CellKind.Grid ? "grid" : "filters", o.Cell.Panel,
            o.Cell.Variable, o.Cell.Value, o.Cell.Constrained, o.Cell.Seed, o.TestAccuracy, o.TestLoss, o.TrainLoss, o.WallSeconds, o.Device,
            o.ResumedFromStep, o.RunDirectory, ExperimentProtocol.DescribeDataset(o.Cell.Config.Dataset))).ToList();
        var gridRuns = outcomes.Where(o => o.Cell.Kind == CellKind.Grid).Select(o => new GridRun(o.Cell.Panel!, o.Cell.Value, o.Cell.Constrained,
            o.Cell.Seed, o.TestAccuracy, o.TestLoss, ReadLossCurve(Path.Combine(o.RunDirectory, "metrics.csv")))).ToList();
        var filters = outcomes.Where(o => o.Cell.Kind == CellKind.Filters).Select(o =>
        {
            var c = o.Cell.Config;
            var settings = new FilterCheckSettings(c.Schedule.BaseRate, c.Optimizer.Momentum, c.Optimizer.WeightDecay, c.Optimizer.Dampening,
                c.Optimizer.Nesterov, c.Optimizer.DecoupledWeightDecay, c.ConstrainFilterNorms, c.Model.BatchNormEpsilon,
                c.Schedule.Milestones.Count > 0 ? c.Schedule.Milestones[0] : c.Steps);
            return new FilterRun(o.Cell.Id, FilterChecks.Analyse(FilterCsv.Read(Path.Combine(o.RunDirectory, "filters.csv")), settings));
        }).ToList();
        return new Summary(protocol.Name, protocol.Source, protocol.DatasetName, device, records, gridRuns,
            gridRuns.Count > 0 ? Fig4Analysis.Analyse(gridRuns) : null, filters, precision);
    }

    /// <summary>train_loss at every logged step of a run's metrics.csv.</summary>
    internal static IReadOnlyList<CurvePoint> ReadLossCurve(string metricsCsv)
    {
        var lines = File.ReadAllLines(metricsCsv);
        int col = Array.IndexOf(lines[0].Split(','), "train_loss");
        if (col < 0) throw new InvalidDataException($"{metricsCsv}:1: no train_loss column.");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(p => new CurvePoint(long.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[col], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Reads a summary.json written by validate.</summary>
    internal static Summary ReadSummary(string path) =>
        JsonSerializer.Deserialize<Summary>(File.ReadAllText(path), Json.Options)
        ?? throw new UsageException($"{path}: empty summary.");

    private static void WriteSummary(string outDir, Summary summary)
    {
        AtomicFile.Write(Path.Combine(outDir, SummaryFile), Json.Serialize(summary));
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        var grid = new StringBuilder("id,kind,panel,variable,value,constrained,seed,test_accuracy,test_loss,train_loss,wall_seconds,device,dataset\n");
        foreach (var c in summary.Cells)
            grid.Append(CultureInfo.InvariantCulture, $"{c.Id},{c.Kind},{c.Panel},{c.Variable},{R(c.Value)},{(c.Constrained ? "true" : "false")},{c.Seed},{R(c.TestAccuracy)},{R(c.TestLoss)},{R(c.TrainLoss)},{R(c.WallSeconds)},{c.Device},\"{c.Dataset}\"\n");
        AtomicFile.Write(Path.Combine(outDir, "grid.csv"), grid.ToString());
        var checks = new StringBuilder("cell,layer,filters,recursion_pairs,recursion_w2_max,recursion_wv_max,green_median,green_p90,eq17_median,eq17_p90,persistence_index,regime,symmetry_cosine_median,symmetry_cosine_max,eps_samples,eps_violation_median,eps_violation_max,eps_residual_median,eps_residual_max,eps_resolved,eps_relative_median,eps_relative_max\n");
        foreach (var f in summary.Filters)
        foreach (var l in f.Report.Layers)
            checks.Append(CultureInfo.InvariantCulture, $"{f.Cell},{l.Layer},{l.Filters},{l.RecursionPairs},{R(l.RecursionWeightNorm.Max)},{R(l.RecursionWeightDotVelocity.Max)},{R(l.GreenLaw.Median)},{R(l.GreenLaw.P90)},{R(l.Eq17.Median)},{R(l.Eq17.P90)},{R(l.PersistenceIndex)},{l.Regime},{R(l.SymmetryCosine.Median)},{R(l.SymmetryCosine.Max)},{l.Epsilon.Samples},{R(l.Epsilon.Violation.Median)},{R(l.Epsilon.Violation.Max)},{R(l.Epsilon.Residual.Median)},{R(l.Epsilon.Residual.Max)},{l.Epsilon.ResolvedSamples},{R(l.Epsilon.RelativeError.Median)},{R(l.Epsilon.RelativeError.Max)}\n");
        AtomicFile.Write(Path.Combine(outDir, "filter-checks.csv"), checks.ToString());
    }

    private static void PrintSummary(TextWriter o, Summary s, string outDir)
    {
        o.WriteLine($"protocol {s.Protocol} on {s.Dataset}: {s.Cells.Count} runs; summary in {Path.Combine(outDir, SummaryFile)}");
        foreach (var f in s.Filters)
        {
            var r = f.Report;
            if (r.NonFinite is { } bad) o.WriteLine($"{f.Cell}: non-finite measured value ({bad}): every filter check FAILS");
            o.WriteLine(r.RecursionPairs > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{f.Cell}: exact HB recursion over {r.RecursionPairs} filter-pairs: max error {r.RecursionMaxError:E2} (bound {r.RecursionTolerance:E0}) {(r.RecursionHolds ? "holds" : "FAILS")}")
                : $"{f.Cell}: exact HB recursion not checked ({r.RecursionSkippedBecause ?? "no consecutive steps measured: set measure_window: 2"})");
            if (r.EpsilonSamples > 0)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Cell}: BN-ε identity ⟨g,w⟩ = ε/(c+ε)·γ·∂f/∂γ over {r.EpsilonSamples} filter-steps: largest per-layer median residual {r.EpsilonResidualMedianMax:E2} (bound {r.EpsilonTolerance:E0}) {(r.EpsilonIdentityHolds ? "holds" : "FAILS")}; violation up to {r.EpsilonViolationMax:E2} of |w||g|"));
            foreach (var l in r.Layers)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {l.Layer,-12} NM Green median rel. err {l.GreenLaw.Median:E2}, Eq. 17 {l.Eq17.Median:E2}, regime {l.Regime} (index {l.PersistenceIndex:F2}), |cos(w,g)| median {l.SymmetryCosine.Median:E2}"));
        }
        if (s.Grid is { } g)
            foreach (var c in g.Claims)
                o.WriteLine($"claim {c.Id}: {c.Verdict} — {c.Evidence}");
    }

    private static string WriteSlurm(ExperimentProtocol protocol, string protocolPath, string outDir, string device, bool tf32)
    {
        var ids = protocol.Cells.Select(c => c.Id).ToList();
        string gpuDevice = device == "cpu" ? "cuda" : device;
        var s = new StringBuilder();
        s.Append("#!/usr/bin/env bash\n");
        s.Append(CultureInfo.InvariantCulture, $"# noether validate, protocol {protocol.Name} ({protocol.DatasetName}): one cell per array task.\n");
        s.Append("# Needs the portable GPU bundle (scripts/gpu-bundle.sh); set NOETHER_BUNDLE to its folder.\n");
        s.Append("# After the array: NOETHER_BUNDLE/gpu-run.sh validate with the same --experiment/--out and no --cell writes the summary\n");
        s.Append("# (e.g. sbatch --dependency=afterok:<array job id> …).\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=noether-{protocol.Name}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{ids.Count - 1}\n");
        s.Append("#SBATCH --gres=gpu:1\n#SBATCH --cpus-per-task=4\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={outDir}/slurm-%A_%a.log\n");
        s.Append("set -euo pipefail\n");
        s.Append("bundle=\"${NOETHER_BUNDLE:?set NOETHER_BUNDLE to the unpacked GPU bundle folder}\"\n");
        s.Append("cells=(").Append(string.Join(' ', ids)).Append(")\n");
        s.Append(CultureInfo.InvariantCulture, $"exec \"$bundle/gpu-run.sh\" validate --experiment '{Path.GetFullPath(protocolPath)}' --device {gpuDevice} --out '{outDir}'{(tf32 ? " --tf32" : "")} --cell \"${{cells[$SLURM_ARRAY_TASK_ID]}}\"\n");
        string path = Path.Combine(outDir, protocol.Name + ".sbatch");
        AtomicFile.Write(path, s.ToString());
        return path;
    }

    // One plain line per cell at about every 10 % of its steps (concurrent cells interleave whole lines).
    private sealed class CellProgressLines(TextWriter writer, Dictionary<string, long> totals) : IProgress<CellProgress>
    {
        private readonly Dictionary<string, long> _last = [];
        private readonly Lock _gate = new();

        public void Report(CellProgress value)
        {
            lock (_gate)
            {
                long total = totals.GetValueOrDefault(value.CellId, value.Training.TotalSteps);
                long every = Math.Max(1, total / 10);
                if (_last.TryGetValue(value.CellId, out long last) && value.Training.Step - last < every && value.Training.Step != total) return;
                _last[value.CellId] = value.Training.Step;
                writer.WriteLine(ProgressBars.Describe(value.CellId, value.Training));
            }
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using NoetherTheory.Core.Documents;
using NoetherTheory.Validation;
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
        var threads = new ThreadsOption();
        var emit = new Option<string?>("--emit") { Description = "slurm: write an sbatch array script (one cell per task) into the output folder instead of running" };
        var command = new Command("validate", "Run a deep-network validation protocol: filter-level checks of the learning-dynamics laws and the NLD Fig. 4 grid.")
        {
            experiment, device, output, jobs, cells, emit, dataPath, tf32, threads,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(context, parse.GetValue(experiment)!.FullName, parse.GetValue(device)!,
            parse.GetValue(output), parse.GetValue(jobs), parse.GetValue(cells) ?? [], parse.GetValue(emit), cancel, parse.GetValue(dataPath),
            parse.GetValue(tf32), parse.GetValue(threads))));
        return command;
    }

    internal static int Run(CliContext context, string protocolPath, string device, string? output, int jobs, string[] only, string? emit,
        CancellationToken cancel, string? datasetPath = null, bool tf32 = false, int? threads = null)
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
        var threadCount = ThreadsOption.Apply(threads, Math.Min(jobs, Math.Max(1, only.Length > 0 ? only.Length : protocol.Cells.Count)));
        context.Error.WriteLine($"validate {protocol.Name}: {protocol.Cells.Count} runs on {protocol.DatasetName}, device {device} ({precision}), {jobs} at a time, {threadCount.Words} → {outDir}");
        IReadOnlyList<CellOutcome> outcomes;
        try
        {
            var progress = new CellProgressLines(context.Error, protocol.Cells.ToDictionary(c => c.Id, c => c.Config.Steps));
            outcomes = DeepNetValidation.Train(protocol, new ExperimentRunOptions(outDir, device, jobs, only.Length > 0 ? only.ToHashSet() : null,
                line => { lock (context.Error) context.Error.WriteLine($"validate {protocol.Name}: {line}"); }, threadCount.Count), progress, cancel);
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
        var summary = DeepNetValidation.Summarise(protocol, outcomes, device, precision);
        foreach (var groups in summary.Groups ?? [])   // each run keeps its own checks too, as after `noether train`
            AtomicFile.Write(Path.Combine(summary.Cells.Single(c => c.Id == groups.Run).RunDirectory, GroupChecksDocument.FileName), ResultDocuments.Serialize(groups));
        AtomicFile.Write(Path.Combine(outDir, SummaryFile), ResultDocuments.Serialize(summary));
        AtomicFile.Write(Path.Combine(outDir, "grid.csv"), DeepNetValidation.GridCsv(summary));
        AtomicFile.Write(Path.Combine(outDir, "filter-checks.csv"), FilterCheckValidation.ChecksCsv(summary.Filters));
        PrintSummary(context.Out, summary, outDir);
        return DeepNetValidation.Failed(summary) ? ExitCodes.CheckFailed : ExitCodes.Ok;
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

    private static void PrintSummary(TextWriter o, ValidateDocument s, string outDir)
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
                    $"  {l.Layer,-12} NM Green median rel. err {l.GreenLaw.Median:E2}, Eq. 17 {l.Eq17.Median:E2}, regime {FilterCheckValidation.EnumName(l.Regime)} (index {l.PersistenceIndex:F2}), |cos(w,g)| median {l.SymmetryCosine.Median:E2}"));
        }
        foreach (var groups in s.Groups ?? [])
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{groups.Run}: {groups.Candidates.Count} candidate groups, {groups.Groups.Count} measured; group laws {(groups.Passed ? "hold" : "FAIL")} (group-checks.json in the run)"));
            foreach (var x in groups.Groups.Where(x => x.RecursionHolds == false || x.IdentityHolds == false))
                o.WriteLine($"  {x.Name}: {(x.RecursionHolds == false ? "recursion FAILS" : "")}{(x.RecursionHolds == false && x.IdentityHolds == false ? ", " : "")}{(x.IdentityHolds == false ? "identity FAILS" : "")}");
            if (groups.EpsilonLaws is { Count: > 0 } epsilon)
            {
                var resolved = epsilon.Where(e => e.ResolvedSamples > 0).ToList();
                string relative = resolved.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"; relative error where resolved: median up to {resolved.Max(e => e.RelativeError.Median):E2}, max {resolved.Max(e => e.RelativeError.Max):E2}");
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{groups.Run}: BN-ε prediction G = Σp·ε/(c+ε)·γ·∂f/∂γ for {epsilon.Count} scale group(s) over {epsilon.Sum(e => e.Samples)} generator-steps: largest per-group median residual {epsilon.Max(e => e.Residual.Median):E2} (bound {epsilon[0].MedianTolerance:E0}) {(epsilon.All(e => e.Holds) ? "holds" : "FAILS")}{relative}"));
                foreach (var e in epsilon.Where(e => !e.Holds))
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.Group}: BN-ε prediction FAILS (median residual {e.Residual.Median:E2}{(e.FirstNonFinite is { } bad ? "; " + bad : "")})"));
            }
        }
        if (s.Grid is { } g)
            foreach (var c in g.Claims)
                o.WriteLine($"claim {c.Id}: {FilterCheckValidation.EnumName(c.Verdict)} — {c.Evidence}");
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

using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using NoetherTheory.Torch.Benchmarks;
using NoetherTheory.Torch.Experiments;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Benchmarks;

/// <summary>Options of the cell suite.</summary>
/// <param name="Protocol">The validation protocol whose cell is run, as loaded (with any dataset path override applied).</param>
/// <param name="Device">cpu, cuda or cuda:i.</param>
/// <param name="CellId">The cell to run (null: the protocol's first cell).</param>
/// <param name="StepCap">Run at most this many steps of the cell (null: all of them).</param>
/// <param name="StepCapIsDefault">True when <paramref name="StepCap"/> is the CPU default rather than the user's choice.</param>
/// <param name="Repeats">Runs of each side (best total is reported); ours and PyTorch alternate.</param>
/// <param name="Jobs">Cells assumed to train concurrently in the whole-protocol estimate.</param>
/// <param name="TorchPython">Interpreter with PyTorch (null: python3 on PATH, then Debian's /usr/bin/python3).</param>
/// <param name="Tf32">CUDA: both sides allow TF32 convolutions and matmuls (false: strict float32 on both).</param>
internal sealed record CellOptions(ExperimentProtocol Protocol, string Device, string? CellId, long? StepCap, bool StepCapIsDefault, int Repeats, int Jobs,
    string? TorchPython, bool Tf32 = false)
{
    /// <summary>Steps a CPU run is capped at unless --cell-steps says otherwise: the whole fig4-cpu cell (300 steps) took
    /// 3–40 s per run on the 2-core development machine, depending on what else ran (two runs of each side: under 2 minutes);
    /// a longer cell run on the CPU (fig4-gpu.yaml's 2000 steps at width 0.5, batch 128) is cut to as many steps.</summary>
    public const long CpuDefaultStepCap = 300;

    /// <summary>The protocol a device uses by default, relative to the repository root: the CPU-sized Fig. 4 grid, or the
    /// GPU-sized one on CUDA.</summary>
    public static string DefaultProtocol(string device) => Path.Combine("validation", "experiments",
        IsCuda(device) ? "fig4-gpu.yaml" : "fig4-cpu.yaml");

    /// <summary>Cells at a time assumed by default: fig4-gpu.yaml is sized for <c>--jobs 4</c> on one H100; a CPU run uses
    /// every core for one cell.</summary>
    public static int DefaultJobs(string device) => IsCuda(device) ? 4 : 1;

    /// <summary>Whether a device name is a CUDA device.</summary>
    public static bool IsCuda(string device) => device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The wall time of one run of a cell, split at the same two events on both sides: the host read of logged step 0
/// and that of the last step (our progress reports; the reference script's first_log_s / last_log_s).</summary>
/// <param name="SetupSeconds">Start → logged step 0 returned: data load and move to the device, model, step 0.</param>
/// <param name="TrainingSeconds">Logged step 0 → last step returned: steps 1 … N−1 (periodic checkpoints included).</param>
/// <param name="TrainingSteps">N − 1.</param>
/// <param name="TailSeconds">Last step → end: final checkpoint and test evaluation.</param>
/// <param name="TotalSeconds">Start → end.</param>
/// <param name="TestAccuracy">Final test accuracy.</param>
/// <param name="TestLoss">Final test loss.</param>
/// <param name="TrainingCpuSeconds">Process CPU time (all threads) over the same steps as <paramref name="TrainingSeconds"/>;
/// null where it was not measured.</param>
internal sealed record CellTiming(double SetupSeconds, double TrainingSeconds, long TrainingSteps, double TailSeconds, double TotalSeconds,
    double TestAccuracy, double TestLoss, double? TrainingCpuSeconds = null)
{
    /// <summary>CPU time over wall time × <paramref name="threads"/> in steps 1 … N−1 (null when not measured).</summary>
    public double? TrainingCpuShare(int threads) =>
        TrainingCpuSeconds is { } cpu && TrainingSeconds > 0 && threads > 0 ? cpu / (TrainingSeconds * threads) : null;

    /// <summary>Seconds per step of steps 1 … N−1 (NaN for a one-step run).</summary>
    public double SecondsPerStep => TrainingSteps > 0 ? TrainingSeconds / TrainingSteps : double.NaN;
}

/// <summary>What the reference script reports beyond the common split: its own phases.</summary>
/// <param name="DataSeconds">Data load, statistics and move to the device.</param>
/// <param name="SetupSeconds">Data plus model and optimizer construction (before the training loop).</param>
/// <param name="LoopSeconds">The training loop with periodic and final checkpoints.</param>
/// <param name="EvaluationSeconds">The test evaluation.</param>
/// <param name="ProcessSeconds">Wall time of the whole process (interpreter start and <c>import torch</c> included).</param>
internal sealed record PyTorchPhases(double DataSeconds, double SetupSeconds, double LoopSeconds, double EvaluationSeconds, double ProcessSeconds);

/// <summary>Σ over the protocol's cells of (per-cell overhead + seconds per step × the cell's steps) / jobs.</summary>
/// <param name="Cells">Cells in the protocol.</param>
/// <param name="TotalSteps">Steps over all cells.</param>
/// <param name="Jobs">Cells assumed to train at once.</param>
/// <param name="OursSeconds">Estimated wall time of the protocol through our engine.</param>
/// <param name="PyTorchSeconds">The same through the PyTorch reference (null without PyTorch).</param>
internal sealed record ProtocolEstimate(int Cells, long TotalSteps, int Jobs, double OursSeconds, double? PyTorchSeconds);

/// <summary>The cell suite's JSON record.</summary>
internal sealed record CellReport(
    string Protocol,
    string ProtocolPath,
    string Cell,
    string Dataset,
    string Device,
    long Steps,
    long CellSteps,
    bool StepsCapped,
    bool StepCapIsDefault,
    int BatchSize,
    int Repeats,
    int Threads,
    CellTiming Ours,
    IReadOnlyList<double> OursTotals,
    string PyTorchStatus,
    string? PyTorchVersion,
    string? PyTorchDetail,
    int? PyTorchThreads,
    CellTiming? PyTorch,
    PyTorchPhases? PyTorchPhases,
    IReadOnlyList<double> PyTorchTotals,
    double? OursOverPyTorchPerStep,
    double? OursOverPyTorchTotal,
    double? AccuracyGap,
    ProtocolEstimate Estimate)
{
    /// <summary>A test-accuracy gap above which the two sides probably did not do the same training (a note, not a failure).</summary>
    /// <remarks>The two runs are two seeds of the same training, not replicas (initial weights, data order, augmentation and
    /// dropout come from different generators; float sums run in other orders), so their gap is a seed-to-seed spread: a few
    /// points for the short CPU runs, which stop on the steep part of the learning curve, well under one for converged runs.
    /// Ten points on Fashion-MNIST is an order of magnitude beyond that spread at every length we ran.</remarks>
    public const double AccuracyGapNote = 0.10;
}

/// <summary>
/// Issue 6's comparison: one cell of a validation protocol (by default the first of fig4-cpu.yaml on the CPU, fig4-gpu.yaml on
/// CUDA) trained through our engine (the library path of <c>noether validate --cell</c>: <see cref="ExperimentRunner.Run"/>
/// into a temporary folder) and through bench/reference/pytorch_cell.py (the same work in PyTorch eager), same device and intra-op
/// threads; wall times split at the same events, final test accuracies, and the whole protocol's wall time estimated from them.
/// </summary>
internal static class CellSuite
{
    private const string Script = "pytorch_cell.py";
    private static readonly TimeSpan PythonTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Runs the cell through our engine and the reference script, alternating, <see cref="CellOptions.Repeats"/> times.</summary>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="o">What to run.</param>
    /// <param name="scripts">Where the reference scripts are.</param>
    /// <exception cref="BenchmarkException">The protocol has no such cell.</exception>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded, or the device is not available.</exception>
    public static CellReport Run(TextWriter progress, CellOptions o, ReferenceScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(scripts);
        var protocol = o.Protocol;
        var (cell, ran) = SelectCell(protocol, o.CellId, o.StepCap);
        long steps = ran.Config.Steps;
        _ = BenchmarkRuntime.RequireDevice(o.Device);   // an unavailable device stops the suite before anything runs
        int threads = BenchmarkRuntime.IntraOpThreads();

        string root = Directory.CreateTempSubdirectory("noether-bench-cell-").FullName;
        try
        {
            string config = Path.Combine(root, "config.yaml");
            File.WriteAllText(config, ran.Config.ToYaml());
            var args = ScriptArguments(config, o.Device, threads, Path.Combine(root, "pytorch"), o.Tf32);
            string script = scripts.Locate(Script);
            var ours = new List<CellTiming>();
            var py = new List<ReferenceRun>();
            string? python = o.TorchPython;
            for (int r = 0; r < o.Repeats; r++)
            {
                progress.WriteLine(Inv($"bench cell: {ran.Id}, {steps} steps on {o.Device}: ours, run {r + 1} of {o.Repeats}…"));
                ours.Add(RunOurs(protocol, ran, o.Device, Path.Combine(root, Inv($"ours-{r}"))));
                if (r > 0 && py.Count > 0 && !py[^1].IsOk) continue;    // PyTorch is missing or failed: do not retry it
                progress.WriteLine(Inv($"bench cell: PyTorch eager, run {r + 1} of {o.Repeats}…"));
                var (run, used) = RunPyTorch(python, script, args);
                python = used;
                py.Add(run);
                if (Directory.Exists(Path.Combine(root, "pytorch"))) Directory.Delete(Path.Combine(root, "pytorch"), recursive: true);
            }
            var pyOk = py.Where(p => p.IsOk).Select(p => (Run: p, Parsed: ParsePyTorch(p))).ToList();
            var bestPy = pyOk.Count > 0 ? pyOk.MinBy(p => p.Parsed.Timing.TotalSeconds) : default;
            var last = py[^1];
            progress.WriteLine(pyOk.Count > 0 ? "bench cell: PyTorch eager ran side by side." : $"bench cell: PyTorch not available ({last.Detail}).");
            var bestOurs = ours.MinBy(t => t.TotalSeconds)!;
            CellTiming? pyTiming = pyOk.Count > 0 ? bestPy.Parsed.Timing : null;
            var cellSteps = protocol.Cells.Select(c => c.Config.Steps).ToList();
            var estimate = new ProtocolEstimate(protocol.Cells.Count, cellSteps.Sum(), o.Jobs,
                EstimateProtocolSeconds(bestOurs, steps, cellSteps, o.Jobs),
                pyTiming is null ? null : EstimateProtocolSeconds(pyTiming, steps, cellSteps, o.Jobs));
            var json = pyOk.Count > 0 ? bestPy.Run.Json!.Value : (JsonElement?)null;
            return new CellReport(protocol.Name, protocol.Source, ran.Id, ExperimentProtocol.DescribeDataset(ran.Config.Dataset), o.Device, steps,
                cell.Config.Steps, steps < cell.Config.Steps, o.StepCapIsDefault && steps < cell.Config.Steps, ran.Config.BatchSize, o.Repeats, threads,
                bestOurs, [.. ours.Select(t => t.TotalSeconds)],
                pyOk.Count > 0 ? "ok" : last.Outcome.ToString().ToLowerInvariant(),
                json?.GetProperty("torch").GetString(), pyOk.Count > 0 ? null : last.Detail,
                json is { } j && j.TryGetProperty("threads", out var th) ? th.GetInt32() : null,
                pyTiming, pyOk.Count > 0 ? bestPy.Parsed.Phases : null, [.. pyOk.Select(p => p.Parsed.Timing.TotalSeconds)],
                pyTiming is null ? null : bestOurs.SecondsPerStep / pyTiming.SecondsPerStep,
                pyTiming is null ? null : bestOurs.TotalSeconds / pyTiming.TotalSeconds,
                pyTiming is null ? null : bestOurs.TestAccuracy - pyTiming.TestAccuracy,
                estimate);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The cell to run (by id, or the protocol's first) as the protocol defines it, and as it is run: with at most
    /// <paramref name="stepCap"/> steps (the rest of its config unchanged, so every step does the same work).</summary>
    /// <exception cref="BenchmarkException">The protocol has no cells, or none with that id.</exception>
    public static (ExperimentCell Defined, ExperimentCell Ran) SelectCell(ExperimentProtocol protocol, string? cellId, long? stepCap)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.Cells.Count == 0) throw new BenchmarkException($"{protocol.Source}: the protocol has no cells.");
        var cell = cellId is null ? protocol.Cells[0]
            : protocol.Cells.FirstOrDefault(c => c.Id == cellId)
              ?? throw new BenchmarkException($"--cell '{cellId}' is not in {protocol.Name} (ids: {string.Join(", ", protocol.Cells.Select(c => c.Id))}).");
        long steps = stepCap is { } cap ? Math.Min(cap, cell.Config.Steps) : cell.Config.Steps;
        return (cell, cell with { Config = cell.Config with { Steps = steps } });
    }

    /// <summary>The reference script's command line for a resolved config file.</summary>
    public static IReadOnlyList<string> ScriptArguments(string configPath, string device, int threads, string outDir, bool tf32 = false) =>
        tf32 ? ["--config", configPath, "--device", device, "--threads", Inv($"{threads}"), "--out", outDir, "--tf32"]
             : ["--config", configPath, "--device", device, "--threads", Inv($"{threads}"), "--out", outDir];

    /// <summary>Σ over cells of (overhead + seconds per step × steps of the cell) / jobs, where the per-step time and the
    /// per-cell overhead (total − per-step × steps: data, model, evaluation, warm-up) come from one run of
    /// <paramref name="ranSteps"/> steps. A one-step run has no per-step time: its total is taken as per-step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one step or job.</exception>
    public static double EstimateProtocolSeconds(CellTiming timing, long ranSteps, IReadOnlyList<long> cellSteps, int jobs)
    {
        ArgumentNullException.ThrowIfNull(timing);
        ArgumentNullException.ThrowIfNull(cellSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        double perStep = timing.TrainingSteps > 0 ? timing.SecondsPerStep : timing.TotalSeconds / ranSteps;
        double overhead = timing.TotalSeconds - (perStep * ranSteps);
        return cellSteps.Sum(s => overhead + (perStep * s)) / jobs;
    }

    /// <summary>The common split and the script's own phases from its JSON object.</summary>
    /// <exception cref="ArgumentException">The run did not succeed, or its JSON lacks a field (the message names it).</exception>
    public static (CellTiming Timing, PyTorchPhases Phases) ParsePyTorch(ReferenceRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsOk) throw new ArgumentException($"the PyTorch run did not succeed ({run.Outcome}: {run.Detail}).", nameof(run));
        var j = run.Json!.Value;
        double D(string name) => j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : throw new ArgumentException($"{Script} printed no number '{name}' (its JSON: {Shorten(j.ToString())}).", nameof(run));
        long steps = j.TryGetProperty("steps", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64()
            : throw new ArgumentException($"{Script} printed no integer 'steps'.", nameof(run));
        double first = D("first_log_s"), lastLog = D("last_log_s"), total = D("total_s");
        double? cpu = j.TryGetProperty("first_log_cpu_s", out var c0) && j.TryGetProperty("last_log_cpu_s", out var c1)
            && c0.ValueKind == JsonValueKind.Number && c1.ValueKind == JsonValueKind.Number ? c1.GetDouble() - c0.GetDouble() : null;
        var timing = new CellTiming(first, lastLog - first, steps - 1, total - lastLog, total, D("test_accuracy"), D("test_loss"), cpu);
        return (timing, new PyTorchPhases(D("data_s"), D("setup_s"), D("training_s"), D("evaluation_s"), run.WallSeconds));
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    private static CellTiming RunOurs(ExperimentProtocol protocol, ExperimentCell cell, string device, string folder)
    {
        var clock = Stopwatch.StartNew();
        var events = new ProgressClock(clock);
        var only = protocol with { Cells = [cell] };
        CellOutcome outcome;
        try
        {
            outcome = ExperimentRunner.Run(only, new ExperimentRunOptions(folder, device, 1, new HashSet<string> { cell.Id }), events).Single();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);   // Parallel.For wraps the trainer's own exceptions: surface them as they are
            throw;
        }
        double total = clock.Elapsed.TotalSeconds;
        if (events.First is not { } first || events.Last is not { } lastLog)
            throw new InvalidOperationException($"the trainer reported no progress for {cell.Id}: step 0 and the last step are always logged.");
        return new CellTiming(first, lastLog - first, cell.Config.Steps - 1, total - lastLog, total, outcome.TestAccuracy, outcome.TestLoss,
            events.LastCpu - events.FirstCpu);
    }

    // Clock and process CPU readings at the trainer's progress reports: the first fires after logged step 0, the last after
    // the final step.
    private sealed class ProgressClock(Stopwatch clock) : IProgress<CellProgress>
    {
        public double? First { get; private set; }

        public double? Last { get; private set; }

        public double? FirstCpu { get; private set; }

        public double? LastCpu { get; private set; }

        public void Report(CellProgress value)
        {
            double now = clock.Elapsed.TotalSeconds;
            bool first = value.Training.Step == 1, last = value.Training.Step == value.Training.TotalSteps;
            if (!first && !last) return;
            using var self = Process.GetCurrentProcess();
            double cpu = self.TotalProcessorTime.TotalSeconds;
            if (first) (First, FirstCpu) = (now, cpu);
            if (last) (Last, LastCpu) = (now, cpu);
        }
    }

    // python3 on PATH, then Debian's (the first that can import torch), unless one was chosen; returns the one that answered.
    private static (ReferenceRun Run, string Python) RunPyTorch(string? chosen, string script, IReadOnlyList<string> args)
    {
        string[] interpreters = chosen is not null ? [chosen] : ["python3", ReferenceScripts.DebianPython];
        ReferenceRun run = null!;
        string used = interpreters[0];
        foreach (string python in interpreters)
        {
            used = python;
            run = ReferenceScripts.Run(python, script, args, PythonTimeout);
            if (run.Outcome != ReferenceOutcome.Unavailable) break;
        }
        return (run, used);
    }

    public static void Print(TextWriter w, CellReport r)
    {
        string capped = !r.StepsCapped ? Inv($"{r.Steps} steps")
            : r.StepCapIsDefault ? Inv($"{r.Steps} of its {r.CellSteps} steps (capped by default on the CPU; --cell-steps {r.CellSteps} runs it whole)")
            : Inv($"{r.Steps} of its {r.CellSteps} steps (--cell-steps)");
        w.WriteLine(Inv($"## Cell: {r.Cell} of {r.Protocol} ({r.Dataset}), {capped}, batch {r.BatchSize}, device {r.Device}; wall time, best of {r.Repeats} run(s) each"));
        w.WriteLine();
        bool py = r.PyTorch is not null;
        var t = py ? new TextTable("", "ours (TorchSharp)", "PyTorch eager", "ours ÷ PyTorch") : new TextTable("", "ours (TorchSharp)");
        void Row(string label, double ours, double? theirs, bool ratio = true)
        {
            if (py) t.Add(label, Fmt.Seconds(ours), Fmt.Seconds(theirs!.Value), ratio ? Fmt.Ratio(ours / theirs.Value) : "");
            else t.Add(label, Fmt.Seconds(ours));
        }
        var p = r.PyTorch;
        Row("start → logged step 0 (data, model, step 0)", r.Ours.SetupSeconds, p?.SetupSeconds);
        Row(Inv($"training, steps 1–{r.Steps - 1}"), r.Ours.TrainingSeconds, p?.TrainingSeconds);
        Row("per step", r.Ours.SecondsPerStep, p?.SecondsPerStep);
        Row("final checkpoint + test evaluation", r.Ours.TailSeconds, p?.TailSeconds);
        Row("total", r.Ours.TotalSeconds, p?.TotalSeconds);
        string Accuracy(double a) => Inv($"{100 * a:0.00} %");
        if (py) t.Add("final test accuracy", Accuracy(r.Ours.TestAccuracy), Accuracy(p!.TestAccuracy), Inv($"{100 * r.AccuracyGap!.Value:+0.00;−0.00;0.00} points"));
        else t.Add("final test accuracy", Accuracy(r.Ours.TestAccuracy));
        w.Write(t);
        double spread = Math.Max(Spread(r.OursTotals), Spread(r.PyTorchTotals));
        w.WriteLine(Inv($"Runs (total): ours {string.Join(", ", r.OursTotals.Select(Fmt.Seconds))}") +
            (py ? Inv($"; PyTorch {string.Join(", ", r.PyTorchTotals.Select(Fmt.Seconds))}") : "") +
            (spread > RepeatSpreadNote
                ? Inv($". Repeats differ up to {Fmt.Ratio(spread)}: the machine was busy during some runs (best of each is reported; rerun on an idle machine before quoting).")
                : "."));
        if (!py)
        {
            w.WriteLine($"PyTorch not available ({r.PyTorchStatus}): {r.PyTorchDetail}; our engine only.");
        }
        else
        {
            var ph = r.PyTorchPhases!;
            w.WriteLine(Inv($"PyTorch {r.PyTorchVersion} eager (bench/reference/{Script}: same config, data, augmentation, model, optimizer, logging, measurement and checkpoints); intra-op threads: ours {r.Threads}, PyTorch {r.PyTorchThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"}. ") +
                Inv($"Its own phases: data {Fmt.Seconds(ph.DataSeconds)}, setup {Fmt.Seconds(ph.SetupSeconds)}, training loop {Fmt.Seconds(ph.LoopSeconds)}, evaluation {Fmt.Seconds(ph.EvaluationSeconds)}; process {Fmt.Seconds(ph.ProcessSeconds)} with interpreter start and import torch."));
            w.WriteLine(Inv($"Accuracy: the two runs are two seeds of the same training, not replicas (initial weights, data order, augmentation and dropout come from different generators), so they agree only to the seed-to-seed spread: a few points for a short run that stops on the steep part of the learning curve, less for a converged one.") +
                (Math.Abs(r.AccuracyGap!.Value) > CellReport.AccuracyGapNote
                    ? Inv($" ✗ The gap exceeds {100 * CellReport.AccuracyGapNote:0} points: one side probably did not do the same training.")
                    : Inv($" ✓ The gap is within {100 * CellReport.AccuracyGapNote:0} points.")));
        }
        if (!CellOptions.IsCuda(r.Device) && r.Ours.TrainingCpuShare(r.Threads) is { } ours)
        {
            double? theirs = p?.TrainingCpuShare(r.PyTorchThreads ?? r.Threads);
            bool starved = ours < StarvedCpuShare || theirs < StarvedCpuShare;
            w.WriteLine(Inv($"CPU time over wall time × threads in the timed steps: ours {100 * ours:0} %") +
                (theirs is { } t2 ? Inv($", PyTorch {100 * t2:0} %") : "") +
                (starved ? Inv($" (✗ below {100 * StarvedCpuShare:0} %: other processes were taking the cores; these timings are noisy, rerun on an idle machine before quoting them).")
                    : Inv($" (✓ at least {100 * StarvedCpuShare:0} %: the runs had the cores)."))); 
        }
        var e = r.Estimate;
        w.WriteLine(Inv($"Whole protocol (estimate): {e.Cells} cells, {e.TotalSteps:N0} steps, {e.Jobs} at a time: ours ≈ {Duration(e.OursSeconds)}") +
            (e.PyTorchSeconds is { } ps ? Inv($", PyTorch ≈ {Duration(ps)}") : "") +
            Inv($". Σ over cells of (this cell's overhead + its per-step time × the cell's steps) / {e.Jobs}; assumes every cell costs what this one does per step (constrained cells add a per-step rescale)") +
            (e.Jobs > 1 ? Inv($" and that {e.Jobs} concurrent cells do not slow each other (optimistic where one cell already fills the device).") : "."));
        w.WriteLine();
    }

    /// <summary>A training loop given its cores keeps its intra-op threads busy (measured 85–100 % here on an idle machine;
    /// libtorch's OpenMP workers spin between kernels); below half, the threads were waiting for cores other processes held.</summary>
    private const double StarvedCpuShare = 0.5;

    /// <summary>A slowest-over-fastest ratio of repeats beyond which a run was disturbed (repeats on an idle machine agreed to
    /// within 20 %; a busy one gave 7× and more).</summary>
    private const double RepeatSpreadNote = 1.5;

    private static double Spread(IReadOnlyList<double> totals) => totals.Count < 2 ? 1 : totals.Max() / totals.Min();

    /// <summary>Seconds as "42.0 s", "12.3 min" or "1.52 h".</summary>
    internal static string Duration(double seconds) => seconds switch
    {
        _ when !double.IsFinite(seconds) => "—",
        < 120 => Fmt.Seconds(seconds),
        < 7200 => Fmt.Significant(seconds / 60) + " min",
        _ => Fmt.Significant(seconds / 3600) + " h",
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

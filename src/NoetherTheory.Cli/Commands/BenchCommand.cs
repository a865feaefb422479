using System.CommandLine;
using System.Globalization;
using NoetherTheory.Benchmarks;
using NoetherTheory.Core.IO;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Models;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether bench [--suite symbolic|integrators|train|cell|laws|groups|all]</c>: side-by-side benchmarks against SymPy, Maxima, NumPy, a
/// hand-written kernel, TorchSharp's own loop and (where installed) PyTorch (a training step, and one whole protocol cell), printed as
/// Markdown tables of absolute times and ratios with their targets, and written to a JSON file with <c>--out</c>. The command parses
/// options, runs the NoetherTheory.Benchmarks facade (<see cref="BenchmarkRun"/>) and writes the JSON file.
/// </summary>
/// <remarks>Exit code 1 when a correctness check that guards a benchmark fails (hand-written vs compiled RHS, ours vs SymPy or
/// Maxima, ours vs NumPy, the on-shell charge check); missed speed targets are reported (✗), not failed.</remarks>
internal static class BenchCommand
{
    private static readonly string[] SuiteNames = ["symbolic", "integrators", "train", "cell", "laws", "groups"];

    public static Command Create(CliContext context)
    {
        var suite = new Option<string[]>("--suite")
        {
            Description = "symbolic, integrators, train, cell, laws, groups or all (repeatable)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["all"],
        };
        var sizes = new Option<string>("--sizes") { Description = "symbolic: the n to run, comma-separated", DefaultValueFactory = _ => "2,4,8,16,32" };
        var sympyTimeout = new NumberOption("--sympy-timeout") { Description = "Seconds one SymPy run may take before it is stopped and reported as a timeout", DefaultValueFactory = _ => 120 };
        var maximaTimeout = new NumberOption("--maxima-timeout") { Description = "symbolic: seconds one Maxima run may take before it is stopped and reported as a timeout", DefaultValueFactory = _ => 120 };
        var maxima = new Option<string>("--maxima") { Description = "symbolic: the Maxima executable (Debian's maxima)", DefaultValueFactory = _ => ReferenceScripts.Maxima };
        var rhsSize = new Option<int>("--rhs-size") { Description = "integrators: n of the compiled-RHS comparison", DefaultValueFactory = _ => 8 };
        var dimension = new Option<int>("--dimension") { Description = "integrators: dimension d of the heavy-ball toy model", DefaultValueFactory = _ => 10_000 };
        var steps = new Option<int>("--steps") { Description = "integrators: heavy-ball steps per timed repeat", DefaultValueFactory = _ => 5_000 };
        var repeats = new Option<int>("--repeats") { Description = "integrators: timed repeats (best is reported)", DefaultValueFactory = _ => 3 };
        var device = new DeviceOption();
        var batchSizes = new Option<string?>("--batch-sizes") { Description = "train: comma-separated batch sizes (default 64 on the CPU, 256,512 on CUDA); groups: the first one (default 64)" };
        var imageSize = new Option<int?>("--image-size") { Description = "train: image height = width (default 32 on the CPU, 64 on CUDA)" };
        var width = new Option<double?>("--width") { Description = "train: VGG width multiplier (default 0.25 on the CPU, 1 on CUDA)" };
        var trainSteps = new Option<int?>("--train-steps") { Description = "train and groups: timed steps per loop per round (default 10)" };
        var rounds = new Option<int?>("--rounds") { Description = "train and groups: interleaved timed rounds (default 5 on the CPU, 3 on CUDA)" };
        var warmUp = new Option<int?>("--warmup") { Description = "train and groups: untimed steps per loop first (default 3 on the CPU, 5 on CUDA)" };
        var python = new Option<string>("--python") { Description = "Interpreter with SymPy and NumPy", DefaultValueFactory = _ => ReferenceScripts.DebianPython };
        var torchPython = new Option<string?>("--torch-python") { Description = "Interpreter with PyTorch for the train and cell suites (default: python3 on PATH, then /usr/bin/python3, the first that imports torch)" };
        var protocol = new Option<FileInfo?>("--protocol") { Description = "cell: validation protocol (default validation/experiments/fig4-cpu.yaml on the CPU, fig4-gpu.yaml on CUDA)" };
        var cellId = new Option<string?>("--cell") { Description = "cell: the cell id to run (default: the protocol's first cell)" };
        var cellSteps = new Option<long?>("--cell-steps") { Description = Inv($"cell: run at most N steps of the cell (default on the CPU: {CellOptions.CpuDefaultStepCap}; on CUDA: all)") };
        var cellRepeats = new Option<int>("--cell-repeats") { Description = "cell: runs of each side, alternating (best total is reported)", DefaultValueFactory = _ => 2 };
        var cellJobs = new Option<int?>("--cell-jobs") { Description = "cell: cells at a time assumed by the whole-protocol estimate (default 1 on the CPU, 4 on CUDA)" };
        var tf32 = new Tf32Option();
        var datasetPath = new Option<string?>("--dataset-path") { Description = "cell: override dataset.path of the protocol (e.g. the bundle's data/fashion-mnist)" };
        var lawsModels = new Option<string?>("--laws-models") { Description = "laws: networks separated by ';' (default: " + string.Join("; ", LawsBenchOptions.DefaultModels) + ")" };
        var lawsDegree = new Option<int>("--laws-degree") { Description = "laws: degree of the polynomial laws sought", DefaultValueFactory = _ => 2 };
        var networks = new Option<FileInfo[]>("--network")
        {
            Description = "groups: a model file or training config to bench instead of the four default networks (repeatable; as `symmetries --model`)",
            AllowMultipleArgumentsPerToken = false,
        };
        var declare = new Option<FileInfo[]>("--declare")
        {
            Description = "groups: a YAML file of declared groups, decided and measured on every network beside the discovered ones (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the results as JSON to this file" };
        var command = new Command("bench", "Side-by-side benchmarks (SymPy, Maxima, NumPy, hand-written C#, TorchSharp default loop, PyTorch) as tables of times and ratios.")
        {
            suite, sizes, sympyTimeout, maximaTimeout, maxima, rhsSize, dimension, steps, repeats, device, batchSizes, imageSize, width, trainSteps, rounds, warmUp,
            protocol, cellId, cellSteps, cellRepeats, cellJobs, datasetPath, python, torchPython, tf32, lawsModels, lawsDegree, networks, declare, output,
        };
        command.SetAction(parse =>
        {
            var chosen = Suites(parse.GetValue(suite) ?? ["all"]);
            double limit = parse.GetValue(sympyTimeout);
            if (!(limit > 0) || !double.IsFinite(limit)) throw new UsageException(Inv($"--sympy-timeout {limit}: give a positive number of seconds."));
            var timeout = TimeSpan.FromSeconds(limit);
            double maximaLimit = parse.GetValue(maximaTimeout);
            if (!(maximaLimit > 0) || !double.IsFinite(maximaLimit)) throw new UsageException(Inv($"--maxima-timeout {maximaLimit}: give a positive number of seconds."));
            string py = parse.GetValue(python)!;
            SymbolicOptions? symbolic = chosen.Contains("symbolic")
                ? new SymbolicOptions(ParseList("--sizes", parse.GetValue(sizes)!, 2, 200), timeout, py, TimeSpan.FromSeconds(maximaLimit), parse.GetValue(maxima)!) : null;
            IntegratorOptions? integrators = chosen.Contains("integrators")
                ? new IntegratorOptions(Require("--rhs-size", parse.GetValue(rhsSize), 2, 200), Require("--dimension", parse.GetValue(dimension), 2, 100_000_000),
                    Require("--steps", parse.GetValue(steps), 1, int.MaxValue), Require("--repeats", parse.GetValue(repeats), 1, 1000), timeout, py) : null;
            TrainOptions? train = null;
            if (chosen.Contains("train"))
            {
                string dev = parse.GetValue(device)!;
                bool cuda = dev.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
                var baseline = cuda ? TrainOptions.Cuda(dev, parse.GetValue(torchPython)) : TrainOptions.Cpu(parse.GetValue(torchPython)) with { Device = dev };
                double w = parse.GetValue(width) ?? baseline.Width;
                if (!(w > 0) || !double.IsFinite(w)) throw new UsageException(Inv($"--width {w}: give a positive width multiplier (1 is the standard VGG11)."));
                train = baseline with
                {
                    BatchSizes = parse.GetValue(batchSizes) is { } b ? ParseList("--batch-sizes", b, 2, 65_536) : baseline.BatchSizes,
                    ImageSize = Require("--image-size", parse.GetValue(imageSize) ?? baseline.ImageSize, 8, 1024),
                    Width = w,
                    StepsPerRound = Require("--train-steps", parse.GetValue(trainSteps) ?? baseline.StepsPerRound, 1, 100_000),
                    Rounds = Require("--rounds", parse.GetValue(rounds) ?? baseline.Rounds, 1, 1000),
                    WarmUpSteps = Require("--warmup", parse.GetValue(warmUp) ?? baseline.WarmUpSteps, 0, 100_000),
                    Tf32 = parse.GetValue(tf32),
                };
            }
            CellOptions? cell = null;
            if (chosen.Contains("cell"))
            {
                string dev = parse.GetValue(device)!;
                long? steps = parse.GetValue(cellSteps);
                if (steps is < 2) throw new UsageException(Inv($"--cell-steps {steps}: give at least 2 steps (steps 1 … N−1 are the timed part)."));
                bool defaultCap = steps is null && !CellOptions.IsCuda(dev);
                int repeatsOfCell = Require("--cell-repeats", parse.GetValue(cellRepeats), 1, 100);
                int jobs = Require("--cell-jobs", parse.GetValue(cellJobs) ?? CellOptions.DefaultJobs(dev), 1, 1024);
                string protocolPath = parse.GetValue(protocol)?.FullName ?? Path.Combine(RepositoryLayout.Root(), CellOptions.DefaultProtocol(dev));
                var loaded = ValidateCommand.WithDatasetPath(ValidateCommand.LoadProtocol(protocolPath), parse.GetValue(datasetPath));
                cell = new CellOptions(loaded, dev, parse.GetValue(cellId), steps ?? (defaultCap ? CellOptions.CpuDefaultStepCap : null), defaultCap,
                    repeatsOfCell, jobs, parse.GetValue(torchPython), parse.GetValue(tf32));
            }
            if (train is not null || cell is not null)
            {
                try
                {
                    _ = Tf32Option.Apply(parse.GetValue(device)!, parse.GetValue(tf32));   // our side; the Python side gets --tf32 or not
                }
                catch (UsageException e)
                {
                    throw new UsageException($"bench --suite {(train is not null ? "train" : "cell")}: {e.Message}");
                }
            }
            LawsBenchOptions? laws = chosen.Contains("laws")
                ? new LawsBenchOptions(LawsModels(parse.GetValue(lawsModels)), Require("--laws-degree", parse.GetValue(lawsDegree), 1, NoetherTheory.Laws.LawOptions.MaxDegree), timeout, py)
                : null;
            GroupsBenchOptions? groups = null;
            var networkFiles = parse.GetValue(networks) ?? [];
            var declareFiles = parse.GetValue(declare) ?? [];
            if (!chosen.Contains("groups") && (networkFiles.Length > 0 || declareFiles.Length > 0))
                throw new UsageException($"{(networkFiles.Length > 0 ? "--network" : "--declare")} applies to the groups suite: add --suite groups.");
            if (chosen.Contains("groups"))
            {
                var baseline = GroupsBenchOptions.Cpu(parse.GetValue(device)!);
                groups = baseline with
                {
                    BatchSize = parse.GetValue(batchSizes) is { } b ? ParseList("--batch-sizes", b, 2, 65_536)[0] : baseline.BatchSize,
                    StepsPerRound = Require("--train-steps", parse.GetValue(trainSteps) ?? baseline.StepsPerRound, 1, 100_000),
                    Rounds = Require("--rounds", parse.GetValue(rounds) ?? baseline.Rounds, 1, 1000),
                    WarmUpSteps = Require("--warmup", parse.GetValue(warmUp) ?? baseline.WarmUpSteps, 0, 100_000),
                    Networks = networkFiles.Length == 0 ? null : GroupNetworks(networkFiles),
                    Declarations = declareFiles.Length == 0 ? null : DeclarationFiles(declareFiles),
                };
            }
            return Run(context, symbolic, integrators, train, cell, parse.GetValue(output), laws, groups);
        });
        return command;
    }

    private static int Run(CliContext context, SymbolicOptions? symbolic, IntegratorOptions? integrators, TrainOptions? train, CellOptions? cell,
        FileInfo? output, LawsBenchOptions? laws = null, GroupsBenchOptions? groups = null)
    {
        var scripts = ReferenceScripts.BesideAssemblies() ?? new ReferenceScripts(Path.Combine(RepositoryLayout.Root(), ReferenceScripts.RelativeFolder));
        BenchmarkReport report;
        try
        {
            report = BenchmarkRun.Run(new BenchmarkPlan(symbolic, integrators, train, cell, scripts, laws, groups), context.Out, context.Error);
        }
        catch (BenchmarkException e) when (e.Suite is not null)
        {
            throw new UsageException($"bench --suite {e.Suite}: {e.Message}");
        }
        if (!report.ChecksPassed) context.Error.WriteLine("noether bench: a correctness check that guards a benchmark failed (marked ✗ with its tolerance above).");
        if (output is not null)
        {
            AtomicFile.Write(output.FullName, Json.Serialize(report));
            context.Error.WriteLine($"wrote {output.FullName}");
        }
        return report.ChecksPassed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    // The groups suite's own networks (model files or training configs, as `symmetries --model`); bad input is a usage error.
    private static List<NetworkConfig> GroupNetworks(FileInfo[] files)
    {
        var configs = new List<NetworkConfig>();
        foreach (var f in files)
        {
            if (Directory.Exists(f.FullName)) throw new UsageException($"--network '{f.FullName}' is a folder; give a model file or training config.");
            if (!f.Exists) throw new UsageException($"--network '{f.FullName}' does not exist.");
            try
            {
                configs.Add(NetworkConfigLoader.Load(f.FullName));
            }
            catch (YamlInputException e)
            {
                throw new UsageException($"--network: {e.Message}");
            }
        }
        return configs;
    }

    private static List<string> DeclarationFiles(FileInfo[] files)
    {
        foreach (var f in files)
            if (!f.Exists) throw new UsageException($"--declare '{f.FullName}' does not exist.");
        return [.. files.Select(f => f.FullName)];
    }

    private static IReadOnlyList<string> LawsModels(string? text)
    {
        if (text is null) return LawsBenchOptions.DefaultModels;
        var models = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (models.Length == 0) throw new UsageException("--laws-models: name at least one network, e.g. linear:2,3,2; relu:2,3,2,bias.");
        foreach (var m in models)
        {
            try
            {
                _ = LawsSuite.Parse(m);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--laws-models: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }
        return models;
    }

    private static HashSet<string> Suites(string[] values)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string name = v.ToLowerInvariant();
            if (name == "all") set.UnionWith(SuiteNames);
            else if (SuiteNames.Contains(name)) set.Add(name);
            else throw new UsageException($"--suite '{v}' is not one of {string.Join(", ", SuiteNames)} or all.");
        }
        if (set.Count == 0) throw new UsageException($"--suite: name at least one of {string.Join(", ", SuiteNames)} or all.");
        return set;
    }

    private static int[] ParseList(string option, string text, int min, int max)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException($"{option} '{text}': give a comma-separated list of integers, e.g. 2,4,8.");
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{option} '{text}': '{parts[i]}' is not an integer; give a comma-separated list such as 2,4,8.");
            Require(option, values[i], min, max);
        }
        return values;
    }

    private static int Require(string option, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new UsageException(Inv($"{option} {value} is out of range: give an integer from {min} to {max}."));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Numerics.Recording;
using NoetherTheory.Validation.Cases;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether simulate</c>: run a discrete optimizer on a toy model and record the quantities the laws use.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = $"Toy model id: {string.Join(", ", ToyModels.Ids)}", Required = true };
        var optimizer = new Option<string>("--optimizer") { Description = "gd, hb, nesterov, rmsprop or adam", DefaultValueFactory = _ => "gd" };
        var lr = new NumberOption("--lr") { Description = "Learning rate η", Required = true };
        var momentum = new NumberOption("--momentum") { Description = "Heavy-ball momentum β (PyTorch form)" };
        var dampening = new NumberOption("--dampening") { Description = "PyTorch dampening δ (time is t = nη(1−δ))" };
        var weightDecay = new NumberOption("--weight-decay") { Description = "Weight decay k (coupled: the step uses g + kq)" };
        var decoupled = new Option<bool>("--decoupled") { Description = "Decoupled weight decay (q ← (1 − ηk) q after the step)" };
        var normalized = new Option<bool>("--normalized") { Description = "Project every scale block back to its initial norm after each step" };
        var steps = new Option<int>("--steps") { Description = "Number of steps", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial point and stochastic gradients" };
        var every = new Option<int>("--every") { Description = "Record every n steps", DefaultValueFactory = _ => 1 };
        var predict = new Option<string[]>("--predict")
        {
            Description = $"Add a law's prediction beside the measurement: {string.Join(", ", Trajectory.Predictions)}",
            AllowMultipleArgumentsPerToken = true,
        };
        var param = new Option<string[]>("--param")
        {
            Description = "Model parameters as name=value pairs, comma-separated or repeated (e.g. s=2,dimension=10; a vector as q0=1:0); the names a model reads are checked",
            AllowMultipleArgumentsPerToken = true,
        };
        var initScale = new NumberOption("--init-scale") { Description = "Start at c·q₀, c this factor (default 1)" };
        var initBuffer = new Option<string>("--init-buffer")
        {
            Description = "Heavy-ball buffer v₀: zero (PyTorch), random (seeded N(0,1)) or gradient (d₀/(1−β))",
            DefaultValueFactory = _ => "zero",
        };
        var output = new Option<FileInfo?>("--out") { Description = "Output file (.csv or .json); default: CSV on stdout. JSON carries the instance, a legend of every column and the symbols; a .csv file gets a sidecar NAME.legend.txt, and CSV on stdout gets the legend on stderr" };
        var command = new Command("simulate", "Run a discrete optimizer on a toy model and record charges, norms and predictions.")
        {
            model, optimizer, lr, momentum, dampening, weightDecay, decoupled, normalized, steps, seed, every, predict, param, initScale,
            initBuffer, output,
        };
        command.SetAction(parse =>
        {
            var options = new OptimizerOptions
            {
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                Dampening = parse.GetValue(dampening),
                WeightDecay = parse.GetValue(weightDecay),
                DecoupledWeightDecay = parse.GetValue(decoupled),
            };
            string optimizerName = parse.GetValue(optimizer)!;
            if (!OptimizerKinds.TryParse(optimizerName, options, out options))
                throw new UsageException($"--optimizer '{optimizerName}' is not one of {string.Join(", ", OptimizerKinds.Names)}.");
            string modelId = parse.GetValue(model)!;
            if (!ToyModels.Ids.Contains(modelId))
                throw new UsageException($"--model '{modelId}' is unknown; known models: {string.Join(", ", ToyModels.Ids)}.");
            string bufferName = parse.GetValue(initBuffer)!;
            var buffer = bufferName switch
            {
                "zero" => TrajectoryBufferStart.Zero,
                "random" => TrajectoryBufferStart.Random,
                "gradient" => TrajectoryBufferStart.Gradient,
                _ => throw new UsageException($"--init-buffer '{bufferName}' is not one of zero, random, gradient."),
            };
            var instance = new SimulateInstance(ParseParameters(modelId, parse.GetValue(param) ?? []),
                parse.GetResult(initScale) is null ? 1 : parse.GetValue(initScale), buffer);
            return Run(context, modelId, options, parse.GetValue(normalized), parse.GetValue(steps),
                parse.GetValue(seed), parse.GetValue(every), parse.GetValue(predict) ?? [], instance, parse.GetValue(output));
        });
        return command;
    }

    /// <summary>The most steps one simulation runs (the case files' own limit).</summary>
    private const int MaxSteps = CaseLoader.MaxSteps;

    /// <summary>The most rows one trajectory table records.</summary>
    private const int MaxRows = 1_000_000;

    private sealed record SimulateInstance(ParameterSet Parameters, double InitialScale, TrajectoryBufferStart Buffer);

    // "s=2,dimension=10" (and repeated --param tokens) → a ParameterSet; vector components separated by ':'.
    private static ParameterSet ParseParameters(string modelId, string[] tokens)
    {
        var declared = ToyModels.ParametersOf(modelId);
        string valid = declared.Count == 0 ? "(none)" : string.Join(", ", declared.Select(p => p.Name));
        var set = ParameterSet.Empty;
        foreach (var pair in tokens.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new UsageException($"--param '{pair}': write name=value (e.g. s=2); model '{modelId}' reads: {valid}.");
            string name = pair[..eq].Trim();
            if (!declared.Any(p => p.Name == name))
                throw new UsageException($"--param '{name}': model '{modelId}' has no such parameter; its parameters: {valid}.");
            var parts = pair[(eq + 1)..].Split(':', StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                    throw new UsageException($"--param {name}: '{parts[i]}' is not a finite number; write it with a dot as the decimal separator (vector components separated by ':').");
            set = set.With(name, values);
        }
        return set;
    }

    private static int Run(CliContext context, string modelId, OptimizerOptions options, bool normalized, int steps, int seed,
        int every, string[] predict, SimulateInstance instance, FileInfo? output)
    {
        // Bounds before anything runs or is allocated: the step count of the longest case, and the rows a table holds.
        if (steps > MaxSteps)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {steps} is above the limit of {MaxSteps} steps; split the run into shorter ones."));
        if (every >= 1 && steps / every > MaxRows)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {steps} with --every {every} records {steps / every} rows, above the limit of {MaxRows}; raise --every to at least {(steps + MaxRows - 1) / MaxRows}."));
        if (normalized)
        {
            IToyModel probe;
            try
            {
                probe = ToyModels.Create(modelId, instance.Parameters, seed);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var blocks = probe.Structure.Scale;
            if (blocks.Count == 0)
                throw new UsageException($"--normalized: model '{modelId}' has no scale-invariant block to project.");
            options = options with { ProjectedBlocks = blocks.Select(b => b.Indices).ToArray() };
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        TrajectoryTable table;
        try
        {
            table = Trajectory.Run(new TrajectoryOptions(modelId, options, steps)
            {
                Seed = seed, Every = every, Predict = predict, ModelParameters = instance.Parameters,
                InitialScale = instance.InitialScale, InitialBuffer = instance.Buffer,
            });
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (output is null)
        {
            table.WriteCsv(context.Out);
            context.Error.Write(LegendText(table));
            return ExitCodes.Ok;
        }
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        if (output.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
            buffer.Write(Json.Serialize(new
            {
                model = modelId, optimizer = OptimizerKinds.NameOf(options), columns = table.Columns, rows = table.Rows,
                instance = Pairs(table.Instance), legend = Pairs(table.Legend), symbols = Pairs(table.Symbols),
            }));
        else if (output.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            table.WriteCsv(buffer);
        else
            throw new UsageException($"--out '{output.Name}': use a .csv or .json file name.");
        AtomicFile.Write(output.FullName, buffer.ToString());
        if (output.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            AtomicFile.Write(LegendPath(output.FullName), LegendText(table));
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {table.Rows.Count} rows × {table.Columns.Count} columns to {output.FullName}"));
        return ExitCodes.Ok;
    }

    /// <summary>The sidecar that names the columns of a CSV file: NAME.legend.txt beside NAME.csv.</summary>
    internal static string LegendPath(string csvPath) => Path.ChangeExtension(csvPath, ".legend.txt");

    private static Dictionary<string, string> Pairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // '#'-prefixed lines: the instance, every column's meaning and the symbols.
    private static string LegendText(TrajectoryTable table)
    {
        var text = new StringBuilder();
        text.Append("# instance\n");
        foreach (var p in table.Instance) text.Append(CultureInfo.InvariantCulture, $"#   {p.Key} = {p.Value}\n");
        text.Append("# columns\n");
        foreach (var p in table.Legend) text.Append(CultureInfo.InvariantCulture, $"#   {p.Key}: {p.Value}\n");
        text.Append("# symbols\n");
        foreach (var p in table.Symbols) text.Append(CultureInfo.InvariantCulture, $"#   {p.Key}: {p.Value}\n");
        return text.ToString();
    }
}

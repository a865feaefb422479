using System.CommandLine;
using System.Globalization;
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
        var output = new Option<FileInfo?>("--out") { Description = "Output file (.csv or .json); default: CSV on stdout" };
        var command = new Command("simulate", "Run a discrete optimizer on a toy model and record charges, norms and predictions.")
        {
            model, optimizer, lr, momentum, dampening, weightDecay, decoupled, normalized, steps, seed, every, predict, output,
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
            return Run(context, parse.GetValue(model)!, options, parse.GetValue(normalized), parse.GetValue(steps),
                parse.GetValue(seed), parse.GetValue(every), parse.GetValue(predict) ?? [], parse.GetValue(output));
        });
        return command;
    }

    /// <summary>The most steps one simulation runs (the case files' own limit).</summary>
    private const int MaxSteps = CaseLoader.MaxSteps;

    /// <summary>The most rows one trajectory table records.</summary>
    private const int MaxRows = 1_000_000;

    private static int Run(CliContext context, string modelId, OptimizerOptions options, bool normalized, int steps, int seed,
        int every, string[] predict, FileInfo? output)
    {
        if (!ToyModels.Ids.Contains(modelId))
            throw new UsageException($"--model '{modelId}' is unknown; known models: {string.Join(", ", ToyModels.Ids)}.");
        // Bounds before anything runs or is allocated: the step count of the longest case, and the rows a table holds.
        if (steps > MaxSteps)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {steps} is above the limit of {MaxSteps} steps; split the run into shorter ones."));
        if (every >= 1 && steps / every > MaxRows)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {steps} with --every {every} records {steps / every} rows, above the limit of {MaxRows}; raise --every to at least {(steps + MaxRows - 1) / MaxRows}."));
        if (normalized)
        {
            var blocks = ToyModels.Create(modelId, seed: seed).Structure.Scale;
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
            table = Trajectory.Run(new TrajectoryOptions(modelId, options, steps) { Seed = seed, Every = every, Predict = predict });
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (output is null)
        {
            table.WriteCsv(context.Out);
            return ExitCodes.Ok;
        }
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        if (output.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
            buffer.Write(Json.Serialize(new { model = modelId, optimizer = OptimizerKinds.NameOf(options), columns = table.Columns, rows = table.Rows }));
        else if (output.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            table.WriteCsv(buffer);
        else
            throw new UsageException($"--out '{output.Name}': use a .csv or .json file name.");
        AtomicFile.Write(output.FullName, buffer.ToString());
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {table.Rows.Count} rows × {table.Columns.Count} columns to {output.FullName}"));
        return ExitCodes.Ok;
    }
}

using System.CommandLine;
using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Simulation.Compiled;
using NoetherTheory.Core.IO;
using NoetherTheory.Validation;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether compare --rule &lt;id&gt; --model &lt;id&gt; [--beta β] [--weight-decay k] [--time T] [--etas η1,η2,…] [--start warm|shifted|pytorch]</c>:
/// the discrete optimizer against the compiled flows of its derived equations (gradient flow, modified-loss flow, the
/// second-order modified equation) over an η sweep, with the fitted orders.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var rule = new Option<string>("--rule") { Description = "gd, heavy-ball or nesterov", Required = true };
        var model = new Option<string>("--model") { Description = $"Catalog model with a toy counterpart: {string.Join(", ", ModelCorrespondence.CatalogIds)}", Required = true };
        var beta = new NumberOption("--beta") { Description = "Momentum β (heavy-ball, nesterov)" };
        var k = new NumberOption("--weight-decay") { Description = "Coupled weight decay k" };
        var time = new NumberOption("--time") { Description = "Compare at t = T (t = nη)", DefaultValueFactory = _ => 1.0 };
        var etas = new Option<string>("--etas") { Description = "Learning rates, comma separated", DefaultValueFactory = _ => "0.1,0.05,0.025,0.0125" };
        var start = new Option<string>("--start") { Description = "Initial buffer: warm (terminal velocity), shifted (theory/01 eq-1-7) or pytorch", DefaultValueFactory = _ => "warm" };
        var output = new Option<FileInfo?>("--out") { Description = "Write comparisons.json for `noether report`" };
        var command = new Command("compare", "Discrete optimizer vs the compiled flows of its derived equations: errors and observed orders in η.")
        {
            rule, model, beta, k, time, etas, start, output,
        };
        command.SetAction(parse =>
        {
            var options = new ComparisonOptions
            {
                RuleId = parse.GetValue(rule)!, ModelId = parse.GetValue(model)!, Beta = parse.GetValue(beta),
                WeightDecay = parse.GetValue(k), Time = parse.GetValue(time), Etas = [.. ParseList(parse.GetValue(etas)!)],
                Start = ParseStart(parse.GetValue(start)!),
            };
            var result = Run(options);
            Print(context.Out, result);
            if (parse.GetValue(output) is { } file)
                ComparisonsFile.Write(file.FullName, [result]);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Runs one comparison against the repository catalog; bad ids and options become usage errors.</summary>
    internal static ComparisonResult Run(ComparisonOptions options)
    {
        var catalog = DeriveCommand.LoadCatalog(RepositoryLayout.Catalog());
        try
        {
            return ComparisonValidation.Run(catalog, options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    internal static void Print(TextWriter o, ComparisonResult r)
    {
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Options.RuleId} on {r.Options.ModelId} (β = {r.Options.Beta}, k = {r.Options.WeightDecay}, T = {r.Options.Time}, start {r.Options.Start})"));
        o.WriteLine("         eta   steps   |vs gradient flow|   |vs modified-loss flow|   |vs 2nd-order equation|");
        foreach (var row in r.Rows)
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Eta,12:G4} {row.Steps,7} {row.GradientFlowError,20:E3} {row.ModifiedLossError,25:E3} {row.SecondOrderError,25:E3}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"observed orders: {r.GradientFlowSlope:F2} (gradient flow), {r.ModifiedLossSlope:F2} (modified loss), {r.SecondOrderSlope:F2} (second-order equation)"));
    }

    private static double[] ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
                throw new UsageException($"--etas: '{parts[i]}' is not a positive number (use a dot as decimal separator).");
        if (values.Length < 2)
            throw new UsageException("--etas: give at least two learning rates to fit an order.");
        return values;
    }

    private static StartMode ParseStart(string text) => text switch
    {
        "warm" => StartMode.WarmBuffer,
        "shifted" => StartMode.ShiftedStart,
        "pytorch" => StartMode.PyTorch,
        _ => throw new UsageException($"--start '{text}': use warm, shifted or pytorch."),
    };
}

/// <summary>comparisons.json: the <c>noether.compare/1</c> document that <c>compare --out</c> and <c>main</c> write and <c>report</c> draws.</summary>
internal static class ComparisonsFile
{
    public static void Write(string path, IEnumerable<ComparisonResult> results) =>
        AtomicFile.Write(path, ResultDocuments.Serialize(ComparisonValidation.ToDocument(results)));
}

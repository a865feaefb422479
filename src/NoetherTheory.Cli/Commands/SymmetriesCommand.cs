using System.CommandLine;
using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether symmetries --model &lt;yaml&gt; [--declare &lt;yaml&gt;]… [--points N] [--batch N] [--seed N] [--format text|json]</c>:
/// the candidate symmetry groups of a network (from its structure, plus groups declared as data), each decided by
/// evidence (loss invariance and the gradient identity at random points) as holds, broken (by ε, a bias, a skip
/// connection) or refuted, with its size.
/// </summary>
internal static class SymmetriesCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<FileInfo>("--model") { Description = "A model file (kind: vgg11-bn|resnet18|mlp|layernorm-net, …) or a training config", Required = true };
        var declare = new Option<FileInfo[]>("--declare") { Description = "YAML file of declared groups (repeatable; schema in the README)", AllowMultipleArgumentsPerToken = false };
        var points = new Option<int>("--points") { Description = "Random parameter points, each with its own batch", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Samples per batch (≥ 2)", DefaultValueFactory = _ => 8 };
        var seed = new Option<long>("--seed") { Description = "Seed of points, batches and group elements", DefaultValueFactory = _ => 1 };
        var format = new Option<OutputFormat>("--format") { Description = "text (default) or json", DefaultValueFactory = _ => OutputFormat.Text };
        var command = new Command("symmetries", "Symmetry groups of a network, found from its structure and decided by forward passes and gradients.")
        {
            model, declare, points, batch, seed, format,
        };
        command.SetAction(parse =>
        {
            var f = parse.GetValue(format);
            if (f == OutputFormat.Latex) throw new UsageException("--format latex is not available for symmetries; use text or json.");
            var result = Run(parse.GetValue(model)!.FullName, [.. (parse.GetValue(declare) ?? []).Select(d => d.FullName)],
                new DiscoveryOptions(parse.GetValue(points), parse.GetValue(batch), parse.GetValue(seed)));
            context.Out.WriteLine(f == OutputFormat.Json ? ResultDocuments.Serialize(SymmetryReport.ToDocument(result)) : FormatText(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Loads the model and declarations and runs discovery; bad input becomes a usage error (exit 2).</summary>
    internal static DiscoveryResult Run(string modelPath, IReadOnlyList<string> declarations, DiscoveryOptions options)
    {
        if (Directory.Exists(modelPath)) throw new UsageException($"--model '{modelPath}' is a folder; give a model file or training config.");
        if (!File.Exists(modelPath)) throw new UsageException($"--model '{modelPath}' does not exist.");
        foreach (var d in declarations)
            if (!File.Exists(d)) throw new UsageException($"--declare '{d}' does not exist.");
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException(e.ParamName switch
            {
                "Points" => "--points must be between 1 and 64.",
                "BatchSize" => "--batch must be between 2 and 1024 (batch normalisation needs two samples).",
                _ => e.Message,
            });
        }
        try
        {
            var config = NetworkConfigLoader.Load(modelPath);
            return SymmetryDiscovery.Run(config, options, description => [.. declarations.SelectMany(d => SymmetryDeclarations.Load(d, description))]);
        }
        catch (YamlInputException e)
        {
            throw new UsageException(e.Message);
        }
        catch (TorchUnavailableException e)
        {
            throw new UsageException(e.Message);
        }
    }

    internal static string FormatText(DiscoveryResult r)
    {
        var s = new System.Text.StringBuilder();
        void Line(FormattableString text) => s.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line($"{r.Description.Model}: {r.Groups.Count} candidate groups, {r.Options.Points} random points × batch {r.Options.BatchSize}, seed {r.Options.Seed}");
        Line($"tolerances: float32 {SymmetryDiscovery.Float32Invariance:G2} (loss) / {SymmetryDiscovery.Float32Gradient:G2} (⟨g, ξ⟩), float64 {SymmetryDiscovery.Float64Invariance:G2} / {SymmetryDiscovery.Float64Gradient:G2}");
        Line($"{"verdict",-8} {"cause",-8} {"kind",-11} {"dim",6} {"params",8} {"loss64",9} {"grad64",9} {"loss32",9} {"grad32",9}  group");
        foreach (var g in r.Groups)
            Line($"{SymmetryReport.VerdictName(g.Verdict),-8} {SymmetryReport.CauseName(g.Cause),-8} {SymmetryReport.KindName(g.Group.Kind),-11} {g.Group.Dimension,6} {g.ParameterCount,8} {g.Float64.Invariance,9:E1} {g.Float64.Gradient,9:E1} {g.Float32.Invariance,9:E1} {g.Float32.Gradient,9:E1}  {g.Group.Name}");
        Line($"{r.Groups.Count(g => g.Verdict == SymmetryVerdict.Holds)} hold, {r.Groups.Count(g => g.Verdict == SymmetryVerdict.Broken)} broken, {r.Groups.Count(g => g.Verdict == SymmetryVerdict.Refuted)} refuted");
        foreach (var g in r.Groups.Where(g => g.Verdict != SymmetryVerdict.Holds))
            Line($"  {g.Group.Name}: {g.Explanation}");
        return s.ToString().TrimEnd('\n');
    }
}

using System.CommandLine;
using NoetherTheory.Cli.Reports;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether report --from &lt;results|runs&gt; --out &lt;dir&gt;</c>: PDF + PNG/SVG figures + index.md + manifest.json.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string[]>("--from") { Description = "Inputs: results.json from `verify --out`, or folders holding them", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Output folder (e.g. reports/2026-11-22-toy)", Required = true };
        var feature = new Option<string[]>("--feature")
        {
            Description = $"Show this derivation in full: rule:symmetry:model (repeatable; default: reports/templates/{ReportInputs.FeaturedTemplate})",
        };
        var command = new Command("report", "Write a report (PDF, PNG/SVG figures, index.md, manifest.json) from results.") { from, output, feature };
        command.SetAction(parse =>
        {
            var inputs = ReportInputs.FromPaths(parse.GetValue(from)!) with { Featured = ReportInputs.Featuring(parse.GetValue(feature) ?? []) };
            var summary = ReportWriter.Write(inputs, parse.GetValue(output)!, "noether report " + string.Join(' ', parse.Tokens.Select(t => t.Value)));
            context.Out.WriteLine($"report: {summary.Pdf} ({summary.Pages} pages, {summary.Figures} figures); index: {summary.Index}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

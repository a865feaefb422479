using System.CommandLine;
using System.Globalization;
using NoetherTheory.Reporting.Export;
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
        var dpi = new NumberOption("--dpi")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Resolution of the PNG figures in dots per inch ({FigureExport.MinDpi}–{FigureExport.MaxDpi}; default {FigureExport.DefaultDpi}, print quality; SVG and PDF figures are vectors)"),
            DefaultValueFactory = _ => FigureExport.DefaultDpi,
        };
        var command = new Command("report", "Write a report (PDF, PNG/SVG figures, index.md, manifest.json) from results.") { from, output, feature, dpi };
        command.SetAction(parse =>
        {
            double resolution = parse.GetValue(dpi);
            if (!(resolution >= FigureExport.MinDpi && resolution <= FigureExport.MaxDpi))
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--dpi {resolution}: PNG resolution must be between {FigureExport.MinDpi} and {FigureExport.MaxDpi} dots per inch (300 is print quality, 100 is enough on screen)."));
            var inputs = ReportInputs.FromPaths(parse.GetValue(from)!) with { Featured = ReportInputs.Featuring(parse.GetValue(feature) ?? []) };
            var summary = ReportWriter.Write(inputs, parse.GetValue(output)!, "noether report " + string.Join(' ', parse.Tokens.Select(t => t.Value)), dpi: resolution);
            context.Out.WriteLine($"report: {summary.Pdf} ({summary.Pages} pages, {summary.Figures} figures); index: {summary.Index}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Markdown;
using NoetherTheory.Reporting.Pdf;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Cli.Reports;

/// <summary>Writes a report folder: report.pdf, figures/*.png|svg, index.md and manifest.json.</summary>
internal static class ReportWriter
{
    public sealed record Summary(string Directory, string Pdf, string Index, int Pages, int Figures)
    {
        /// <summary>Every figure of the report as it was drawn (for the layout checks of the tests).</summary>
        public IReadOnlyList<(string Name, FigureSpec? Spec, FigureGrid? Grid, FigureSize? Size)> FigureSources { get; init; } = [];
    }

    public static Summary Write(ReportInputs inputs, string outputDirectory, string command, IReadOnlyDictionary<string, string>? extra = null,
        double dpi = FigureExport.DefaultDpi)
    {
        var clock = Stopwatch.StartNew();
        var dir = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(dir);
        string? root = SafeRoot();
        var (commit, dirty) = GitInfo.Read(root);
        string subtitle = $"commit {Short(commit)}{(dirty ? " (with uncommitted changes)" : "")}";
        var pdf = new ReportDocument(new ReportOptions("NoetherTheory report") { Subtitle = subtitle });
        var index = new MarkdownIndex("NoetherTheory report");
        var report = new ReportContext(dir, pdf, index, root) { Dpi = dpi };
        report.Paragraph(
            "Symbolic derivations of learning rules as Lagrangians, their Noether charges and charge dynamics, checked " +
            "numerically against the discrete optimizers they model. Every number below was produced by the command in " +
            "manifest.json on the commit named above.");
        if (inputs.Derivations is not null)
            DerivationSection.Write(report, inputs.Derivations, inputs.Featured);
        if (inputs.Verification is not null)
            VerificationSection.Write(report, inputs.Verification);
        if (inputs.Comparisons is not null)
            ComparisonSection.Write(report, inputs.Comparisons);
        foreach (var summary in inputs.DeepNet)
        {
            DeepNetSection.Write(report, summary);
            foreach (var groups in summary.Groups ?? [])
                GroupsSection.Write(report, groups);
        }
        EquilibriumSection.Write(report, inputs.Forecast, inputs.ForecastScore);
        foreach (var equilibrium in inputs.Equilibria)
            EquilibriumSection.Write(report, equilibrium);
        foreach (var groups in inputs.GroupChecks)
            GroupsSection.Write(report, groups);
        if (inputs.Verification is null && inputs.DeepNet.Count == 0 && inputs.Derivations is null && inputs.Comparisons is null
            && inputs.Equilibria.Count == 0 && inputs.Forecast is null && inputs.ForecastScore is null && inputs.GroupChecks.Count == 0)
            report.Paragraph("No inputs were given: pass results with --from.");

        string pdfPath = Path.Combine(dir, "report.pdf");
        var saved = pdf.Save(pdfPath);
        index.AddLink("The full report (PDF)", "report.pdf");
        index.AddLink("Manifest (commit, versions, hardware, inputs)", "manifest.json");
        string indexPath = Path.Combine(dir, "index.md");
        index.Save(indexPath);
        var manifest = Manifest.Create(command,
            inputs.Sources.Select((s, i) => (s, i)).ToDictionary(p => string.Create(CultureInfo.InvariantCulture, $"from[{p.i}]"), p => ReportPaths.Display(p.s, root)),
            extra ?? new Dictionary<string, string>(), clock.Elapsed.TotalSeconds);
        AtomicFile.Write(Path.Combine(dir, "manifest.json"), Commands.Json.Serialize(manifest));
        return new Summary(dir, pdfPath, indexPath, saved.PageCount, report.FigureCount) { FigureSources = report.Figures };
    }

    private static string Short(string commit) => commit.Length >= 12 && commit.All(Uri.IsHexDigit) ? commit[..12] : commit;

    private static string? SafeRoot()
    {
        try
        {
            return RepositoryLayout.Root();
        }
        catch (UsageException)
        {
            return null;
        }
    }
}

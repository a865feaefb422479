using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Cli.Reports;
using NoetherTheory.Mechanics;
using NoetherTheory.Simulation.Compiled;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether main [--out dir] [--device cpu] [--quick] [--jobs n]</c>: the whole pipeline on defaults — derive the
/// catalog, run the verification suite, compare compiled flows with the discrete optimizers, train VGG11-BN with the
/// filter-level checks and the Fig. 4 grid (CPU-sized), and write the report.
/// </summary>
internal static class MainCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => Path.Combine("out", "main") };
        var device = new DeviceOption();
        var quick = new Option<bool>("--quick") { Description = "Skip the Fig. 4 grid (the longest stage)" };
        var jobs = new Option<int>("--jobs") { Description = "Grid cells trained concurrently", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var filters = new Option<string>("--filters-protocol") { Description = "Filter-check protocol", DefaultValueFactory = _ => "filters-cpu" };
        var grid = new Option<string>("--grid-protocol") { Description = "Fig. 4 grid protocol", DefaultValueFactory = _ => "fig4-cpu" };
        var threads = new ThreadsOption();
        var command = new Command("main", "Run the whole pipeline (derive, verify, compare, train + filter checks, Fig. 4 grid) and write the report.")
        {
            output, device, quick, jobs, filters, grid, threads,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(context, Path.GetFullPath(parse.GetValue(output)!), parse.GetValue(device)!,
            parse.GetValue(quick), parse.GetValue(jobs), parse.GetValue(filters)!, parse.GetValue(grid)!, parse.GetValue(threads), cancel)));
        return command;
    }

    private static int Run(CliContext context, string outDir, string device, bool quick, int jobs, string filtersProtocol, string gridProtocol,
        int? threads, CancellationToken cancel)
    {
        // Options are checked before the first stage runs (a bad protocol must not surface only after three stages).
        if (jobs < 1) throw new UsageException($"--jobs {jobs}: must be ≥ 1.");
        var root = RepositoryLayout.Root();
        string Protocol(string name) => Path.Combine(root, "validation", "experiments", name.EndsWith(".yaml", StringComparison.Ordinal) ? name : name + ".yaml");
        static void Check(string option, string path)
        {
            try { ValidateCommand.LoadProtocol(path); }
            catch (UsageException e) { throw new UsageException($"{option}: {e.Message}"); }
        }
        Check("--filters-protocol", Protocol(filtersProtocol));
        if (!quick) Check("--grid-protocol", Protocol(gridProtocol));
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        var failures = new List<string>();
        int stages = quick ? 6 : 7, stage = 0;
        void Stage(string what) => context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{++stage}/{stages}] {what} (at {clock.Elapsed:mm\\:ss})"));

        Stage("deriving the catalog symbolically");
        var catalog = DeriveCommand.LoadCatalog(RepositoryLayout.Catalog());
        var derivation = Derivation.RunAll(catalog);
        AtomicFile.Write(Path.Combine(outDir, "derivations.json"), DerivationFormatter.ToJson(derivation));
        AtomicFile.Write(Path.Combine(outDir, "derivations.txt"), DerivationFormatter.ToText(derivation));
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      {derivation.Results.Length} derivations, {derivation.CheckCount} identities: {(derivation.AllHold ? "all verified" : "SOME NOT VERIFIED")}"));
        if (!derivation.AllHold) failures.Add("a derived identity was not verified (derivations.txt)");

        Stage("running the verification suite (validation/cases)");
        var outcomes = VerifyCommand.RunSuiteWithTraces(RepositoryLayout.ValidationCases(), "all");
        ResultsFile.Write(Path.Combine(outDir, "results.json"), outcomes);
        int failed = outcomes.Count(o => !o.Record.Passed);
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {outcomes.Count - failed} of {outcomes.Count} cases passed"));
        if (failed > 0) failures.Add(string.Create(CultureInfo.InvariantCulture, $"{failed} verification case(s) failed (results.json)"));

        Stage("checking every derived closed form (steady states, gains, rho_eff, eta_eff, amplification, Green's-law sources, the rotation law's decay rate) against its generated simulation (theory/catalog rules)");
        var (derivedReport, derivedChecks) = NoetherTheory.Validation.Generated.DerivedLawValidation.Run(catalog);
        AtomicFile.Write(Path.Combine(outDir, "derived.json"), NoetherTheory.Core.Documents.ResultDocuments.Serialize(derivedChecks));
        AtomicFile.Write(Path.Combine(outDir, "derived.txt"), NoetherTheory.Validation.Generated.DerivedLawChecks.FormatTable(derivedReport));
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      {derivedChecks.Passed} of {derivedChecks.Passed + derivedChecks.Failed} generated checks passed (derived.txt)"));
        if (derivedChecks.Failed > 0)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{derivedChecks.Failed} generated check(s) of a derived law failed (derived.txt)"));

        Stage("comparing compiled flows with the discrete optimizers");
        var comparisons = new[]
        {
            new ComparisonOptions { RuleId = "gd", ModelId = "cosine", Time = 2, Etas = [0.1, 0.05, 0.025, 0.0125] },
            new ComparisonOptions { RuleId = "gd", ModelId = "linear-scalar", WeightDecay = 0.05, Time = 2, Etas = [0.1, 0.05, 0.025, 0.0125] },
            new ComparisonOptions { RuleId = "heavy-ball", ModelId = "linear-scalar", Beta = 0.9, Time = 0.2, Etas = [4e-4, 2e-4, 1e-4, 5e-5] },
            new ComparisonOptions { RuleId = "heavy-ball", ModelId = "cosine", Beta = 0.9, Time = 0.2, Etas = [4e-4, 2e-4, 1e-4, 5e-5], Start = StartMode.ShiftedStart },
        }.Select(CompareCommand.Run).ToList();
        ComparisonsFile.Write(Path.Combine(outDir, "comparisons.json"), comparisons);
        foreach (var c in comparisons)
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      {c.Options.RuleId} on {c.Options.ModelId}: orders {c.GradientFlowSlope:F2} (gradient flow), {c.ModifiedLossSlope:F2} (modified loss), {c.SecondOrderSlope:F2} (2nd-order equation)"));

        Stage($"training VGG11-BN with filter-level checks ({filtersProtocol})");
        string filtersDir = Path.Combine(outDir, "filters");
        if (ValidateCommand.Run(context, Protocol(filtersProtocol), device, filtersDir, 1, [], null, cancel, threads: threads) != ExitCodes.Ok)
            failures.Add("the exact heavy-ball recursion failed on a filter (filters/summary.json)");

        string gridDir = Path.Combine(outDir, "fig4");
        if (!quick)
        {
            Stage($"training the Fig. 4 grid ({gridProtocol}, {jobs} at a time)");
            if (ValidateCommand.Run(context, Protocol(gridProtocol), device, gridDir, jobs, [], null, cancel, threads: threads) != ExitCodes.Ok)
                failures.Add("the exact heavy-ball recursion failed in the grid (fig4/summary.json)");
        }

        Stage("writing the report");
        var sources = new List<string> { outDir, filtersDir };
        if (!quick) sources.Add(gridDir);
        var inputs = ReportInputs.FromPaths(sources) with { Featured = ReportInputs.Featuring([]) };
        // The generated checks join the toy cases in the report's verification section (their suite is "derived").
        if (inputs.Verification is { } cases)
            inputs = inputs with
            {
                Verification = new NoetherTheory.Core.Documents.VerifyDocument(cases.Passed + derivedChecks.Passed,
                    cases.Failed + derivedChecks.Failed, [.. cases.Records, .. derivedChecks.Records]),
            };
        var summary = ReportWriter.Write(inputs, Path.Combine(outDir, "report"), "noether main",
            new Dictionary<string, string>
            {
                ["device"] = device, ["quick"] = quick ? "true" : "false", ["jobs"] = jobs.ToString(CultureInfo.InvariantCulture),
                ["filters_protocol"] = filtersProtocol, ["grid_protocol"] = quick ? "skipped" : gridProtocol,
                ["pipeline_seconds_before_report"] = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            });
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"main job finished in {clock.Elapsed:mm\\:ss}: {(failures.Count == 0 ? "every check passed" : "CHECKS FAILED: " + string.Join("; ", failures))}"));
        context.Out.WriteLine($"report: {summary.Pdf} ({summary.Pages} pages, {summary.Figures} figures)");
        context.Out.WriteLine($"index:  {summary.Index}");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}

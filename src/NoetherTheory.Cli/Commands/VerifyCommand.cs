using System.CommandLine;
using System.Globalization;
using NoetherTheory.Validation;
using NoetherTheory.Validation.Cases;
using Spectre.Console;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether verify [--suite name|all] [--out results.json]</c>: runs validation/cases.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var suite = new Option<string>("--suite") { Description = "Suite to run (exact, laws, orders, …) or all", DefaultValueFactory = _ => VerificationSuite.AllSuites };
        var output = new Option<FileInfo?>("--out") { Description = "Write the records as JSON (results.json) for `noether report`" };
        var cases = new Option<DirectoryInfo?>("--cases") { Description = "Folder of case files (default: validation/cases)" };
        var derived = new Option<bool>("--derived")
        {
            Description = "Run the generated checks instead: every catalog position rule's derived closed forms (r⁴ steady states and gains, rho_eff, eta_eff, amplification, Green's-law sources, the rotation law's decay rate) against its own compiled update (theory/catalog)",
        };
        var equilibrium = new Option<bool>("--equilibrium")
        {
            Description = "Run the generated equilibrium checks instead: every catalog rule's derived rotational equilibrium (angle per step, norm) against its own compiled update (theory/05-learning-dynamics.md#eq-5-8)",
        };
        var command = new Command("verify", "Check every derived law against the discrete optimizer it models (validation/cases).")
        {
            suite, output, cases, derived, equilibrium,
        };
        command.SetAction(parse => parse.GetValue(equilibrium)
            ? RunEquilibrium(context, parse.GetValue(output))
            : parse.GetValue(derived)
            ? RunDerived(context, parse.GetValue(output))
            : Run(context, parse.GetValue(suite)!, parse.GetValue(output), parse.GetValue(cases)));
        return command;
    }

    private static int Run(CliContext context, string suite, FileInfo? output, DirectoryInfo? casesDir)
    {
        var outcomes = RunSuiteWithTraces(casesDir?.FullName ?? RepositoryLayout.ValidationCases(), suite);
        var records = outcomes.Select(o => o.Record).ToList();
        WriteTable(context.Out, records);
        if (output is not null)
            ResultsFile.Write(output.FullName, outcomes);
        int failed = records.Count(r => !r.Passed);
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{records.Count - failed} of {records.Count} cases passed ({records.Sum(r => r.Runtime.TotalSeconds):F1} s of compute)."));
        return failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static int RunDerived(CliContext context, FileInfo? output)
    {
        var (report, document) = NoetherTheory.Validation.Generated.DerivedLawValidation.Run(DeriveCommand.LoadCatalog(RepositoryLayout.Catalog()));
        context.Out.Write(NoetherTheory.Validation.Generated.DerivedLawChecks.FormatTable(report));
        if (output is not null)
            NoetherTheory.Core.IO.AtomicFile.Write(output.FullName, NoetherTheory.Core.Documents.ResultDocuments.Serialize(document));
        return document.Failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static int RunEquilibrium(CliContext context, FileInfo? output)
    {
        var report = NoetherTheory.Validation.Generated.EquilibriumChecks.Run(DeriveCommand.LoadCatalog(RepositoryLayout.Catalog()));
        context.Out.Write(NoetherTheory.Validation.Generated.EquilibriumChecks.FormatTable(report));
        var document = NoetherTheory.Validation.Generated.EquilibriumChecks.ToDocument(report);
        if (output is not null)
            NoetherTheory.Core.IO.AtomicFile.Write(output.FullName, NoetherTheory.Core.Documents.ResultDocuments.Serialize(document));
        return document.Failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    /// <summary>Loads and runs a suite (bad case files and unknown suites become usage errors), keeping the trace of every
    /// case whose law records one.</summary>
    internal static IReadOnlyList<CaseOutcome> RunSuiteWithTraces(string directory, string suite)
    {
        if (!Directory.Exists(directory))
            throw new UsageException($"case folder '{directory}' does not exist.");
        IReadOnlyList<VerificationCase> chosen;
        try
        {
            chosen = ToyCaseValidation.Load(directory, suite, LimitOverrides.Cases());
        }
        catch (CaseFormatException e)
        {
            throw new UsageException($"bad validation case: {e.Message}{LimitOverrides.Hint(e.Message)}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--suite: {e.Message}");
        }
        return ToyCaseValidation.Run(chosen);
    }

    private static void WriteTable(TextWriter writer, IReadOnlyList<VerificationRecord> records)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = writer == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = writer == Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 140);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("case").AddColumn("quantity").AddColumn(new TableColumn("measured").RightAligned())
            .AddColumn(new TableColumn("predicted").RightAligned()).AddColumn(new TableColumn("error").RightAligned())
            .AddColumn(new TableColumn("bound").RightAligned()).AddColumn("reference").AddColumn("verdict");
        foreach (var r in records)
        {
            table.AddRow(
                Markup.Escape(r.CaseId), Markup.Escape(r.Quantity), Num(r.Measured), Num(r.Predicted), Num(r.Error), Num(r.Bound), r.ReferenceKindName,
                r.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
        }
        console.Write(table);
        foreach (var r in records.Where(r => !r.Passed))
            console.MarkupLine($"[red]FAIL[/] {Markup.Escape(r.CaseId)}: {Markup.Escape(r.Detail)}");
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

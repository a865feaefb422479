using System.CommandLine;

namespace NoetherTheory.Cli.Commands;

/// <summary>The list of top-level commands, in the order <c>--help</c> shows them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(CliContext context) =>
    [
        MainCommand.Create(context),
        ExprCommand.Create(context),
        DeriveCommand.Create(context),
        LawsCommand.Create(context),
        SimulateCommand.Create(context),
        CompareCommand.Create(context),
        VerifyCommand.Create(context),
        TrainCommand.Create(context),
        SymmetriesCommand.Create(context),
        ValidateCommand.Create(context),
        ReportCommand.Create(context),
        DoctorCommand.Create(context),
        BenchCommand.Create(context),
        EquilibriumCommand.Create(context),
    ];
}

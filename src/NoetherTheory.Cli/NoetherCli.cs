using System.CommandLine;
using NoetherTheory.Cli.Commands;

namespace NoetherTheory.Cli;

/// <summary>Builds the <c>noether</c> command tree and runs it in-process (tests call <see cref="Run"/> directly).</summary>
public static class NoetherCli
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdout, stderr);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // "Required command was not provided" only adds noise next to an unrecognised command.
            var errors = parse.Errors.Count > 1 && parse.UnmatchedTokens.Count > 0
                ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)).ToList()
                : parse.Errors.ToList();
            foreach (var error in errors)
                stderr.WriteLine($"noether: {error.Message}");
            stderr.WriteLine("Run 'noether --help' (or 'noether <command> --help') for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Diverged(e) is { } diverged)
        {
            // Valid input, but the training diverged: a failed check (exit 1), naming the step and quantity.
            stderr.WriteLine($"noether: {diverged.Message}");
            return ExitCodes.CheckFailed;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"noether: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (NoetherTheory.NoetherTheoryException e)
        {
            stderr.WriteLine($"noether: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (IsCancellation(e))
        {
            stderr.WriteLine("noether: interrupted. Training runs wrote a checkpoint at the step they reached: `train --resume` " +
                "(same --out) or the same `validate` command continues from it.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An output or input path the user gave cannot be used (read-only folder, missing parent, disk full).
            stderr.WriteLine($"noether: {e.Message} Choose a writable --out folder or check the path.");
            return ExitCodes.BadInput;
        }
    }

    // A training divergence, alone or from one of several concurrent cells.
    private static NoetherTheory.Torch.Runs.TrainingDivergedException? Diverged(Exception e) => e switch
    {
        NoetherTheory.Torch.Runs.TrainingDivergedException d => d,
        AggregateException a => a.Flatten().InnerExceptions.OfType<NoetherTheory.Torch.Runs.TrainingDivergedException>().FirstOrDefault(),
        _ => null,
    };

    // Ctrl+C / SIGTERM cancel the invocation's token; concurrent cells report it wrapped in an AggregateException.
    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.Flatten().InnerExceptions.All(x => x is OperationCanceledException));

    private static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "NoetherTheory: derive, verify and measure the learning dynamics of symmetric losses " +
            "(Noether's Learning Dynamics, Neural Mechanics).");
        foreach (var command in CommandCatalog.All(context))
            root.Add(command);
        return root;
    }
}

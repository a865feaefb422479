using NoetherTheory.Cli;

namespace NoetherTheory.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error);

    public static Outcome Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = NoetherCli.Run(args, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}

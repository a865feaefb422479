namespace NoetherTheory.Cli;

/// <summary>The CLI's exit codes (a stable contract, see the README).</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>Everything ran but a check failed (an identity not verified, a law outside its tolerance).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: a parse error, an unknown id, a missing file; the message on stderr says what and where.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (SIGINT / Ctrl+C, or SIGTERM): training runs wrote a checkpoint first and continue with
    /// <c>train --resume</c> or by running <c>validate</c> again (128 + SIGINT, the shell's convention).</summary>
    public const int Interrupted = 130;
}

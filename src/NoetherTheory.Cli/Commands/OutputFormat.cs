namespace NoetherTheory.Cli.Commands;

/// <summary>How a command prints its result.</summary>
public enum OutputFormat
{
    /// <summary>Readable text (the default).</summary>
    Text,

    /// <summary>LaTeX source.</summary>
    Latex,

    /// <summary>Machine-readable JSON with stable field names (see the README).</summary>
    Json,
}

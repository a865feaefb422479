namespace NoetherTheory.Cli;

/// <summary>Where a command writes: standard output for results, standard error for messages and progress.</summary>
/// <param name="Out">Results (text, JSON, tables).</param>
/// <param name="Error">Diagnostics, progress and error messages.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error);

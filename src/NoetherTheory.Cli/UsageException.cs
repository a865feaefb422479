namespace NoetherTheory.Cli;

/// <summary>Bad input from the user (an option value, a file, a missing dataset): printed to stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

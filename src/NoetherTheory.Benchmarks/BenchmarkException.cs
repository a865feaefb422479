namespace NoetherTheory.Benchmarks;

/// <summary>A benchmark cannot run as asked (a reference script is missing, a cell is not in the protocol, libtorch or a
/// data set is unavailable); the message says what to change.</summary>
public sealed class BenchmarkException : NoetherTheoryException
{
    /// <summary>Creates the exception with a message.</summary>
    public BenchmarkException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BenchmarkException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a suite that stopped on <paramref name="innerException"/> (its message is kept).</summary>
    public BenchmarkException(string suite, string message, Exception innerException) : base(message, innerException) => Suite = suite;

    /// <summary>Creates the exception with a default message.</summary>
    public BenchmarkException() : base("A benchmark could not run.") { }

    /// <summary>The suite that stopped (symbolic, integrators, train, cell), or null.</summary>
    public string? Suite { get; }
}

namespace NoetherTheory;

/// <summary>
/// The root of all domain exceptions of NoetherTheory (expected failures a user can act on: bad input text,
/// non-convergence, a missing runtime). Contract violations use the BCL's ArgumentException family instead.
/// </summary>
/// <remarks>Declared in the base assembly (NoetherTheory.Core, BCL only) and in the root namespace, so that every layer derives from it and sees it without a using directive.</remarks>
public class NoetherTheoryException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public NoetherTheoryException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NoetherTheoryException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public NoetherTheoryException() : base("A NoetherTheory operation failed.") { }
}

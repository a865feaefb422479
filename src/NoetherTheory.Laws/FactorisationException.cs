namespace NoetherTheory.Laws;

/// <summary>A model cannot be turned into a polynomial factorisation, or the requested search is too large: the message says
/// what, where, and how to fix it.</summary>
public sealed class FactorisationException : NoetherTheoryException
{
    /// <summary>Creates the exception with a message.</summary>
    public FactorisationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FactorisationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public FactorisationException() : base("The model has no polynomial factorisation.") { }
}

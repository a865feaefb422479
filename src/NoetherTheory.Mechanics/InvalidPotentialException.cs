namespace NoetherTheory.Mechanics;

/// <summary>A potential given as text (<see cref="ModelSource.Potential"/>) cannot be used: it does not parse, names a
/// reserved symbol, or needs more coordinates than the symmetry has.</summary>
public sealed class InvalidPotentialException : NoetherTheoryException
{
    /// <summary>Creates the exception for <paramref name="potential"/>.</summary>
    public InvalidPotentialException(string potential, string message) : base(message) => Potential = potential;

    /// <summary>Creates the exception with a message.</summary>
    public InvalidPotentialException(string message) : base(message) => Potential = "";

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidPotentialException(string message, Exception innerException) : base(message, innerException) => Potential = "";

    /// <summary>Creates the exception with a default message.</summary>
    public InvalidPotentialException() : base("The potential cannot be used.") => Potential = "";

    /// <summary>The potential's text as given.</summary>
    public string Potential { get; }
}

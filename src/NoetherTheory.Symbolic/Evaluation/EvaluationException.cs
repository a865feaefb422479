namespace NoetherTheory.Symbolic;

/// <summary>Thrown when an expression cannot be evaluated numerically: a symbol has no value, or an undefined function
/// (<see cref="Apply"/>) occurs. The message names the culprit and says what to bind.</summary>
public sealed class EvaluationException : NoetherTheoryException
{
    /// <summary>Creates the exception.</summary>
    public EvaluationException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public EvaluationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public EvaluationException() : base("The expression could not be evaluated.") { }
}

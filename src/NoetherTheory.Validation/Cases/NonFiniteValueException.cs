namespace NoetherTheory.Validation.Cases;

/// <summary>A value a law compares (a residual, a measured charge, a state component) is NaN or infinite: the run
/// diverged or the model produced no number. The message names the value and where it first appeared (step, η, index),
/// and the case fails with it; a non-finite value can never count as agreement.</summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception for <paramref name="value"/> found at <paramref name="where"/>.</summary>
    public NonFiniteValueException(double value, string where)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"non-finite value {value} in {where}"))
    {
        Value = value;
        Where = where;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public NonFiniteValueException(string message) : base(message)
    {
        Value = double.NaN;
        Where = "";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NonFiniteValueException(string message, Exception innerException) : base(message, innerException)
    {
        Value = double.NaN;
        Where = "";
    }

    /// <summary>Creates the exception with no message.</summary>
    public NonFiniteValueException() : this("non-finite value")
    {
    }

    /// <summary>The offending value (NaN, +∞ or −∞).</summary>
    public double Value { get; }

    /// <summary>Where it first appeared (for example "scale block at step 12").</summary>
    public string Where { get; }
}

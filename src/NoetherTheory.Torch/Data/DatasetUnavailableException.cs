namespace NoetherTheory.Torch.Data;

/// <summary>A data set is missing or malformed; the message names the path and how to obtain the data.</summary>
public sealed class DatasetUnavailableException : NoetherTheoryException
{
    /// <summary>Creates the exception with a message.</summary>
    public DatasetUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DatasetUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public DatasetUnavailableException() : base("A data set is unavailable.") { }
}

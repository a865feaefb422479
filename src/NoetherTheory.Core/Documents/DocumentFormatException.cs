namespace NoetherTheory.Core.Documents;

/// <summary>A file is not a result document that can be read: not JSON, no or an unknown kind tag, or a field of the
/// wrong type or shape. The message names the file and says what is wrong.</summary>
public sealed class DocumentFormatException : NoetherTheoryException
{
    /// <summary>Creates the exception for <paramref name="file"/>.</summary>
    public DocumentFormatException(string file, string message) : base($"{file}: {message}") => File = file;

    /// <summary>Creates the exception for <paramref name="file"/> with the error that caused it.</summary>
    public DocumentFormatException(string file, string message, Exception innerException) : base($"{file}: {message}", innerException) => File = file;

    /// <summary>Creates the exception with a message.</summary>
    public DocumentFormatException(string message) : base(message) => File = "";

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DocumentFormatException(string message, Exception innerException) : base(message, innerException) => File = "";

    /// <summary>Creates the exception with a default message.</summary>
    public DocumentFormatException() : base("Not a result document.") => File = "";

    /// <summary>The file (or source name) that was read.</summary>
    public string File { get; }
}

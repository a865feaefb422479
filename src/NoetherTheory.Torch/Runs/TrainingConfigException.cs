namespace NoetherTheory.Torch.Runs;

/// <summary>A training config file is malformed; the message starts with file:line:column and names the field.</summary>
public sealed class TrainingConfigException : NoetherTheoryException
{
    /// <summary>Creates the exception with a message.</summary>
    public TrainingConfigException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingConfigException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public TrainingConfigException() : base("The training config is invalid.") { }
}

namespace NoetherTheory.Torch.Runs;

/// <summary>A run met a non-finite loss, gradient or measured value and stopped (<see cref="NonFiniteAction.Stop"/>): the
/// message names the run folder, the step, the quantity and the last good checkpoint. The CLI exits 1 (a check failed),
/// not 2: the input was valid, the training diverged.</summary>
public sealed class TrainingDivergedException : NoetherTheoryException
{
    /// <summary>Creates the exception for <paramref name="value"/> with a message.</summary>
    public TrainingDivergedException(string message, NonFiniteValue value) : base(message) => Value = value;

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public TrainingDivergedException() : base("The training run diverged.") { }

    /// <summary>The first non-finite value (null when constructed without one).</summary>
    public NonFiniteValue? Value { get; }
}

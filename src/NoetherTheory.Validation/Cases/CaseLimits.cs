namespace NoetherTheory.Validation.Cases;

/// <summary>
/// Size limits a case file is held to before anything is allocated (issue 13). The defaults fit every shipped case with
/// room to spare; a legitimate larger case raises them (the CLI reads <c>NOETHER_MAX_CASE_STEPS</c> and
/// <c>NOETHER_MAX_MODEL_SIZE</c>).
/// </summary>
public sealed record CaseLimits
{
    /// <summary>The defaults: <see cref="CaseLoader.MaxSteps"/> steps, <see cref="CaseLoader.MaxModelSize"/> for a size.</summary>
    public static CaseLimits Default { get; } = new();

    /// <summary>The most steps a case may ask for.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int MaxSteps
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, "must be positive");
    } = CaseLoader.MaxSteps;

    /// <summary>The largest integer model parameter (a dimension, a width, a sample count) a case may give.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int MaxModelSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxModelSize), value, "must be positive");
    } = CaseLoader.MaxModelSize;
}

namespace NoetherTheory.Laws;

/// <summary>Options of <see cref="LieAlgebraRank.Compute"/>.</summary>
public sealed record LieRankOptions
{
    /// <summary>Defaults: seed 20231210, 2 random points, bracket depth ≤ 16, ≤ 20,000 fields.</summary>
    public static LieRankOptions Default { get; } = new();

    /// <summary>Seed of the random points (results are deterministic for a seed).</summary>
    public int Seed { get; init; } = 20231210;

    /// <summary>Number of independent random points in 𝔽_p^D at which ranks are taken (k in the bound (d/p)^k).</summary>
    public int Points
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Points), value, "At least one point is needed.");
    } = 2;

    /// <summary>Deepest bracket [V_{i1}, [V_{i2}, … V_{ik}]] tried before giving up (the rank is then only a lower bound).</summary>
    public int MaxDepth
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, "The depth must be ≥ 1.");
    } = 16;

    /// <summary>Largest number of linearly independent fields kept (as polynomial fields) before giving up.</summary>
    public int MaxFields
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFields), value, "At least one field is needed.");
    } = 20_000;
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>Options of <see cref="ConservationLaws.Discover"/>.</summary>
public sealed record LawOptions
{
    /// <summary>Defaults: degree 2, <see cref="LieRankOptions.Default"/>, <see cref="ZeroTestOptions.Default"/>.</summary>
    public static LawOptions Default { get; } = new();

    /// <summary>Largest supported <see cref="Degree"/>.</summary>
    public const int MaxDegree = 8;

    /// <summary>Largest number of ansatz monomials (unknown coefficients) accepted.</summary>
    public const int MaxUnknowns = 200_000;

    /// <summary>Polynomial laws are sought among polynomials of degree 1 … Degree.</summary>
    public int Degree
    {
        get;
        init => field = value is >= 1 and <= MaxDegree ? value
            : throw new ArgumentOutOfRangeException(nameof(Degree), value, $"The degree must be between 1 and {MaxDegree}.");
    } = 2;

    /// <summary>Options of the Lie-algebra rank.</summary>
    public LieRankOptions Lie
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Lie));
    } = LieRankOptions.Default;

    /// <summary>Options of the zero test that checks each law.</summary>
    public ZeroTestOptions ZeroTest
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(ZeroTest));
    } = ZeroTestOptions.Default;
}

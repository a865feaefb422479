namespace NoetherTheory.Testing;

/// <summary>
/// Accepts |expected − actual| ≤ Abs + Rel·max(|expected|, |actual|) for finite values.
/// Every constant used by a test is named and carries its reason.
/// </summary>
public readonly record struct Tolerance(double Abs, double Rel)
{
    /// <summary>A few dozen float64 operations on O(1) values: exact algebraic identities.</summary>
    public static Tolerance RoundOff { get; } = new(1e-14, 1e-12);

    /// <summary>Exact identities accumulated over many steps (≲10⁴ flops per value).</summary>
    public static Tolerance MachineAccumulated { get; } = new(1e-12, 1e-10);

    /// <summary>Global error of RK4 with step h on a problem of unit scale (theory/04-numerical-integration.md#eq-4-3).</summary>
    public static Tolerance Rk4(double h, double scale = 1) => new(0, 50 * scale * Math.Pow(h, 4));

    /// <summary>Only a relative bound.</summary>
    public static Tolerance Relative(double rel) => new(0, rel);

    /// <summary>Only an absolute bound.</summary>
    public static Tolerance Absolute(double abs) => new(abs, 0);

    /// <summary>Whether the two values agree under this tolerance; NaN only equals NaN, ∞ only the same ∞.</summary>
    public bool Accepts(double expected, double actual)
    {
        if (!double.IsFinite(expected) || !double.IsFinite(actual))
            return double.IsNaN(expected) ? double.IsNaN(actual) : expected.Equals(actual);
        return Math.Abs(expected - actual) <= Bound(expected, actual);
    }

    /// <summary>The admissible difference for this pair of values.</summary>
    public double Bound(double expected, double actual) =>
        Abs + Rel * Math.Max(Math.Abs(expected), Math.Abs(actual));
}

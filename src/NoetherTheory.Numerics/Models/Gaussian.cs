namespace NoetherTheory.Numerics.Models;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller; deterministic across platforms).</summary>
public static class Gaussian
{
    /// <summary>One N(0, 1) draw.</summary>
    public static double Next(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u1 = 1.0 - rng.NextDouble();      // (0, 1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="x"/> with N(0, σ²) draws.</summary>
    public static void Fill(Random rng, Span<double> x, double sigma = 1)
    {
        for (int i = 0; i < x.Length; i++) x[i] = sigma * Next(rng);
    }
}

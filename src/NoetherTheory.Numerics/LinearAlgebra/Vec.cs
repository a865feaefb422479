namespace NoetherTheory.Numerics.LinearAlgebra;

/// <summary>Small dense-vector kernels on spans (the currency of integrators and optimizers).</summary>
public static class Vec
{
    /// <summary>⟨a, b⟩.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Dot: lengths differ ({a.Length} vs {b.Length}).", nameof(b));
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>|a|².</summary>
    public static double Norm2(ReadOnlySpan<double> a) => Dot(a, a);

    /// <summary>|a|.</summary>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Norm2(a));

    /// <summary>|a − b| (Euclidean).</summary>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Distance: lengths differ ({a.Length} vs {b.Length}).", nameof(b));
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }

    /// <summary>Σ a[i] over the given indices.</summary>
    public static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i];
        return s;
    }

    /// <summary>Σ a[i]² over the given indices.</summary>
    public static double Norm2(ReadOnlySpan<double> a, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i] * a[i];
        return s;
    }

    /// <summary>Σ a[i]·b[i] over the given indices.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (int i in indices) s += a[i] * b[i];
        return s;
    }

    /// <summary>A fresh copy.</summary>
    public static double[] Copy(ReadOnlySpan<double> a) => a.ToArray();

    /// <summary>The indices start, start+1, …, start+count−1.</summary>
    public static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();
}

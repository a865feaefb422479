using MathNet.Numerics.LinearAlgebra;

namespace NoetherTheory.Numerics.LinearAlgebra;

/// <summary>Matrix measurements used by the laws and recorders (balance matrices, skew parts).</summary>
public static class Measure
{
    /// <summary>The skew-symmetric part (A − Aᵀ)/2.</summary>
    public static Matrix<double> Skew(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return 0.5 * (a - a.Transpose());
    }

    /// <summary>The balance matrix W₁W₁ᵀ − W₂ᵀW₂ of a balance pair at <paramref name="q"/>.</summary>
    public static Matrix<double> Balance(Models.BalancePair pair, ReadOnlySpan<double> q)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var w1 = pair.First.Read(q);
        var w2 = pair.Second.Read(q);
        return w1 * w1.Transpose() - w2.Transpose() * w2;
    }

    /// <summary>The spectral norm (largest singular value).</summary>
    public static double SpectralNorm(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.L2Norm();
    }

    /// <summary>The largest eigenvalue of a symmetric matrix.</summary>
    public static double MaxEigenvalueSymmetric(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Evd(Symmetricity.Symmetric).EigenValues.Real().Maximum();
    }
}

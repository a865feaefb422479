using MathNet.Numerics.LinearAlgebra;

namespace NoetherTheory.Numerics.Verification;

/// <summary>Matrix measurements used by the laws (balance matrices, skew parts).</summary>
internal static class Measure
{
    public static Matrix<double> Skew(Matrix<double> a) => 0.5 * (a - a.Transpose());

    public static Matrix<double> Balance(Models.BalancePair pair, ReadOnlySpan<double> q)
    {
        var w1 = pair.First.Read(q);
        var w2 = pair.Second.Read(q);
        return w1 * w1.Transpose() - w2.Transpose() * w2;
    }

    public static double SpectralNorm(Matrix<double> a) => a.L2Norm();

    public static double MaxEigenvalueSymmetric(Matrix<double> a) => a.Evd(Symmetricity.Symmetric).EigenValues.Real().Maximum();
}

namespace NoetherTheory.Reporting.Figures;

/// <summary>
/// A power law y ≈ <see cref="Prefactor"/>·x^<see cref="Exponent"/> fitted by least squares on log₁₀–log₁₀ axes.
/// <see cref="Exponent"/> is the slope of a log–log plot, i.e. the observed order of a convergence study.
/// </summary>
/// <param name="Exponent">Fitted slope p of log₁₀y against log₁₀x.</param>
/// <param name="Prefactor">Fitted c = 10^intercept.</param>
/// <param name="RSquared">Coefficient of determination of the log–log regression (1 for an exact power law).</param>
/// <param name="PointCount">Number of points used.</param>
public sealed record PowerLawFit(double Exponent, double Prefactor, double RSquared, int PointCount)
{
    /// <summary>The fitted curve at <paramref name="x"/>.</summary>
    public double Evaluate(double x) => Prefactor * Math.Pow(x, Exponent);

    /// <summary>Fits y = c·x^p to points with positive coordinates.</summary>
    /// <param name="x">Abscissae, all positive and finite.</param>
    /// <param name="y">Ordinates, all positive and finite, same length as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two points, a non-positive or non-finite value,
    /// or all x equal (the slope is undefined).</exception>
    public static PowerLawFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"Power-law fit: x has {x.Count} values but y has {y.Count}.", nameof(y));
        if (x.Count < 2)
            throw new ArgumentException($"Power-law fit needs at least two points; got {x.Count}.", nameof(x));

        var u = new double[x.Count];
        var v = new double[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            if (!(x[i] > 0 && double.IsFinite(x[i])) || !(y[i] > 0 && double.IsFinite(y[i])))
                throw new ArgumentException(
                    FormattableString.Invariant(
                        $"Power-law fit: point {i} = ({x[i]:R}, {y[i]:R}) is not positive and finite; a log–log fit needs x > 0 and y > 0 (drop exact zeros before fitting)."),
                    nameof(y));
            u[i] = Math.Log10(x[i]);
            v[i] = Math.Log10(y[i]);
        }

        double meanU = SampleStatistics.Mean(u);
        double meanV = SampleStatistics.Mean(v);
        double suu = 0, suv = 0, svv = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double du = u[i] - meanU, dv = v[i] - meanV;
            suu += du * du;
            suv += du * dv;
            svv += dv * dv;
        }

        if (suu == 0)
            throw new ArgumentException("Power-law fit: all x values are equal, so the slope is undefined.", nameof(x));
        double slope = suv / suu;
        double intercept = meanV - (slope * meanU);
        // R² = 1 − SS_res/SS_tot with SS_res summed directly. When the residuals are at round-off level the fit is exact
        // (this also covers a constant y, where SS_tot is itself round-off and the ratio would be noise over noise).
        double ssRes = 0, scale = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double r = v[i] - (intercept + (slope * u[i]));
            ssRes += r * r;
            scale = Math.Max(scale, Math.Abs(v[i]) + Math.Abs(slope * u[i]));
        }

        double roundOff = 16 * Math.Pow(2, -52) * (1 + scale);   // a few ulps per residual
        double rSquared = ssRes <= u.Length * roundOff * roundOff || svv == 0 ? 1 : Math.Clamp(1 - (ssRes / svv), 0, 1);
        return new PowerLawFit(slope, Math.Pow(10, intercept), rSquared, x.Count);
    }
}

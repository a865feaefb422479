namespace NoetherTheory.Numerics.Ode;

/// <summary>
/// The Dormand–Prince 5(4) pair (FSAL, local extrapolation) with adaptive step control and a fourth-order continuous
/// extension (dense output). With <see cref="IntegratorOptions.Step"/> set it runs with a fixed step (order 5).
/// </summary>
/// <remarks>Coefficients from Dormand &amp; Prince (1980); the dense-output coefficients and the initial-step
/// heuristic follow Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i>, §II.4–II.6 (dense output of Shampine 1986). A test
/// checks ΣDᵢ = 0, the condition for the interpolant to be exact on linear solutions.</remarks>
public sealed class DormandPrince45 : IIntegrator
{
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    // E = b(5) − b(4): the embedded error estimate.
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
    private const double D1 = -12715105075.0 / 11282082432, D3 = 87487479700.0 / 32700410799, D4 = -10690763975.0 / 1880347072,
        D5 = 701980252875.0 / 199316789632, D6 = -1453857185.0 / 822651844, D7 = 69997945.0 / 29380423;
    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 10;

    /// <inheritdoc />
    public string Name => "dp45";

    /// <inheritdoc />
    public int Order => 5;

    /// <inheritdoc />
    public IntegrationResult Integrate(OdeProblem problem, IntegratorOptions options, StepObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        problem.Validate();
        bool adaptive = options.Step is null;
        if (adaptive) options.ValidateAdaptive(Name); else options.ValidateFixed(Name);

        int n = problem.Dimension;
        var f = problem.Rhs;
        var y = problem.Y0.ToArray();
        var yNew = new double[n];
        var k1 = new double[n]; var k2 = new double[n]; var k3 = new double[n]; var k4 = new double[n];
        var k5 = new double[n]; var k6 = new double[n]; var k7 = new double[n]; var tmp = new double[n];
        double t = problem.T0, T1 = problem.T1, span = T1 - t;
        double hMax = options.MaxStep ?? span;
        f(t, y, k1);
        int evals = 1, accepted = 0, rejected = 0;
        double h = adaptive ? Math.Min(hMax, options.InitialStep ?? InitialStep(problem, options, y, k1, ref evals)) : options.Step!.Value;
        var used = adaptive ? options with { InitialStep = h } : options;
        var dense = options.DenseOutput ? new DenseOutput(n, problem.T0) : null;
        double errMax = 0, errSum = 0;
        bool lastRejected = false;

        while (t < T1)
        {
            if (accepted + rejected >= options.MaxSteps)
                return Done(IntegrationStatus.MaxStepsReached);
            if (adaptive && h <= 1e-14 * Math.Max(1, Math.Abs(t)))
                return Done(IntegrationStatus.StepTooSmall);
            bool last = t + h >= T1 - 1e-12 * h;
            if (last) h = T1 - t;

            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * A21 * k1[i];
            f(t + C2 * h, tmp, k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
            f(t + C3 * h, tmp, k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            f(t + C4 * h, tmp, k4);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            f(t + C5 * h, tmp, k5);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            f(t + h, tmp, k6);
            for (int i = 0; i < n; i++) yNew[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
            f(t + h, yNew, k7);
            evals += 6;

            double err = 0, errAbs = 0;
            bool finite = true;
            for (int i = 0; i < n; i++)
            {
                double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                double sc = options.AbsoluteTolerance + options.RelativeTolerance * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i]));
                err += adaptive ? (e / sc) * (e / sc) : 0;
                errAbs += e * e;
                finite &= double.IsFinite(yNew[i]) && double.IsFinite(k7[i]);
            }
            if (!finite)
            {
                if (!adaptive) return Done(IntegrationStatus.NonFinite);
                rejected++; lastRejected = true; h *= MinFactor; continue;
            }
            err = Math.Sqrt(err / n);

            if (!adaptive || err <= 1)
            {
                dense?.Append(t, h, y, yNew, k1, k3, k4, k5, k6, k7);
                t = last ? T1 : t + h;
                (y, yNew) = (yNew, y);
                (k1, k7) = (k7, k1);        // FSAL: f at the new point is the next step's first stage
                accepted++;
                errMax = Math.Max(errMax, err);
                errSum += Math.Sqrt(errAbs);
                observer?.Invoke(t, y);
                if (adaptive)
                {
                    double factor = err == 0 ? MaxFactor : Math.Clamp(Safety * Math.Pow(err, -0.2), MinFactor, MaxFactor);
                    if (lastRejected) factor = Math.Min(factor, 1);
                    h = Math.Min(hMax, h * factor);
                    lastRejected = false;
                }
            }
            else
            {
                rejected++;
                lastRejected = true;
                h *= Math.Max(MinFactor, Safety * Math.Pow(err, -0.2));
            }
        }
        return Done(IntegrationStatus.Success);

        IntegrationResult Done(IntegrationStatus status) =>
            new(status, t, y, evals, accepted, rejected, adaptive ? errMax : errSum, used, dense);
    }

    private static double InitialStep(OdeProblem p, IntegratorOptions o, double[] y0, double[] f0, ref int evals)
    {
        int n = y0.Length;
        double d0 = 0, d1 = 0;
        for (int i = 0; i < n; i++)
        {
            double sc = o.AbsoluteTolerance + o.RelativeTolerance * Math.Abs(y0[i]);
            d0 += (y0[i] / sc) * (y0[i] / sc);
            d1 += (f0[i] / sc) * (f0[i] / sc);
        }
        d0 = Math.Sqrt(d0 / n); d1 = Math.Sqrt(d1 / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.Min(h0, p.T1 - p.T0);
        var y1 = new double[n]; var f1 = new double[n];
        for (int i = 0; i < n; i++) y1[i] = y0[i] + h0 * f0[i];
        p.Rhs(p.T0 + h0, y1, f1);
        evals++;
        double d2 = 0;
        for (int i = 0; i < n; i++)
        {
            double sc = o.AbsoluteTolerance + o.RelativeTolerance * Math.Abs(y0[i]);
            d2 += ((f1[i] - f0[i]) / sc) * ((f1[i] - f0[i]) / sc);
        }
        d2 = Math.Sqrt(d2 / n) / h0;
        double h1 = Math.Max(d1, d2) <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 0.2);
        double h = Math.Min(100 * h0, h1);
        return double.IsFinite(h) && h > 0 ? Math.Min(h, p.T1 - p.T0) : 1e-6 * (p.T1 - p.T0);
    }

    /// <summary>Writes the five dense-output coefficient vectors of one step.</summary>
    internal static void DenseCoefficients(double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew,
        ReadOnlySpan<double> k1, ReadOnlySpan<double> k3, ReadOnlySpan<double> k4, ReadOnlySpan<double> k5,
        ReadOnlySpan<double> k6, ReadOnlySpan<double> k7, Span<double> r)
    {
        int n = y.Length;
        for (int i = 0; i < n; i++)
        {
            double diff = yNew[i] - y[i];
            double bspl = h * k1[i] - diff;
            r[i] = y[i];
            r[n + i] = diff;
            r[2 * n + i] = bspl;
            r[3 * n + i] = diff - h * k7[i] - bspl;
            r[4 * n + i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
        }
    }
}

/// <summary>The continuous (fourth-order) interpolant of a Dormand–Prince run over [T0, T1].</summary>
public sealed class DenseOutput
{
    private readonly int _n;
    private readonly List<double> _starts = [];
    private readonly List<double> _steps = [];
    private readonly List<double[]> _coefficients = [];

    internal DenseOutput(int dimension, double t0) { _n = dimension; T0 = t0; }

    /// <summary>Start of the covered interval.</summary>
    public double T0 { get; }

    /// <summary>End of the covered interval.</summary>
    public double T1 => _starts.Count == 0 ? T0 : _starts[^1] + _steps[^1];

    /// <summary>State dimension.</summary>
    public int Dimension => _n;

    internal void Append(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew,
        ReadOnlySpan<double> k1, ReadOnlySpan<double> k3, ReadOnlySpan<double> k4, ReadOnlySpan<double> k5,
        ReadOnlySpan<double> k6, ReadOnlySpan<double> k7)
    {
        var r = new double[5 * _n];
        DormandPrince45.DenseCoefficients(h, y, yNew, k1, k3, k4, k5, k6, k7, r);
        _starts.Add(t); _steps.Add(h); _coefficients.Add(r);
    }

    /// <summary>Writes y(t) into <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> outside [T0, T1].</exception>
    public void Evaluate(double t, Span<double> y)
    {
        if (y.Length != _n) throw new ArgumentException($"DenseOutput.Evaluate: y has length {y.Length}, expected {_n}.", nameof(y));
        if (_starts.Count == 0 || t < T0 - 1e-12 * Math.Abs(T1 - T0) || t > T1 + 1e-12 * Math.Abs(T1 - T0))
            throw new ArgumentOutOfRangeException(nameof(t), t, $"dense output covers [{T0}, {T1}]");
        int k = _starts.BinarySearch(t);
        if (k < 0) k = Math.Max(0, ~k - 1);
        k = Math.Min(k, _starts.Count - 1);
        double theta = (t - _starts[k]) / _steps[k], theta1 = 1 - theta;
        var r = _coefficients[k];
        int n = _n;
        for (int i = 0; i < n; i++)
            y[i] = r[i] + theta * (r[n + i] + theta1 * (r[2 * n + i] + theta * (r[3 * n + i] + theta1 * r[4 * n + i])));
    }

    /// <summary>y(t) as a new array.</summary>
    public double[] Evaluate(double t)
    {
        var y = new double[_n];
        Evaluate(t, y);
        return y;
    }
}

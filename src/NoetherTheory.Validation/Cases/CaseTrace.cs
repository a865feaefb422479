namespace NoetherTheory.Validation.Cases;

/// <summary>What a series of a <see cref="CaseTrace"/> is.</summary>
public enum SeriesRole
{
    /// <summary>Measured on the discrete run (draw solid).</summary>
    Measured,
    /// <summary>The law's prediction (draw dashed).</summary>
    Predicted,
    /// <summary>A guide: a threshold, a bound or a fitted line (draw thin).</summary>
    Guide,
}

/// <summary>One named curve of a trace: y against x, both the same length.</summary>
/// <param name="Name">Legend text (e.g. "measured |q|²", "Green's-function law").</param>
/// <param name="Role">Measured, predicted or guide.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates.</param>
public sealed record TraceSeries(string Name, SeriesRole Role, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The data behind a "theory vs discrete" chart of one verification case: the same run that gives the verdict,
/// sampled along the way (at most about <see cref="VerificationSuite.MaxTracePoints"/> points per series).
/// </summary>
/// <param name="CaseId">Case id.</param>
/// <param name="Title">Chart title (the case's quantity).</param>
/// <param name="XLabel">Axis label of x (for example "step n" or "learning rate η").</param>
/// <param name="YLabel">Axis label of y.</param>
/// <param name="Series">The curves, measured first.</param>
/// <param name="Record">The verdict of the same run (as <see cref="VerificationSuite.Run"/> would give it).</param>
public sealed record CaseTrace(string CaseId, string Title, string XLabel, string YLabel, IReadOnlyList<TraceSeries> Series,
    VerificationRecord Record)
{
    /// <summary>Draw x on a logarithmic axis (convergence sweeps).</summary>
    public bool LogX { get; init; }

    /// <summary>Draw y on a logarithmic axis.</summary>
    public bool LogY { get; init; }

    /// <summary>The series called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such series (the message lists them).</exception>
    public TraceSeries this[string name] => Series.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"trace of '{CaseId}' has no series '{name}'; series: {string.Join(", ", Series.Select(s => s.Name))}.", nameof(name));
}

/// <summary>
/// A convergence sweep of an order case: the error at each step size (or learning rate) and the least-squares slope of
/// log error against log step, for a log–log chart.
/// </summary>
/// <remarks>The observed order is the slope of theory/04-numerical-integration.md#eq-4-1.</remarks>
/// <param name="CaseId">Case id.</param>
/// <param name="XLabel">What the step is ("step h", "learning rate η").</param>
/// <param name="YLabel">What the error is.</param>
/// <param name="Steps">Step sizes, as swept.</param>
/// <param name="Errors">Error at each step size.</param>
/// <param name="Slope">Fitted slope (the observed order).</param>
/// <param name="ExpectedOrder">The order the case predicts.</param>
/// <param name="Record">The verdict of the same sweep.</param>
public sealed record ConvergenceReport(string CaseId, string XLabel, string YLabel, IReadOnlyList<double> Steps,
    IReadOnlyList<double> Errors, double Slope, double ExpectedOrder, VerificationRecord Record)
{
    /// <summary>log-intercept c of the fit log e = c + slope·log h (least squares over the positive pairs).</summary>
    public double Intercept
    {
        get
        {
            var pts = Steps.Zip(Errors).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second)).ToList();
            return pts.Average(p => Math.Log(p.Second)) - Slope * pts.Average(p => Math.Log(p.First));
        }
    }

    /// <summary>The fitted error e(h) = exp(c)·h^slope, for drawing the fit line.</summary>
    public double Fitted(double step) => Math.Exp(Intercept) * Math.Pow(step, Slope);
}

/// <summary>Collects the series a law records while it runs (only when a trace was asked for).</summary>
internal sealed class TraceSink(int maxPoints)
{
    private readonly List<(string Name, SeriesRole Role, List<double> X, List<double> Y)> _series = [];

    public string XLabel { get; private set; } = "step n";
    public string YLabel { get; private set; } = "";
    public bool LogX { get; private set; }
    public bool LogY { get; private set; }
    public (string XLabel, string YLabel, double[] Steps, double[] Errors, double Expected)? Sweep { get; private set; }

    public void Axes(string xLabel, string yLabel, bool logX = false, bool logY = false) =>
        (XLabel, YLabel, LogX, LogY) = (xLabel, yLabel, logX, logY);

    /// <summary>Sampling stride for a run of <paramref name="steps"/> steps: every step up to the point budget.</summary>
    public int Stride(int steps) => Math.Max(1, (steps + maxPoints - 1) / maxPoints);

    /// <summary>Whether step n (0…steps) is recorded: every stride-th and the last.</summary>
    public bool Samples(int n, int steps) => n % Stride(steps) == 0 || n == steps;

    public void Add(string name, SeriesRole role, double x, double y)
    {
        int i = _series.FindIndex(s => s.Name == name);
        if (i < 0) { _series.Add((name, role, [], [])); i = _series.Count - 1; }
        _series[i].X.Add(x);
        _series[i].Y.Add(y);
    }

    public void AddSweep(string xLabel, string yLabel, double[] steps, double[] errors, double expected)
    {
        Sweep = (xLabel, yLabel, steps, errors, expected);
        Axes(xLabel, yLabel, logX: true, logY: true);
        for (int i = 0; i < steps.Length; i++) Add("error", SeriesRole.Measured, steps[i], errors[i]);
    }

    public IReadOnlyList<TraceSeries> Series() =>
        _series.Select(s => new TraceSeries(s.Name, s.Role, s.X.ToArray(), s.Y.ToArray())).ToArray();
}

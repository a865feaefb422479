using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Benchmarks;

/// <summary>Options of the integrators suite.</summary>
/// <param name="RhsSize">n of the compiled-RHS comparison.</param>
/// <param name="Dimension">d of the heavy-ball toy model.</param>
/// <param name="Steps">Heavy-ball steps per timed repeat.</param>
/// <param name="Repeats">Timed repeats (best is reported), on both sides.</param>
/// <param name="SympyTimeout">Limit of the SymPy run.</param>
/// <param name="Python">Interpreter with SymPy and NumPy.</param>
internal sealed record IntegratorOptions(int RhsSize, int Dimension, int Steps, int Repeats, TimeSpan SympyTimeout, string Python);

/// <summary>Heavy ball on the d-dimensional Rayleigh quotient, ours against NumPy, as written to the JSON file.</summary>
internal sealed record HeavyBallRow(
    string Model,
    int Dimension,
    int Steps,
    double LearningRate,
    double Momentum,
    double OursStepsPerSecond,
    string NumpyStatus,
    double? NumpyStepsPerSecond,
    string? NumpyVersion,
    string? NumpyDetail,
    double? OursOverNumpy,
    bool? TargetMet,
    double? FinalRelDiff,
    bool? Agrees)
{
    /// <summary>Target: at least this many times NumPy's steps per second.</summary>
    public const double Target = 5;

    /// <summary>Both sides run the same recurrence and differ only in summation order (BLAS ddot vs Vec's fixed 16-lane order),
    /// ~1e-16·√d relative in |q|² and ρ; η·g is ~1e-5 of q here, so those differences mostly vanish when added to q, and
    /// the map contracts. 1e-9 leaves room for them and still catches any difference in the update rule (a missed first
    /// buffer step alone moves q by ~1e-5 relative).</summary>
    public const double Tolerance = 1e-9;
}

/// <summary>The integrators suite's JSON record.</summary>
internal sealed record IntegratorReport(RhsRow Rhs, HeavyBallRow HeavyBall)
{
    public bool ChecksPass => Rhs.ChecksPass && HeavyBall.Agrees != false;
}

/// <summary>
/// Issue 4's benchmark: the compiled RHS per call against the hand-written one and SymPy's lambdify (the symbolic suite's
/// machinery at one n), and heavy-ball steps per second of <see cref="Optimizer"/> on the scale-invariant Rayleigh quotient
/// in d dimensions (O(d) gradient) against the same loop in NumPy (bench/reference/numpy_heavy_ball.py).
/// </summary>
internal static class IntegratorSuite
{
    private const double LearningRate = 0.1, Momentum = 0.9;

    /// <summary>Runs the compiled-RHS comparison at <see cref="IntegratorOptions.RhsSize"/> and the heavy-ball comparison.</summary>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="options">What to run.</param>
    /// <param name="scripts">Where the reference scripts are.</param>
    public static IntegratorReport Run(TextWriter progress, IntegratorOptions options, ReferenceScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scripts);
        progress.WriteLine(Inv($"bench integrators: compiled RHS at n={options.RhsSize} (SymPy limit {options.SympyTimeout.TotalSeconds:0.##} s)…"));
        OurDerivation.Run(2);   // JIT warm-up
        var ours = OurDerivation.Run(options.RhsSize);
        var sympy = ReferenceScripts.Run(options.Python, scripts.Locate("sympy_symbolic.py"),
            [options.RhsSize.ToString(CultureInfo.InvariantCulture)], options.SympyTimeout);
        if (!sympy.IsOk) progress.WriteLine($"bench integrators: SymPy {sympy.Cell}: {sympy.Detail}");
        var rhs = RhsRow.From(RhsTiming.Measure(ours, sympy));
        progress.WriteLine(Inv($"bench integrators: heavy ball on rayleigh, d={options.Dimension}, {options.Steps} steps × {options.Repeats}…"));
        return new IntegratorReport(rhs, HeavyBall(options, scripts.Locate("numpy_heavy_ball.py")));
    }

    private static HeavyBallRow HeavyBall(IntegratorOptions o, string numpyScript)
    {
        int d = o.Dimension;
        var a = new double[d];
        var q0 = new double[d];
        for (int i = 0; i < d; i++)
        {
            a[i] = 1 + (i / (double)d);
            q0[i] = 1 + ((i % 7) / 7.0);
        }
        var model = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", a).With("q0", q0));
        var options = new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = LearningRate, Momentum = Momentum };

        new Optimizer(model, options).Run(Math.Min(o.Steps, 200));   // warm-up (JIT tiers), as the NumPy side
        double best = double.PositiveInfinity;
        double[] final = [];
        for (int r = 0; r < o.Repeats; r++)
        {
            var optimizer = new Optimizer(model, options);
            var clock = Stopwatch.StartNew();
            optimizer.Run(o.Steps);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            final = optimizer.Parameters.ToArray();
        }
        double ours = o.Steps / best;

        var numpy = ReferenceScripts.Run(o.Python, numpyScript,
            [Inv($"{d}"), Inv($"{o.Steps}"), Inv($"{LearningRate:R}"), Inv($"{Momentum:R}"), Inv($"{o.Repeats}")], TimeSpan.FromMinutes(10));
        double? numpyRate = null, diff = null;
        string? version = null;
        if (numpy.IsOk)
        {
            var json = numpy.Json!.Value;
            numpyRate = json.GetProperty("steps_per_s").GetDouble();
            version = json.GetProperty("numpy").GetString();
            var q = json.GetProperty("q_final").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            diff = q.Length == d ? RhsTiming.RelativeDifference(final, q) : double.PositiveInfinity;
        }
        double? ratio = ours / numpyRate;
        return new HeavyBallRow("rayleigh", d, o.Steps, LearningRate, Momentum, ours, numpy.Outcome.ToString().ToLowerInvariant(), numpyRate, version,
            numpy.IsOk ? null : numpy.Detail, ratio, ratio is { } x ? x >= HeavyBallRow.Target : null, diff,
            diff is { } dd ? dd <= HeavyBallRow.Tolerance : null);
    }

    public static void Print(TextWriter w, IntegratorReport report)
    {
        SymbolicSuite.PrintRhs(w, "## Integrators: compiled RHS per call (the ODE right-hand side an integrator calls)", [report.Rhs]);
        var h = report.HeavyBall;
        w.WriteLine(Inv($"## Integrators: heavy ball (β = {h.Momentum}, η = {h.LearningRate}) on the scale-invariant Rayleigh quotient, {h.Steps} steps"));
        w.WriteLine();
        var t = new TextTable(Inv($"implementation (d = {h.Dimension})"), "steps/s", "per step", "vs NumPy", "target", "final q vs NumPy (rel.)");
        string Agreement(double? diff, bool? agrees) =>
            diff is { } x ? Fmt.Small(x) + (agrees == true ? " ✓" : Inv($" ✗ > {HeavyBallRow.Tolerance:0e+0}")) : "—";
        t.Add("NumPy (in-place ufuncs, BLAS dot)",
            h.NumpyStepsPerSecond is { } n ? Fmt.Rate(n) : h.NumpyStatus == "unavailable" ? "NumPy not available" : h.NumpyStatus,
            h.NumpyStepsPerSecond is { } n2 ? Fmt.Seconds(1 / n2) : "—", "1×", "", "");
        t.Add("ours: Numerics Optimizer + rayleigh model", Fmt.Rate(h.OursStepsPerSecond), Fmt.Seconds(1 / h.OursStepsPerSecond),
            h.OursOverNumpy is { } r ? Fmt.Ratio(r) : "—", Fmt.Target(h.TargetMet, Inv($"≥ {HeavyBallRow.Target:0}×")), Agreement(h.FinalRelDiff, h.Agrees));
        w.Write(t);
        w.WriteLine();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

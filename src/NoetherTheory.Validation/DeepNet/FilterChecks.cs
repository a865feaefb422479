using NoetherTheory.Numerics.Laws;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>
/// Checks the learning-dynamics predictions filter by filter against a deep network's measured |w|², |g|², |v|², ⟨w,g⟩,
/// ⟨w,v⟩: the exact heavy-ball recursion, the Neural Mechanics Green's-function law, NLD's r⁴ law (Eq. 17), the effective
/// learning rate next to its RMSProp accumulator, the gradient regime, and the scale-symmetry violation by BN's ε against
/// its predicted size.
/// </summary>
public static class FilterChecks
{
    /// <summary>
    /// Bound on the exact recursion's error, relative to a_n (and to |w_n||v_{n+1}| for b). The engine updates float32
    /// weights: rounding q ← q − ηv to float32 moves |q|² by at most ≈ 2⁻²³·|q|² (1.2e-7), and rounding the buffer adds
    /// ≲ 2⁻²³·η|v|/|q| of that; the measured norms are float64 reductions of the float32 tensors. 1e-5 leaves a margin of
    /// about 80 while any bookkeeping error (a wrong η, a missing decay term, an off-by-one buffer) shows up at ≳ ηk or
    /// η|v|/|q|, i.e. 1e-4 and above in the protocols.
    /// </summary>
    public const double RecursionTolerance = 1e-5;

    /// <summary>
    /// Bound on each layer's MEDIAN BN-ε residual |⟨w,g⟩ − ε/(c+ε)·γ·∂f/∂γ|/(|w||g|) (theory/05-learning-dynamics.md#eq-5-7),
    /// an exact identity of the batch loss. Both sides come from float32 back-propagation, and the round-off of ⟨w,g⟩
    /// relative to |w||g| is what ε = 0 runs show as |cos(w,g)|. That floor depends on the layer: on Fashion-MNIST
    /// (filters-cpu) its median is ≈ 1e-8 … 2e-7 from the second conv on, but 1.3e-5 in the first conv, whose 9-weight
    /// filters have gradients that cancel over N·H·W ≈ 25 000 pixels (single filter-steps there reach 7e-4). A systematic
    /// error shifts every filter and so the median: using the unbiased variance c·M/(M−1) instead of c moves the
    /// prediction by ≈ violation·c/((c+ε)(M−1)); measured on filters-cpu at ε = 0.1 that puts the median residual of the
    /// 1×1 layers (M = batch size 32) at 2.5e-4 and 4.3e-4, and the running variance or a prediction assigned to the wrong
    /// channel miss by about the violation itself (≈ 1e-2). 1e-4 is 8× the largest median floor measured and below those
    /// errors. The largest single residual is reported, not bounded; the report also sets each layer's residual beside
    /// the ε = 0 floor of the same layer, a sharper comparison where the floor is low.
    /// </summary>
    public const double EpsilonMedianTolerance = 1e-4;

    /// <summary>
    /// Violation |predicted|/(|w||g|) from which a filter-step enters the plain relative error |m − p|/|p|: 100 times the
    /// largest median round-off floor measured (1.3e-5, first conv), so that typical round-off makes that relative error
    /// ≲ 1 %. Below it (e.g. PyTorch's default ε = 1e-5 on well-scaled filters, violation ≈ 1e-6) the violation is too
    /// close to round-off for a relative error to mean anything, and only the residual is reported.
    /// </summary>
    public const double ResolvedViolation = 1e-3;

    /// <summary>Persistence index above which a layer is called persistent (and 1 minus it: white noise).</summary>
    public const double RegimeThreshold = 0.7;

    /// <summary>Runs every check on <paramref name="traces"/> (all filters of a run, as read by <see cref="FilterCsv"/>).</summary>
    /// <remarks>
    /// <para>Exact recursion (theory/04-numerical-integration.md#eq-4-5), written with the measured ⟨w_n,g_n⟩ so that it
    /// also holds for ε &gt; 0: with c′_n = |v_{n+1}|², s_n = βb_n + ⟨w_n,g_n⟩ + k·a_n,
    /// a_{n+1} = a_n − 2ηs_n + η²c′_n and b_{n+1} = s_n − ηc′_n. It needs steps n and n+1 both measured.</para>
    /// <para>Green's-function law (theory/03-noether.md#eq-3-9, theory/03-noether.md#eq-3-12):
    /// x(t) = H(t)x₀ + 2ηΣⱼG(t − tⱼ)|v_{j+1}|², t = nη. Eq. 17 (theory/05-learning-dynamics.md#eq-5-3) with |ĝ_n|² =
    /// |g_n|²|w_n|². Between measurements the drive is held at the last measured value (exact when every step is measured).</para>
    /// <para>BN-ε symmetry breaking (theory/05-learning-dynamics.md#eq-5-7): the measured ⟨w,g⟩ against the logged
    /// prediction ε/(c+ε)·γ·∂f/∂γ at every measured step (the identity holds at each step, whatever the schedule), as
    /// residual and violation relative to |w||g| and, where the violation is resolved, as a plain relative error.</para>
    /// <para>Effective learning rate η/((1−β)r²) (theory/05-learning-dynamics.md#eq-5-2) next to η/((1−β)√G) with
    /// G_{n+1} = ρ_eff G_n + 2η²(1+β)/(1−β)³·|ĝ_n|², G₀ = r⁴(0) (theory/05-learning-dynamics.md#eq-5-5).</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static FilterCheckReport Analyse(IReadOnlyList<FilterTrace> traces, FilterCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        string? skip = settings.RecursionInapplicable;
        var layers = new List<LayerFilterCheck>();
        long lastAnalysed = -1;
        foreach (var group in traces.GroupBy(t => t.Layer))
        {
            var filters = group.ToList();
            var laws = filters.Select(f => RunLaws(f, settings)).ToList();
            var recA = new List<double>();
            var recB = new List<double>();
            if (skip is null)
                foreach (var f in filters) Recursion(f, settings, recA, recB);
            var cos = filters.SelectMany(f => f.Samples.Where(s => s.Step < settings.AnalysisEndStep).Select(s => Math.Abs(s.SymmetryCosine)));
            var persistence = Median(filters.Select(f => Persistence(f, settings)));
            var steps = laws.Count > 0 ? laws[0].Steps : [];
            var curves = new List<LayerCurvePoint>(steps.Count);
            for (int i = 0; i < steps.Count; i++)
            {
                var at = laws.Where(l => i < l.Steps.Count && l.Steps[i] == steps[i]).ToList();
                curves.Add(new LayerCurvePoint(steps[i], Median(at.Select(l => l.Measured[i])), Median(at.Select(l => l.Green[i])),
                    Median(at.Select(l => l.Eq17[i])), Median(at.Select(l => l.EffectiveLr[i])), Median(at.Select(l => l.RmsPropLr[i])),
                    Median(at.Select(l => RelativeError(l.Green[i], l.Measured[i]))), Median(at.Select(l => RelativeError(l.Eq17[i], l.Measured[i])))));
            }
            if (steps.Count > 0) lastAnalysed = Math.Max(lastAnalysed, steps[^1]);
            var greenFinal = laws.Where(l => l.Steps.Count > 0).Select(l => RelativeError(l.Green[^1], l.Measured[^1])).ToList();
            var eq17Final = laws.Where(l => l.Steps.Count > 0).Select(l => RelativeError(l.Eq17[^1], l.Measured[^1])).ToList();
            layers.Add(new LayerFilterCheck(group.Key, filters.Count, recA.Count, ErrorStatistics.Of(recA), ErrorStatistics.Of(recB),
                ErrorStatistics.Of(greenFinal), ErrorStatistics.Of(eq17Final), greenFinal, eq17Final, persistence,
                RegimeOf(persistence), ErrorStatistics.Of(cos), curves, Epsilon(filters))
            { FirstNonFinite = FirstNonFinite(group.Key, filters, settings) });
        }
        return new FilterCheckReport(settings, ClosedForms.EffectiveDiscount(settings.LearningRate, settings.Momentum, settings.WeightDecay),
            skip, RecursionTolerance, lastAnalysed, layers, EpsilonMedianTolerance, FirstNonFinite(traces));
    }

    // The run's first (lowest-step) non-finite measured value, named by step, layer, filter and column; null when all are finite.
    private static string? FirstNonFinite(IReadOnlyList<FilterTrace> traces) =>
        ScanNonFinite(traces, long.MaxValue) is { } x
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"step {x.Step}, {x.Trace.Layer} filter {x.Trace.Filter}: {x.Column} = {x.Value}")
            : null;

    // The columns a non-finite check reads: the filters.csv name, the name in a layer's verdict, and the value (a prediction
    // or batch variance missing from the older layout is NaN by design and is not a non-finite measurement).
    private static readonly (string Column, string Display, Func<FilterSample, double> Value)[] MeasuredColumns =
    [
        ("w2", "|w|²", s => s.WeightNormSq), ("g2", "|g|²", s => s.GradNormSq), ("v2", "|v|²", s => s.VelocityNormSq),
        ("wg", "⟨w,g⟩", s => s.WeightDotGrad), ("wv", "⟨w,v⟩", s => s.WeightDotVelocity),
        ("wg_pred", "predicted ⟨w,g⟩", s => s.HasPrediction ? s.PredictedWeightDotGrad : 0),
        ("bn_var", "batch variance", s => double.IsNaN(s.BatchVariance) ? 0 : s.BatchVariance),
    ];

    // The lowest-step non-finite value before endStep over the traces (within a step, the first trace and column in order).
    private static (long Step, FilterTrace Trace, string Column, string Display, double Value)? ScanNonFinite(
        IEnumerable<FilterTrace> traces, long endStep)
    {
        (long Step, FilterTrace Trace, string Column, string Display, double Value)? first = null;
        foreach (var f in traces)
        foreach (var s in f.Samples)
        {
            if (s.Step >= endStep || (first is { } found && s.Step >= found.Step)) break;
            foreach (var (column, display, value) in MeasuredColumns)
            {
                double v = value(s);
                if (double.IsFinite(v)) continue;
                first = (s.Step, f, column, display, v);
                break;
            }
        }
        return first;
    }

    /// <summary>The BN-ε comparison over every sample of <paramref name="filters"/> that carries a prediction: violation and
    /// residual relative to |w||g|, and the relative error where the violation is resolved (also what
    /// <see cref="GroupEpsilonLaws"/> runs on each scale group's generators).</summary>
    internal static EpsilonCheck Epsilon(IReadOnlyList<FilterTrace> filters)
    {
        var violation = new List<double>();
        var residual = new List<double>();
        var relative = new List<double>();
        foreach (var f in filters)
        foreach (var s in f.Samples)
        {
            double scale = s.SymmetryScale;
            if (!s.HasPrediction || !(scale > 0)) continue;   // no prediction logged, or g = 0 (nothing to compare)
            double v = Math.Abs(s.PredictedWeightDotGrad) / scale;
            double diff = Math.Abs(s.WeightDotGrad - s.PredictedWeightDotGrad);
            violation.Add(v);
            residual.Add(diff / scale);
            if (v >= ResolvedViolation) relative.Add(diff / Math.Abs(s.PredictedWeightDotGrad));
        }
        return new EpsilonCheck(residual.Count, ErrorStatistics.Of(violation), ErrorStatistics.Of(residual), relative.Count,
            ErrorStatistics.Of(relative));
    }

    /// <summary>
    /// The earliest analysed sample of a layer with a NaN or infinite measured quantity (|w|², |g|², |v|², ⟨w,g⟩,
    /// ⟨w,v⟩, or a logged ⟨w,g⟩ prediction or batch variance that is infinite), as "layer L, filter F, step n: name = value"; null when every
    /// value is finite. The statistics drop NaN (a median of a diverged filter means nothing), so this is what makes a
    /// diverged log fail the verdicts instead of vanishing from them.
    /// </summary>
    private static string? FirstNonFinite(string layer, IReadOnlyList<FilterTrace> filters, FilterCheckSettings settings) =>
        ScanNonFinite(filters, settings.AnalysisEndStep) is { } x
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layer {layer}, filter {x.Trace.Filter}, step {x.Step}: {x.Display} = {x.Value}")
            : null;

    /// <summary>|predicted − measured|/|measured| (NaN when measured is 0).</summary>
    public static double RelativeError(double predicted, double measured) =>
        measured == 0 ? double.NaN : Math.Abs(predicted - measured) / Math.Abs(measured);

    private static void Recursion(FilterTrace f, FilterCheckSettings s, List<double> errA, List<double> errB)
    {
        double eta = s.LearningRate, beta = s.Momentum, k = s.WeightDecay;
        var x = f.Samples;
        for (int i = 0; i + 1 < x.Count; i++)
        {
            var (p, q) = (x[i], x[i + 1]);
            if (q.Step != p.Step + 1 || q.Step >= s.AnalysisEndStep) continue;
            double c = q.VelocityNormSq;
            double inner = beta * p.WeightDotVelocity + p.WeightDotGrad + k * p.WeightNormSq;   // ⟨w_n, v_{n+1}⟩
            double a = p.WeightNormSq - 2 * eta * inner + eta * eta * c;
            double b = inner - eta * c;
            errA.Add(Math.Abs(a - q.WeightNormSq) / p.WeightNormSq);
            double scale = Math.Sqrt(p.WeightNormSq * c);
            errB.Add(scale > 0 ? Math.Abs(b - q.WeightDotVelocity) / scale : Math.Abs(b - q.WeightDotVelocity));
        }
    }

    // Persistence index of one filter. The buffer is v_n = Σⱼ βʲ d_{n−1−j}; uncorrelated d give E|v_n|² = W_n = Σⱼ β²ʲ|d_{n−1−j}|²,
    // aligned d give P_n = (Σⱼ βʲ|d_{n−1−j}|)². Both are built from the measured |d|² (held between measurements) and the
    // index (|v_n|² − W_n)/(P_n − W_n) is taken at measured steps after ≈ 5/(1−β) steps; median over them.
    private static double Persistence(FilterTrace f, FilterCheckSettings s)
    {
        double beta = s.Momentum, k = s.WeightDecay;
        var x = f.Samples;
        if (beta == 0 || x.Count == 0 || x[0].Step != 0) return double.NaN;
        long warm = (long)Math.Ceiling(5 / (1 - beta));
        double white = 0, amplitude = 0;
        var index = new List<double>();
        int held = 0, next = 1;
        long end = x.Where(v => v.Step < s.AnalysisEndStep).Select(v => v.Step).DefaultIfEmpty(0).Max();
        for (long n = 0; n < end; n++)
        {
            while (held + 1 < x.Count && x[held + 1].Step <= n) held++;
            var h = x[held];
            double d2 = Math.Max(h.GradNormSq + 2 * k * h.WeightDotGrad + k * k * h.WeightNormSq, 0);
            white = beta * beta * white + d2;
            amplitude = beta * amplitude + Math.Sqrt(d2);
            while (next < x.Count && x[next].Step < n + 1) next++;
            if (next < x.Count && x[next].Step == n + 1 && n + 1 >= warm)
            {
                double persistent = amplitude * amplitude;
                if (persistent > white * (1 + 1e-9)) index.Add((x[next].VelocityNormSq - white) / (persistent - white));
            }
        }
        return Median(index);
    }

    private static GradientRegime RegimeOf(double index) =>
        double.IsNaN(index) ? GradientRegime.Undetermined
        : index >= RegimeThreshold ? GradientRegime.Persistent
        : index <= 1 - RegimeThreshold ? GradientRegime.WhiteNoise
        : GradientRegime.Mixed;

    private sealed record LawSeries(List<long> Steps, List<double> Measured, List<double> Green, List<double> Eq17,
        List<double> EffectiveLr, List<double> RmsPropLr);

    private static LawSeries RunLaws(FilterTrace f, FilterCheckSettings s)
    {
        var series = new LawSeries([], [], [], [], [], []);
        var x = f.Samples;
        if (x.Count == 0 || x[0].Step != 0) return series;   // the laws start from the measured initial state
        double eta = s.LearningRate, beta = s.Momentum, k = s.WeightDecay;
        double lrScale = eta / (1 - beta);
        var osc = DampedOscillator.ForScale(eta, beta, k);
        var green = osc.CreateSum(eta);
        double x0 = x[0].WeightNormSq;
        var eq17 = new Eq17Predictor(eta, beta, k, x0);
        double rho = ClosedForms.EffectiveDiscount(eta, beta, k), gain = ClosedForms.EffectiveInputGain(eta, beta);
        double accumulator = x0 * x0;
        // |v_1|² = |d_0|² exactly (PyTorch's first buffer is d_0): the drive of step 0 when step 1 is not measured.
        double firstDrive = x[0].GradNormSq + 2 * k * x[0].WeightDotGrad + k * k * x[0].WeightNormSq;
        void Record(long step, double measured, double greenX, double eq17R2, double accum)
        {
            series.Steps.Add(step);
            series.Measured.Add(measured);
            series.Green.Add(greenX);
            series.Eq17.Add(eq17R2);
            series.EffectiveLr.Add(lrScale / measured);
            series.RmsPropLr.Add(lrScale / Math.Sqrt(accum));
        }
        Record(0, x0, x0, x0, accumulator);
        long end = x.Where(v => v.Step < s.AnalysisEndStep).Select(v => v.Step).DefaultIfEmpty(0).Max();
        int drive = 0, grad = 0, next = 1;
        for (long n = 0; n < end; n++)
        {
            while (drive + 1 < x.Count && x[drive + 1].Step <= n + 1) drive++;
            while (grad + 1 < x.Count && x[grad + 1].Step <= n) grad++;
            double c = x[drive].Step >= 1 ? x[drive].VelocityNormSq : firstDrive;
            double gHat2 = x[grad].UnitGradNormSq;
            green.Add(2 * eta * c);
            green.Advance();
            eq17.Step(gHat2);
            accumulator = rho * accumulator + gain * gHat2;
            if (next < x.Count && x[next].Step == n + 1)
            {
                Record(n + 1, x[next].WeightNormSq, osc.Homogeneous(eta * (n + 1)) * x0 + green.Value, eq17.R2, accumulator);
                next++;
            }
        }
        return series;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : ErrorStatistics.Quantile(sorted, 0.5);
    }
}

using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>One layer's measured rotational equilibrium against the prediction of its rule (theory/05-learning-dynamics.md#eq-5-8).</summary>
/// <param name="Layer">The conv's name.</param>
/// <param name="Filters">Filters with angles in the window.</param>
/// <param name="PredictedAngle">θ* (rad per step), the same for every filter (independent of the gradient statistics).</param>
/// <param name="MeasuredAngle">Median over filters of the RMS angle per step in the window.</param>
/// <param name="AngleError">Median over filters of |θ_rms − θ*|/θ*.</param>
/// <param name="NormError">Median over filters of |r − r*|/r*, with r* from the filter's own measured gradient statistics in
/// the window (s = ⟨|g|²|w|²⟩ for the SGD family; C = fan-in for the adaptive family); NaN when not predicted.</param>
/// <param name="EffectiveLearningRateError">Median over filters of |η_eff − η_eff*|/η_eff* (η/((1−β)r²) or η/r); NaN when
/// not predicted.</param>
/// <param name="ReachedAtStep">The first measured step from which the layer's running RMS angle stays within
/// <see cref="EquilibriumAnalysis.ReachedWithin"/> of θ*, or null when it does not stay there to the end.</param>
/// <param name="MomentumRatio">Median over filters of ⟨|v|²⟩/⟨|g|²⟩ in the window: how persistent the gradients are. For a
/// buffer v' = a·v + c·g white gradients give c²/(1−a²), persistent ones c²/(1−a)² (<see cref="MomentumReferences"/>); NaN
/// for rules without a momentum buffer.</param>
public sealed record LayerEquilibrium(string Layer, int Filters, double PredictedAngle, double MeasuredAngle, double AngleError,
    double NormError, double EffectiveLearningRateError, long? ReachedAtStep, double MomentumRatio = double.NaN)
{
    /// <summary>The first measured step at which the layer's running RMS angle is within
    /// <see cref="EquilibriumAnalysis.ReachedWithin"/> of θ* (it may leave again), or null when it never is.</summary>
    public long? FirstWithinStep { get; init; }
}

/// <summary>The equilibrium report of one run.</summary>
/// <param name="Rule">The catalog rule the run's optimizer is.</param>
/// <param name="Prediction">The engine's equilibrium under white gradients.</param>
/// <param name="RelaxationSteps">Steps over which the norm relaxes (r⁴ for the SGD family, r² for adaptive rules).</param>
/// <param name="WindowStart">First step of the window the RMS angles are taken over.</param>
/// <param name="LastStep">The last measured step.</param>
/// <param name="Layers">Per layer.</param>
/// <param name="Note">What the numbers mean for this run (for example: ended before one relaxation time).</param>
/// <param name="Equilibrated">True when the window starts at or after <see cref="EquilibriumAnalysis.EquilibratedAfter"/>
/// relaxation times (the norms have relaxed to within e⁻³ of their equilibrium); false when the run is too short and the
/// window is the last <see cref="EquilibriumAnalysis.WindowFraction"/> of it instead.</param>
/// <param name="Momentum">What |v|²/|g|² would be under white and under persistent gradients for the rule's buffer, or null
/// when the rule has no buffer of that form.</param>
public sealed record EquilibriumReport(string Rule, EquilibriumPrediction Prediction, double RelaxationSteps, long WindowStart, long LastStep,
    IReadOnlyList<LayerEquilibrium> Layers, string Note, bool Equilibrated = false, MomentumReferences? Momentum = null)
{
    /// <summary>Median over layers of the per-layer median angle error (NaN without layers).</summary>
    public double MedianAngleError => EquilibriumAnalysis.MedianOf([.. Layers.Select(l => l.AngleError)]);
}

/// <summary>The stationary |v|²/|g|² of a rule's first buffer v' = a·v + c·g (+ terms in q), read off its catalog update:
/// c²/(1−a²) when successive gradients are independent (white), c²/(1−a)² when they repeat (persistent). A measured ratio
/// between the two says how persistent the gradients are; below the white value, that successive gradients anticorrelate.</summary>
/// <param name="Buffer">The buffer's name in the catalog.</param>
/// <param name="Decay">a: the buffer's coefficient in its own update.</param>
/// <param name="Gain">c: the gradient's coefficient.</param>
public sealed record MomentumReferences(string Buffer, double Decay, double Gain)
{
    // The catalog's position coordinate (update expressions are written in q and g(q)).
    private static readonly Symbol Q = Expr.Symbol("q");

    /// <summary>c²/(1−a²): independent gradients.</summary>
    public double White => Gain * Gain / (1 - (Decay * Decay));

    /// <summary>c²/(1−a)²: the same gradient every step.</summary>
    public double Persistent => Gain * Gain / ((1 - Decay) * (1 - Decay));

    /// <summary>Reads a and c off the rule's first buffer update at the run's hyperparameters (q = 0, so weight decay in the
    /// buffer drops out); null when the rule has no buffer, its update is not affine in (v, g) with |a| &lt; 1, or a
    /// hyperparameter it needs has no value.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="values">Hyperparameter values by symbol.</param>
    public static MomentumReferences? Of(LearningRule rule, IReadOnlyDictionary<Symbol, double> values)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(values);
        if (rule.Buffers.Length == 0) return null;
        string name = rule.Buffers[0];
        var update = rule.Update.FirstOrDefault(u => u.Target == name + "_next");
        if (update is null) return null;
        var v = Expr.Symbol(name);
        var g = Expr.Symbol("noether_gradient_");
        var form = update.Value.Substitute(Expr.Apply("g", Q), g);
        double At(double buffer, double gradient)
        {
            var at = new Dictionary<Symbol, double>(values) { [v] = buffer, [g] = gradient, [Q] = 0 };
            try { return form.Evaluate(at); }
            catch (EvaluationException) { return double.NaN; }
        }
        double zero = At(0, 0), a = At(1, 0) - zero, c = At(0, 1) - zero;
        // Affine in (v, g): the value at (2, 3) must be the sum of the parts (a nonlinear buffer, e.g. a squared gradient, fails).
        double check = At(2, 3) - zero;
        bool affine = double.IsFinite(check) && Math.Abs(check - (2 * a) - (3 * c)) <= 1e-12 * (1 + Math.Abs(check));
        if (!affine || !(Math.Abs(a) < 1) || !double.IsFinite(c) || c == 0) return null;
        return new MomentumReferences(name, a, c);
    }
}

/// <summary>
/// Predicted against measured rotational equilibrium per layer of a training run (issue 16 item 3): the angle each filter
/// turns per step (filters.csv <c>angle</c>), its norm and its effective learning rate, against the equilibrium the engine
/// derives from the run's rule (<see cref="Equilibrium"/>), and the time to reach it.
/// </summary>
public static class EquilibriumAnalysis
{
    /// <summary>A layer counts as at equilibrium while its median RMS angle is within this fraction of θ* (10%: the issue's
    /// target for the per-layer median error).</summary>
    public const double ReachedWithin = 0.10;

    /// <summary>The window the RMS angles are taken over when the run is shorter than <see cref="EquilibratedAfter"/>
    /// relaxation times: this last fraction of the measured steps.</summary>
    public const double WindowFraction = 0.25;

    /// <summary>A run counts as equilibrated from this many relaxation times on (e⁻³ ≈ 5% of the initial distance left in
    /// the relaxing quantity); the window then starts there.</summary>
    public const double EquilibratedAfter = 3;

    /// <summary>The fewest measured steps an equilibrated window must hold (else the last-fraction window is used).</summary>
    public const int MinimumWindowSteps = 4;

    /// <summary>Compares the traces with the prediction.</summary>
    /// <param name="traces">filters.csv traces (with angles).</param>
    /// <param name="rule">The run's rule.</param>
    /// <param name="values">Its hyperparameters (η of the window).</param>
    /// <param name="fanIn">Coordinates per filter by layer (C of the adaptive law), or null.</param>
    /// <exception cref="NoetherTheoryException">The log has no angles, or the rule's equilibrium is not derived.</exception>
    public static EquilibriumReport Analyse(IReadOnlyList<FilterTrace> traces, LearningRule rule, IReadOnlyDictionary<Symbol, double> values,
        IReadOnlyDictionary<string, int>? fanIn = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(values);
        var e = Equilibrium.Derive(rule, GradientForcing.White);
        if (!e.IsDerived) throw new NoetherTheoryException($"Rule '{rule.Id}': equilibrium not derived: {e.NotDerived}");
        if (!traces.Any(t => t.Samples.Any(s => !double.IsNaN(s.AngularUpdate))))
            throw new NoetherTheoryException("the per-filter log has no 'angle' column (a run started before angles were measured); train again.");
        var v = new Dictionary<Symbol, double>(values);
        double theta = Math.Sqrt(e.AngularUpdateSquared!.Evaluate(v));
        double relax = e.RelaxationSteps!.Evaluate(v);
        double eta = v[Coordinates.Eta];
        var steps = traces.SelectMany(t => t.Samples.Where(s => !double.IsNaN(s.AngularUpdate)).Select(s => s.Step)).Distinct().Order().ToList();
        long last = steps[^1];
        long windowStart = steps[(int)Math.Floor(steps.Count * (1 - WindowFraction))];
        var settled = steps.Where(n => n >= EquilibratedAfter * relax).ToList();
        bool equilibrated = settled.Count >= MinimumWindowSteps;
        if (equilibrated) windowStart = settled[0];
        bool adaptive = e.Scale == DrivingScale.Normalised;
        var momentumReferences = MomentumReferences.Of(rule, v);
        double mu0 = 1;
        if (!adaptive && e.Linearised?.Buffer is not null) mu0 = 1 - BufferStatistics.Derive(e.Linearised).Transition[1][1].Evaluate(v);
        var layers = new List<LayerEquilibrium>();
        foreach (var group in traces.GroupBy(t => t.Layer))
        {
            var angles = new List<double>();
            var angleErrors = new List<double>();
            var normErrors = new List<double>();
            var etaErrors = new List<double>();
            var momentum = new List<double>();
            foreach (var t in group)
            {
                var window = t.Samples.Where(s => s.Step >= windowStart && !double.IsNaN(s.AngularUpdate)).ToList();
                if (window.Count == 0) continue;
                double rms = Math.Sqrt(window.Average(s => s.AngularUpdate * s.AngularUpdate));
                angles.Add(rms);
                angleErrors.Add(Math.Abs(rms - theta) / theta);
                double v2 = window.Average(s => s.VelocityNormSq), g2 = window.Average(s => s.GradNormSq);
                if (momentumReferences is not null && (!double.IsFinite(v2 + g2) || (v2 > 0 && g2 > 0))) momentum.Add(v2 / g2);
                double r2 = window.Average(s => s.WeightNormSq);
                double? rStar2 = null;
                if (!adaptive)
                {
                    v[Equilibrium.S] = window.Average(s => s.UnitGradNormSq);
                    rStar2 = Math.Sqrt(e.NormLaw!.Evaluate(v));
                }
                else if (fanIn is not null && fanIn.TryGetValue(t.Layer, out int c))
                {
                    v[Equilibrium.C] = c;
                    rStar2 = e.NormLaw!.Evaluate(v);
                }
                if (rStar2 is { } rs2)
                {
                    normErrors.Add(Math.Abs(Math.Sqrt(r2) - Math.Sqrt(rs2)) / Math.Sqrt(rs2));
                    double measuredEta = adaptive ? eta / Math.Sqrt(r2) : eta / (mu0 * r2);
                    double predictedEta = adaptive ? eta / Math.Sqrt(rs2) : eta / (mu0 * rs2);
                    etaErrors.Add(Math.Abs(measuredEta - predictedEta) / predictedEta);
                }
            }
            if (angles.Count == 0) continue;
            var (firstWithin, stays) = Reached(group, theta, steps);
            // MedianOf: a filter whose window holds a non-finite value (a diverged run logged with on_non_finite: flag) makes
            // the layer's figure NaN instead of vanishing into the median.
            layers.Add(new LayerEquilibrium(group.Key, angles.Count, theta, MedianOf(angles), MedianOf(angleErrors),
                normErrors.Count > 0 ? MedianOf(normErrors) : double.NaN, etaErrors.Count > 0 ? MedianOf(etaErrors) : double.NaN,
                stays, momentum.Count > 0 ? MedianOf(momentum) : double.NaN) { FirstWithinStep = firstWithin });
        }
        string note = equilibrated
            ? $"the run lasted {last / relax:F1} relaxation times ({relax:G4} steps each); equilibrated window from step {windowStart} ({windowStart / relax:F1} relaxation times) to {last}"
            : last < relax
            ? $"the run ended at step {last}, before one relaxation time ({relax:G4} steps): equilibrium is not expected yet, and the errors measure the distance from it"
            : last < 3 * relax
                ? $"the run lasted {last / relax:F1} relaxation times ({relax:G4} steps each): the norms are still relaxing"
                : $"the run lasted {last / relax:F1} relaxation times ({relax:G4} steps each)";
        if (!equilibrated) note += $"; not equilibrated (fewer than {MinimumWindowSteps} measured steps after {EquilibratedAfter:G} relaxation times), window = last {WindowFraction:P0}";
        return new EquilibriumReport(rule.Id, e, relax, windowStart, last, layers, note, equilibrated, momentumReferences);
    }

    // The layer's running RMS angle: over its filters (mean of θ², the quantity θ* predicts; a median of θ² would sit below
    // it for a skewed spread) and over the last 8 measured steps (to average the minibatch noise). Returns the first step
    // at which it is within ReachedWithin of θ*, and the first from which it stays there.
    private static (long? First, long? Stays) Reached(IEnumerable<FilterTrace> layer, double theta, List<long> steps)
    {
        var byStep = layer.SelectMany(t => t.Samples).Where(s => !double.IsNaN(s.AngularUpdate))
            .GroupBy(s => s.Step).ToDictionary(g => g.Key, g => g.Average(s => s.AngularUpdate * s.AngularUpdate));
        long? since = null, first = null;
        var recent = new Queue<double>();
        foreach (long n in steps)
        {
            if (!byStep.TryGetValue(n, out double a2)) continue;
            recent.Enqueue(a2);
            if (recent.Count > 8) recent.Dequeue();
            double rms = Math.Sqrt(recent.Average());
            bool inside = recent.Count == 8 && Math.Abs(rms - theta) <= ReachedWithin * theta;
            if (inside)
            {
                since ??= n;
                first ??= n;
            }
            else since = null;
        }
        return (first, since);
    }

    /// <summary>The median of the values: NaN when there are none, or when any is NaN or infinite (a non-finite error must not
    /// vanish into a median).</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || values.Any(x => !double.IsFinite(x))) return double.NaN;
        return Median([.. values]);
    }

    private static double Median(List<double> x)
    {
        x.Sort();
        int n = x.Count;
        return n % 2 == 1 ? x[n / 2] : 0.5 * (x[(n / 2) - 1] + x[n / 2]);
    }

    /// <summary>A plain-text table of the report.</summary>
    public static string Format(EquilibriumReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new System.Text.StringBuilder();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append(inv, $"rule {report.Rule}: θ*² = {report.Prediction.AngularUpdateSquared}, relaxation {report.RelaxationSteps:G4} steps; window steps {report.WindowStart}..{report.LastStep}\n");
        sb.Append("  layer          filters  θ* (rad)    θ rms med   θ rel.err  |r| rel.err  η_eff rel.err  first within 10%  stays within from  |v|²/|g|²\n");
        foreach (var l in report.Layers)
            sb.Append(inv, $"  {l.Layer,-14} {l.Filters,7}  {l.PredictedAngle,-10:G4}  {l.MeasuredAngle,-10:G4}  {l.AngleError,-9:P1}  {l.NormError,-11:P1}  {l.EffectiveLearningRateError,-13:P1}  {(l.FirstWithinStep is { } f ? f.ToString(inv) : "never"),-16}  {(l.ReachedAtStep is { } s ? s.ToString(inv) : "never"),-17}  {l.MomentumRatio:G3}\n");
        sb.Append(inv, $"  median over layers of the per-layer median angle error: {report.MedianAngleError:P1}; {report.Note}\n");
        if (report.Momentum is { } m)
            sb.Append(inv, $"  |v|²/|g|² of buffer {m.Buffer} (v' = {m.Decay:G4}·v + {m.Gain:G4}·g): white gradients give {m.White:G3}, persistent ones {m.Persistent:G3}\n");
        return sb.ToString();
    }
}

using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.Generated;

/// <summary>
/// Generated checks of the closed forms beyond the steady states (issue 12 item 1): the r⁴ discount per step ρ_eff, the
/// effective learning rate η_eff and the momentum amplification Γ(β)/Γ(0) of the scale law, and the charge laws'
/// Green's-law data — the source balance λ·x* = source at a steady state (scale, rescale) and the slow Green's exponent
/// of a source-free law (translation) — and the decay rate 1/τ of the rotation law l' = −l/τ. Every measurement runs the rule's catalog update (<see cref="RuleSimulator"/>) on a
/// deterministic force model that satisfies the symmetry's invariance ⟨ξ(q), g⟩ = 0.
/// </summary>
/// <remarks>
/// Tolerances come from the O(η) bias of the leading-order laws, estimated by Richardson's rule: the ratio
/// ρ(η) = simulated/derived is measured at η, η/2 and η/4. A first-order bias halves with η, so the bias at η/4 is
/// c = ρ(η/2) − ρ(η/4), and the check compares the simulation at η/4 with derived·(1 + c). What remains is O(η²): the
/// second difference d = (ρ(η) − ρ(η/2)) − 2(ρ(η/2) − ρ(η/4)) is three times the error left in c, so the tolerance is
/// |d| (a factor 3 of safety) + <see cref="ExtrapolationSafety"/>·|c| (a bias that is not yet cleanly first order) +
/// <see cref="RoundOffFloor"/>. A law wrong by a constant factor shifts all three ratios alike and leaves c unchanged, so
/// it still fails.
/// </remarks>
internal static class DerivedFormChecks
{
    /// <summary>Fraction of the first-order correction allowed as error in it (the ratio of successive differences may sit
    /// up to 10% from 2 before the asymptotic regime).</summary>
    public const double ExtrapolationSafety = 0.1;

    /// <summary>Relative round-off allowed: the runs are deterministic, 10⁵–10⁶ steps at double precision.</summary>
    public const double RoundOffFloor = 1e-6;

    /// <summary>Relaxation times run before the steady state is read (the remaining distance is e^(−40)).</summary>
    private const int SteadyRelaxations = 40;

    private const string RichardsonReason =
        "deterministic runs at eta, eta/2, eta/4; checked at eta/4 against derived·(1 + c) with the O(η) bias c = ρ(η/2) − ρ(η/4) "
        + "(ρ = simulated/derived; a first-order bias halves with η; the triple moves to eta/2 … eta/16 while the tolerance exceeds 0.3%); tolerance = |second difference of ρ| (3× the O(η²) error left in c) "
        + "+ 0.1·|c| + 1e-6 (round-off)";

    /// <summary>ρ_eff, η_eff and the amplification of the scale law (persistent gradients turning with q in a plane of A).</summary>
    public static IEnumerable<DerivedCheck> ScaleForms(LearningRule rule, DerivationResult result, IReadOnlyDictionary<string, double> values,
        DerivedCheckSettings settings, int relax, List<SkippedRule> skipped)
    {
        var a = result.Adaptive ?? throw new InvalidOperationException("ScaleForms needs the adaptive reduction");
        double s = settings.GradientScale;
        double eta = values["eta"];
        var plane = Plane(result, translation: false)
                    ?? throw new NoetherTheoryException("the scale generator has no two coordinates with xi_i = q_i to turn the gradient in");
        var runs = new Dictionary<(double Eta, bool NoMomentum), Persistent>();
        Persistent Run(double e, bool noMomentum)
        {
            if (runs.TryGetValue((e, noMomentum), out var run)) return run;
            var v = With(values, e);
            if (noMomentum) v["beta"] = 0;
            int steps = SteadyRelaxations * Math.Max(100, (int)(relax * eta / e));
            run = RunPersistent(new RuleSimulator(rule, v), result.Dimension, plane, s, steps);
            runs[(e, noMomentum)] = run;
            return run;
        }
        double Step(double e, bool noMomentum = false)
        {
            var sym = Symbols(values, e, s);
            if (noMomentum) sym[Coordinates.Beta] = 0;
            return result.ModifiedEquation.Step.Evaluate(sym);
        }

        yield return Richardson(rule.Id, "scale", "1-rho_eff", eta, e =>
        {
            double derived = 1 - a.DiscountPerStep.Evaluate(Symbols(values, e, s));
            return (derived, 1 - Run(e, false).Contraction);
        }, "discount per step of r⁴: simulated 1 − ρ from the linear response of r⁴ to a kick q → 1.001·q at the steady state "
           + "(geometric rate between half and e^−3·half of the kick); " + RichardsonReason);

        yield return Richardson(rule.Id, "scale", "eta_eff", eta, e =>
        {
            var run = Run(e, false);
            var sym = Symbols(values, e, s);
            sym[Expr.Symbol("r")] = Math.Sqrt(run.Radius2);
            return (a.EffectiveLearningRate.Evaluate(sym) * Math.Sqrt(s), run.AnglePerStep);
        }, "effective learning rate: simulated angle turned per step at the steady state against eta_eff(r*)·|ĝ|; " + RichardsonReason);

        if (a.MomentumAmplification is not { } amplification)
        {
            skipped.Add(new SkippedRule(rule.Id, "amplification: not derived (the rule has no hyperparameter beta to set to 0)"));
            yield break;
        }
        yield return Richardson(rule.Id, "scale", "amplification", eta, e =>
        {
            double Gain(bool noMomentum)
            {
                var run = Run(e, noMomentum);
                return (1 - run.Contraction) / Step(e, noMomentum) * run.SteadyR4 / s;
            }
            return (amplification.Evaluate(Symbols(values, e, s)), Gain(false) / Gain(true));
        }, "momentum amplification Γ(β)/Γ(0): simulated gains Γ = D·r⁴*/s with D = (1 − ρ)/h and r⁴* both from the simulation "
           + "(at beta and at beta = 0); " + RichardsonReason);
    }

    /// <summary>The Green's-law data of the rule's charge law under <paramref name="symmetry"/>.</summary>
    public static IEnumerable<DerivedCheck> ChargeLawForms(Catalog catalog, LearningRule rule, SymmetryDefinition symmetry,
        IReadOnlyDictionary<string, double> values, DerivedCheckSettings settings, int relax, List<SkippedRule> skipped)
    {
        var result = Derivation.Run(catalog, rule.Id, symmetry.Id, ModelSpec.Abstract);
        string where = $"{symmetry.Id}: ";
        if (result.Law is not { } law || law.Kind == ChargeLawKind.None)
        {
            skipped.Add(new SkippedRule(rule.Id, where + "no closed charge law is derived"
                + (result.Law is { Obstruction: not null } l ? $": {DerivationFormatter.Reason(l)}" : "") + "; nothing to check"));
            yield break;
        }
        if (law.Kind == ChargeLawKind.Decay)
        {
            foreach (var check in DecayForm(rule, symmetry, result, law, values, skipped)) yield return check;
            yield break;
        }
        double s = settings.GradientScale;
        double eta = values["eta"];
        int dim = result.Dimension;
        var q = Coordinates.Q(dim);
        var value = ExprCompiler.CompileScalar(law.Value, q);
        bool sourceFree = law.Source.Equals(Expr.Zero);
        var plane = Plane(result, translation: sourceFree);
        if (plane is null)
        {
            skipped.Add(new SkippedRule(rule.Id, where + "no pair of coordinates with a common generator to build an invariant force model in"));
            yield break;
        }
        if (!sourceFree)
        {
            yield return Richardson(rule.Id, symmetry.Id, "source balance", eta, e =>
            {
                var v = With(values, e);
                int steps = SteadyRelaxations * Math.Max(100, (int)(relax * eta / e));
                var run = RunPersistent(new RuleSimulator(rule, v), dim, plane.Value, s, steps);
                var sym = Symbols(values, e, s);
                double h = result.ModifiedEquation.Step.Evaluate(sym);
                for (int i = 0; i < dim; i++)
                {
                    sym[q[i]] = run.Q[i];
                    sym[Expr.Symbol(Coordinates.QDotName, i)] = run.LastStep[i] / h;
                }
                double stiffness = law.Stiffness.Evaluate(sym);
                return (law.Source.Evaluate(sym) / stiffness, value(run.Q));
            }, $"Green's-law source: at the persistent steady state ({law.Quantity}' = {law.Quantity}'' = 0) the law gives "
               + $"{law.Quantity}* = source/lambda with the source evaluated on the simulated velocity (q_(n+1) − q_n)/h; simulated {law.Quantity} "
               + $"= {P(law.Value)}; force: |ĝ| = sqrt(s) turning with q in the plane (q[{plane.Value.I}], q[{plane.Value.J}]), orthogonal to xi(q); "
               + RichardsonReason);
            yield break;
        }
        if (law.Green is not { } green)
        {
            skipped.Add(new SkippedRule(rule.Id, where + "no Green's functions derived"));
            yield break;
        }
        yield return Richardson(rule.Id, symmetry.Id, "green slow rate", eta, e =>
        {
            var sym = Symbols(values, e, s);
            double gamma = green.Gamma.Evaluate(sym);
            double discriminant = green.Discriminant.Evaluate(sym);
            if (!(discriminant > 0)) throw new NoetherTheoryException($"{symmetry.Id}: the law is not over-damped at these values (gamma² − omega² = {discriminant:G4})");
            double slow = gamma - Math.Sqrt(discriminant);
            double h = result.ModifiedEquation.Step.Evaluate(sym);
            int steps = SteadyRelaxations * Math.Max(100, (int)(relax * eta / e));
            double contraction = SourceFreeContraction(new RuleSimulator(rule, With(values, e)), dim, plane.Value, s, steps, value);
            return (slow, -Math.Log(contraction) / h);
        }, $"Green's law without source: {law.Quantity} = {P(law.Value)} decays at the slow exponent gamma − sqrt(gamma² − omega²) of its "
           + "over-damped Green's functions; simulated: −ln(ρ)/h with ρ the per-step contraction of "
           + $"{law.Quantity} under a constant gradient sqrt(s/2)·(e_{plane.Value.I} − e_{plane.Value.J}) orthogonal to xi; " + RichardsonReason);
    }

    private static string P(Expr e) => e.ToString();

    /// <summary>Curvature a of the isotropic quadratic loss a·|q|²/2 the decay check runs on (invariant under every rotation).</summary>
    internal const double DecayCurvature = 1.0;

    private const string DecayReason =
        "The rate per step h/tau of the decay law is of order one in eta (tau = m/mu is a few steps), so its expansion parameter is "
        + "1 − beta, not eta: runs at (1 − beta, eta), (1 − beta, eta)/2·(1, 1/2), …, i.e. 1 − beta halved and eta quartered per level, so both "
        + "first-order corrections (in 1 − beta and in eta/(1 − beta)) halve together; checked at the last level against derived·(1 + c) with "
        + "c = ρ(level 1) − ρ(level 2) (ρ = simulated/derived; the triple moves two levels further while the tolerance exceeds 0.3%); "
        + "tolerance = |second difference of ρ| (3× the second-order error left in c) + 0.1·|c| + 1e-6 (round-off)";

    /// <summary>
    /// The rotation law l' = −l/τ (a skew generator K): on the isotropic quadratic loss DecayCurvature·|q|²/2 plus the rule's own
    /// weight decay, after one tangential kick, the per-step contraction ρ of the discrete angular momentum
    /// l_n = ⟨K q_n, q_n − q_(n−1)⟩ gives the simulated rate −ln(ρ)/h, compared with the derived 1/τ. A non-finite angular momentum
    /// makes the measured rate NaN, so the check fails instead of being skipped.
    /// </summary>
    private static IEnumerable<DerivedCheck> DecayForm(LearningRule rule, SymmetryDefinition symmetry, DerivationResult result, ChargeLaw law,
        IReadOnlyDictionary<string, double> values, List<SkippedRule> skipped)
    {
        string where = $"{symmetry.Id}: ";
        if (!values.TryGetValue("beta", out double beta))
        {
            skipped.Add(new SkippedRule(rule.Id, where + "the decay law l' = −l/tau has tau of order one step (h/tau = "
                + P(result.ModifiedEquation.Step / law.DampingTime) + "), and the rule has no momentum hyperparameter beta whose limit "
                + "1 − beta → 0 resolves it, so it is not checked (the discrete angular momentum of a rule without a buffer vanishes after one step)"));
            yield break;
        }
        int dim = result.Dimension;
        var q = Coordinates.Q(dim);
        var xi = result.Generator.Select(e => ExprCompiler.CompileScalar(e, q)).ToArray();
        double eta = values["eta"], gap = 1 - beta;
        yield return RichardsonLevels(rule.Id, symmetry.Id, "decay rate 1/tau", level =>
        {
            var v = new Dictionary<string, double>(values) { ["eta"] = eta / Math.Pow(4, level), ["beta"] = 1 - (gap / Math.Pow(2, level)) };
            var sym = v.ToDictionary(kv => Expr.Symbol(kv.Key), kv => kv.Value);
            double h = result.ModifiedEquation.Step.Evaluate(sym);
            double derived = 1 / law.DampingTime.Evaluate(sym);
            double contraction = AngularMomentumContraction(new RuleSimulator(rule, v), dim, xi, gap / Math.Pow(2, level));
            return (derived, -Math.Log(contraction) / h);
        }, level => string.Create(CultureInfo.InvariantCulture, $"1 − beta = {gap / Math.Pow(2, level):G4}, eta = {eta / Math.Pow(4, level):G4}"),
            "at (1 − beta, eta) scaled by (4, 16), (2, 4), 1", $"rotation law: l = {P(law.Value)} decays as exp(−t/tau) with tau = {P(law.DampingTime)}; simulated −ln(ρ)/h with ρ the per-step "
            + "contraction of l_n = <xi(q_n), q_n − q_(n−1)> on the loss |q|²/2 (invariant under every rotation) after one tangential kick. " + DecayReason);
    }

    /// <summary>Per-step contraction of the discrete angular momentum ⟨ξ(q_n), q_n − q_(n−1)⟩ (NaN if it becomes non-finite).</summary>
    internal static double AngularMomentumContraction(RuleSimulator sim, int dim, Func<double[], double>[] xi, double gap)
    {
        var q = new double[dim];
        for (int i = 0; i < dim; i++) q[i] = i + 1;
        var v = new double[dim];
        var g = new double[dim];
        var slots = sim.NewWorkspace();
        var before = new double[dim];
        // The kick: one step with a gradient along −xi(q0)/|xi(q0)|, so the velocity has angular momentum; afterwards the
        // gradient is the invariant one, DecayCurvature·q.
        double norm = Math.Sqrt(xi.Sum(f => f(q) * f(q)));
        if (!(norm > 0)) throw new NoetherTheoryException("the generator vanishes at the start point (1, 2, …); no angular momentum to follow");
        for (int i = 0; i < dim; i++) g[i] = -xi[i](q) / norm;
        sim.Step(q, v, g, slots);
        int steps = 100 + (int)(20 / gap);
        var y = new double[steps + 1];
        for (int n = 0; n <= steps; n++)
        {
            Array.Copy(q, before, dim);
            for (int i = 0; i < dim; i++) g[i] = DecayCurvature * q[i];
            sim.Step(q, v, g, slots);
            double l = 0;
            for (int i = 0; i < dim; i++) l += xi[i](q) * (q[i] - before[i]);
            if (!double.IsFinite(l)) return double.NaN;
            y[n] = l;
        }
        return Contraction(y, 0);
    }

    private static DerivedCheck Richardson(string rule, string symmetry, string law, double eta, Func<double, (double Derived, double Simulated)> at, string reason) =>
        RichardsonLevels(rule, symmetry, law, k => at(eta / Math.Pow(2, k)),
            k => string.Create(CultureInfo.InvariantCulture, $"eta = {eta / Math.Pow(2, k):G4}"), "at 4·eta, 2·eta, eta", reason);

    private static DerivedCheck RichardsonLevels(string rule, string symmetry, string law, Func<int, (double Derived, double Simulated)> at,
        Func<int, string> describe, string levels, string reason)
    {
        // Levels η, η/2, η/4, …: the triple moves to smaller η while its O(η²) remainder is above TargetRemainder (at most
        // MaxHalvings times), so a large O(η) bias (heavy ball's dropped inertia, about 2% at η/4) is still removed cleanly.
        var ratios = new List<(double Derived, double Ratio)>();
        (double, double) Level(int k)
        {
            while (ratios.Count <= k)
            {
                var (p, m) = at(ratios.Count);
                ratios.Add((p, m / p));
            }
            return ratios[k];
        }
        for (int start = 0; ; start++)
        {
            var (_, r1) = Level(start);
            var (_, r2) = Level(start + 1);
            var (p3, r3) = Level(start + 2);
            double c = r2 - r3;
            double d = (r1 - r2) - (2 * (r2 - r3));
            double rel = Math.Abs(d) + (ExtrapolationSafety * Math.Abs(c)) + RoundOffFloor;
            if (rel > TargetRemainder && start < MaxHalvings && double.IsFinite(rel)) continue;
            double tol = rel * Math.Abs(p3);
            string why = string.Create(CultureInfo.InvariantCulture,
                $"{reason}; here at {describe(start + 2)}: ρ = {r1:G6}, {r2:G6}, {r3:G6} ({levels})");
            return new DerivedCheck(rule, symmetry, law, GradientForcing.Persistent, p3, p3 * r3, tol, 0, tol, why, c);
        }
    }

    /// <summary>Relative O(η²) remainder above which the Richardson triple moves to smaller η.</summary>
    private const double TargetRemainder = 0.003;

    /// <summary>How many times the Richardson triple may move to smaller η (each doubles the cost of its slowest run).</summary>
    private const int MaxHalvings = 2;

    private static Dictionary<string, double> With(IReadOnlyDictionary<string, double> values, double eta) =>
        new(values) { ["eta"] = eta };

    private static Dictionary<Symbol, double> Symbols(IReadOnlyDictionary<string, double> values, double eta, double s)
    {
        var d = values.ToDictionary(kv => Expr.Symbol(kv.Key), kv => kv.Value);
        d[Coordinates.Eta] = eta;
        d[Expr.Symbol("s")] = s;
        return d;
    }

    /// <summary>Two coordinates i &lt; j with xi_i = q_i, xi_j = q_j (scale-like) or xi_i = xi_j = 1 (translation).</summary>
    private static (int I, int J)? Plane(DerivationResult result, bool translation)
    {
        var q = Coordinates.Q(result.Dimension);
        var idx = Enumerable.Range(0, result.Dimension)
            .Where(i => translation ? result.Generator[i].Equals(Expr.One) : result.Generator[i].Equals(q[i])).Take(2).ToArray();
        return idx.Length == 2 ? (idx[0], idx[1]) : null;
    }

    private sealed record Persistent(double SteadyR4, double Radius2, double Contraction, double AnglePerStep, double[] Q, double[] LastStep);

    /// <summary>
    /// From q = e_i with a zero buffer, the gradient sqrt(s)·(−q_j, q_i)/r² (|ĝ|² = s at unit norm, tangent, turning with q)
    /// in the plane (i, j); every other component stays 0. Returns the steady state and the approach rate of r⁴.
    /// </summary>
    private static Persistent RunPersistent(RuleSimulator sim, int dim, (int I, int J) plane, double s, int steps)
    {
        var (i, j) = plane;
        var q = new double[dim];
        q[i] = 1;
        var v = new double[dim];
        var g = new double[dim];
        var slots = sim.NewWorkspace();
        var y = new double[steps + 1];
        double root = Math.Sqrt(s);
        var before = new double[dim];
        y[0] = 1;
        for (int n = 0; n < steps; n++)
        {
            double rr = (q[i] * q[i]) + (q[j] * q[j]);
            g[i] = -root * q[j] / rr;
            g[j] = root * q[i] / rr;
            Array.Copy(q, before, dim);
            sim.Step(q, v, g, slots);
            double r2 = (q[i] * q[i]) + (q[j] * q[j]);
            if (!double.IsFinite(r2) || r2 <= 0) throw new NoetherTheoryException($"the persistent simulation diverged at step {n + 1}");
            y[n + 1] = r2 * r2;
        }
        double yStar = y[steps];
        if (Math.Abs(y[steps] - y[steps - (steps / SteadyRelaxations)]) > 1e-9 * yStar)
            throw new NoetherTheoryException("the persistent simulation did not reach a steady state");
        var last = new double[dim];
        for (int k = 0; k < dim; k++) last[k] = q[k] - before[k];
        double cross = (before[i] * q[j]) - (before[j] * q[i]);
        double dot = (before[i] * q[i]) + (before[j] * q[j]);
        double angle = Math.Abs(Math.Atan2(cross, dot));
        var steady = (double[])q.Clone();

        // Linear response: scale q by (1 + ε) at the steady state (buffer unchanged) and follow r⁴ back. The deviation is small,
        // so the contraction is the linearised discrete rate, the same function of η at every η (clean Richardson ratios).
        int response = 8 * (steps / SteadyRelaxations);
        var z = new double[response + 1];
        for (int k = 0; k < dim; k++) q[k] *= 1 + ResponseAmplitude;
        double r0 = (q[i] * q[i]) + (q[j] * q[j]);
        z[0] = r0 * r0;
        for (int n = 0; n < response; n++)
        {
            double rr = (q[i] * q[i]) + (q[j] * q[j]);
            g[i] = -root * q[j] / rr;
            g[j] = root * q[i] / rr;
            sim.Step(q, v, g, slots);
            double r2 = (q[i] * q[i]) + (q[j] * q[j]);
            if (!double.IsFinite(r2) || r2 <= 0) throw new NoetherTheoryException($"the persistent simulation diverged at step {steps + n + 1}");
            z[n + 1] = r2 * r2;
        }
        return new Persistent(yStar, Math.Sqrt(yStar), Contraction(z, yStar), angle, steady, last);
    }

    /// <summary>Relative kick of q for the linear-response rate (the deviation's own nonlinearity is O(ε) = 10⁻³ of an O(η) term,
    /// and its smallest value read, e^−3/2 of 4ε·r⁴*, stays 10⁸ above round-off).</summary>
    private const double ResponseAmplitude = 1e-3;

    /// <summary>The per-step contraction of |y − y*| between half and e^−3·half of its initial value.</summary>
    private static double Contraction(double[] y, double yStar)
    {
        double d0 = y[0] - yStar;
        int n1 = Array.FindIndex(y, x => Math.Abs(x - yStar) <= 0.5 * Math.Abs(d0));
        if (n1 < 0) throw new NoetherTheoryException("the simulation never came halfway to its steady state");
        double d1 = y[n1] - yStar;
        int n2 = Array.FindIndex(y, n1, x => Math.Abs(x - yStar) <= Math.Exp(-3) * Math.Abs(d1));
        if (n2 <= n1) throw new NoetherTheoryException("the simulation did not relax by e^3 within the run");
        double d2 = y[n2] - yStar;
        if (Math.Sign(d1) != Math.Sign(d2)) throw new NoetherTheoryException("the approach to the steady state is not monotone (under-damped r⁴)");
        return Math.Pow(d2 / d1, 1.0 / (n2 - n1));
    }

    /// <summary>From q_i = q_j = 1 with a zero buffer under the constant gradient sqrt(s/2)·(e_i − e_j): per-step contraction of the law's quantity.</summary>
    private static double SourceFreeContraction(RuleSimulator sim, int dim, (int I, int J) plane, double s, int steps, Func<double[], double> value)
    {
        var q = new double[dim];
        q[plane.I] = 1;
        q[plane.J] = 1;
        var v = new double[dim];
        var g = new double[dim];
        g[plane.I] = Math.Sqrt(s / 2);
        g[plane.J] = -Math.Sqrt(s / 2);
        var slots = sim.NewWorkspace();
        var y = new double[steps + 1];
        y[0] = value(q);
        for (int n = 0; n < steps; n++)
        {
            sim.Step(q, v, g, slots);
            y[n + 1] = value(q);
            if (!double.IsFinite(y[n + 1])) throw new NoetherTheoryException($"the simulation diverged at step {n + 1}");
        }
        return Contraction(y, 0);
    }
}

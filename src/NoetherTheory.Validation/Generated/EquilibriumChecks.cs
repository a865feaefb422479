using System.Globalization;
using System.Text;
using NoetherTheory.Core.Documents;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.Generated;

/// <summary>Settings of the equilibrium checks; the defaults are the full run.</summary>
public sealed record EquilibriumCheckSettings
{
    /// <summary>Hyperparameter values by name (δ = 0: no dampening; eps is torch's default). ηk = 5e-4 for every rule, so
    /// relaxation times are 50 (heavy ball) to 1000 (AdamW) steps.</summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; init; } = new Dictionary<string, double>
    {
        ["eta"] = 0.02, ["k"] = 0.025, ["beta"] = 0.9, ["delta"] = 0.0, ["beta1"] = 0.9, ["beta2"] = 0.999, ["eps"] = 1e-8,
    };

    /// <summary>s = |ĝ|² of the scale-invariant force.</summary>
    public double GradientScale { get; init; } = 1.0;

    /// <summary>Coordinates of the white-noise block of an SGD-family rule (more coordinates, smaller norm fluctuations).</summary>
    public int WhiteDimension { get; init; } = 64;

    /// <summary>Coordinates of the white-noise block of an adaptive rule (C of its law; its relaxation is 20 times longer,
    /// which already keeps the norm's fluctuation small).</summary>
    public int AdaptiveDimension { get; init; } = 16;

    /// <summary>Independent white-noise chains.</summary>
    public int Chains { get; init; } = 64;

    /// <summary>Burn-in in relaxation times (each chain starts at the predicted norm, with zero buffers).</summary>
    public double BurnRelaxations { get; init; } = 8;

    /// <summary>Sampling length in relaxation times.</summary>
    public double SampleRelaxations { get; init; } = 32;

    /// <summary>Persistent runs use η times this factor: they are deterministic and cheap, and their model error (see
    /// <see cref="EquilibriumChecks.PersistentModelSafety"/>) is O(η), so a smaller η keeps it well inside 1%.</summary>
    public double PersistentEtaScale { get; init; } = 0.1;

    /// <summary>Fewest burn-in steps (an adaptive rule's second moment needs about 1/(1 − β₂) steps to settle).</summary>
    public int MinimumBurnSteps { get; init; } = 4000;

    /// <summary>Standard errors allowed for the statistical part (4σ).</summary>
    public double Sigmas { get; init; } = 4;

    /// <summary>Seed of the first chain.</summary>
    public int Seed { get; init; } = 16016;

    /// <summary>Rules checked (null: every rule of the catalog).</summary>
    public IReadOnlyCollection<string>? Rules { get; init; }
}

/// <summary>
/// Generated checks of the rotational equilibrium (issue 16 item 2): for every rule of a catalog whose equilibrium the engine
/// derives (<see cref="Equilibrium"/>), the angular update per step θ*² and the equilibrium norm are compared with the
/// rule's own catalog update, compiled (<see cref="CatalogRuleKernel"/>) and run on a scale-invariant toy block:
/// persistent (2-D tangent gradient of fixed size turning with q) and white (independent Gaussian tangent gradients,
/// E|g|² = s/|q|²). Rules the engine derives nothing for are listed as skipped with its reason.
/// </summary>
/// <remarks>
/// Tolerances come from theory: the O(η) difference between the discrete rule and the leading-order law is computed from
/// the rule's exact discrete Gram system and expected (the check compares with law·(1 + c)); what remains allowed is a
/// quarter of c (the Gram system is exact for the linear white model), the second-order effect of the norm's own
/// fluctuation, for an adaptive rule the Jensen bias of its second-moment
/// estimate (2·(1 − β₂)/(1 + β₂), the relative variance of an EMA of squared Gaussians, doubled), and Sigmas standard errors
/// over independent chains. θ is the angle between q_n and q_{n+1}, measured as 2·asin(|q̂_{n+1} − q̂_n|/2).
/// </remarks>
public static class EquilibriumChecks
{
    /// <summary>Fraction of the computed O(η) correction allowed as error in it.</summary>
    public const double BiasSafety = 0.25;

    /// <summary>Persistent runs: the Gram system's persistent model puts the buffer at its tangent fixed point and drops its
    /// radial part and its lag behind the turning gradient, terms of relative size O(ηk/μ₀²) (μ₀ = 1 − the buffer's
    /// discount, 1 without a buffer); this multiple of ηk/μ₀² is allowed (measured residuals: at most 0.1·ηk/μ₀², for
    /// Nesterov and decoupled decay; 1e-13 for GD and heavy ball, whose persistent Gram solution is exact).</summary>
    public const double PersistentModelSafety = 0.25;

    /// <summary>Runs every check of <paramref name="catalog"/>.</summary>
    public static DerivedCheckReport Run(Catalog catalog, EquilibriumCheckSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        settings ??= new EquilibriumCheckSettings();
        var checks = new List<DerivedCheck>();
        var skipped = new List<SkippedRule>();
        foreach (var rule in catalog.Rules)
        {
            if (settings.Rules is { } only && !only.Contains(rule.Id)) continue;
            foreach (var forcing in new[] { GradientForcing.Persistent, GradientForcing.White })
            {
                var e = Equilibrium.Derive(rule, forcing);
                if (!e.IsDerived)
                {
                    skipped.Add(new SkippedRule(rule.Id, $"{forcing.ToString().ToLowerInvariant()}: {e.NotDerived}"));
                    continue;
                }
                var missing = rule.Hyperparameters.FirstOrDefault(h => !settings.Hyperparameters.ContainsKey(h.Name));
                if (missing is not null)
                {
                    skipped.Add(new SkippedRule(rule.Id, $"no value for hyperparameter '{missing.Name}' in the settings"));
                    break;
                }
                checks.AddRange(Check(e, settings));
            }
        }
        return new DerivedCheckReport(checks, skipped);
    }

    private static IEnumerable<DerivedCheck> Check(EquilibriumPrediction e, EquilibriumCheckSettings settings)
    {
        var hyper = settings.Hyperparameters.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (e.Forcing == GradientForcing.Persistent) hyper["eta"] *= settings.PersistentEtaScale;
        var values = hyper.ToDictionary(kv => Expr.Symbol(kv.Key), kv => kv.Value);
        bool adaptive = e.Scale == DrivingScale.Normalised;
        int d = e.Forcing == GradientForcing.Persistent ? 2 : adaptive ? settings.AdaptiveDimension : settings.WhiteDimension;
        values[Equilibrium.S] = settings.GradientScale;
        values[Equilibrium.C] = d;
        double angleLaw = e.AngularUpdateSquared!.Evaluate(values);
        double normLaw = e.NormLaw!.Evaluate(values);
        double angleCorr = (e.ExactAngularUpdateSquared(values) / angleLaw) - 1;
        double normRatio = e.ExactNormRatio(values);
        double normCorr = (normRatio * (adaptive ? d : settings.GradientScale) / normLaw) - 1;
        double relax = e.RelaxationSteps!.Evaluate(values);
        double r0 = adaptive ? Math.Sqrt(normRatio * d) : Math.Pow(normRatio * settings.GradientScale, 0.25);
        var kernel = new CatalogRuleKernel(e.Rule, hyper);
        int burn = Math.Max(settings.MinimumBurnSteps, (int)(settings.BurnRelaxations * relax));
        int sample = (int)(settings.SampleRelaxations * relax);
        var m = e.Forcing == GradientForcing.Persistent
            ? Simulate(kernel, 1, 2, r0, burn, sample, settings, persistent: true, adaptive)
            : Simulate(kernel, settings.Chains, d, r0, burn, sample, settings, persistent: false, adaptive);
        // θ² ∝ r⁻⁴ (SGD family, |g|² = s/r²) or r⁻² (adaptive): E(1 + δ)⁻⁴ᐟ² = 1 + 3·Var δ + …, E(1 + δ)⁻¹ = 1 + Var δ + ….
        double fluctuation = (adaptive ? 1 : 3) * m.NormVariance;
        double chord = angleLaw;
        double jensen = adaptive ? 2 * 2 * (1 - settings.Hyperparameters["beta2"]) / (1 + settings.Hyperparameters["beta2"]) : 0;
        double mu0 = MuZero(e, values);
        double rotating = e.Forcing == GradientForcing.Persistent ? PersistentModelSafety * hyper["eta"] * hyper["k"] / (mu0 * mu0) : 0;
        string chains = e.Forcing == GradientForcing.Persistent ? "one deterministic 2-D run" : $"{settings.Chains} chains of a {d}-D block";
        string Reason(double corr, bool angle, string what) =>
            FormattableString.Invariant($"{what}; {chains}, burn {burn} + {sample} steps ({settings.BurnRelaxations:G3}+{settings.SampleRelaxations:G3} relaxation times of {relax:G4} steps); ") +
            FormattableString.Invariant($"expected = law·(1 + c), c = {corr:E2} from the exact discrete Gram system; tolerance = {BiasSafety}·|c|") +
            (angle ? FormattableString.Invariant($" + norm fluctuation {(adaptive ? 1 : 3)}·Var(r²)/⟨r²⟩² ({fluctuation:E2}) + angle-versus-chord θ*² ({chord:E2})")
                : adaptive ? " (⟨r²⟩ is exact in expectation for a constant driving power)" : " (⟨r²⟩/⟨1/r²⟩ is r⁴* in expectation for E|g|² = s/r²)") +
            (adaptive ? FormattableString.Invariant($" + second-moment Jensen bias 4(1 − β₂)/(1 + β₂) ({jensen:E2})") : "") +
            (rotating > 0 ? FormattableString.Invariant($" + persistent-model bound {PersistentModelSafety}·ηk/μ₀² ({rotating:E2}, η scaled by {settings.PersistentEtaScale})") : "") +
            FormattableString.Invariant($" of the law, + {settings.Sigmas}σ over chains");
        double Tol(double law, double corr, double se, bool angle) =>
            (Math.Abs(law) * ((BiasSafety * Math.Abs(corr)) + (angle ? fluctuation + chord : 0) + jensen + rotating)) + (settings.Sigmas * se);
        yield return new DerivedCheck(e.Rule.Id, "scale", "angle^2 per step", e.Forcing, angleLaw, m.Angle, 0, m.AngleError,
            Tol(angleLaw, angleCorr, m.AngleError, true), Reason(angleCorr, true, $"θ*² = {e.AngularUpdateSquared} (rad² per step)"), angleCorr);
        string normName = adaptive ? "r^2 equilibrium" : "r^4 equilibrium";
        yield return new DerivedCheck(e.Rule.Id, "scale", normName, e.Forcing, normLaw, m.Norm, 0, m.NormError,
            Tol(normLaw, normCorr, m.NormError, false), Reason(normCorr, false, $"{normName} = {e.NormLaw}"), normCorr);
    }

    private static double MuZero(EquilibriumPrediction e, Dictionary<Symbol, double> values)
    {
        var lin = e.Linearised!;
        if (lin.Buffer is null) return 1;
        var stats = BufferStatistics.Derive(lin);
        return 1 - stats.Transition[1][1].Evaluate(values);
    }

    private readonly record struct Measured(double Angle, double AngleError, double Norm, double NormError, double NormVariance);

    private static Measured Simulate(CatalogRuleKernel kernel, int chains, int d, double r0, int burn, int sample,
        EquilibriumCheckSettings settings, bool persistent, bool adaptive)
    {
        var angles = new double[chains];
        var norms = new double[chains];
        var variances = new double[chains];
        double s = settings.GradientScale;
        Parallel.For(0, chains, c =>
        {
            var rnd = new Random(settings.Seed + c);
            var q = new double[d];
            double qq0 = 0;
            for (int i = 0; i < d; i++)
            {
                q[i] = persistent ? (i == 0 ? 1 : 0) : DerivedLawChecks.Gaussian(rnd);
                qq0 += q[i] * q[i];
            }
            for (int i = 0; i < d; i++) q[i] *= r0 / Math.Sqrt(qq0);
            var buffers = Enumerable.Range(0, kernel.BufferCount).Select(_ => new double[d]).ToArray();
            var g = new double[d];
            var before = new double[d];
            var work = kernel.NewWorkspace();
            double sumAngle = 0, sumQ = 0, sumQ2 = 0, sumInv = 0;
            for (long n = 0; n < burn + sample; n++)
            {
                double qq = 0;
                for (int i = 0; i < d; i++) qq += q[i] * q[i];
                double r = Math.Sqrt(qq);
                if (persistent)
                {
                    double size = Math.Sqrt(s) / r;
                    g[0] = -size * q[1] / r;
                    g[1] = size * q[0] / r;
                }
                else
                {
                    double dot = 0;
                    for (int i = 0; i < d; i++)
                    {
                        g[i] = DerivedLawChecks.Gaussian(rnd);
                        dot += g[i] * q[i];
                    }
                    double scale = Math.Sqrt(s / (qq * (d - 1)));
                    for (int i = 0; i < d; i++) g[i] = scale * (g[i] - (dot / qq * q[i]));
                }
                Array.Copy(q, before, d);
                kernel.Step(q, buffers, g, n + 1, work);
                if (n < burn) continue;
                double after = 0, diff = 0;
                for (int i = 0; i < d; i++) after += q[i] * q[i];
                double ra = Math.Sqrt(after);
                for (int i = 0; i < d; i++)
                {
                    double x = (q[i] / ra) - (before[i] / r);
                    diff += x * x;
                }
                double theta = 2 * Math.Asin(Math.Min(1, Math.Sqrt(diff) / 2));
                sumAngle += theta * theta;
                sumQ += qq;
                sumQ2 += qq * qq;
                sumInv += 1 / qq;
            }
            angles[c] = sumAngle / sample;
            double meanQ = sumQ / sample;
            norms[c] = adaptive ? meanQ : meanQ / (sumInv / sample);
            variances[c] = Math.Max(0, (sumQ2 / sample) - (meanQ * meanQ)) / (meanQ * meanQ);
        });
        static (double Mean, double Se) Stat(double[] x)
        {
            double mean = x.Average();
            if (x.Length < 2) return (mean, 0);
            double v = x.Sum(y => (y - mean) * (y - mean)) / (x.Length - 1);
            return (mean, Math.Sqrt(v / x.Length));
        }
        var (a, ae) = Stat(angles);
        var (nm, ne) = Stat(norms);
        return new Measured(a, ae, nm, ne, variances.Average());
    }

    /// <summary>The checks as a <c>noether.verify/1</c> document (suite "equilibrium").</summary>
    public static VerifyDocument ToDocument(DerivedCheckReport report) =>
        DerivedLawChecks.ToDocument(report, "equilibrium", c => $"{c.Rule}/{c.Law.Replace(' ', '-')}", c => c.Expected);

    /// <summary>A plain-text table per rule, then the skipped rules and the totals.</summary>
    public static string FormatTable(DerivedCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        void Line(string text) => sb.Append(text).Append('\n');
        foreach (var group in report.Checks.GroupBy(c => c.Rule))
        {
            Line($"rule {group.Key} (rotational equilibrium of a scale-invariant block)");
            Line("  law                forcing     derived        O(eta) corr.  simulated      rel.err    rel.tol    verdict");
            foreach (var c in group)
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {c.Law,-18} {c.Forcing.ToString().ToLowerInvariant(),-11} {c.Predicted,-14:G8} {c.BiasCorrection,-13:E2} {c.Measured,-14:G8} {c.Error / Math.Abs(c.Predicted),-10:E2} {c.RelativeTolerance,-10:E2} {(c.Passed ? "pass" : "FAIL")}"));
        }
        foreach (var s in report.Skipped) Line($"skipped {s.Rule}: {s.Reason}");
        Line(string.Create(CultureInfo.InvariantCulture, $"{report.Checks.Count(c => c.Passed)} passed, {report.Checks.Count(c => !c.Passed)} failed"));
        return sb.ToString();
    }
}

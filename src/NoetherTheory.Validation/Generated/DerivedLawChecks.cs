using System.Globalization;
using System.Text;
using NoetherTheory.Core.Documents;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.Generated;

/// <summary>Settings of the generated checks; the defaults are the full run.</summary>
public sealed record DerivedCheckSettings
{
    /// <summary>Hyperparameter values by name; a rule's hyperparameter missing here takes <see cref="OtherHyperparameter"/>.</summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; init; } = new Dictionary<string, double>
    {
        ["eta"] = 0.02, ["k"] = 0.01, ["beta"] = 0.9, ["delta"] = 0.0,
    };

    /// <summary>Value of a hyperparameter not in <see cref="Hyperparameters"/> (a rule added as data).</summary>
    public double OtherHyperparameter { get; init; } = 0.5;

    /// <summary>s = |ĝ|², the squared gradient size at unit norm.</summary>
    public double GradientScale { get; init; } = 1.0;

    /// <summary>Dimension of the white-noise block (the persistent block is 2-D).</summary>
    public int WhiteDimension { get; init; } = 10;

    /// <summary>Independent white-noise chains.</summary>
    public int Chains { get; init; } = 256;

    /// <summary>Burn-in and sampling length in units of the rule's relaxation time (from its own Gram recursion).</summary>
    public double BurnRelaxations { get; init; } = 4;

    /// <summary>Sampling length per chain in relaxation times.</summary>
    public double SampleRelaxations { get; init; } = 12;

    /// <summary>Standard errors allowed for the statistical part (4σ: a false alarm about once in 16,000 checks).</summary>
    public double Sigmas { get; init; } = 4;

    /// <summary>Seed of the first chain.</summary>
    public int Seed { get; init; } = 12345;
}

/// <summary>One generated check: a derived closed form against the simulation of the rule's catalog update.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Symmetry">Symmetry id (the force model is that symmetry's toy block).</param>
/// <param name="Law">Which closed form.</param>
/// <param name="Forcing">Persistent or white gradients.</param>
/// <param name="Predicted">The derived value at the settings' hyperparameters.</param>
/// <param name="Measured">The simulated value.</param>
/// <param name="BiasBound">The O(η) bias allowed (absolute).</param>
/// <param name="StatisticalError">Standard error of the measurement (0 for a deterministic run).</param>
/// <param name="Tolerance">BiasBound + Sigmas·StatisticalError.</param>
/// <param name="Reason">Why this tolerance, in words.</param>
/// <param name="BiasCorrection">The O(η) correction c expected between the discrete rule and the leading-order law, as a
/// fraction of the law (from the rule's exact discrete Gram system), or 0 when only a bound is known.</param>
public sealed record DerivedCheck(string Rule, string Symmetry, string Law, GradientForcing Forcing, double Predicted, double Measured,
    double BiasBound, double StatisticalError, double Tolerance, string Reason, double BiasCorrection = 0)
{
    /// <summary>|Measured − Predicted·(1 + BiasCorrection)| ≤ Tolerance, both finite: an infinite measurement never passes
    /// under an infinite tolerance (a diverged chain makes both infinite), and NaN never passes.</summary>
    public bool Passed => double.IsFinite(Error) && double.IsFinite(Tolerance) && Error <= Tolerance;

    /// <summary>The relative tolerance, Tolerance/|Predicted|.</summary>
    public double RelativeTolerance => Tolerance / Math.Abs(Predicted);

    /// <summary>What the measurement is compared with: Predicted·(1 + BiasCorrection).</summary>
    public double Expected => Predicted * (1 + BiasCorrection);

    /// <summary>|Measured − Expected|.</summary>
    public double Error => Math.Abs(Measured - Expected);

    /// <summary>The same check against a law perturbed by the factor (1 + <paramref name="relative"/>) (same measurement).</summary>
    public DerivedCheck Perturbed(double relative) => this with { Predicted = Predicted * (1 + relative) };
}

/// <summary>A rule whose laws could not be checked, and why.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Reason">Why.</param>
public sealed record SkippedRule(string Rule, string Reason);

/// <summary>The generated checks of a catalog.</summary>
/// <param name="Checks">Every check, grouped by rule.</param>
/// <param name="Skipped">Rules without checks and why.</param>
public sealed record DerivedCheckReport(IReadOnlyList<DerivedCheck> Checks, IReadOnlyList<SkippedRule> Skipped);

/// <summary>
/// Generated checks of the derived laws (issue 12 items 1–2): for every position rule of a catalog (including rules
/// added as YAML files) and the scale symmetry, the r⁴ steady states and input gains under persistent and white
/// gradients derived by the engine are compared with the rule's own discrete update, compiled from the catalog and run
/// on the scale-invariant force model (persistent: 2-D tangent gradient of fixed size turning with q; white: independent
/// Gaussian tangent gradients, E|g|² = s/|q|²).
/// </summary>
public static class DerivedLawChecks
{
    /// <summary>Fraction of the computed O(η) correction allowed as error in it (the Gram correction is exact for the white
    /// model up to the fluctuation of |q|², which the estimator removes; a quarter covers what remains).</summary>
    public const double BiasSafety = 0.25;

    /// <summary>The symmetry whose closed forms are checked.</summary>
    public const string ScaleSymmetry = "scale";

    /// <summary>Runs every check of <paramref name="catalog"/> (only the rules listed in <paramref name="rules"/> when given).</summary>
    public static DerivedCheckReport Run(Catalog catalog, DerivedCheckSettings? settings = null, IReadOnlyCollection<string>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        settings ??= new DerivedCheckSettings();
        var checks = new List<DerivedCheck>();
        var skipped = new List<SkippedRule>();
        if (!catalog.Symmetries.Any(s => s.Id == ScaleSymmetry))
        {
            skipped.Add(new SkippedRule("*", $"the catalog has no '{ScaleSymmetry}' symmetry"));
            return new DerivedCheckReport(checks, skipped);
        }
        foreach (var rule in catalog.Rules)
        {
            if (rules is not null && !rules.Contains(rule.Id)) continue;
            if (rule.Kind != RuleKind.Position)
            {
                skipped.Add(new SkippedRule(rule.Id, rule.Kind == RuleKind.Adaptive
                    ? "adaptive rule: " + Derivation.NoClosedForm + " Its equilibrium is checked by `verify --equilibrium`."
                    : "accumulator rule: its buffer is not a linear function of the state, so no steady state is derived"));
                continue;
            }
            if (!rule.Hyperparameters.Any(h => h.Name == "eta"))
            {
                skipped.Add(new SkippedRule(rule.Id, "the rule has no hyperparameter eta, which the generated checks halve for their O(η) bias estimates"));
                continue;
            }
            try
            {
                checks.AddRange(RunRule(catalog, rule, settings, skipped));
            }
            catch (NoetherTheoryException e)
            {
                skipped.Add(new SkippedRule(rule.Id, e.Message));
            }
            foreach (var symmetry in catalog.Symmetries)
            {
                try
                {
                    var values = Values(rule, settings);
                    int relax = RelaxationSteps(BufferStatistics.Derive(rule), Symbols(values, settings));
                    checks.AddRange(DerivedFormChecks.ChargeLawForms(catalog, rule, symmetry, values, settings, relax, skipped));
                }
                catch (NoetherTheoryException e)
                {
                    skipped.Add(new SkippedRule(rule.Id, $"{symmetry.Id}: {e.Message}"));
                }
            }
        }
        return new DerivedCheckReport(checks, skipped);
    }

    private static IEnumerable<DerivedCheck> RunRule(Catalog catalog, LearningRule rule, DerivedCheckSettings settings, List<SkippedRule> skipped)
    {
        var result = Derivation.Run(catalog, rule.Id, ScaleSymmetry, ModelSpec.Abstract);
        if (result.Adaptive is not { } a)
        {
            skipped.Add(new SkippedRule(rule.Id, "the scale law has no r⁴ reduction for this rule"));
            yield break;
        }
        var values = Values(rule, settings);
        var symbols = Symbols(values, settings);
        double Eval(Expr e) => e.Evaluate(symbols);
        var stats = BufferStatistics.Derive(rule);
        if (stats.NotDerived is { } why) skipped.Add(new SkippedRule(rule.Id, "stationary statistics: " + why));
        double decay = Eval(a.Decay);
        double s = settings.GradientScale;
        var sim = new RuleSimulator(rule, values);
        int relax = RelaxationSteps(stats, symbols);

        // Persistent: deterministic. The O(η) bias is estimated from runs at η and η/2 (the law is leading order in η, so a
        // first-order bias halves with η); the check is made at η/2, where the bias is about |ρ(η) − ρ(η/2)|.
        {
            var half = new Dictionary<string, double>(values) { ["eta"] = values["eta"] / 2 };
            var symbolsHalf = new Dictionary<Symbol, double>(symbols) { [Coordinates.Eta] = half["eta"] };
            double predictedFull = Eval(a.SteadyStatePersistent);
            double predicted = a.SteadyStatePersistent.Evaluate(symbolsHalf);
            double full = Persistent(sim, s, 40 * relax);
            double measured = Persistent(new RuleSimulator(rule, half), s, 80 * relax);
            double slope = Math.Abs((full / predictedFull) - (measured / predicted));
            double bias = (2 * slope * predicted) + (1e-9 * predicted);
            string reason = "deterministic run at eta/2 (no statistical error) after 80 relaxation times; O(η) bias bound = 2·|ρ(η) − ρ(η/2)|·r⁴* "
                            + "with ρ = simulated/derived (a first-order bias halves with η, so the difference estimates the bias at η/2, doubled for safety)";
            yield return new DerivedCheck(rule.Id, ScaleSymmetry, "steady r^4", GradientForcing.Persistent, predicted, measured, bias, 0, bias, reason);
            double decayHalf = a.Decay.Evaluate(symbolsHalf);
            yield return new DerivedCheck(rule.Id, ScaleSymmetry, "gain", GradientForcing.Persistent, a.GainPersistent.Evaluate(symbolsHalf),
                decayHalf * measured / s, decayHalf * bias / s, 0, decayHalf * bias / s,
                "gain Γ = D·r⁴*/s measured through the steady state with the derived decay D; " + reason);
        }
        if (a.SteadyStateWhite is not { } whiteLaw || a.GainWhite is not { } gainWhiteLaw)
            skipped.Add(new SkippedRule(rule.Id, "white noise: " + (a.WhiteNoiseNotDerived ?? "not derived")));
        else
        {
            double predicted = Eval(whiteLaw);
            var (measured, error) = White(sim, settings, relax);
            // The O(η) correction comes from the rule's own Gram system (exact discrete ratio over its leading order), not from
            // the law under test, so a wrong law still shifts the expected value.
            double correction = stats.NotDerived is null && stats.SteadyStateWhite is { } lead
                ? (stats.ExactRatio(symbols, GradientForcing.White) * s / lead.Evaluate(symbols)) - 1 : 0;
            double bias = (BiasSafety * Math.Abs(correction) * predicted) + (1e-9 * predicted);
            string reason = string.Create(CultureInfo.InvariantCulture,
                $"{settings.Chains} independent chains, measured ⟨|q|²⟩/⟨1/|q|²⟩ (equal to r⁴* in expectation for E|g|² = s/|q|²); expected = law·(1 + c) "
                + $"with the O(η) correction c = {correction:E2} from the rule's exact discrete Gram system; tolerance = {BiasSafety}·|c|·law + {settings.Sigmas}·σ/√chains");
            double tol = bias + (settings.Sigmas * error);
            yield return new DerivedCheck(rule.Id, ScaleSymmetry, "steady r^4", GradientForcing.White, predicted, measured, bias, error, tol, reason, correction);
            double gain = Eval(gainWhiteLaw);
            yield return new DerivedCheck(rule.Id, ScaleSymmetry, "gain", GradientForcing.White, gain, decay * measured / s, decay * bias / s,
                decay * error / s, decay * tol / s, "gain Γ = D·r⁴*/s measured through the steady state with the derived decay D; " + reason, correction);
        }
        foreach (var check in DerivedFormChecks.ScaleForms(rule, result, values, settings, relax, skipped)) yield return check;
    }

    private static Dictionary<string, double> Values(LearningRule rule, DerivedCheckSettings settings) =>
        rule.Hyperparameters.ToDictionary(h => h.Name, h => settings.Hyperparameters.TryGetValue(h.Name, out var v) ? v : settings.OtherHyperparameter);

    private static Dictionary<Symbol, double> Symbols(Dictionary<string, double> values, DerivedCheckSettings settings)
    {
        var symbols = values.ToDictionary(kv => Expr.Symbol(kv.Key), kv => kv.Value);
        symbols[Expr.Symbol("s")] = settings.GradientScale;
        return symbols;
    }

    /// <summary>e-folding steps of the rule's linear Gram recursion (from its update), at least 100.</summary>
    private static int RelaxationSteps(StationaryStatistics stats, Dictionary<Symbol, double> values)
    {
        if (stats.NotDerived is not null) return 20_000;
        // ρ = 1 − 1/n from the exact ratio's sensitivity: iterate |q|² ← a²|q|² + … is not needed; the slowest rate of
        // r⁴ is the decay D per step, approximated by the GD-like factor 2(1 − a_qq) of the q-row.
        double aqq = stats.Transition[0][0].Evaluate(values);
        double n = 1 / Math.Max(1e-12, 2 * (1 - aqq));
        double bufferMemory = stats.Transition.Length > 1 ? 1 / Math.Max(1e-12, 1 - Math.Abs(stats.Transition[1][1].Evaluate(values))) : 1;
        return (int)Math.Clamp(Math.Max(n, bufferMemory), 100, 200_000);
    }

    private static double Persistent(RuleSimulator sim, double s, int steps)
    {
        var q = new[] { 1.0, 0.0 };
        var v = new double[2];
        var g = new double[2];
        var slots = sim.NewWorkspace();
        double root = Math.Sqrt(s);
        for (int n = 0; n < steps; n++)
        {
            double qq = (q[0] * q[0]) + (q[1] * q[1]);
            g[0] = -root * q[1] / qq;
            g[1] = root * q[0] / qq;
            sim.Step(q, v, g, slots);
            if (!double.IsFinite(q[0])) throw new NoetherTheoryException("the persistent simulation diverged");
        }
        double r2 = (q[0] * q[0]) + (q[1] * q[1]);
        return r2 * r2;
    }

    private static (double Mean, double StandardError) White(RuleSimulator sim, DerivedCheckSettings settings, int relax)
    {
        int d = settings.WhiteDimension;
        int burn = (int)(settings.BurnRelaxations * relax);
        int sample = (int)(settings.SampleRelaxations * relax);
        var ratios = new double[settings.Chains];
        double s = settings.GradientScale;
        Parallel.For(0, settings.Chains, c =>
        {
            var rnd = new Random(settings.Seed + c);
            var q = new double[d];
            q[0] = 1;
            var v = new double[d];
            var g = new double[d];
            var slots = sim.NewWorkspace();
            double sumQ = 0, sumInv = 0;
            for (int n = 0; n < burn + sample; n++)
            {
                double qq = 0, dot = 0;
                for (int i = 0; i < d; i++)
                {
                    g[i] = Gaussian(rnd);
                    qq += q[i] * q[i];
                    dot += g[i] * q[i];
                }
                double scale = Math.Sqrt(s / (qq * (d - 1)));
                for (int i = 0; i < d; i++) g[i] = scale * (g[i] - (dot / qq * q[i]));
                if (n >= burn)
                {
                    sumQ += qq;
                    sumInv += 1 / qq;
                }
                sim.Step(q, v, g, slots);
            }
            ratios[c] = sumQ / sumInv;
        });
        double mean = ratios.Average();
        double variance = ratios.Sum(x => (x - mean) * (x - mean)) / (ratios.Length - 1);
        return (mean, Math.Sqrt(variance / ratios.Length));
    }

    /// <summary>A standard normal draw (Box–Muller); the one the generated checks share.</summary>
    internal static double Gaussian(Random rnd)
    {
        double u1 = 1 - rnd.NextDouble();
        double u2 = rnd.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The checks as a <c>noether.verify/1</c> document (suite "derived").</summary>
    public static VerifyDocument ToDocument(DerivedCheckReport report) =>
        ToDocument(report, "derived", c => $"{c.Rule}/{c.Symmetry}/{c.Law.Replace(' ', '-')}", c => c.Predicted);

    /// <summary>A generated-check report as a <c>noether.verify/1</c> document of <paramref name="suite"/>: one entry per
    /// check, id suite/<paramref name="idStem"/>/forcing, with <paramref name="reference"/> as the reference value.</summary>
    internal static VerifyDocument ToDocument(DerivedCheckReport report, string suite, Func<DerivedCheck, string> idStem,
        Func<DerivedCheck, double> reference)
    {
        ArgumentNullException.ThrowIfNull(report);
        var entries = report.Checks.Select(c => new VerificationEntry(
            $"{suite}/{idStem(c)}/{c.Forcing.ToString().ToLowerInvariant()}", suite, c.Law,
            $"{c.Law} ({c.Forcing.ToString().ToLowerInvariant()} gradients)", c.Measured, reference(c), c.Error,
            c.Tolerance, c.Tolerance, c.RelativeTolerance, null, c.Passed, 0, c.Reason)).ToList();
        return new VerifyDocument(entries.Count(e => e.Passed), entries.Count(e => !e.Passed), entries);
    }

    /// <summary>A plain-text table per rule.</summary>
    public static string FormatTable(DerivedCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        foreach (var group in report.Checks.GroupBy(c => c.Rule))
        {
            sb.Append(CultureInfo.InvariantCulture, $"rule {group.Key}").AppendLine();
            sb.AppendLine("  symmetry     law              forcing     derived        O(eta) corr.  simulated      rel.err    rel.tol    verdict");
            foreach (var c in group)
                sb.Append(CultureInfo.InvariantCulture,
                    $"  {c.Symmetry,-12} {c.Law,-16} {c.Forcing.ToString().ToLowerInvariant(),-11} {c.Predicted,-14:G8} {c.BiasCorrection,-13:E2} {c.Measured,-14:G8} {c.Error / Math.Abs(c.Predicted),-10:E2} {c.RelativeTolerance,-10:E2} {(c.Passed ? "pass" : "FAIL")}")
                    .AppendLine();
        }
        if (report.Checks.Count > 0)
        {
            sb.AppendLine("rel.err = |simulated − derived·(1 + corr.)|/derived; the tolerance and its reason are in the verify records.");
            sb.AppendLine("s = |ĝ|² (squared gradient at unit norm); r⁴ = |q_A|⁴; 1-rho_eff = r⁴ discount per step; eta_eff = angle per step per |ĝ|;");
            sb.AppendLine("amplification = Γ(β)/Γ(0); source balance = x* against source/lambda; green slow rate = slow exponent of a source-free law;");
            sb.AppendLine("decay rate 1/tau = rate per unit t of the rotation law l' = −l/tau (checked in the limit 1 − beta → 0, eta/(1 − beta) → 0).");
        }
        foreach (var s in report.Skipped) sb.Append(CultureInfo.InvariantCulture, $"skipped {s.Rule}: {s.Reason}").AppendLine();
        int failed = report.Checks.Count(c => !c.Passed);
        sb.Append(CultureInfo.InvariantCulture, $"{report.Checks.Count - failed} passed, {failed} failed").AppendLine();
        return sb.ToString();
    }
}

/// <summary>Facade for the lead: run the generated derived-law checks of a catalog directory and get the document.</summary>
public static class DerivedLawValidation
{
    /// <summary>Loads <paramref name="catalogDirectory"/> and runs every generated check.</summary>
    /// <exception cref="CatalogException">The catalog is invalid.</exception>
    public static (DerivedCheckReport Report, VerifyDocument Document) Run(string catalogDirectory, DerivedCheckSettings? settings = null) =>
        Run(Catalog.Load(catalogDirectory), settings);

    /// <summary>Runs every generated check of a loaded <paramref name="catalog"/>.</summary>
    public static (DerivedCheckReport Report, VerifyDocument Document) Run(Catalog catalog, DerivedCheckSettings? settings = null)
    {
        var report = DerivedLawChecks.Run(catalog, settings);
        return (report, DerivedLawChecks.ToDocument(report));
    }
}

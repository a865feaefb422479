using System.Globalization;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>The optimizer settings the group laws need (η comes from each step's logged learning rate).</summary>
/// <param name="Momentum">β.</param>
/// <param name="WeightDecay">k (coupled: d = g + kq, PyTorch's SGD).</param>
/// <param name="Inapplicable">Why the heavy-ball recursions do not apply to the run (Adam, Nesterov, dampening, decoupled
/// decay, constrained filter norms), or null when they do.</param>
public sealed record GroupCheckSettings(double Momentum, double WeightDecay, string? Inapplicable = null);

/// <summary>The laws of one measured group over a run.</summary>
/// <param name="Name">The group.</param>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Verdict">Discovery's verdict (holds or broken).</param>
/// <param name="Cause">What breaks a broken group.</param>
/// <param name="Generators">Generators measured.</param>
/// <param name="Pairs">Step pairs (n, n+1) × generators checked against the exact recursion.</param>
/// <param name="ChargeRecursion">Scale/rescale: |Q^pred_{n+1} − Q_{n+1}|/W2_n; translation: |Q^pred_{n+1} − Q_{n+1}|/(√W2_n + η√V2_{n+1}).</param>
/// <param name="VelocityRecursion">Scale/rescale: |B^pred_{n+1} − B_{n+1}|/√(W2_n·V2_{n+1}); translation: |U^pred_{n+1} − U_{n+1}|/(β√V2_n + √G2_n + k√W2_n + √V2_{n+1}).</param>
/// <param name="Identity">The symmetry identity's residual at every measured step: |G|/√(W2·G2) (scale, rescale) or |G|/√G2
/// (translation); for a broken group, the size of the violation.</param>
/// <param name="FirstNonFinite">The first non-finite measured value ("generator i, step n: q = NaN"), or null.</param>
public sealed record GroupLawCheck(string Name, string Kind, string Verdict, string Cause, int Generators, int Pairs,
    ErrorStatistics ChargeRecursion, ErrorStatistics VelocityRecursion, ErrorStatistics Identity, string? FirstNonFinite)
{
    /// <summary>True when the group held in discovery, so its identity G = 0 is checked (a broken group's is reported).</summary>
    public bool IdentityChecked => Verdict == "holds";
}

/// <summary>Each law's error distribution over all generator-steps of one group kind.</summary>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Groups">Measured groups of the kind.</param>
/// <param name="Holding">Of which discovery found to hold.</param>
/// <param name="ChargeRecursion">The charge recursion's errors (all groups of the kind).</param>
/// <param name="VelocityRecursion">The velocity term's recursion errors.</param>
/// <param name="Identity">The identity residuals of the holding groups.</param>
/// <param name="Violation">The identity residuals of the broken groups (the size of the breaking).</param>
public sealed record GroupKindSummary(string Kind, int Groups, int Holding, ErrorStatistics ChargeRecursion, ErrorStatistics VelocityRecursion,
    ErrorStatistics Identity, ErrorStatistics Violation);

/// <summary>The exact discrete laws of every measured group of a run, with their verdicts.</summary>
/// <param name="Settings">The settings used.</param>
/// <param name="Groups">Per measured group.</param>
/// <param name="RecursionTolerance">The bound on every recursion error.</param>
/// <param name="IdentityMedianTolerance">The bound on the median identity residual of a holding group.</param>
/// <param name="Kinds">Per group kind (in the order scale, rescale, translation; kinds without a measured group left out).</param>
public sealed record GroupCheckReport(GroupCheckSettings Settings, IReadOnlyList<GroupLawCheck> Groups, double RecursionTolerance,
    double IdentityMedianTolerance, IReadOnlyList<GroupKindSummary> Kinds)
{
    /// <summary>Whether group <paramref name="g"/>'s exact recursion holds: checked on at least one pair, every error within
    /// the tolerance, no non-finite value (false when the recursion does not apply).</summary>
    public bool RecursionHolds(GroupLawCheck g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return Settings.Inapplicable is null && g.FirstNonFinite is null && g.Pairs > 0 && g.ChargeRecursion.Count == g.Pairs
            && g.ChargeRecursion.Max <= RecursionTolerance && g.VelocityRecursion.Max <= RecursionTolerance;
    }

    /// <summary>Whether a holding group's identity holds (median residual within the tolerance, every value finite); null
    /// for a broken group (its violation is reported, not bounded).</summary>
    public bool? IdentityHolds(GroupLawCheck g)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (!g.IdentityChecked) return null;
        return g.FirstNonFinite is null && g.Identity.Count > 0 && g.Identity.Median <= IdentityMedianTolerance;
    }

    /// <summary>The BN-ε prediction's check per measured scale group that has one (<see cref="GroupEpsilonLaws"/>; empty when
    /// none has: no measured group feeds a batch normalisation).</summary>
    public IReadOnlyList<ScaleGroupEpsilonCheck> Epsilon { get; init; } = [];

    /// <summary>True when every group's recursion holds (where it applies), every holding group's identity holds, and every
    /// predicted scale group's BN-ε prediction holds.</summary>
    public bool Passed => Groups.Count > 0 && Groups.All(g => (Settings.Inapplicable is not null || RecursionHolds(g)) && IdentityHolds(g) != false)
        && Epsilon.All(e => e.Holds);
}

/// <summary>
/// Checks every measured symmetry group of a run (groups.csv) against its exact discrete laws under PyTorch's heavy ball
/// (theory/08-group-laws.md): scale and rescale groups by the recursion of (Q, B) (theory/08-group-laws.md#eq-8-1), translations by the recursion
/// of (Q, U) (theory/08-group-laws.md#eq-8-2), each written with the measured gradient term G so that it holds for broken groups too, and the
/// symmetry identity G = 0 (theory/08-group-laws.md#eq-8-3) for the groups discovery found to hold, and G against its BN-ε
/// prediction (theory/08-group-laws.md#eq-8-4) for the scale groups that have one (<see cref="GroupEpsilonLaws"/>).
/// </summary>
public static class GroupChecks
{
    /// <summary>
    /// Bound on each recursion error. The float32 update q ← q − ηv rounds each weight by ≤ 2⁻²⁴ relative, which moves a
    /// quadratic charge by ≤ 2·2⁻²⁴·W2 (1.2e-7 of the scale it is divided by) and a linear charge by ≤ 2⁻²⁴·Σ|θ| ≤ 2⁻²⁴·√W2;
    /// the buffer's rounding adds as much relative to the velocity scale. The reductions accumulate in float32 (GroupMeasurement's
    /// batched product over each index's K elements, rows summed in float64; VGG's conv scale groups reuse the filter
    /// measurement's float64 ones), which adds about √K·2⁻²⁴ relative: the validation/groups runs measure ≤ 4.4e-7 (≤ 1.2e-7 with
    /// float64 reductions). 1e-5 is the filter checks' bound (<see cref="FilterChecks.RecursionTolerance"/>, a margin of about 20)
    /// and lies below any bookkeeping error (a wrong η, a missing decay or momentum term, an off-by-one buffer), which shows at
    /// ≳ ηk or η|v|/|q|.
    /// </summary>
    public const double RecursionTolerance = FilterChecks.RecursionTolerance;

    /// <summary>
    /// Bound on the MEDIAN residual of the identity G = 0 of a holding group, relative to the Cauchy–Schwarz scale. Float32
    /// back-propagation gives residuals of 1e-8…1e-6 typically (discovery's float32 evidence, ≤ 1e-5 at random points), but
    /// single generator-steps with gradients that cancel over many pixels reach 1e-4…1e-3 (the filter checks saw 7e-4 in
    /// VGG's first conv), so the median is bounded, as for the BN-ε identity (<see cref="FilterChecks.EpsilonMedianTolerance"/>,
    /// the same 1e-4). A group that is no symmetry (a tanh rescale, a scaled logits row) shows residuals of order 1e-2…1.
    /// </summary>
    public const double IdentityMedianTolerance = FilterChecks.EpsilonMedianTolerance;

    /// <summary>The settings of a training config: heavy ball's β and k, or why the recursions do not apply.</summary>
    public static GroupCheckSettings SettingsFor(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var o = config.Optimizer;
        string? inapplicable = config.Adam is not null ? "Adam/AdamW (the recursions are for heavy ball)"
            : config.ConstrainFilterNorms ? "filter norms are rescaled after every step (constrained run)"
            : o.Nesterov ? "Nesterov momentum (the recursions are for heavy ball)"
            : o.DecoupledWeightDecay ? "decoupled weight decay (the recursions are for coupled decay)"
            : o.Dampening != 0 ? "dampening ≠ 0"
            : null;
        return new GroupCheckSettings(o.Momentum, o.WeightDecay, inapplicable);
    }

    /// <summary>Checks every measured group of <paramref name="run"/>.</summary>
    public static GroupCheckReport Analyse(GroupRun run, GroupCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(settings);
        var checks = new List<GroupLawCheck>();
        var byKind = new Dictionary<string, (List<double> Q, List<double> B, List<double> Identity, List<double> Violation)>(StringComparer.Ordinal);
        foreach (var entry in run.Groups.Where(g => g.Measured))
        {
            var generators = run.Samples.GetValueOrDefault(entry.Name) ?? [];
            var q = new List<double>();
            var b = new List<double>();
            var identity = new List<double>();
            string? nonFinite = null;
            int pairs = 0;
            bool translation = entry.Kind == "translation";
            for (int i = 0; i < generators.Count; i++)
            {
                var x = generators[i];
                for (int j = 0; j < x.Count; j++)
                {
                    var s = x[j];
                    if (nonFinite is null && FirstNonFinite(s) is { } column)
                        nonFinite = string.Create(CultureInfo.InvariantCulture, $"generator {i}, step {s.Step}: {column}");
                    double scale = translation ? Math.Sqrt(s.G2) : Math.Sqrt(s.W2 * s.G2);
                    if (scale > 0) identity.Add(Math.Abs(s.G) / scale);
                    else if (double.IsNaN(scale)) identity.Add(double.NaN);
                    if (settings.Inapplicable is not null || j + 1 >= x.Count || x[j + 1].Step != s.Step + 1
                        || !run.LearningRates.TryGetValue(s.Step, out double eta)) continue;
                    pairs++;
                    var (eq, eb) = translation ? Translation(s, x[j + 1], eta, settings) : Quadratic(s, x[j + 1], eta, settings);
                    q.Add(eq);
                    b.Add(eb);
                }
            }
            checks.Add(new GroupLawCheck(entry.Name, entry.Kind, entry.Verdict, entry.Cause, generators.Count, pairs,
                ErrorStatistics.Of(q), ErrorStatistics.Of(b), ErrorStatistics.Of(identity), nonFinite ?? (q.Concat(b).Any(double.IsNaN) ? "a recursion error is NaN" : null)));
            if (!byKind.TryGetValue(entry.Kind, out var all)) byKind[entry.Kind] = all = ([], [], [], []);
            all.Q.AddRange(q);
            all.B.AddRange(b);
            (entry.Verdict == "holds" ? all.Identity : all.Violation).AddRange(identity);
        }
        var kinds = new[] { "scale", "rescale", "translation" }.Concat(byKind.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)
            .Where(byKind.ContainsKey)
            .Select(k => new GroupKindSummary(k, checks.Count(c => c.Kind == k), checks.Count(c => c.Kind == k && c.IdentityChecked),
                ErrorStatistics.Of(byKind[k].Q), ErrorStatistics.Of(byKind[k].B), ErrorStatistics.Of(byKind[k].Identity), ErrorStatistics.Of(byKind[k].Violation)))
            .ToList();
        return new GroupCheckReport(settings, checks, RecursionTolerance, IdentityMedianTolerance, kinds) { Epsilon = GroupEpsilonLaws.Analyse(run) };
    }

    /// <summary>The errors of the scale/rescale recursion (theory/08-group-laws.md#eq-8-1) from step n to n+1.</summary>
    public static (double Charge, double Velocity) Quadratic(GeneratorSample n, GeneratorSample next, double eta, GroupCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(settings);
        double s = settings.Momentum * n.B + n.G + settings.WeightDecay * n.Q;   // Σp⟨θ_n, v_{n+1}⟩
        double q = n.Q - 2 * eta * s + eta * eta * next.C;
        double b = s - eta * next.C;
        double bScale = Math.Sqrt(n.W2 * next.V2);
        return (Math.Abs(q - next.Q) / n.W2, bScale > 0 ? Math.Abs(b - next.B) / bScale : Math.Abs(b - next.B));
    }

    /// <summary>The errors of the translation recursion (theory/08-group-laws.md#eq-8-2) from step n to n+1.</summary>
    public static (double Charge, double Velocity) Translation(GeneratorSample n, GeneratorSample next, double eta, GroupCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(settings);
        double u = settings.Momentum * n.B + n.G + settings.WeightDecay * n.Q;   // Σ v_{n+1}
        double q = n.Q - eta * u;
        double qScale = Math.Sqrt(n.W2) + eta * Math.Sqrt(next.V2);
        double uScale = settings.Momentum * Math.Sqrt(n.V2) + Math.Sqrt(n.G2) + settings.WeightDecay * Math.Sqrt(n.W2) + Math.Sqrt(next.V2);
        return (qScale > 0 ? Math.Abs(q - next.Q) / qScale : Math.Abs(q - next.Q), uScale > 0 ? Math.Abs(u - next.B) / uScale : Math.Abs(u - next.B));
    }

    private static string? FirstNonFinite(GeneratorSample s)
    {
        (string Name, double Value)[] columns = [("q", s.Q), ("b", s.B), ("wg", s.G), ("c", s.C), ("w2", s.W2), ("g2", s.G2), ("v2", s.V2)];
        foreach (var (name, value) in columns)
            if (!double.IsFinite(value)) return string.Create(CultureInfo.InvariantCulture, $"{name} = {value}");
        return null;
    }
}

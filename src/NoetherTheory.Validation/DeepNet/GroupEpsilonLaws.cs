using System.Globalization;
using System.Text;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>The BN-ε law of one measured scale group: its measured G against the predicted Σp·ε/(c+ε)·γ·∂f/∂γ per
/// generator over the run (theory/08-group-laws.md#eq-8-4).</summary>
/// <param name="Name">The group.</param>
/// <param name="Verdict">Discovery's verdict (broken by ε for ε &gt; 0; holds for ε = 0, when the prediction is 0).</param>
/// <param name="Cause">What breaks it (epsilon, or none).</param>
/// <param name="Generators">Generators with a prediction.</param>
/// <param name="Epsilon">Violation |G_pred|/√(W2·G2), residual |G − G_pred|/√(W2·G2) and, where the violation is resolved,
/// the relative error |G − G_pred|/|G_pred|, over every generator-step (the filter checks' comparison,
/// <see cref="FilterChecks.Epsilon"/>).</param>
/// <param name="FirstNonFinite">The first generator-step whose prediction or measured G, W2, G2 is not finite, or whose
/// prediction has no measured step ("generator i, step n: wg_pred = NaN"), or null.</param>
/// <param name="MedianTolerance">The bound on the median residual (<see cref="GroupEpsilonLaws.MedianTolerance"/>).</param>
public sealed record ScaleGroupEpsilonCheck(string Name, string Verdict, string Cause, int Generators, EpsilonCheck Epsilon, string? FirstNonFinite,
    double MedianTolerance)
{
    /// <summary>True when at least one generator-step was compared, every value is finite, and the median residual is within
    /// <see cref="MedianTolerance"/>.</summary>
    public bool Holds => FirstNonFinite is null && Epsilon.Samples > 0 && Epsilon.Residual.Median <= MedianTolerance;
}

/// <summary>
/// The BN-ε prediction per scale group in the group path (issue 14 item 3): each generator of a scale group with a logged
/// prediction (groups-bn.csv: its tensors feed batch normalisations) is a "filter" with |w|², |g|², ⟨w,g⟩ the group's W2,
/// G2, G and the predicted ⟨w,g⟩ the logged one, and <see cref="FilterChecks"/>' BN-ε comparison runs on them unchanged —
/// on VGG11-BN the conv scale groups give the numbers of filters.csv. Groups without a prediction (rescale and translation
/// groups, LayerNorm's scale candidates, weights not followed by a BN) are not listed.
/// </summary>
public static class GroupEpsilonLaws
{
    /// <summary>
    /// Bound on each group's MEDIAN residual |G − G_pred|/√(W2·G2): the filter checks' bound
    /// (<see cref="FilterChecks.EpsilonMedianTolerance"/>, 1e-4), for the same reason. G and γ·∂f/∂γ both come from float32
    /// back-propagation, and √(W2·G2) is the scale of the products whose sum is G, so the residual is float32 round-off of
    /// that sum (≲ 1e-6 on the tiny protocols, up to 1.3e-5 as a median in a first conv whose gradients cancel over many
    /// pixels), while a systematic error (the unbiased variance, the running variance, a wrong ε or c, a channel mismatch)
    /// shifts every generator and so the median by ≳ 1e-4.
    /// </summary>
    public const double MedianTolerance = FilterChecks.EpsilonMedianTolerance;

    /// <summary>The BN-ε law of every scale group of <paramref name="run"/> with a logged prediction, in discovery order.</summary>
    public static IReadOnlyList<ScaleGroupEpsilonCheck> Analyse(GroupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = new List<ScaleGroupEpsilonCheck>();
        var ordered = run.Groups.Select(g => g.Name).Concat(run.Predictions.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        foreach (string name in ordered)
        {
            if (!run.Predictions.TryGetValue(name, out var predictions)) continue;
            var entry = run.Groups.FirstOrDefault(g => g.Name == name);
            var measured = run.Samples.GetValueOrDefault(name) ?? [];
            string? nonFinite = null;
            var traces = new List<FilterTrace>(predictions.Count);
            for (int i = 0; i < predictions.Count; i++)
            {
                var byStep = i < measured.Count ? measured[i].ToDictionary(s => s.Step) : [];
                var samples = new List<FilterSample>(predictions[i].Count);
                foreach (var p in predictions[i])
                {
                    if (!byStep.TryGetValue(p.Step, out var s))
                    {
                        nonFinite ??= string.Create(CultureInfo.InvariantCulture, $"generator {i}, step {p.Step}: a prediction without a measured G");
                        continue;
                    }
                    (string Column, double Value)[] columns = [("wg_pred", p.Predicted), ("wg", s.G), ("w2", s.W2), ("g2", s.G2)];
                    foreach (var (column, value) in columns)
                        if (!double.IsFinite(value))
                        {
                            nonFinite ??= string.Create(CultureInfo.InvariantCulture, $"generator {i}, step {p.Step}: {column} = {value}");
                            break;
                        }
                    samples.Add(new FilterSample(p.Step, s.W2, s.G2, s.V2, s.G, s.B, p.Predicted, p.BatchVariance));
                }
                traces.Add(new FilterTrace(name, i, samples));
            }
            result.Add(new ScaleGroupEpsilonCheck(name, entry?.Verdict ?? "unknown", entry?.Cause ?? "unknown", predictions.Count,
                FilterChecks.Epsilon(traces), nonFinite, MedianTolerance));
        }
        return result;
    }

    /// <summary>The checks as text lines (appended to group-checks.txt); empty when no group has a prediction.</summary>
    public static string Format(IReadOnlyList<ScaleGroupEpsilonCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0) return "";
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture,
            $"BN-ε prediction per scale group (theory/08-group-laws.md#eq-8-4): G = Σp·ε/(c+ε)·γ·∂f/∂γ per generator; residual |G − G_pred|/√(W2·G2) median ≤ {MedianTolerance:G2} per group; relative error where the violation ≥ {FilterChecks.ResolvedViolation:G2}:\n");
        foreach (var c in checks)
        {
            var e = c.Epsilon;
            string relative = e.ResolvedSamples == 0 ? "no violation resolved"
                : string.Create(CultureInfo.InvariantCulture, $"relative error median {e.RelativeError.Median:E1}, max {e.RelativeError.Max:E1} (n = {e.ResolvedSamples})");
            s.Append(CultureInfo.InvariantCulture,
                $"  {c.Name} [{c.Verdict}]: {c.Generators} generator(s), {e.Samples} generator-step(s); residual median {e.Residual.Median:E1}, max {e.Residual.Max:E1}; violation median {e.Violation.Median:E1}; {relative}; {(c.Holds ? "prediction holds" : "PREDICTION FAILS")}\n");
            if (c.FirstNonFinite is { } bad) s.Append(CultureInfo.InvariantCulture, $"    non-finite: {bad}\n");
        }
        return s.ToString();
    }
}

using System.Globalization;
using System.Text;
using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>The continuous laws of one measured scale group: Neural Mechanics' Green's-function law and NLD's Eq. 17 for
/// |w|² of each generator, and the gradient regime, exactly as <see cref="FilterChecks"/> computes them for VGG's filters.</summary>
/// <param name="Name">The group.</param>
/// <param name="Generators">Generators analysed.</param>
/// <param name="GreenLaw">Per-generator relative error of the Green's-function law at the last analysed step.</param>
/// <param name="Eq17">Per-generator relative error of Eq. 17 at that step.</param>
/// <param name="PersistenceIndex">Median over generators of the persistence index (0 white, 1 persistent gradients).</param>
/// <param name="Regime">The regime the index points to.</param>
public sealed record ScaleGroupContinuousLaws(string Name, int Generators, ErrorStatistics GreenLaw, ErrorStatistics Eq17,
    double PersistenceIndex, GradientRegime Regime);

/// <summary>
/// Green's law, Eq. 17 and the regime index per scale group in the group path (issue 14 item 3): each generator of a
/// measured scale group is a "filter" whose |w|², |g|², |v|², ⟨w,g⟩, ⟨w,v⟩ are the
/// group's W2, G2, V2, G, B (theory/08-group-laws.md), and <see cref="FilterChecks"/> runs on them unchanged — on VGG11-BN
/// the conv scale groups give the numbers of filters.csv. Approximate laws: reported as error distributions, no verdict.
/// </summary>
public static class GroupContinuousLaws
{
    /// <summary>The filter-check settings of a training config, or null with the reason when the laws do not apply (Adam:
    /// Green's law and Eq. 17 are heavy ball's; constrained norms).</summary>
    /// <param name="config">The run's config.</param>
    public static (FilterCheckSettings? Settings, string? Why) SettingsFor(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Adam is not null) return (null, "Adam/AdamW (Green's law and Eq. 17 are heavy ball's)");
        if (config.ConstrainFilterNorms) return (null, "filter norms constrained after every step");
        return (FilterCheckValidation.SettingsFor(config), null);
    }

    /// <summary>The laws of every measured scale group of <paramref name="run"/>, on its P-weighted forms (W2 = Q = Σp|w|² for
    /// a scale group, every p &gt; 0): exactly the filter laws when every power is 1, as for every discovered scale group; a
    /// uniform power p only scales them. A declared group mixing different powers is analysed the same way, though Eq. 17's
    /// |ĝ|² = |g|²|w|² assumes one power.</summary>
    /// <param name="run">The run.</param>
    /// <param name="settings">The run's settings (<see cref="SettingsFor"/>).</param>
    public static IReadOnlyList<ScaleGroupContinuousLaws> Analyse(GroupRun run, FilterCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(settings);
        var result = new List<ScaleGroupContinuousLaws>();
        foreach (var group in run.Groups.Where(g => g.Measured && g.Kind == "scale"))
        {
            if (!run.Samples.TryGetValue(group.Name, out var generators) || generators.Count == 0) continue;
            var traces = generators.Select((samples, i) => new FilterTrace(group.Name, i,
                [.. samples.Select(s => new FilterSample(s.Step, s.W2, s.G2, s.V2, s.G, s.B))])).ToList();
            var layer = FilterChecks.Analyse(traces, settings).Layers.Single();
            result.Add(new ScaleGroupContinuousLaws(group.Name, traces.Count, layer.GreenLaw, layer.Eq17, layer.PersistenceIndex, layer.Regime));
        }
        return result;
    }

    /// <summary>The laws as text lines (appended to group-checks.txt).</summary>
    /// <param name="laws">The analysed groups.</param>
    /// <param name="notApplicable">Why they were not analysed, or null.</param>
    public static string Format(IReadOnlyList<ScaleGroupContinuousLaws> laws, string? notApplicable)
    {
        ArgumentNullException.ThrowIfNull(laws);
        var s = new StringBuilder();
        if (notApplicable is not null)
            return s.Append(CultureInfo.InvariantCulture, $"continuous laws per scale group: not analysed: {notApplicable}\n").ToString();
        if (laws.Count == 0) return "";
        s.Append("continuous laws per scale group (Green's law theory/03-noether.md#eq-3-12, Eq. 17 theory/05-learning-dynamics.md#eq-5-3; relative error of |w|² per generator at the last analysed step, median / p90):\n");
        foreach (var l in laws)
            s.Append(CultureInfo.InvariantCulture,
                $"  {l.Name}: {l.Generators} generators; Green {l.GreenLaw.Median:P2} / {l.GreenLaw.P90:P2}, Eq. 17 {l.Eq17.Median:P2} / {l.Eq17.P90:P2}; persistence index {l.PersistenceIndex:F2} ({l.Regime})\n");
        return s.ToString();
    }
}

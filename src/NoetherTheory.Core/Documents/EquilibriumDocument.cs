namespace NoetherTheory.Core.Documents;

// noether.equilibrium/1: what `noether equilibrium --run … --out` writes: per run and layer, the measured rotational
// equilibrium against the one derived from the run's rule (theory/05-learning-dynamics.md#eq-5-8).

/// <summary>The per-layer rotational equilibrium of one or more training runs (<c>noether.equilibrium/1</c>).</summary>
/// <param name="Runs">One entry per run.</param>
public sealed record EquilibriumDocument(IReadOnlyList<RunEquilibriumEntry> Runs) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.equilibrium/1";
}

/// <summary>One run's equilibrium report.</summary>
/// <param name="Run">The run folder's name.</param>
/// <param name="Rule">The catalog rule of its optimizer.</param>
/// <param name="LearningRate">η.</param>
/// <param name="WeightDecay">k.</param>
/// <param name="PredictedAngle">θ* (rad per step).</param>
/// <param name="RelaxationSteps">The rule's relaxation (memory) time in steps.</param>
/// <param name="WindowStart">First step of the window the measured values are taken over.</param>
/// <param name="LastStep">Last measured step.</param>
/// <param name="Equilibrated">True when the window starts at or after <c>EquilibratedAfter</c> relaxation times.</param>
/// <param name="MedianAngleError">Median over layers of the per-layer median relative angle error.</param>
/// <param name="Layers">Per layer.</param>
/// <param name="Note">What the numbers mean for this run.</param>
/// <param name="WhiteMomentumRatio">|v|²/|g|² of the rule's buffer under white gradients (c²/(1−a²) for v' = a·v + c·g), or
/// null when the rule has no such buffer (and in documents written before it was recorded).</param>
/// <param name="PersistentMomentumRatio">The same under persistent gradients (c²/(1−a)²), or null.</param>
public sealed record RunEquilibriumEntry(string Run, string Rule, double LearningRate, double WeightDecay, double PredictedAngle,
    double RelaxationSteps, long WindowStart, long LastStep, bool Equilibrated, double MedianAngleError, IReadOnlyList<LayerEquilibriumEntry> Layers,
    string Note, double? WhiteMomentumRatio = null, double? PersistentMomentumRatio = null);

/// <summary>One layer's measured equilibrium.</summary>
/// <param name="Layer">The conv's name.</param>
/// <param name="Filters">Filters.</param>
/// <param name="MeasuredAngle">Median over filters of the RMS angle per step in the window.</param>
/// <param name="AngleError">Median over filters of |θ_rms − θ*|/θ*.</param>
/// <param name="NormError">Median over filters of |r − r*|/r* (NaN when not predicted).</param>
/// <param name="EffectiveLearningRateError">Median over filters of the relative η_eff error (NaN when not predicted).</param>
/// <param name="ReachedAtStep">First measured step from which the layer's running RMS angle stays within 10% of θ*, or null.</param>
/// <param name="FirstWithinStep">First measured step at which it is within 10% of θ* (it may leave again), or null (also in
/// documents written before it was recorded).</param>
/// <param name="MomentumRatio">Median over filters of |v|²/|g|² in the window (compare the run's
/// <see cref="RunEquilibriumEntry.WhiteMomentumRatio"/> and <see cref="RunEquilibriumEntry.PersistentMomentumRatio"/>); NaN for
/// rules without a momentum buffer.</param>
public sealed record LayerEquilibriumEntry(string Layer, int Filters, double MeasuredAngle, double AngleError, double NormError,
    double EffectiveLearningRateError, long? ReachedAtStep, double MomentumRatio, long? FirstWithinStep = null);

namespace NoetherTheory.Core.Documents;

// noether.forecast/1 and noether.forecast-score/1: the Fig. 4 panel-A outcome predicted from the measured equilibrium of
// the unconstrained cells before the grid's accuracies are read, and its score against them (issue 16 part 4).

/// <summary>The prediction of each unconstrained cell's outcome from its measured effective learning rate
/// (<c>noether.forecast/1</c>), written before the accuracies are read.</summary>
/// <param name="Protocol">The grid folder's name.</param>
/// <param name="Grid">The grid folder the traces were read from.</param>
/// <param name="Commit">The commit of the toolkit that wrote it (with "+dirty" when the tree had changes).</param>
/// <param name="CreatedUtc">When it was written (ISO 8601, UTC).</param>
/// <param name="UntilStep">Runs still training were used up to this step (an early window; finished runs with all their
/// steps), or null when only finished runs were used.</param>
/// <param name="WindowFraction">The ratio is averaged over this last fraction of the steps used.</param>
/// <param name="Method">The prediction, in words.</param>
/// <param name="Inputs">Every file read, with its hash (filters.csv and config.yaml of the unconstrained cells only).</param>
/// <param name="Cells">One prediction per learning rate.</param>
public sealed record ForecastDocument(string Protocol, string Grid, string Commit, string CreatedUtc, long? UntilStep, double WindowFraction,
    string Method, IReadOnlyList<ForecastInputEntry> Inputs, IReadOnlyList<ForecastCellEntry> Cells) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.forecast/1";
}

/// <summary>One unconstrained run the forecast read, and the ratio measured in it.</summary>
/// <param name="Cell">Cell id (the run folder's name).</param>
/// <param name="LearningRate">η.</param>
/// <param name="Seed">Seed.</param>
/// <param name="File">filters.csv path.</param>
/// <param name="Sha256">Its SHA-256 at the time it was read.</param>
/// <param name="LastStep">Last measured step used.</param>
/// <param name="WindowStart">First step of the averaging window.</param>
/// <param name="Ratio">ρ = r₀²/r² = (η/r²)/(η/r₀²), the unconstrained effective learning rate over the constrained one's;
/// geometric mean over layers of the layer's geometric mean over filters and window steps.</param>
/// <param name="RatioAtWindowStart">ρ at the window's first step.</param>
/// <param name="RatioAtLastStep">ρ at the last step used.</param>
/// <param name="Layers">ρ per layer (geometric mean over filters and window steps).</param>
public sealed record ForecastInputEntry(string Cell, double LearningRate, long Seed, string File, string Sha256, long LastStep, long WindowStart,
    double Ratio, double RatioAtWindowStart, double RatioAtLastStep, IReadOnlyList<LayerRatioEntry> Layers);

/// <summary>A layer's effective-learning-rate ratio.</summary>
/// <param name="Layer">The conv's name.</param>
/// <param name="Ratio">r₀²/r², geometric mean over filters and window steps.</param>
public sealed record LayerRatioEntry(string Layer, double Ratio);

/// <summary>The prediction for the unconstrained cells at one learning rate.</summary>
/// <param name="Panel">Panel.</param>
/// <param name="LearningRate">η.</param>
/// <param name="Seeds">Seeds measured.</param>
/// <param name="Ratio">ρ, geometric mean over seeds.</param>
/// <param name="RatioLow">Smallest ρ over seeds, window start and last step.</param>
/// <param name="RatioHigh">Largest ρ over seeds, window start and last step.</param>
/// <param name="EquivalentLearningRate">ρη: the constrained learning rate the unconstrained cell is predicted to behave like.</param>
/// <param name="Statement">The prediction, in words.</param>
public sealed record ForecastCellEntry(string Panel, double LearningRate, int Seeds, double Ratio, double RatioLow, double RatioHigh,
    double EquivalentLearningRate, string Statement);

/// <summary>A forecast scored against the grid's accuracies (<c>noether.forecast-score/1</c>).</summary>
/// <param name="Forecast">The forecast file.</param>
/// <param name="ForecastSha256">Its SHA-256.</param>
/// <param name="ForecastCreatedUtc">When the forecast was written.</param>
/// <param name="Results">The grid's summary.json.</param>
/// <param name="ScoredUtc">When the score was computed.</param>
/// <param name="AccuracyFloor">The smallest tolerance on an accuracy (absolute).</param>
/// <param name="Cells">Per learning rate.</param>
/// <param name="Verdict">holds (every cell within its tolerance), doesNotHold (a cell outside, a value not finite, or nothing to
/// score) or incomplete (none outside, some pending because the grid has not finished).</param>
/// <param name="ForecastMeanAbsoluteError">Mean over cells of |measured − predicted| accuracy.</param>
/// <param name="NullMeanAbsoluteError">The same for the null prediction ρ = 1 (unconstrained = constrained at the same η).</param>
/// <param name="Summary">The result, in words.</param>
public sealed record ForecastScoreDocument(string Forecast, string ForecastSha256, string ForecastCreatedUtc, string Results, string ScoredUtc,
    double AccuracyFloor, IReadOnlyList<ForecastScoreCellEntry> Cells, string Verdict, double ForecastMeanAbsoluteError, double NullMeanAbsoluteError,
    string Summary) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.forecast-score/1";
}

/// <summary>One learning rate's prediction against the measured accuracies.</summary>
/// <param name="LearningRate">η.</param>
/// <param name="Ratio">ρ predicted.</param>
/// <param name="EquivalentLearningRate">ρη.</param>
/// <param name="Extrapolated">True when ρη (or its band) lies outside the constrained learning rates measured, so the
/// constrained accuracy was extrapolated linearly in log η from the nearest segment.</param>
/// <param name="PredictedAccuracy">The constrained accuracy interpolated in log η at ρη.</param>
/// <param name="PredictedLow">Lower end of the prediction over the ρ band.</param>
/// <param name="PredictedHigh">Upper end of the prediction over the ρ band.</param>
/// <param name="MeasuredAccuracy">Unconstrained accuracy, mean over seeds.</param>
/// <param name="MeasuredHalfRange">Its half range over seeds.</param>
/// <param name="ConstrainedAccuracy">Constrained accuracy at the same η (the null prediction).</param>
/// <param name="Tolerance">Allowed distance outside the band: max(floor, 2·√(h_free² + h_constrained²)) with h the seed half ranges.</param>
/// <param name="PredictedGapSign">Sign of (predicted − constrained at η) when larger than the tolerance, else 0.</param>
/// <param name="MeasuredGapSign">Sign of (measured − constrained at η) when larger than the tolerance, else 0.</param>
/// <param name="RunsFinishedBefore">How many of this η's grid runs (both kinds) had finished (result.yaml written) when the
/// forecast was written: those results existed but were not read; the others did not exist yet.</param>
/// <param name="Runs">This η's grid runs (both kinds).</param>
/// <param name="Verdict">holds, doesNotHold, or pending (the grid results it needs are not all there yet).</param>
/// <param name="Evidence">The numbers, in words.</param>
public sealed record ForecastScoreCellEntry(double LearningRate, double Ratio, double EquivalentLearningRate, bool Extrapolated,
    double PredictedAccuracy, double PredictedLow, double PredictedHigh, double MeasuredAccuracy, double MeasuredHalfRange, double ConstrainedAccuracy,
    double Tolerance, int PredictedGapSign, int MeasuredGapSign, int RunsFinishedBefore, int Runs, string Verdict, string Evidence);

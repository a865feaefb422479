namespace NoetherTheory.Core.Documents;

// noether.validate/1: the summary.json that `noether validate` writes. Files written before the tag existed carry no
// kind; ResultDocuments recognises them by shape. Enumerations are camelCase strings.

/// <summary>Everything a deep-network validation protocol found (<c>noether.validate/1</c>).</summary>
/// <param name="Protocol">Protocol name.</param>
/// <param name="Source">Protocol file.</param>
/// <param name="Dataset">Dataset description.</param>
/// <param name="Device">Device the runs used.</param>
/// <param name="Cells">One row per cell (as in grid.csv).</param>
/// <param name="GridRuns">The Fig. 4 grid runs with their loss curves.</param>
/// <param name="Grid">The Fig. 4 analysis, or null without grid runs.</param>
/// <param name="Filters">The filter checks of each filter run.</param>
/// <param name="Precision">Matrix-multiply precision (float32 or tf32).</param>
/// <param name="Groups">The symmetry-group checks of each run that measured groups (<c>measure:</c> in the protocol), in cell
/// order; null when no run did.</param>
/// <param name="Models">The distinct networks the protocol's runs train, in words (e.g. "vgg11-bn (width 0.25, gap head, ε
/// 1E-05)"), in cell order; null in documents written before they were recorded.</param>
public sealed record ValidateDocument(string Protocol, string Source, string Dataset, string Device, IReadOnlyList<CellEntry> Cells,
    IReadOnlyList<GridRunEntry> GridRuns, Fig4Entry? Grid, IReadOnlyList<FilterRunEntry> Filters, string Precision = "float32",
    IReadOnlyList<GroupChecksDocument>? Groups = null, IReadOnlyList<string>? Models = null)
    : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.validate/1";
}

/// <summary>One cell's row.</summary>
/// <param name="Id">Cell id.</param>
/// <param name="Kind">grid or filters.</param>
/// <param name="Panel">Fig. 4 panel, or null.</param>
/// <param name="Variable">Swept variable, or null.</param>
/// <param name="Value">Its value.</param>
/// <param name="Constrained">Filter norms constrained.</param>
/// <param name="Seed">Seed.</param>
/// <param name="TestAccuracy">Test accuracy.</param>
/// <param name="TestLoss">Test loss.</param>
/// <param name="TrainLoss">Final train loss.</param>
/// <param name="WallSeconds">Wall time.</param>
/// <param name="Device">Device.</param>
/// <param name="ResumedFromStep">Step a resumed run continued from, or null.</param>
/// <param name="RunDirectory">The run's folder.</param>
/// <param name="Dataset">Dataset description.</param>
public sealed record CellEntry(string Id, string Kind, string? Panel, string? Variable, double Value, bool Constrained, long Seed,
    double TestAccuracy, double TestLoss, double TrainLoss, double WallSeconds, string Device, long? ResumedFromStep, string RunDirectory,
    string Dataset);

/// <summary>A (step, value) point of a curve.</summary>
/// <param name="Step">Step.</param>
/// <param name="Value">Value.</param>
public sealed record CurvePointEntry(long Step, double Value);

/// <summary>One Fig. 4 grid run.</summary>
/// <param name="Panel">Panel.</param>
/// <param name="Value">Swept value.</param>
/// <param name="Constrained">Constrained run.</param>
/// <param name="Seed">Seed.</param>
/// <param name="TestAccuracy">Test accuracy.</param>
/// <param name="TestLoss">Test loss.</param>
/// <param name="LossCurve">Train loss at every logged step.</param>
public sealed record GridRunEntry(string Panel, double Value, bool Constrained, long Seed, double TestAccuracy, double TestLoss,
    IReadOnlyList<CurvePointEntry> LossCurve);

/// <summary>Seed statistics of one grid cell.</summary>
/// <param name="Panel">Panel.</param>
/// <param name="Value">Swept value.</param>
/// <param name="Constrained">Constrained.</param>
/// <param name="Seeds">Seeds.</param>
/// <param name="MeanAccuracy">Mean accuracy.</param>
/// <param name="AccuracyHalfRange">Half range of accuracy.</param>
/// <param name="MeanLoss">Mean loss.</param>
/// <param name="LossHalfRange">Half range of loss.</param>
public sealed record GridCellEntry(string Panel, double Value, bool Constrained, int Seeds, double MeanAccuracy,
    double AccuracyHalfRange, double MeanLoss, double LossHalfRange);

/// <summary>One Fig. 4 claim.</summary>
/// <param name="Id">Claim id.</param>
/// <param name="Statement">The claim.</param>
/// <param name="Measured">Measured effect.</param>
/// <param name="Spread">Seed spread.</param>
/// <param name="Evidence">The numbers, in words.</param>
/// <param name="Verdict">notTested, holds, directionOnly or doesNotHold.</param>
public sealed record Fig4ClaimEntry(string Id, string Statement, double Measured, double Spread, string Evidence, string Verdict);

/// <summary>The Fig. 4 analysis.</summary>
/// <param name="Cells">Per-cell statistics.</param>
/// <param name="Claims">The claims and their verdicts.</param>
public sealed record Fig4Entry(IReadOnlyList<GridCellEntry> Cells, IReadOnlyList<Fig4ClaimEntry> Claims);

/// <summary>The filter checks of one run.</summary>
/// <param name="Cell">Cell id.</param>
/// <param name="Report">The checks.</param>
public sealed record FilterRunEntry(string Cell, FilterReportEntry Report);

/// <summary>Median, 90th percentile and maximum of a set of errors.</summary>
/// <param name="Count">Values (NaN excluded).</param>
/// <param name="Median">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="Max">Maximum.</param>
public sealed record ErrorStatisticsEntry(int Count, double Median, double P90, double Max);

/// <summary>The optimizer settings a filter analysis assumed.</summary>
/// <param name="LearningRate">η.</param>
/// <param name="Momentum">β.</param>
/// <param name="WeightDecay">k.</param>
/// <param name="Dampening">δ.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
/// <param name="DecoupledWeightDecay">Decoupled weight decay.</param>
/// <param name="ConstrainedFilterNorms">Filter norms rescaled after each step.</param>
/// <param name="BatchNormEpsilon">BN ε.</param>
/// <param name="AnalysisEndStep">Last step analysed.</param>
/// <param name="RecursionInapplicable">Why the exact recursion does not apply, or null.</param>
public sealed record FilterSettingsEntry(double LearningRate, double Momentum, double WeightDecay, double Dampening, bool Nesterov,
    bool DecoupledWeightDecay, bool ConstrainedFilterNorms, double BatchNormEpsilon, long AnalysisEndStep, string? RecursionInapplicable = null);

/// <summary>One point of a layer's r² curves.</summary>
/// <param name="Step">Step.</param>
/// <param name="MeasuredR2">Measured median r².</param>
/// <param name="GreenR2">NM Green's-law prediction.</param>
/// <param name="Eq17R2">Eq. 17 prediction.</param>
/// <param name="EffectiveLearningRate">η_eff.</param>
/// <param name="RmsPropEffectiveLearningRate">RMSProp's effective rate.</param>
/// <param name="GreenError">Green's-law relative error.</param>
/// <param name="Eq17Error">Eq. 17 relative error.</param>
public sealed record LayerCurvePointEntry(long Step, double MeasuredR2, double GreenR2, double Eq17R2, double EffectiveLearningRate,
    double RmsPropEffectiveLearningRate, double GreenError, double Eq17Error);

/// <summary>The BN-ε identity check of a layer.</summary>
/// <param name="Samples">Filter-steps checked.</param>
/// <param name="Violation">Violation of ⟨g,w⟩ = 0 relative to |w||g|.</param>
/// <param name="Residual">Residual of the identity.</param>
/// <param name="ResolvedSamples">Samples above round-off.</param>
/// <param name="RelativeError">Relative error on resolved samples.</param>
public sealed record EpsilonCheckEntry(int Samples, ErrorStatisticsEntry Violation, ErrorStatisticsEntry Residual, int ResolvedSamples,
    ErrorStatisticsEntry RelativeError);

/// <summary>The checks of one layer.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Filters">Filters.</param>
/// <param name="RecursionPairs">Filter-pairs of the exact recursion.</param>
/// <param name="RecursionWeightNorm">Recursion error on |w|².</param>
/// <param name="RecursionWeightDotVelocity">Recursion error on ⟨w,v⟩.</param>
/// <param name="GreenLaw">NM Green's-law errors.</param>
/// <param name="Eq17">Eq. 17 errors.</param>
/// <param name="GreenErrors">Per-filter Green's-law errors.</param>
/// <param name="Eq17Errors">Per-filter Eq. 17 errors.</param>
/// <param name="PersistenceIndex">Gradient persistence index.</param>
/// <param name="Regime">undetermined, persistent, whiteNoise or mixed.</param>
/// <param name="SymmetryCosine">|cos(w, g)|.</param>
/// <param name="Curves">Median curves.</param>
/// <param name="Epsilon">BN-ε identity.</param>
public sealed record LayerFilterEntry(string Layer, int Filters, int RecursionPairs, ErrorStatisticsEntry RecursionWeightNorm,
    ErrorStatisticsEntry RecursionWeightDotVelocity, ErrorStatisticsEntry GreenLaw, ErrorStatisticsEntry Eq17, IReadOnlyList<double> GreenErrors,
    IReadOnlyList<double> Eq17Errors, double PersistenceIndex, string Regime, ErrorStatisticsEntry SymmetryCosine,
    IReadOnlyList<LayerCurvePointEntry> Curves, EpsilonCheckEntry Epsilon);

/// <summary>The filter checks of a run, with the run-level figures derived from the layers.</summary>
/// <param name="Settings">Settings assumed.</param>
/// <param name="EffectiveDiscount">Effective discount.</param>
/// <param name="RecursionSkippedBecause">Why the recursion was not checked, or null.</param>
/// <param name="RecursionTolerance">Recursion bound.</param>
/// <param name="LastAnalysedStep">Last step analysed.</param>
/// <param name="Layers">Per-layer checks.</param>
/// <param name="EpsilonTolerance">BN-ε bound.</param>
/// <param name="EpsilonSamples">Filter-steps of the BN-ε check.</param>
/// <param name="EpsilonResidualMax">Largest BN-ε residual.</param>
/// <param name="EpsilonResidualMedianMax">Largest per-layer median BN-ε residual.</param>
/// <param name="EpsilonViolationMax">Largest BN-ε violation.</param>
/// <param name="SymmetryCosineMax">Largest |cos(w, g)|.</param>
/// <param name="EpsilonIdentityHolds">Whether the BN-ε identity holds.</param>
/// <param name="RecursionPairs">Filter-pairs of the recursion.</param>
/// <param name="RecursionMaxError">Largest recursion error.</param>
/// <param name="RecursionHolds">Whether the exact recursion holds.</param>
/// <param name="NonFinite">Where the run's log first held a non-finite measured value, or null (omitted) when none did; a
/// non-null value fails every check of the run.</param>
public sealed record FilterReportEntry(FilterSettingsEntry Settings, double EffectiveDiscount, string? RecursionSkippedBecause,
    double RecursionTolerance, long LastAnalysedStep, IReadOnlyList<LayerFilterEntry> Layers, double EpsilonTolerance,
    int EpsilonSamples, double EpsilonResidualMax, double EpsilonResidualMedianMax, double EpsilonViolationMax, double SymmetryCosineMax,
    bool EpsilonIdentityHolds, int RecursionPairs, double RecursionMaxError, bool RecursionHolds, string? NonFinite = null);

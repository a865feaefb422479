namespace NoetherTheory.Validation.Cases;

/// <summary>What a law's measurement is.</summary>
internal enum LawShape
{
    /// <summary>A single measured value against a prediction; no series recorded.</summary>
    Plain,

    /// <summary>Measured against predicted, with the series recorded when a trace sink is given.</summary>
    Traced,

    /// <summary>The slope of a convergence sweep (error against step size) against the expected order; always traced.</summary>
    Order,
}

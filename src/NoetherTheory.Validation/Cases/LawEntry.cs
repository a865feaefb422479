namespace NoetherTheory.Validation.Cases;

/// <summary>One law a case file may name.</summary>
/// <param name="Id">The id case files use in their <c>law</c> field.</param>
/// <param name="Run">Runs the case and returns measured vs predicted; records series into the sink when it is given
/// and the law is traced.</param>
/// <param name="Shape">Whether the law records a trace, and whether its measurement is a convergence order.</param>
/// <param name="Parameters">The <c>lawParameters</c> names the law reads (each has a default); a case giving another name is
/// refused when it is loaded, and a law that reads a name not listed here is a bug caught when it runs.</param>
internal sealed record LawEntry(string Id, Func<VerificationCase, TraceSink?, LawOutcome> Run, LawShape Shape, System.Collections.Immutable.ImmutableArray<string> Parameters)
{
    /// <summary>Whether the law records series (every order law does: its sweep).</summary>
    public bool Traced => Shape != LawShape.Plain;

    /// <summary>Whether the measurement is the slope of a convergence sweep.</summary>
    public bool IsOrder => Shape == LawShape.Order;
}

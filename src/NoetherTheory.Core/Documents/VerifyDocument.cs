namespace NoetherTheory.Core.Documents;

// noether.verify/1: what `noether verify --out` writes (field names documented in the README).

/// <summary>The verification records of a suite run (<c>noether.verify/1</c>).</summary>
/// <param name="Passed">Cases that passed.</param>
/// <param name="Failed">Cases that failed.</param>
/// <param name="Records">One record per case, in suite order.</param>
public sealed record VerifyDocument(int Passed, int Failed, IReadOnlyList<VerificationEntry> Records) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.verify/1";
}

/// <summary>One case's record.</summary>
/// <param name="Case">Case id.</param>
/// <param name="Suite">Suite.</param>
/// <param name="Law">Law id.</param>
/// <param name="Quantity">What was measured.</param>
/// <param name="Measured">Measured value.</param>
/// <param name="Predicted">Predicted value.</param>
/// <param name="Error">|measured − predicted|.</param>
/// <param name="Bound">The tolerance bound.</param>
/// <param name="ToleranceAbs">Absolute tolerance.</param>
/// <param name="ToleranceRel">Relative tolerance.</param>
/// <param name="ReferenceError">Error against the reference value, or null.</param>
/// <param name="Passed">Verdict.</param>
/// <param name="RuntimeSeconds">Run time.</param>
/// <param name="Detail">What was found, in words.</param>
public sealed record VerificationEntry(string Case, string Suite, string Law, string Quantity, double Measured, double Predicted,
    double Error, double Bound, double ToleranceAbs, double ToleranceRel, double? ReferenceError, bool Passed,
    double RuntimeSeconds, string Detail)
{
    /// <summary>Theory anchors the case cites.</summary>
    public IReadOnlyList<string> Theory { get; init; } = [];

    /// <summary>Measured and predicted series, or null for untraced laws.</summary>
    public TraceEntry? Trace { get; init; }

    /// <summary>What <see cref="Predicted"/> is: "derived" (a closed form from theory) or "regression" (a recorded empirical
    /// band). Absent in documents written before the field existed; read as "derived".</summary>
    public string ReferenceKind { get; init; } = "derived";
}

/// <summary>Measured and predicted series of a case (thinned).</summary>
/// <param name="Title">Chart title.</param>
/// <param name="XLabel">x axis.</param>
/// <param name="YLabel">y axis.</param>
/// <param name="LogX">Logarithmic x.</param>
/// <param name="LogY">Logarithmic y.</param>
/// <param name="Series">The series.</param>
public sealed record TraceEntry(string Title, string XLabel, string YLabel, bool LogX, bool LogY, IReadOnlyList<SeriesEntry> Series);

/// <summary>One series; <paramref name="Role"/> is measured, predicted or guide.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Role">measured, predicted or guide.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values.</param>
public sealed record SeriesEntry(string Name, string Role, IReadOnlyList<double> X, IReadOnlyList<double> Y);

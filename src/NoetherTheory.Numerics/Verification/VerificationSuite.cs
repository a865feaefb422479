using System.Diagnostics;
using System.Globalization;

namespace NoetherTheory.Numerics.Verification;

/// <summary>
/// Runs verification cases (the files in <c>validation/cases</c>): each case runs a model and optimizer, evaluates its
/// law and compares measured with predicted under the case's tolerance (and its reference value, if any).
/// </summary>
public static class VerificationSuite
{
    /// <summary>The law ids a case may name.</summary>
    public static IReadOnlyList<string> Laws { get; } = CaseLaws.All.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Suite name that selects every case.</summary>
    public const string AllSuites = "all";

    /// <summary>Selects the cases of a suite ("all" for every case).</summary>
    /// <exception cref="ArgumentException">No case belongs to <paramref name="suite"/> (the message lists the suites).</exception>
    public static IReadOnlyList<VerificationCase> Select(IEnumerable<VerificationCase> cases, string suite)
    {
        var list = cases.ToList();
        if (suite == AllSuites) return list;
        var chosen = list.Where(c => c.Suite == suite).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"no case belongs to suite '{suite}'; suites: {AllSuites}, {string.Join(", ", list.Select(c => c.Suite).Distinct().Order(StringComparer.Ordinal))}.");
        return chosen;
    }

    /// <summary>Runs one case. Failures inside the run (bad parameters, non-convergence) become a failed record.</summary>
    public static VerificationRecord Run(VerificationCase verificationCase)
    {
        ArgumentNullException.ThrowIfNull(verificationCase);
        var c = verificationCase;
        var clock = Stopwatch.StartNew();
        if (!CaseLaws.All.TryGetValue(c.Law, out var law))
            return Failed($"unknown law '{c.Law}'; known: {string.Join(", ", Laws)}");
        LawOutcome outcome;
        try
        {
            outcome = law(c);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return Failed($"{e.GetType().Name}: {e.Message}");
        }
        double error = Math.Abs(outcome.Measured - outcome.Predicted);
        double bound = c.Tolerance.Bound(outcome.Measured, outcome.Predicted);
        bool passed = c.Tolerance.Accepts(outcome.Measured, outcome.Predicted);
        double? refError = null;
        string detail = outcome.Detail;
        if (c.Reference is { } reference)
        {
            double value = outcome.ReferenceMeasured ?? outcome.Measured;
            refError = Math.Abs(value - reference.Value);
            bool refOk = reference.Tolerance.Accepts(value, reference.Value);
            passed &= refOk;
            detail += string.Create(CultureInfo.InvariantCulture,
                $"; reference {reference.Value:G6} ({reference.Source}) vs {value:G6}: {(refOk ? "ok" : "MISMATCH")}");
        }
        return new VerificationRecord(c.Id, c.Suite, c.Law, c.Quantity, outcome.Measured, outcome.Predicted, error, bound,
            c.Tolerance, refError, passed, clock.Elapsed, detail);

        VerificationRecord Failed(string why) => new(c.Id, c.Suite, c.Law, c.Quantity, double.NaN, double.NaN, double.NaN,
            double.NaN, c.Tolerance, null, false, clock.Elapsed, why);
    }

    /// <summary>Runs cases in parallel (results in input order).</summary>
    public static IReadOnlyList<VerificationRecord> RunAll(IEnumerable<VerificationCase> cases, int maxParallelism = -1)
    {
        var list = cases.ToList();
        var results = new VerificationRecord[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, i => results[i] = Run(list[i]));
        return results;
    }

    /// <summary>Loads <paramref name="directory"/> and runs a suite.</summary>
    public static IReadOnlyList<VerificationRecord> RunDirectory(string directory, string suite = AllSuites) =>
        RunAll(Select(CaseLoader.LoadDirectory(directory), suite));
}

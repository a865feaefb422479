using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The symmetry-group part of a report (issue 14 part 4): per model (one run's group-checks.json), the groups
/// discovery found with their verdicts, the measured groups' law verdicts, and each law's error distribution per group kind
/// (theory/08-group-laws.md).</summary>
internal static class GroupsSection
{
    private static string N(double x) => double.IsNaN(x) ? "–" : ReportFormat.Number(x, 2);

    private static string Stats(ErrorDistributionEntry e) => e.Count == 0 ? "–" : $"{N(e.Median)} / {N(e.P90)} / {N(e.Max)}";

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static void Write(ReportContext report, GroupChecksDocument document)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(document);
        var d = document;
        report.Heading($"Symmetry groups: {d.Model}");
        int holds = d.Candidates.Count(c => c.Verdict == "holds"), broken = d.Candidates.Count(c => c.Verdict == "broken"),
            refuted = d.Candidates.Count(c => c.Verdict == "refuted");
        string recursions = d.Inapplicable is { } why ? $"The heavy-ball recursions do not apply to this run ({why}); only the identities are checked."
            : string.Create(CultureInfo.InvariantCulture, $"Heavy ball with β = {d.Momentum}, coupled weight decay k = {d.WeightDecay}: every recursion error must be ≤ {N(d.RecursionTolerance)}.");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Run {d.Run}: {d.Candidates.Count} candidate groups found from the network's structure or declared as data, decided by forward passes and gradients " +
            $"at random points ({holds} hold, {broken} broken, {refuted} refuted); {d.Groups.Count} measured at every logged step. {recursions} " +
            $"A holding group's identity ⟨g, ξ⟩ = 0 must have a median residual ≤ {N(d.IdentityMedianTolerance)}; a broken group's residual is its violation. " +
            $"Verdict: **{(d.Passed ? "PASS" : "FAIL")}**."));
        report.Table(new ReportTable(
            [
                new TableColumn("group"), new TableColumn("kind"), new TableColumn("verdict"), new TableColumn("cause"),
                new TableColumn("generators", ColumnAlignment.Right), new TableColumn("measured"), new TableColumn("⟨g, ξ⟩ f32", ColumnAlignment.Right),
                new TableColumn("⟨g, ξ⟩ f64", ColumnAlignment.Right),
            ],
            d.Candidates.Select(c => (IReadOnlyList<string>)
            [
                c.Name, c.Kind, c.Verdict, c.Cause == "none" ? "" : c.Cause, Count(c.Generators), c.Measured ? "yes" : "no", N(c.Float32Gradient), N(c.Float64Gradient),
            ]).ToList()) { Caption = $"{d.Run}: the groups discovery found, with verdicts; ⟨g, ξ⟩ is the worst gradient-identity residual relative to Σ|g||ξ| over the random points." });
        report.Table(new ReportTable(
            [
                new TableColumn("kind"), new TableColumn("groups (holding)", ColumnAlignment.Right), new TableColumn("charge recursion", ColumnAlignment.Right),
                new TableColumn("velocity recursion", ColumnAlignment.Right), new TableColumn("identity (holding)", ColumnAlignment.Right),
                new TableColumn("violation (broken)", ColumnAlignment.Right),
            ],
            d.Kinds.Select(k => (IReadOnlyList<string>)
            [
                k.Kind, $"{Count(k.Groups)} ({Count(k.Holding)})", Stats(k.ChargeRecursion), Stats(k.VelocityRecursion), Stats(k.Identity), Stats(k.Violation),
            ]).ToList()) { Caption = $"{d.Run}: each law's errors over all generator-steps of a group kind, median / p90 / max (theory/08-group-laws.md#eq-8-1, #eq-8-2, #eq-8-3)." });
        report.Table(new ReportTable(
            [
                new TableColumn("group"), new TableColumn("verdict"), new TableColumn("pairs", ColumnAlignment.Right), new TableColumn("charge max", ColumnAlignment.Right),
                new TableColumn("velocity max", ColumnAlignment.Right), new TableColumn("identity median", ColumnAlignment.Right), new TableColumn("recursion"), new TableColumn("identity"),
            ],
            d.Groups.Select(g => (IReadOnlyList<string>)
            [
                g.Name, g.Verdict == "broken" ? $"broken ({g.Cause})" : g.Verdict, Count(g.Pairs), N(g.ChargeRecursion.Max), N(g.VelocityRecursion.Max), N(g.Identity.Median),
                g.RecursionHolds switch { true => "holds", false => "FAILS", null => "n/a" },
                g.IdentityHolds switch { true => "holds", false => "FAILS", null => "violation reported" },
            ]).ToList()) { Caption = $"{d.Run}: the measured groups' laws{(d.Groups.Any(g => g.FirstNonFinite is not null) ? "; non-finite values: " + string.Join("; ", d.Groups.Where(g => g.FirstNonFinite is not null).Select(g => $"{g.Name} {g.FirstNonFinite}")) : "")}." });
        if (d.ContinuousLaws is { Count: > 0 } laws)
            report.Table(new ReportTable(
                [
                    new TableColumn("scale group"), new TableColumn("generators", ColumnAlignment.Right), new TableColumn("Green's law", ColumnAlignment.Right),
                    new TableColumn("Eq. 17", ColumnAlignment.Right), new TableColumn("persistence index", ColumnAlignment.Right), new TableColumn("regime"),
                ],
                laws.Select(l => (IReadOnlyList<string>)
                [
                    l.Group, Count(l.Generators), Stats(l.GreenLaw), Stats(l.Eq17), N(l.PersistenceIndex), l.Regime,
                ]).ToList()) { Caption = $"{d.Run}: the continuous laws of each scale group, relative error of |w|² per generator at the last analysed step, median / p90 / max (approximate laws: no verdict; theory/03-noether.md#eq-3-12, theory/05-learning-dynamics.md#eq-5-3)." });
        if (d.EpsilonLaws is { Count: > 0 } epsilon)
            report.Table(new ReportTable(
                [
                    new TableColumn("scale group"), new TableColumn("generator-steps", ColumnAlignment.Right), new TableColumn("violation", ColumnAlignment.Right),
                    new TableColumn("residual", ColumnAlignment.Right), new TableColumn("relative error (resolved)", ColumnAlignment.Right), new TableColumn("prediction"),
                ],
                epsilon.Select(e => (IReadOnlyList<string>)
                [
                    e.Group, Count(e.Samples), Stats(e.Violation), Stats(e.Residual), e.ResolvedSamples == 0 ? "–" : $"{Stats(e.RelativeError)} (n = {Count(e.ResolvedSamples)})",
                    e.Holds ? "holds" : "FAILS",
                ]).ToList()) { Caption = $"{d.Run}: measured G of each scale group that feeds batch normalisations against its BN-ε prediction Σp·ε/(c+ε)·γ·∂f/∂γ (theory/08-group-laws.md#eq-8-4); violation |G_pred| and residual |G − G_pred| relative to √(W2·G2), median / p90 / max; the median residual must be ≤ {N(epsilon[0].MedianTolerance)}{(epsilon.Any(e => e.FirstNonFinite is not null) ? "; non-finite values: " + string.Join("; ", epsilon.Where(e => e.FirstNonFinite is not null).Select(e => $"{e.Group} {e.FirstNonFinite}")) : "")}. Groups not listed have no prediction (rescale, translation, LayerNorm scale)." });
    }
}

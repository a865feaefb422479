using System.Globalization;
using System.Text;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>A <see cref="GroupCheckReport"/> as plain text: per group kind each law's error distribution, then one line per
/// measured group with its verdicts.</summary>
public static class GroupCheckText
{
    /// <summary>The report in words and numbers (invariant culture).</summary>
    public static string Format(GroupCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = new StringBuilder();
        void Line(FormattableString text) => s.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
        static string Stats(ErrorStatistics e) => e.Count == 0 ? "—"
            : string.Create(CultureInfo.InvariantCulture, $"median {e.Median:E1}, p90 {e.P90:E1}, max {e.Max:E1} (n = {e.Count})");
        Line($"group laws (theory/08-group-laws.md): recursion errors ≤ {report.RecursionTolerance:G2} each, identity residual median ≤ {report.IdentityMedianTolerance:G2} for holding groups");
        if (report.Settings.Inapplicable is { } why) Line($"  recursions not checked: {why}");
        foreach (var k in report.Kinds)
        {
            Line($"  {k.Kind}: {k.Groups} group(s), {k.Holding} holding");
            if (report.Settings.Inapplicable is null)
            {
                Line($"    charge recursion   {Stats(k.ChargeRecursion)}");
                Line($"    velocity recursion {Stats(k.VelocityRecursion)}");
            }
            Line($"    identity (holding) {Stats(k.Identity)}");
            if (k.Violation.Count > 0) Line($"    violation (broken) {Stats(k.Violation)}");
        }
        foreach (var g in report.Groups)
        {
            string recursion = report.Settings.Inapplicable is not null ? "recursion n/a"
                : report.RecursionHolds(g) ? "recursion holds" : "RECURSION FAILS";
            string identity = report.IdentityHolds(g) switch
            {
                true => "identity holds",
                false => "IDENTITY FAILS",
                null => string.Create(CultureInfo.InvariantCulture, $"broken by {g.Cause}: violation median {g.Identity.Median:E1}"),
            };
            Line($"  {g.Name} [{g.Verdict}] {g.Generators} generator(s), {g.Pairs} pair(s): Q max {g.ChargeRecursion.Max:E1}, B max {g.VelocityRecursion.Max:E1}; {recursion}; {identity}");
            if (g.FirstNonFinite is { } bad) Line($"    non-finite: {bad}");
        }
        s.Append(GroupEpsilonLaws.Format(report.Epsilon));
        Line($"  verdict: {(report.Passed ? "PASS" : "FAIL")}");
        return s.ToString();
    }
}

using System.Globalization;
using System.Text;
using NoetherTheory.Core.Documents;

namespace NoetherTheory.Laws;

/// <summary>Writes a <see cref="LawsResult"/> as text or as a <c>noether.laws/1</c> document.</summary>
public static class LawsFormatter
{
    /// <summary>The typed result document.</summary>
    public static LawsDocument ToDocument(LawsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var phi = result.Factorisation;
        var lie = result.Lie;
        return new LawsDocument(
            phi.Name, [.. phi.Parameters], phi.Components.Count, result.Degree,
            new LieRankEntry(lie.Rank, [.. lie.RankByDepth], lie.FieldCount, lie.Stop.ToString(), lie.UpperBoundProven,
                lie.FailureProbabilityBound, lie.Evidence),
            result.Count, result.Verdict.ToString(), result.FailureProbabilityBound, result.IndependentLaws, result.Complete,
            result.Completeness, result.Named,
            [.. result.Laws.Select((l, i) => new LawEntry(l.Name, l.Display, PolynomialText.Format(l.Law, phi.Parameters),
                result.Checks[i].Kind.ToString(), result.Checks[i].Evidence))],
            result.Evidence);
    }

    /// <summary>The document as indented JSON.</summary>
    public static string ToJson(LawsResult result) => ResultDocuments.Serialize(ToDocument(result));

    /// <summary>Readable text: the count and its verdict, then the laws with their checks.</summary>
    public static string ToText(LawsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var phi = result.Factorisation;
        var lie = result.Lie;
        var sb = new StringBuilder();
        void Line(FormattableString s) => sb.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        Line($"{phi.Name}: D = {phi.Dimension} parameters, φ with {phi.Components.Count} component(s)");
        Line($"Lie algebra of the fields ∇φ_i: rank {lie.Rank} (by bracket depth: {string.Join(", ", lie.RankByDepth)}; {lie.FieldCount} fields; stop: {lie.Stop})");
        string verdict = result.Verdict switch
        {
            CountVerdict.Proven => "Proven",
            CountVerdict.ProbablyCorrect => FormattableString.Invariant($"ProbablyCorrect, P(wrong) ≤ {result.FailureProbabilityBound:G3}"),
            _ => "UpperBoundOnly: the bracket budget ran out",
        };
        Line($"Conservation laws of gradient flow: D − dim Lie = {result.Count} [{verdict}]");
        Line($"Polynomial laws of degree ≤ {result.Degree}: {result.Laws.Length} found, {result.IndependentLaws} functionally independent — {result.Completeness}");
        for (int i = 0; i < result.Laws.Length; i++)
        {
            var l = result.Laws[i];
            string expanded = PolynomialText.Format(l.Law, phi.Parameters);
            string shown = l.Display.Contains(" = ", StringComparison.Ordinal) ? l.Display
                : l.Display == expanded ? $"{l.Name} = {expanded}"
                : $"{l.Name}: {l.Display} = {expanded}";
            Line($"  {shown}   [zero test: {result.Checks[i].Kind}]");
        }
        Line($"Evidence: {result.Evidence}");
        return sb.ToString().TrimEnd('\n');
    }
}

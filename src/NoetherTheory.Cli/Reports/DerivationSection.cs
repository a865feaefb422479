using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The symbolic part of a report, read from <c>noether derive --all --format json</c> (fields in Mechanics/JSON.md).</summary>
internal static class DerivationSection
{
    public static void Write(ReportContext report, DeriveDocument derivations, IReadOnlyList<FeaturedDerivation> featured)
    {
        var results = derivations.Results;
        report.Heading("Symbolic derivations");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Every learning rule × symmetry × model of the catalog (theory/catalog) was derived by the engine: modified equation by backward error analysis, learning Lagrangian, Euler–Lagrange equations, Noether charge, kinetic symmetry breaking and the charge's equation of motion. {results.Count} derivations with {derivations.CheckCount} identities, each decided by the zero test (Proven, ProbablyZero with a Schwartz–Zippel bound, or NumericallyZero with its evidence): {(derivations.AllHold ? "all hold" : "SOME DO NOT HOLD")}. Derivation time {derivations.ElapsedSeconds:F2} s."));

        var kinds = results.SelectMany(r => r.Checks)
            .GroupBy(c => c.ZeroTest.Kind)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(CultureInfo.InvariantCulture), g.Count(c => c.Holds).ToString(CultureInfo.InvariantCulture)])
            .ToList();
        report.Table(new ReportTable([new TableColumn("zero-test verdict"), new TableColumn("identities", ColumnAlignment.Right), new TableColumn("holding", ColumnAlignment.Right)], kinds)
        { Caption = "How each identity was decided." });

        var rows = results.Select(r => (IReadOnlyList<string>)
        [
            r.Rule, r.Symmetry, r.Model.Abstract ? "abstract V" : r.Model.Name,
            Verdict(r, "loss"), Verdict(r, "kinetic"), Verdict(r, "weight-decay"),
            r.Law?.Kind ?? "—",
            string.Create(CultureInfo.InvariantCulture, $"{r.Checks.Count(c => c.Holds)}/{r.Checks.Count}"),
        ]).ToList();
        report.Table(new ReportTable(
            [
                new TableColumn("rule"), new TableColumn("symmetry"), new TableColumn("model"), new TableColumn("loss"),
                new TableColumn("KSB ∂ₛT"), new TableColumn("weight decay"), new TableColumn("charge law"), new TableColumn("checks", ColumnAlignment.Right),
            ], rows) { Caption = "Every derivation: is the loss symmetric, does the kinetic energy break the symmetry (KSB), does weight decay break it, the derived charge law, and identities verified." });

        foreach (var (rule, symmetry, model) in featured)
        {
            var r = results.FirstOrDefault(x => x.Rule == rule && x.Symmetry == symmetry && x.Model.Name == model);
            if (r is null)
                continue;
            report.Heading($"{rule} × {symmetry} on {model}", 2);
            var me = r.ModifiedEquation;
            Equation(report, "Modified equation (first order in η)", me.FirstOrder, " = 0");
            report.Paragraph($"Mass m = {Text(me.Mass)}, friction μ = {Text(me.Friction)}, weight decay κ = {Text(me.WeightDecay)}, damping time τ = m/μ (theory/01-learning-lagrangian.md#eq-1-8).");
            Equation(report, "Lagrangian", r.Lagrangian, "", "L = ");
            Equation(report, "Noether charge", r.Charge, "", "J = ");
            Equation(report, "Kinetic symmetry breaking", r.KineticBreaking, "", "∂ₛT = ");
            if (r.Law is { } law)
                report.Paragraph("Charge law: " + law.Statement);
            report.Pdf.AddCode("L = " + Latex(r.Lagrangian) + "\nJ = " + Latex(r.Charge), "LaTeX source");
        }
    }

    private static void Equation(ReportContext report, string title, ExpressionRecord expr, string suffix, string prefix = "")
    {
        report.Pdf.AddParagraph(title + ":");
        report.Pdf.AddEquation(prefix + Text(expr) + suffix);
        report.Index.AddParagraph($"{title}: $${prefix}{Latex(expr)}{suffix}$$");
    }

    /// <summary>The factored form when the engine gave one (Mechanics/JSON.md: <c>pretty</c>), else the canonical text.</summary>
    private static string Text(ExpressionRecord expr) => expr.Pretty ?? expr.Text;

    private static string Latex(ExpressionRecord expr) => expr.PrettyLatex ?? expr.Latex;

    // The verdicts by what they test (their names start with loss, kinetic or weight-decay).
    private static string Verdict(DerivationRecord r, string which) =>
        r.Verdicts.FirstOrDefault(v => v.Name.StartsWith(which, StringComparison.Ordinal))?.Outcome ?? "—";
}

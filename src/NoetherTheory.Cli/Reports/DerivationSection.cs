using System.Globalization;
using System.Text.Json;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Cli.Reports;

/// <summary>The symbolic part of a report, read from <c>noether derive --all --format json</c> (fields in Mechanics/JSON.md).</summary>
internal static class DerivationSection
{
    /// <summary>Derivations shown in full (Lagrangian, equations of motion, charge, charge law); the rest are in the table.</summary>
    private static readonly (string Rule, string Symmetry, string Model)[] Featured =
    [
        ("heavy-ball", "scale", "cosine"),
        ("heavy-ball", "translation", "softmax"),
        ("heavy-ball", "rotation", "rotation-factor"),
        ("gd", "rescale", "linear-scalar"),
    ];

    public static bool LooksLikeDerivations(string json) =>
        json.Contains("\"checkCount\"", StringComparison.Ordinal) && json.Contains("\"modelLaws\"", StringComparison.Ordinal);

    public static void Write(ReportContext report, JsonDocument derivations)
    {
        var root = derivations.RootElement;
        var results = root.GetProperty("results").EnumerateArray().ToList();
        int checks = root.GetProperty("checkCount").GetInt32();
        bool allHold = root.GetProperty("allHold").GetBoolean();
        report.Heading("Symbolic derivations");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Every learning rule × symmetry × model of the catalog (theory/catalog) was derived by the engine: modified equation by backward error analysis, learning Lagrangian, Euler–Lagrange equations, Noether charge, kinetic symmetry breaking and the charge's equation of motion. {results.Count} derivations with {checks} identities, each decided by the zero test (Proven, ProbablyZero with a Schwartz–Zippel bound, or NumericallyZero with its evidence): {(allHold ? "all hold" : "SOME DO NOT HOLD")}. Derivation time {root.GetProperty("elapsedSeconds").GetDouble():F2} s."));

        var kinds = results.SelectMany(r => r.GetProperty("checks").EnumerateArray())
            .GroupBy(c => c.GetProperty("zeroTest").ValueKind == JsonValueKind.Object ? c.GetProperty("zeroTest").GetProperty("kind").GetString()! : "none")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(CultureInfo.InvariantCulture), g.Count(c => c.GetProperty("holds").GetBoolean()).ToString(CultureInfo.InvariantCulture)])
            .ToList();
        report.Table(new ReportTable([new TableColumn("zero-test verdict"), new TableColumn("identities", ColumnAlignment.Right), new TableColumn("holding", ColumnAlignment.Right)], kinds)
        { Caption = "How each identity was decided." });

        var rows = results.Select(r => (IReadOnlyList<string>)
        [
            r.GetProperty("rule").GetString()!, r.GetProperty("symmetry").GetString()!, ModelName(r),
            Verdict(r, "loss"), Verdict(r, "kinetic"), Verdict(r, "weight-decay"),
            r.GetProperty("law").ValueKind == JsonValueKind.Object ? r.GetProperty("law").GetProperty("kind").GetString()! : "—",
            string.Create(CultureInfo.InvariantCulture, $"{r.GetProperty("checks").EnumerateArray().Count(c => c.GetProperty("holds").GetBoolean())}/{r.GetProperty("checks").GetArrayLength()}"),
        ]).ToList();
        report.Table(new ReportTable(
            [
                new TableColumn("rule"), new TableColumn("symmetry"), new TableColumn("model"), new TableColumn("loss"),
                new TableColumn("KSB ∂ₛT"), new TableColumn("weight decay"), new TableColumn("charge law"), new TableColumn("checks", ColumnAlignment.Right),
            ], rows) { Caption = "Every derivation: is the loss symmetric, does the kinetic energy break the symmetry (KSB), does weight decay break it, the derived charge law, and identities verified." });

        foreach (var (rule, symmetry, model) in Featured)
        {
            var r = results.FirstOrDefault(x => x.GetProperty("rule").GetString() == rule && x.GetProperty("symmetry").GetString() == symmetry
                                                && x.GetProperty("model").GetProperty("name").GetString() == model);
            if (r.ValueKind != JsonValueKind.Object)
                continue;
            report.Heading($"{rule} × {symmetry} on {model}", 2);
            var me = r.GetProperty("modifiedEquation");
            Equation(report, "Modified equation (first order in η)", me.GetProperty("firstOrder"), " = 0");
            report.Paragraph($"Mass m = {Text(me.GetProperty("mass"))}, friction μ = {Text(me.GetProperty("friction"))}, weight decay κ = {Text(me.GetProperty("weightDecay"))}, damping time τ = m/μ (theory/01-learning-lagrangian.md#eq-1-8).");
            Equation(report, "Lagrangian", r.GetProperty("lagrangian"), "", "L = ");
            Equation(report, "Noether charge", r.GetProperty("charge"), "", "J = ");
            Equation(report, "Kinetic symmetry breaking", r.GetProperty("kineticBreaking"), "", "∂ₛT = ");
            if (r.GetProperty("law").ValueKind == JsonValueKind.Object && r.GetProperty("law").GetProperty("statement").GetString() is { } statement)
                report.Paragraph("Charge law: " + statement);
            report.Pdf.AddCode("L = " + Latex(r.GetProperty("lagrangian")) + "\nJ = " + Latex(r.GetProperty("charge")), "LaTeX source");
        }
    }

    private static void Equation(ReportContext report, string title, JsonElement expr, string suffix, string prefix = "")
    {
        report.Pdf.AddParagraph(title + ":");
        report.Pdf.AddEquation(prefix + Text(expr) + suffix);
        report.Index.AddParagraph($"{title}: $${prefix}{Latex(expr)}{suffix}$$");
    }

    /// <summary>The factored form when the engine gave one (Mechanics/JSON.md: <c>pretty</c>), else the canonical text.</summary>
    private static string Text(JsonElement expr) =>
        (expr.TryGetProperty("pretty", out var p) ? p.GetString() : null) ?? expr.GetProperty("text").GetString()!;

    private static string Latex(JsonElement expr) =>
        (expr.TryGetProperty("prettyLatex", out var p) ? p.GetString() : null) ?? expr.GetProperty("latex").GetString()!;

    private static string ModelName(JsonElement r)
    {
        var m = r.GetProperty("model");
        return m.GetProperty("abstract").GetBoolean() ? "abstract V" : m.GetProperty("name").GetString()!;
    }

    private static string Verdict(JsonElement r, string which)
    {
        foreach (var v in r.GetProperty("verdicts").EnumerateArray())
        {
            string name = v.GetProperty("name").GetString()!;
            bool match = which switch
            {
                "loss" => name.StartsWith("loss", StringComparison.Ordinal),
                "kinetic" => name.StartsWith("kinetic", StringComparison.Ordinal),
                _ => name.StartsWith("weight-decay", StringComparison.Ordinal),
            };
            if (match)
                return v.GetProperty("outcome").GetString()!;
        }
        return "—";
    }
}

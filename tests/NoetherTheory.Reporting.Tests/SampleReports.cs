using System.Globalization;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Reporting.Tests;

internal static class SampleReports
{
    public const int LongTableRows = 120;

    public static ReportTable LongTable() => new(
        [new TableColumn("case"), new TableColumn("η", ColumnAlignment.Right), new TableColumn("predicted Q", ColumnAlignment.Right),
         new TableColumn("measured Q", ColumnAlignment.Right), new TableColumn("status", ColumnAlignment.Center)],
        [.. Enumerable.Range(0, LongTableRows).Select(i => (IReadOnlyList<string>)
        [
            string.Create(CultureInfo.InvariantCulture, $"case-{i:000}"),
            ReportFormat.Number(0.001 * (i + 1)),
            ReportFormat.Number(Math.Exp(-0.01 * i)),
            ReportFormat.Number(Math.Exp(-0.01 * i) * (1 + 1e-9)),
            i % 17 == 0 ? "FAIL" : "ok",
        ])])
    {
        Caption = "Predicted and measured Noether charge per case",
    };

    public static ReportDocument Full() => new ReportDocument(new ReportOptions("Noether's Learning Dynamics — verification report")
        {
            Subtitle = "commit 0123abc · seeds 0–4 · CPU",
            Author = "NoetherTheory",
        })
        .AddHeading("Kinetic symmetry breaking")
        .AddParagraph("For a learning rule with weight decay k and momentum β, the Noether charge of the scale symmetry, " +
                      "Q = ‖w‖², is no longer conserved; its equation of motion follows from the modified Lagrangian. " +
                      "Symbols such as η, β, τ, ², ⟨g, v⟩ and q̇ must render in DejaVu Sans and stay extractable as text.")
        .AddEquation("dQ/dt = −2k·Q + η·⟨g, g⟩ + O(η²)", "3.2")
        .AddCode("\\frac{d}{dt}\\lVert w \\rVert^2 = -2 k \\lVert w \\rVert^2 + \\eta \\lVert g \\rVert^2\n" +
                 "% a deliberately long line of LaTeX source that must wrap inside the grey box instead of running off the page edge",
                 "LaTeX source")
        .AddHeading("Convergence", 2)
        .AddFigure(SampleFigures.Convergence(), "Global error against step size on log–log axes; the fitted slopes are the observed orders.")
        .AddFigure(SampleFigures.Bands(), "Mean ± sd over 5 seeds against the closed-form prediction.", FigureSize.Column)
        .AddTable(LongTable())
        .AddPageBreak()
        .AddHeading("All panels")
        .AddFigure(SampleFigures.Grid(), "Six panels drawn as vectors onto one page.");
}

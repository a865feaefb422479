using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Reporting.Figures;

namespace NoetherTheory.Cli.Reports;

/// <summary>Discrete optimizers against the compiled flows of the equations the engine derived for them.</summary>
internal static class ComparisonSection
{
    public static void Write(ReportContext report, CompareDocument doc)
    {
        if (doc.Comparisons.Count == 0)
            return;
        report.Heading("Compiled equations against the discrete optimizers");
        report.Paragraph("The engine's equations for each rule (modified equation, Lagrangian, Euler–Lagrange) were compiled into ODE right-hand sides and integrated with Dormand–Prince 5(4); the discrete optimizer ran on the same potential. The distance at t = T shrinks with the order predicted by backward error analysis: first order against gradient flow, second order against the modified-loss flow and the second-order modified equation (theory/01-learning-lagrangian.md#eq-1-6).");
        var panels = doc.Comparisons.Select(c => new FigureSpec(
            string.Create(CultureInfo.InvariantCulture, $"{c.Rule} on {c.Model} (β = {c.Beta}, T = {c.Time})"),
            new AxisSpec("learning rate η", AxisScale.Log), new AxisSpec("|q_discrete(T) − q_flow(T)|", AxisScale.Log),
            [
                new SlopeFitPlot("vs gradient flow", c.Rows.Select(r => r.Eta).ToList(), c.Rows.Select(r => r.GradientFlowError).ToList()),
                new SlopeFitPlot("vs modified-loss flow", c.Rows.Select(r => r.Eta).ToList(), c.Rows.Select(r => r.ModifiedLossError).ToList()),
                new SlopeFitPlot("vs 2nd-order equation", c.Rows.Select(r => r.Eta).ToList(), c.Rows.Select(r => r.SecondOrderError).ToList()),
            ])).ToList();
        report.Figure("compiled-flows", new FigureGrid(panels, Math.Min(2, panels.Count)),
            "Discrete optimizer against the compiled flows of its derived equations; slopes are the observed orders in η.");
    }
}

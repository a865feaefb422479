using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using OxyPlot;
using OxyPlot.SkiaSharp;

namespace NoetherTheory.Reporting.Export;

/// <summary>Writes a <see cref="FigureLayout"/> as one standalone SVG document (text kept as text, so it stays
/// searchable and editable). Grids nest one OxyPlot SVG per panel inside a translated group.</summary>
internal static partial class SvgFigureWriter
{
    public static string Write(FigureLayout layout)
    {
        // Measure text with Skia and the real DejaVu metrics; OxyPlot's default SVG measurer guesses Arial-like widths.
        using var measurer = new SkiaRenderContext { RenderTarget = RenderTarget.VectorGraphic, UseTextShaping = true };
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        sb.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{layout.Width:0.###}\" height=\"{layout.Height:0.###}\" viewBox=\"0 0 {layout.Width:0.###} {layout.Height:0.###}\">\n"));
        sb.Append(Invariant($"<rect x=\"0\" y=\"0\" width=\"{layout.Width:0.###}\" height=\"{layout.Height:0.###}\" fill=\"#ffffff\"/>\n"));
        if (layout.Title.Length > 0)
        {
            sb.Append(Invariant(
                $"<text x=\"{layout.Width / 2:0.###}\" y=\"{layout.TitleHeight * 0.5 + layout.Theme.TitleFontSize * 0.4:0.###}\" text-anchor=\"middle\" font-family=\"{SecurityElement.Escape(layout.Theme.FontFamily)}\" font-size=\"{layout.Theme.TitleFontSize * 1.15:0.###}\" font-weight=\"bold\" fill=\"{Hex(layout.Theme.TextColor)}\">"));
            sb.Append(SecurityElement.Escape(layout.Title)).Append("</text>\n");
        }

        for (int i = 0; i < layout.Panels.Count; i++)
        {
            var (model, bounds) = layout.Panels[i];
            string panel = OxyPlot.SvgExporter.ExportToString(model, bounds.Width, bounds.Height, false, measurer);
            // OxyPlot writes an XML declaration even for a fragment, and numbers clip paths from 1 in every panel:
            // drop the declaration and prefix the ids so that panels of one document do not share clip paths.
            panel = XmlDeclaration().Replace(panel, string.Empty, 1);
            string prefix = string.Create(CultureInfo.InvariantCulture, $"p{i}_");
            panel = panel.Replace("id=\"clipPath", "id=\"" + prefix + "clipPath", StringComparison.Ordinal)
                .Replace("url(#clipPath", "url(#" + prefix + "clipPath", StringComparison.Ordinal);
            sb.Append(Invariant($"<g transform=\"translate({bounds.Left:0.###},{bounds.Top:0.###})\">\n"));
            sb.Append(panel);
            sb.Append("\n</g>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    private static string Hex(OxyColor c) => Invariant($"#{c.R:x2}{c.G:x2}{c.B:x2}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using NoetherTheory.Reporting.Text;
using SkiaSharp;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Typography of reports: DejaVu Sans text and equations, DejaVu Sans Mono code (sizes in points).</summary>
internal sealed class ReportStyles
{
    public static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    public static readonly SKColor Muted = new(0x66, 0x66, 0x66);
    public static readonly SKColor Rule = new(0x55, 0x55, 0x55);
    public static readonly SKColor CodeBackground = new(0xF3, 0xF4, 0xF6);
    public static readonly SKColor CodeBorder = new(0xD8, 0xDB, 0xE0);
    public static readonly SKColor Zebra = new(0xF5, 0xF7, 0xFA);

    public ReportStyles(FontSet fonts)
    {
        Title = new TextStyle(fonts.SansBold, 20f, Ink);
        Subtitle = new TextStyle(fonts.Sans, 11f, Muted);
        Author = new TextStyle(fonts.Sans, 10.5f, Ink);
        Headings = [new TextStyle(fonts.SansBold, 15f, Ink), new TextStyle(fonts.SansBold, 12.5f, Ink), new TextStyle(fonts.SansBold, 11f, Ink)];
        Body = new TextStyle(fonts.Sans, 10f, Ink);
        Code = new TextStyle(fonts.Mono, 8.6f, Ink);
        // DejaVu Sans rather than Serif: every embedded font costs ~0.3 MB (Skia embeds whole fonts, no subsetting).
        Equation = new TextStyle(fonts.Sans, 10.5f, Ink);
        Caption = new TextStyle(fonts.Sans, 9.2f, Ink);
        CaptionLabel = new TextStyle(fonts.SansBold, 9.2f, Ink);
        TableBody = new TextStyle(fonts.Sans, 9f, Ink);
        TableHeader = new TextStyle(fonts.SansBold, 9f, Ink);
        Footer = new TextStyle(fonts.Sans, 8f, Muted);
    }

    public TextStyle Title { get; }

    public TextStyle Subtitle { get; }

    public TextStyle Author { get; }

    /// <summary>Heading styles for levels 1, 2 and 3.</summary>
    public TextStyle[] Headings { get; }

    public TextStyle Body { get; }

    public TextStyle Code { get; }

    public TextStyle Equation { get; }

    public TextStyle Caption { get; }

    public TextStyle CaptionLabel { get; }

    public TextStyle TableBody { get; }

    public TextStyle TableHeader { get; }

    public TextStyle Footer { get; }
}

using SkiaSharp;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>What one laid-out page draws (in page points), plus what it holds, for tests and summaries.</summary>
internal sealed class PageContent
{
    public List<Action<SKCanvas>> Draws { get; } = [];

    /// <summary>Plain text placed on the page, in reading order (what a text extractor should find).</summary>
    public List<string> Text { get; } = [];

    /// <summary>Every line of text the composer placed, with its box in page points (advance width × ascent + descent)
    /// and its size: what layout tests measure against the text block.</summary>
    public List<(string Text, SKRect Box, float Size)> Placed { get; } = [];
}

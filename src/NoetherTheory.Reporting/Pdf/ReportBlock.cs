using NoetherTheory.Reporting.Export;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>One element of a report, in document order (closed family, internal to the layout engine).</summary>
internal abstract record ReportBlock;

internal sealed record HeadingBlock(string Text, int Level) : ReportBlock;

internal sealed record ParagraphBlock(string Text) : ReportBlock;

internal sealed record CodeBlock(string Text, string Caption) : ReportBlock;

internal sealed record EquationBlock(string Text, string Tag) : ReportBlock;

internal sealed record TableBlock(ReportTable Table) : ReportBlock;

/// <summary>A figure; <see cref="Layout"/> lays it out at a given physical size (fresh plot models every call).</summary>
internal sealed record FigureBlock(Func<FigureSize, FigureLayout> Layout, FigureSize Size, string Caption) : ReportBlock;

internal sealed record PageBreakBlock : ReportBlock;

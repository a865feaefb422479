namespace NoetherTheory.Reporting.Pdf;

/// <summary>What a saved report holds.</summary>
/// <param name="PageCount">Number of pages.</param>
/// <param name="FigureCount">Number of figures (a grid counts once).</param>
/// <param name="TableCount">Number of tables.</param>
/// <param name="ByteCount">Size of the PDF in bytes.</param>
public sealed record ReportSummary(int PageCount, int FigureCount, int TableCount, long ByteCount);

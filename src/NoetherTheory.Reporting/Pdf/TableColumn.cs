namespace NoetherTheory.Reporting.Pdf;

/// <summary>One column of a <see cref="ReportTable"/>.</summary>
/// <param name="Header">Header text.</param>
/// <param name="Alignment">Alignment of header and cells.</param>
public sealed record TableColumn(string Header, ColumnAlignment Alignment = ColumnAlignment.Left);

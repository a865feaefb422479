using NoetherTheory.Reporting.Figures;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Reporting.Tests;

[TestFixture, SetCulture("de-DE")]
public sealed class FormattingTests
{
    [TestCase(0.5, "0.5")]
    [TestCase(-2.0, "−2")]
    [TestCase(0.0, "0")]
    [TestCase(1234.5, "1234.5")]
    [TestCase(0.30000000000000004, "0.3")]
    [TestCase(3e-5, "3×10⁻⁵")]
    [TestCase(-1e-7, "−10⁻⁷")]
    [TestCase(2.5e7, "2.5×10⁷")]
    public void TickLabels_Linear_AreInvariantAndCompact(double value, string expected) =>
        Assert.That(TickLabels.Linear(value), Is.EqualTo(expected));

    [TestCase(1e-3, "10⁻³")]
    [TestCase(1.0, "10⁰")]
    [TestCase(100.0, "10²")]
    [TestCase(0.02, "0.02")]
    public void TickLabels_LogOnWideAxis_WritesDecadesAsPowers(double value, string expected) =>
        Assert.That(TickLabels.Log(value, 1e-8, 1e2), Is.EqualTo(expected));

    [Test]
    public void TickLabels_LogOnShortAxis_WritesPlainNumbers() =>
        Assert.That(TickLabels.Log(0.1, 0.01, 0.2), Is.EqualTo("0.1"));

    [TestCase(0.5, 4, "0.5")]
    [TestCase(-0.125, 4, "−0.125")]
    [TestCase(1.23456e-7, 3, "1.23e-7")]
    [TestCase(9.9996e-5, 4, "1e-4")]
    [TestCase(4e12, 4, "4e12")]
    [TestCase(12345.678, 6, "12345.7")]
    [TestCase(double.NaN, 4, "NaN")]
    [TestCase(double.NegativeInfinity, 4, "−∞")]
    public void ReportFormat_Number_IsInvariant(double value, int digits, string expected) =>
        Assert.That(ReportFormat.Number(value, digits), Is.EqualTo(expected));

    [Test]
    public void ReportFormat_Number_RejectsZeroDigits() =>
        Assert.That(() => ReportFormat.Number(1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void PngCrc_OfIend_IsTheValueInEveryPng() =>
        Assert.That(Export.PngChunks.Crc32("IEND"u8), Is.EqualTo(0xAE426082u));
}

using CsCheck;
using NoetherTheory.Reporting.Text;
using SkiaSharp;

namespace NoetherTheory.Reporting.Tests;

[TestFixture]
public sealed class TextEngineTests
{
    // Wrapped lines are measured by the same shaper that decides the breaks: the bound holds to float rounding.
    private const float WidthSlack = 1e-3f;
    // "ab cd" shaped whole vs in three pieces: without cross-space kerning only HarfBuzz's 1/4096-em position quantum
    // differs (≈0.006 pt over five glyphs at 10 pt). 0.5 pt (a twentieth of the em) is much looser than that, so this
    // catches a gross additivity failure (a dropped or doubled space advance), not a kern of a few tenths of a point.
    private const float CrossSpaceKerningSlack = 0.5f;
    // A combining dot has zero advance: q̇ and q differ only by the position quantum, ≈0.0025 pt over two glyphs at 10 pt.
    private const float CombiningMarkSlack = 0.01f;

    private static readonly TextStyle Body = new(FontSet.Default.Sans, 10f, SKColors.Black);

    [Test]
    public void Wrap_EveryLineFitsAndNoWordIsLost() =>
        Gen.Select(Gen.String[Gen.Char["abcdefghηβτ²⟨⟩ijklmnop"], 1, 14].Array[1, 60], Gen.Float[40f, 400f]).Sample((words, width) =>
        {
            using var engine = new TextEngine();
            string text = string.Join(' ', words);
            var lines = engine.Wrap(text, Body, width);
            foreach (string line in lines)
                Assert.That(engine.Measure(line, Body), Is.LessThanOrEqualTo(width + WidthSlack), $"line '{line}'");
            Assert.That(string.Concat(lines).Replace(" ", string.Empty, StringComparison.Ordinal), Is.EqualTo(text.Replace(" ", string.Empty, StringComparison.Ordinal)));
        });

    [Test]
    public void Measure_IsAdditiveOverWordsUpToKerning()
    {
        using var engine = new TextEngine();
        float whole = engine.Measure("ab cd", Body);
        float parts = engine.Measure("ab", Body) + engine.Measure(" ", Body) + engine.Measure("cd", Body);
        Assert.That(whole, Is.EqualTo(parts).Within(CrossSpaceKerningSlack), "no kerning pairs across a space in DejaVu Sans at 10 pt");
    }

    [Test]
    public void Measure_CombiningDot_AddsNoAdvance()
    {
        using var engine = new TextEngine();
        Assert.That(engine.Measure("q\u0307", Body), Is.EqualTo(engine.Measure("q", Body)).Within(CombiningMarkSlack), "q̇ is as wide as q");
    }

    [Test]
    public void DejaVu_CoversTheSymbolsFiguresUse()
    {
        foreach (char c in "ηβτκλμσ²³⁻⁰¹⟨⟩‖·−±≈≤≥∞∂∇√")
            Assert.That(FontSet.Default.Sans.ContainsGlyph(c), $"DejaVu Sans has U+{(int)c:X4} '{c}'");
    }

    [Test]
    public void IsInstalled_UnknownFamily_IsFalse() =>
        Assert.That(FontSet.IsInstalled("No Such Family 8c1f"), Is.False);
}

using CsCheck;
using NoetherTheory.Reporting.Text;
using SkiaSharp;

namespace NoetherTheory.Reporting.Tests;

[TestFixture]
public sealed class TextEngineTests
{
    // Wrapped lines are measured by the same shaper that decides the breaks: the bound holds to float rounding.
    private const float WidthSlack = 1e-3f;

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
        Assert.That(whole, Is.EqualTo(parts).Within(0.5f), "no kerning pairs across a space in DejaVu Sans at 10 pt");
    }

    [Test]
    public void Measure_CombiningDot_AddsNoAdvance()
    {
        using var engine = new TextEngine();
        Assert.That(engine.Measure("q\u0307", Body), Is.EqualTo(engine.Measure("q", Body)).Within(0.01f), "q̇ is as wide as q");
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

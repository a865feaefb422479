using NoetherTheory.Reporting.Pdf;
using NoetherTheory.Reporting.Text;

namespace NoetherTheory.Reporting.Tests;

/// <summary>PDF tables wrap only at word boundaries (and, where a word alone is too wide, after '-', '_' or '/'), shrink
/// their text when a column's longest word does not fit, and never draw outside the text block. Checked on the layout
/// model (every line the composer places, with its box) and, where poppler is installed, on the extracted PDF text.</summary>
[TestFixture]
public sealed class TableLayoutTests
{
    private const string SoftBreaks = "-_/";

    // The composer's boxes come from the same shaper's advance widths; a hundredth of a point is float rounding.
    private const float BoxSlack = 0.01f;

    private static readonly string[] Names =
    [
        "harmonic-oscillator", "oscillator", "rescale-nonlinear", "heavy-ball_decoupled_weight_decay",
        "theory/05-learning-dynamics.md#eq-5-7", "Nesterov-accelerated-gradient",
    ];

    /// <summary>Seven columns of long words, as the verification table of a report: the case of "oscillato / r".</summary>
    private static ReportTable VerificationLike() => new(
        [
            new TableColumn("case"), new TableColumn("quantity"), new TableColumn("measured", ColumnAlignment.Right),
            new TableColumn("predicted", ColumnAlignment.Right), new TableColumn("error", ColumnAlignment.Right),
            new TableColumn("bound", ColumnAlignment.Right), new TableColumn("verdict"),
        ],
        [.. Names.Select((n, i) => (IReadOnlyList<string>)
            [n, "charge |w|² of the " + n + " case", "0.123456", "0.123457", "1.0E-6", "2.5E-6", i % 2 == 0 ? "pass" : "FAIL"])])
    { Caption = "Every verification case: measured value, prediction, error and its bound." };

    private static List<PageContent> Layout(ReportTable table, ReportOptions? options = null)
    {
        using var engine = new TextEngine();
        return ReportComposer.Compose(options ?? new ReportOptions("T"), [new TableBlock(table)], engine);
    }

    private static IEnumerable<string> AllText(ReportTable table) =>
        table.Columns.Select(c => c.Header).Concat(table.Rows.SelectMany(r => r)).Append(table.Caption).Append("T")
            .Append("Table 1.").Append("(continued)");

    /// <summary>Every placed token that is not a whole word of the table must be a run of whole pieces (cut only after
    /// '-', '_' or '/') of one of its words; returns the offending tokens.</summary>
    internal static List<string> SplitWords(IEnumerable<string> placedLines, IEnumerable<string> sourceText)
    {
        var words = sourceText.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        bool IsRunOfPieces(string token) => words.Any(w =>
        {
            var cuts = new HashSet<int> { 0, w.Length };
            int at = 0;
            foreach (string piece in TextEngine.Pieces(w, SoftBreaks))
                cuts.Add(at += piece.Length);
            for (int start = w.IndexOf(token, StringComparison.Ordinal); start >= 0; start = w.IndexOf(token, start + 1, StringComparison.Ordinal))
                if (cuts.Contains(start) && cuts.Contains(start + token.Length))
                    return true;
            return false;
        });
        return [.. placedLines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(t => !words.Contains(t) && !IsRunOfPieces(t))];
    }

    [Test]
    public void SplitWords_CatchesAWordBrokenBetweenLetters()
    {
        Assert.That(SplitWords(["oscillato", "r"], ["oscillator"]), Is.EqualTo(new[] { "oscillato", "r" }));
        Assert.That(SplitWords(["rescale-nonli", "near"], ["rescale-nonlinear"]), Is.EqualTo(new[] { "rescale-nonli", "near" }));
        Assert.That(SplitWords(["rescale-", "nonlinear"], ["rescale-nonlinear"]), Is.Empty, "a break after '-' is allowed");
        Assert.That(SplitWords(["1.0E-", "6"], ["1.0E-6"]), Is.EqualTo(new[] { "1.0E-", "6" }), "but never inside a number");
    }

    [Test]
    public void Table_LongWords_NoWordSplitAndEveryLineInsideTheTextBlock()
    {
        var table = VerificationLike();
        var options = new ReportOptions("T");
        var pages = Layout(table, options);
        var placed = pages.SelectMany(p => p.Placed).ToList();

        Assert.That(SplitWords(placed.Select(p => p.Text), AllText(table)), Is.Empty, "words split between letters");
        foreach (string word in new[] { "oscillator", "0.123456", "1.0E-6", "2.5E-6", "verdict", "predicted" })
            Assert.That(placed.Count(p => p.Text.Split(' ').Contains(word)), Is.GreaterThanOrEqualTo(1), $"'{word}' whole on one line");
        float left = options.Margin, right = options.PageWidth - options.Margin;
        foreach (var (text, box, _) in placed)
            Assert.That(box.Left >= left - BoxSlack && box.Right <= right + BoxSlack, $"'{text}' at [{box.Left}, {box.Right}] outside [{left}, {right}]");
    }

    [Test]
    public void Table_WordWiderThanAnyColumnCanBe_ShrinksTheTextInsteadOfBreakingIt()
    {
        string huge = "Supercalifragilisticexpialidociousconservationlawverificationrecursion";
        var table = new ReportTable([new TableColumn("a"), new TableColumn("b"), new TableColumn("c"), new TableColumn("d")],
            [[huge, huge, "x", huge]]);
        var options = new ReportOptions("T");
        var placed = Layout(table, options).SelectMany(p => p.Placed).ToList();

        var cells = placed.Where(p => p.Text == huge).ToList();
        Assert.That(cells, Has.Count.EqualTo(3), "the long word is whole in all three cells");
        Assert.That(cells.Max(c => c.Size), Is.LessThan(9f), "table text shrank below its 9 pt");
        Assert.That(placed.Max(p => p.Box.Right), Is.LessThanOrEqualTo(options.PageWidth - options.Margin + BoxSlack));
    }

    [Test]
    public void Table_NarrowColumnWithHyphenatedWord_BreaksOnlyAfterTheHyphen()
    {
        // Nine columns whose words together cannot fit whole even at the smallest whole-word size.
        string word = "rescale-nonlinear-heavy-ball-decoupled-weight-decay-schedule";
        var table = new ReportTable([.. Enumerable.Range(0, 9).Select(i => new TableColumn("c" + i))], [[.. Enumerable.Repeat(word, 9)]]);
        var placed = Layout(table).SelectMany(p => p.Placed).ToList();
        Assert.That(SplitWords(placed.Select(p => p.Text), AllText(table)), Is.Empty);
        Assert.That(placed.Any(p => p.Text.EndsWith('-')), "the word was broken after a hyphen");
    }

    [Test]
    public void Table_InThePdf_PdftotextFindsEveryWordWhole()
    {
        using var stream = new MemoryStream();
        new ReportDocument(new ReportOptions("T")).AddTable(VerificationLike()).Save(stream);
        string text = PdfText.Extract(stream.ToArray());   // ignored (skipped) without poppler's pdftotext
        foreach (string word in new[] { "oscillator", "harmonic-oscillator", "rescale-nonlinear", "verification" })
            Assert.That(text, Does.Contain(word));
        Assert.That(text, Does.Not.Contain("oscillato\n"));
    }
}

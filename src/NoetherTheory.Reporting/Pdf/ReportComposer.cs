using System.Globalization;
using NoetherTheory.Reporting.Export;
using NoetherTheory.Reporting.Text;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Lays report blocks out onto pages: wraps text, splits paragraphs, code and tables across pages (repeating
/// table headers), keeps headings with what follows, and scales figures to the text block.</summary>
internal sealed class ReportComposer
{
    private const float ParagraphGap = 7f;
    private const float BlockGap = 10f;
    private const float CodePadding = 6f;
    private const float CellPadX = 5f;
    private const float CellPadY = 3f;
    private const float CaptionGap = 5f;
    private const float HeadingKeepWithNext = 3;
    private const float ColumnSlack = 0.5f;        // a line measured whole may differ from its pieces by HarfBuzz's position quantum
    private const string TableSoftBreaks = "-_/";   // where a word too long for its column may break ("rescale-" / "nonlinear")
    private const float TableTextScaleStep = 0.05f;
    private const float MinTableTextScaleWholeWords = 0.8f;   // 9 pt table text down to 7.2 pt before words break at '-'
    private const float MinTableTextScale = 0.67f;            // then down to 6 pt with breaks at '-', '_', '/'
    private const float MinFigureScale = 0.72f;    // 12-unit (9 pt) figure text stays ≥ 6.5 pt on the page   // body lines that must fit under a heading

    private readonly ReportOptions _options;
    private readonly TextEngine _text;
    private readonly ReportStyles _styles;
    private readonly List<PageContent> _pages = [];
    private readonly int[] _headingNumbers = new int[3];
    private int _figureNumber;
    private int _tableNumber;
    private float _y;

    private ReportComposer(ReportOptions options, TextEngine text)
    {
        _options = options;
        _text = text;
        _styles = new ReportStyles(FontSet.Default);
    }

    private float Left => _options.Margin;

    private float Width => _options.PageWidth - (2 * _options.Margin);

    private float Top => _options.Margin;

    private float Bottom => _options.PageHeight - _options.Margin;

    private PageContent Page => _pages[^1];

    /// <summary>Lays out the whole document, including running headers and "page i / n" footers.</summary>
    public static List<PageContent> Compose(ReportOptions options, IReadOnlyList<ReportBlock> blocks, TextEngine text)
    {
        var composer = new ReportComposer(options, text);
        composer.NewPage();
        composer.TitleBlock();
        foreach (var block in blocks)
            composer.Add(block);
        composer.Decorate();
        return composer._pages;
    }

    private void NewPage()
    {
        _pages.Add(new PageContent());
        _y = Top;
    }

    private void EnsureSpace(float height)
    {
        if (_y + height > Bottom && _y > Top)
            NewPage();
    }

    private void Add(ReportBlock block)
    {
        switch (block)
        {
            case HeadingBlock heading:
                Heading(heading);
                break;
            case ParagraphBlock paragraph:
                Lines(_text.Wrap(paragraph.Text, _styles.Body, Width), _styles.Body, ColumnAlignment.Left);
                _y += ParagraphGap;
                break;
            case CodeBlock code:
                Code(code);
                break;
            case EquationBlock equation:
                Equation(equation);
                break;
            case TableBlock table:
                Table(table.Table);
                break;
            case FigureBlock figure:
                Figure(figure);
                break;
            case PageBreakBlock:
                NewPage();
                break;
            default:
                throw new InvalidOperationException($"{nameof(ReportComposer)}: unhandled block {block.GetType().Name}.");
        }
    }

    private void TitleBlock()
    {
        if (_options.Title.Length > 0)
            Lines(_text.Wrap(_options.Title, _styles.Title, Width), _styles.Title, ColumnAlignment.Left);
        if (_options.Subtitle.Length > 0)
        {
            _y += 2;
            Lines(_text.Wrap(_options.Subtitle, _styles.Subtitle, Width), _styles.Subtitle, ColumnAlignment.Left);
        }

        if (_options.Author.Length > 0)
            Lines(_text.Wrap(_options.Author, _styles.Author, Width), _styles.Author, ColumnAlignment.Left);
        if (_y > Top)
        {
            _y += 6;
            HorizontalRule(_y, 0.8f);
            _y += 16;
        }
    }

    private void Heading(HeadingBlock heading)
    {
        int level = heading.Level;
        var style = _styles.Headings[level - 1];
        string text = heading.Text;
        if (_options.NumberHeadings)
        {
            _headingNumbers[level - 1]++;
            for (int deeper = level; deeper < _headingNumbers.Length; deeper++)
                _headingNumbers[deeper] = 0;
            text = string.Join('.', _headingNumbers.Take(level).Select(n => n.ToString(CultureInfo.InvariantCulture))) + "  " + text;
        }

        float before = level == 1 ? 14f : level == 2 ? 10f : 8f;
        var lines = _text.Wrap(text, style, Width);
        float height = before + (lines.Count * style.LineHeight) + (HeadingKeepWithNext * _styles.Body.LineHeight);
        EnsureSpace(height);
        if (_y > Top)
            _y += before;
        Lines(lines, style, ColumnAlignment.Left);
        _y += level == 1 ? 4f : 2f;
    }

    /// <summary>Places lines one by one, breaking pages between lines.</summary>
    private void Lines(IEnumerable<string> lines, TextStyle style, ColumnAlignment alignment)
    {
        foreach (string line in lines)
        {
            EnsureSpace(style.LineHeight);
            float width = _text.Measure(line, style);
            float x = alignment switch
            {
                ColumnAlignment.Center => Left + ((Width - width) / 2),
                ColumnAlignment.Right => Left + Width - width,
                _ => Left,
            };
            DrawText(line, x, _y + style.Ascent, style);
            _y += style.LineHeight;
        }
    }

    private void Code(CodeBlock code)
    {
        var style = _styles.Code;
        float inner = Width - (2 * CodePadding);
        var lines = code.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\t", "    ", StringComparison.Ordinal)
            .TrimEnd('\n').Split('\n')
            .SelectMany(l => _text.BreakCharacters(l, style, inner)).ToList();
        if (code.Caption.Length > 0)
        {
            EnsureSpace(_styles.Caption.LineHeight + style.LineHeight + (2 * CodePadding));
            Lines(_text.Wrap(code.Caption, _styles.Caption, Width), _styles.Caption, ColumnAlignment.Left);
            _y += 2;
        }

        int index = 0;
        while (index < lines.Count)
        {
            EnsureSpace((2 * CodePadding) + style.LineHeight);
            int fit = Math.Max(1, (int)((Bottom - _y - (2 * CodePadding)) / style.LineHeight));
            int count = Math.Min(fit, lines.Count - index);
            float boxTop = _y, boxHeight = (count * style.LineHeight) + (2 * CodePadding);
            var box = new SKRect(Left, boxTop, Left + Width, boxTop + boxHeight);
            Page.Draws.Add(canvas =>
            {
                using var fill = new SKPaint { Color = ReportStyles.CodeBackground, Style = SKPaintStyle.Fill };
                using var border = new SKPaint { Color = ReportStyles.CodeBorder, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, IsAntialias = true };
                canvas.DrawRect(box, fill);
                canvas.DrawRect(box, border);
            });
            _y += CodePadding;
            for (int k = 0; k < count; k++)
            {
                DrawText(lines[index + k], Left + CodePadding, _y + style.Ascent, style);
                _y += style.LineHeight;
            }

            _y += CodePadding;
            index += count;
            if (index < lines.Count)
                NewPage();
        }

        _y += BlockGap;
    }

    private void Equation(EquationBlock equation)
    {
        var style = _styles.Equation;
        float tagWidth = equation.Tag.Length > 0 ? _text.Measure("(" + equation.Tag + ")", style) + 12 : 0;
        var lines = _text.Wrap(equation.Text, style, Width - (2 * tagWidth));
        _y += 3;
        EnsureSpace(lines.Count * style.LineHeight);
        float first = _y;
        Lines(lines, style, ColumnAlignment.Center);
        if (equation.Tag.Length > 0)
        {
            string tag = "(" + equation.Tag + ")";
            float baseline = first + ((lines.Count - 1) * style.LineHeight / 2) + style.Ascent;
            DrawText(tag, Left + Width - _text.Measure(tag, style), baseline, style);
        }

        _y += ParagraphGap + 3;
    }

    private void Caption(string label, string caption)
    {
        // "Figure 3." in bold, then the caption wrapped after it (the first line is shorter by the label's width).
        float labelWidth = _text.Measure(label + " ", _styles.CaptionLabel);
        var lines = _text.Wrap(caption, _styles.Caption, Width, Width - labelWidth);
        EnsureSpace(_styles.Caption.LineHeight);
        DrawText(label, Left, _y + _styles.Caption.Ascent, _styles.CaptionLabel);
        DrawText(lines[0], Left + labelWidth, _y + _styles.Caption.Ascent, _styles.Caption);
        _y += _styles.Caption.LineHeight;
        Lines(lines.Skip(1), _styles.Caption, ColumnAlignment.Left);
    }

    private void Figure(FigureBlock figure)
    {
        _figureNumber++;
        // A figure wider than the text is scaled down, but by no more than MinFigureScale (text would get too small):
        // beyond that it is laid out again at a narrower width (aspect kept) and then scaled by MinFigureScale.
        var size = LaidOutSize(figure.Size, _options);
        var layout = figure.Layout(size);
        float width = (float)size.WidthPoints, height = (float)size.HeightPoints;
        float captionHeight = (_text.Wrap(figure.Caption, _styles.Caption, Width).Count + 1) * _styles.Caption.LineHeight;
        float fit = Math.Min(1f, Width / width);
        fit = Math.Min(fit, (Bottom - Top - captionHeight - CaptionGap) / height);
        width *= fit;
        height *= fit;
        EnsureSpace(height + CaptionGap + captionHeight);

        float x = Left + ((Width - width) / 2), y = _y;
        float scale = 72f / 96f * fit;
        Page.Draws.Add(canvas =>
        {
            int saved = canvas.Save();
            canvas.Translate(x, y);
            SkiaFigureRenderer.Render(canvas, layout, scale, RenderTarget.VectorGraphic, _text);
            canvas.RestoreToCount(saved);
        });
        Page.Text.AddRange(layout.Panels.Select(p => p.Model.Title).Where(t => !string.IsNullOrEmpty(t)));
        _y += height + CaptionGap;
        Caption(string.Create(CultureInfo.InvariantCulture, $"Figure {_figureNumber}."), figure.Caption);
        _y += BlockGap;
    }

    /// <summary>The size a figure is laid out at on the page: its own, or, when it would have to be scaled below
    /// <see cref="MinFigureScale"/> to fit the text width, a narrower one (aspect kept) that is then scaled by it.</summary>
    internal static FigureSize LaidOutSize(FigureSize size, ReportOptions options)
    {
        float width = options.PageWidth - (2 * options.Margin);
        if (size.WidthPoints * MinFigureScale <= width)
            return size;
        double narrower = width / MinFigureScale;
        return new FigureSize(narrower / 72.0, size.HeightInches * narrower / size.WidthPoints);
    }

    private void Table(ReportTable table)
    {
        _tableNumber++;
        var columns = table.Columns;
        var (body, headerStyle, widths, breaks) = TableLayout(table);
        float tableWidth = widths.Sum();
        string label = string.Create(CultureInfo.InvariantCulture, $"Table {_tableNumber}.");

        List<string>[] Wrapped(IReadOnlyList<string> cells, TextStyle style) =>
            [.. cells.Select((cell, c) => _text.WrapWords(cell, style, widths[c] - (2 * CellPadX), breaks))];
        float RowHeight(List<string>[] cells, TextStyle style) => (cells.Max(c => c.Count) * style.LineHeight) + (2 * CellPadY);

        var header = Wrapped([.. columns.Select(c => c.Header)], headerStyle);
        float headerHeight = RowHeight(header, headerStyle);
        var rows = table.Rows.Select(r => Wrapped(r, body)).ToList();

        void StartSection(bool continued)
        {
            float firstRow = rows.Count > 0 ? RowHeight(rows[0], body) : 0;
            EnsureSpace(_styles.Caption.LineHeight + headerHeight + firstRow + 4);
            Caption(label, continued ? (table.Caption.Length > 0 ? table.Caption + " (continued)" : "(continued)") : table.Caption);
            _y += 3;
            HorizontalRule(_y, 0.9f, tableWidth);
            DrawRow(header, headerStyle, headerHeight, widths, columns, shade: false);
            HorizontalRule(_y, 0.5f, tableWidth);
        }

        StartSection(continued: false);
        for (int r = 0; r < rows.Count; r++)
        {
            float height = RowHeight(rows[r], body);
            if (_y + height > Bottom - 2)
            {
                HorizontalRule(_y, 0.9f, tableWidth);
                NewPage();
                StartSection(continued: true);
            }

            DrawRow(rows[r], body, height, widths, columns, shade: r % 2 == 1);
        }

        HorizontalRule(_y, 0.9f, tableWidth);
        _y += BlockGap + 4;
    }

    /// <summary>Text sizes, column widths and break characters of a table: cells wrap at spaces only, so every column is at
    /// least as wide as its longest word. When those minimum widths do not fit the text width, the table's text shrinks
    /// (to <see cref="MinTableTextScale"/> of its size); if that is not enough, words may also break after '-', '_' or '/'
    /// (from full size down again); and if even that does not fit, the text shrinks further until it does. A word is
    /// never split between two letters.</summary>
    private (TextStyle Body, TextStyle Header, float[] Widths, string Breaks) TableLayout(ReportTable table)
    {
        foreach (string breaks in new[] { string.Empty, TableSoftBreaks })
        {
            float floor = breaks.Length == 0 ? MinTableTextScaleWholeWords : MinTableTextScale;
            for (float scale = 1f; scale >= floor - 1e-6f; scale -= TableTextScaleStep)
            {
                var (body, header) = TableStyles(scale);
                var whole = MinimumColumnWidths(table, body, header, string.Empty);
                if (whole.Sum() <= Width)
                    return (body, header, ColumnWidths(table, body, header, whole), string.Empty);
                if (breaks.Length == 0)
                    continue;
                var broken = MinimumColumnWidths(table, body, header, breaks);
                if (broken.Sum() <= Width)
                    return (body, header, ColumnWidths(table, body, header, Level(whole, broken)), breaks);
            }
        }

        // Widths grow in proportion to the text size: solve for the scale at which the minimum widths fit, and shrink a
        // little more for the padding, which does not shrink, and for rounding.
        var (smallBody, smallHeader) = TableStyles(MinTableTextScale);
        float needed = MinimumColumnWidths(table, smallBody, smallHeader, TableSoftBreaks).Sum();
        for (float last = MinTableTextScale * Width / needed; ; last *= 0.95f)
        {
            var (lastBody, lastHeader) = TableStyles(last);
            var lastMinimum = MinimumColumnWidths(table, lastBody, lastHeader, TableSoftBreaks);
            if (lastMinimum.Sum() <= Width || last < 1e-3f)
                return (lastBody, lastHeader, ColumnWidths(table, lastBody, lastHeader, lastMinimum), TableSoftBreaks);
        }
    }

    /// <summary>Minimum column widths when some words must break after '-', '_' or '/': a level L such that each column
    /// gets clamp(L, broken, whole) and the total is the text width. Columns whose words are all narrower than L (numbers,
    /// verdicts) keep them whole; only the columns with the longest words break them.</summary>
    private float[] Level(float[] whole, float[] broken)
    {
        float low = LargestFitting(level => whole.Select((w, c) => Math.Clamp(level, broken[c], w)).Sum(), whole.Max());
        return [.. whole.Select((w, c) => Math.Clamp(low, broken[c], w))];
    }

    /// <summary>The largest x in [0, <paramref name="high"/>] with total(x) ≤ the text width, for a total that grows with x
    /// (bisection, 40 halvings).</summary>
    private float LargestFitting(Func<float, float> total, float high)
    {
        float low = 0;
        for (int i = 0; i < 40; i++)
        {
            float mid = 0.5f * (low + high);
            if (total(mid) <= Width)
                low = mid;
            else
                high = mid;
        }

        return low;
    }

    private (TextStyle Body, TextStyle Header) TableStyles(float scale) =>
        (_styles.TableBody with { Size = _styles.TableBody.Size * scale }, _styles.TableHeader with { Size = _styles.TableHeader.Size * scale });

    /// <summary>Per column, the widest piece no wrap may break (header and cells) plus the cell padding.</summary>
    private float[] MinimumColumnWidths(ReportTable table, TextStyle body, TextStyle header, string breaks)
    {
        var minimum = new float[table.Columns.Count];
        for (int c = 0; c < minimum.Length; c++)
        {
            float widest = _text.WidestPiece(table.Columns[c].Header, header, breaks);
            foreach (var row in table.Rows)
                widest = Math.Max(widest, _text.WidestPiece(row[c], body, breaks));
            minimum[c] = widest + (2 * CellPadX) + ColumnSlack;
        }

        return minimum;
    }

    /// <summary>Column widths: each column's natural width (its widest cell on one line) when the table fits; otherwise
    /// widths proportional to the natural ones (t·natural), clamped to [minimum, natural], with t chosen so that the
    /// table is exactly as wide as the text. Narrow columns thus keep their width and wide ones wrap.</summary>
    private float[] ColumnWidths(ReportTable table, TextStyle body, TextStyle header, float[] minimum)
    {
        int n = table.Columns.Count;
        var natural = new float[n];
        for (int c = 0; c < n; c++)
        {
            float widest = _text.Measure(table.Columns[c].Header, header);
            foreach (var row in table.Rows)
                widest = Math.Max(widest, _text.Measure(row[c], body));
            natural[c] = Math.Max(minimum[c], widest + (2 * CellPadX) + ColumnSlack);
        }

        if (natural.Sum() <= Width)
            return natural;

        // Total(0) = Σ minimum ≤ Width < Σ natural = Total(1); Total grows with t.
        float low = LargestFitting(t => Enumerable.Range(0, n).Sum(c => Math.Clamp(t * natural[c], minimum[c], natural[c])), 1);
        return [.. Enumerable.Range(0, n).Select(c => Math.Clamp(low * natural[c], minimum[c], natural[c]))];
    }

    private void DrawRow(List<string>[] cells, TextStyle style, float height, float[] widths, IReadOnlyList<TableColumn> columns, bool shade)
    {
        if (shade)
        {
            var rect = new SKRect(Left, _y, Left + widths.Sum(), _y + height);
            Page.Draws.Add(canvas =>
            {
                using var fill = new SKPaint { Color = ReportStyles.Zebra, Style = SKPaintStyle.Fill };
                canvas.DrawRect(rect, fill);
            });
        }

        float x = Left;
        for (int c = 0; c < cells.Length; c++)
        {
            float baseline = _y + CellPadY + style.Ascent;
            foreach (string line in cells[c])
            {
                float w = _text.Measure(line, style);
                float lx = columns[c].Alignment switch
                {
                    ColumnAlignment.Right => x + widths[c] - CellPadX - w,
                    ColumnAlignment.Center => x + ((widths[c] - w) / 2),
                    _ => x + CellPadX,
                };
                DrawText(line, lx, baseline, style);
                baseline += style.LineHeight;
            }

            x += widths[c];
        }

        _y += height;
    }

    private void HorizontalRule(float y, float thickness, float? width = null)
    {
        float left = Left, right = Left + (width ?? Width);
        Page.Draws.Add(canvas =>
        {
            using var paint = new SKPaint { Color = ReportStyles.Rule, StrokeWidth = thickness, IsAntialias = true, Style = SKPaintStyle.Stroke };
            canvas.DrawLine(left, y, right, y, paint);
        });
    }

    private void DrawText(string text, float x, float baseline, TextStyle style)
    {
        if (text.Length == 0)
            return;
        Page.Text.Add(text);
        Page.Placed.Add((text, new SKRect(x, baseline - style.Ascent, x + _text.Measure(text, style), baseline + (style.LineHeight - style.Ascent)), style.Size));
        Page.Draws.Add(canvas => _text.Draw(canvas, text, x, baseline, style));
    }

    /// <summary>Running header (pages after the first) and "i / n" footer on every page.</summary>
    private void Decorate()
    {
        int total = _pages.Count;
        for (int i = 0; i < total; i++)
        {
            var page = _pages[i];
            string number = string.Create(CultureInfo.InvariantCulture, $"{i + 1} / {total}");
            float numberWidth = _text.Measure(number, _styles.Footer);
            float footerY = Bottom + (_options.Margin * 0.5f);
            var footer = _styles.Footer;
            page.Draws.Add(canvas => _text.Draw(canvas, number, (_options.PageWidth - numberWidth) / 2, footerY, footer));
            if (i > 0 && _options.Title.Length > 0)
            {
                float headerY = Top - (_options.Margin * 0.35f);
                string title = _options.Title;
                float left = Left, right = Left + Width;
                page.Draws.Add(canvas =>
                {
                    _text.Draw(canvas, title, left, headerY, footer);
                    using var paint = new SKPaint { Color = new SKColor(0xBB, 0xBB, 0xBB), StrokeWidth = 0.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
                    canvas.DrawLine(left, headerY + 4, right, headerY + 4, paint);
                });
            }
        }
    }
}

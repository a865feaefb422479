using System.Globalization;
using System.Text;
using NoetherTheory.Core.IO;
using NoetherTheory.Reporting.Pdf;

namespace NoetherTheory.Reporting.Markdown;

/// <summary>
/// Builds the <c>index.md</c> of a report folder: headings, paragraphs, numbered figures linking the exported PNG/SVG
/// files, tables (GitHub-flavoured, with column alignment) and links (e.g. to the PDF).
/// </summary>
/// <remarks>Paths are written relative to the index with forward slashes; text is escaped so that table pipes and
/// markdown characters in captions survive. Output uses "\n" line ends and no timestamps.</remarks>
public sealed class MarkdownIndex
{
    private readonly StringBuilder _text = new();
    private int _figures;
    private int _tables;

    /// <summary>Starts an index with a level-1 title.</summary>
    public MarkdownIndex(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        _text.Append("# ").Append(Inline(title)).Append("\n\n");
    }

    /// <summary>Adds a heading of level 2 to 6.</summary>
    public MarkdownIndex AddHeading(string text, int level = 2)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 6);
        _text.Append('#', level).Append(' ').Append(Inline(text)).Append("\n\n");
        return this;
    }

    /// <summary>Adds a paragraph (markdown in <paramref name="text"/> is kept as written).</summary>
    public MarkdownIndex AddParagraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text.Append(text.Trim()).Append("\n\n");
        return this;
    }

    /// <summary>Adds an image with a numbered caption, and links to other formats of the same figure (e.g. the SVG).</summary>
    /// <param name="imagePath">Image path relative to the index (e.g. <c>figures/convergence.png</c>).</param>
    /// <param name="caption">Caption; also the image's alt text.</param>
    /// <param name="alternatives">Other files of the same figure, shown as links after the caption.</param>
    public MarkdownIndex AddFigure(string imagePath, string caption, params string[] alternatives)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentNullException.ThrowIfNull(caption);
        _figures++;
        _text.Append("![").Append(Inline(caption)).Append("](").Append(Destination(imagePath)).Append(")\n\n");
        _text.Append(CultureInfo.InvariantCulture, $"**Figure {_figures}.** ").Append(Inline(caption));
        foreach (string alternative in alternatives)
            _text.Append(" [").Append(Inline(Path.GetExtension(alternative).TrimStart('.').ToUpperInvariant())).Append("](")
                .Append(Destination(alternative)).Append(')');
        _text.Append("\n\n");
        return this;
    }

    /// <summary>Adds a link on its own line (e.g. to <c>report.pdf</c>).</summary>
    public MarkdownIndex AddLink(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _text.Append('[').Append(Inline(text)).Append("](").Append(Destination(path)).Append(")\n\n");
        return this;
    }

    /// <summary>Adds a numbered table in GitHub-flavoured markdown with the columns' alignment.</summary>
    /// <exception cref="ArgumentException">A row's cell count differs from the column count.</exception>
    public MarkdownIndex AddTable(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Validate();
        _tables++;
        _text.Append(CultureInfo.InvariantCulture, $"**Table {_tables}.** ").Append(Inline(table.Caption)).Append("\n\n");
        _text.Append("| ").AppendJoin(" | ", table.Columns.Select(c => Cell(c.Header))).Append(" |\n");
        _text.Append('|').AppendJoin("|", table.Columns.Select(c => c.Alignment switch
        {
            ColumnAlignment.Right => " ---: ",
            ColumnAlignment.Center => " :---: ",
            _ => " --- ",
        })).Append("|\n");
        foreach (var row in table.Rows)
            _text.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        _text.Append('\n');
        return this;
    }

    /// <summary>The markdown text.</summary>
    public string ToMarkdown() => _text.ToString().TrimEnd('\n') + "\n";

    /// <summary>Writes the markdown to <paramref name="path"/> (UTF-8 without BOM; folders are created).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, ToMarkdown());
    }

    /// <summary>Escapes characters that would start markdown syntax inside inline text.</summary>
    private static string Inline(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' '))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|')
                sb.Append('\\');
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Cell(string text) => text.Length == 0 ? " " : Inline(text);

    /// <summary>A link destination: forward slashes, in angle brackets so spaces and parentheses need no escaping.</summary>
    private static string Destination(string path) => "<" + path.Replace('\\', '/').Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal) + ">";
}

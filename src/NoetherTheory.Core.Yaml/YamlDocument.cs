using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NoetherTheory.Core.Yaml;

/// <summary>
/// Parses YAML text into positioned nodes (<see cref="YamlScalar"/>, <see cref="YamlList"/>, <see cref="YamlMap"/>). Whatever
/// goes wrong, the caller gets a <see cref="YamlInputException"/> naming source:line:column: a syntax error (any exception
/// of the YAML library, never its own exception type), a key that is a list or mapping, a repeated key, an unknown alias.
/// </summary>
public static partial class YamlDocument
{
    private const string SyntaxHint = "check the indentation (spaces only, no tabs), brackets and quotes here or just above";

    /// <summary>Parses a text that must hold one document whose root is a mapping.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="source">Names the text in messages (normally the file path).</param>
    /// <param name="expected">What the mapping should hold, for the message when the root is something else
    /// (e.g. "expected one YAML document holding a mapping (name: …, steps: …)").</param>
    /// <exception cref="YamlInputException">The text is not valid YAML, or not one mapping.</exception>
    public static YamlMap ParseMapping(string text, string source, string expected)
    {
        var documents = Parse(text, source);
        return documents.Count == 1 && documents[0] is YamlMap map ? map : throw new YamlInputException(source, 1, 1, "", expected);
    }

    /// <summary>Parses every document of <paramref name="text"/> (an empty text has none).</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="source">Names the text in messages (normally the file path).</param>
    /// <exception cref="YamlInputException">The text is not valid YAML, a key is not a single value, a key repeats, or an
    /// alias names no anchor.</exception>
    public static IReadOnlyList<YamlValue> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var builder = new Builder(source, new Parser(new StringReader(text)));
        try
        {
            return builder.Documents();
        }
        catch (YamlInputException)
        {
            throw;
        }
        catch (YamlException e)
        {
            throw Located(source, text, (int)e.Start.Line, (int)e.Start.Column, Describe(e.Message), e);
        }
#pragma warning disable CA1031 // every other failure of the YAML library (it throws InvalidOperationException, InvalidCastException, … on some malformed inputs) becomes the located error
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // The library lost its state without saying where: point at the innermost unclosed flow collection, the usual cause.
            if (builder.OpenFlow is var (line, column, bracket))
                throw new YamlInputException(source, line, column, "",
                    $"invalid YAML: the '{bracket}' opened here is never closed; close it with '{(bracket == '[' ? ']' : '}')}' before the next key, or write the value on indented lines.", e);
            (line, column) = builder.LastPlace;
            throw Located(source, text, line, column, "the text cannot be read past this point", e);
        }
    }

    private static YamlInputException Located(string source, string text, int line, int column, string message, Exception cause)
    {
        line = Math.Max(line, 1);
        column = Math.Max(column, 1);
        string hint = SyntaxHint;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            // The library reports a tab where the enclosing mapping starts; the tab itself is the place to fix.
            var lines = text.Split('\n');
            int at = Enumerable.Range(line - 1, Math.Max(lines.Length - line + 1, 0))
                .FirstOrDefault(i => lines[i].TakeWhile(char.IsWhiteSpace).Contains('\t'), -1);
            if (at < 0) at = Enumerable.Range(line - 1, Math.Max(lines.Length - line + 1, 0)).FirstOrDefault(i => lines[i].Contains('\t'), -1);
            if (at >= 0) (line, column) = (at + 1, lines[at].IndexOf('\t', StringComparison.Ordinal) + 1);
            hint = "YAML indentation must use spaces, replace the tab character with spaces";
        }
        return new YamlInputException(source, line, column, "", $"invalid YAML: {message}; {hint}.", cause);
    }

    // The library's messages start with "(Line: 3, Col: 1, Idx: 20) - (Line: …): "; the location is ours to give.
    private static string Describe(string message)
    {
        string text = MarkPrefix().Replace(message, "").Trim();
        return text.TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    // Builds nodes from the parser's events; remembers the last place reached for errors that carry none.
    private sealed class Builder(string source, IParser parser)
    {
        private readonly Dictionary<string, YamlValue> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<(int Line, int Column, char Bracket)> _flow = new();

        public (int Line, int Column) LastPlace { get; private set; } = (1, 1);

        // The innermost '[' or '{' not yet closed, if any.
        public (int Line, int Column, char Bracket)? OpenFlow => _flow.Count > 0 ? _flow.Peek() : null;

        public List<YamlValue> Documents()
        {
            var documents = new List<YamlValue>();
            Next<StreamStart>();
            while (!Peek<StreamEnd>())
            {
                Next<DocumentStart>();
                documents.Add(Node());
                Next<DocumentEnd>();
                _anchors.Clear();
            }
            return documents;
        }

        private bool Peek<T>() where T : ParsingEvent => Current() is T;

        private ParsingEvent Current()
        {
            if (parser.Current is null && !parser.MoveNext())
                throw new YamlException("unexpected end of the text");
            var current = parser.Current!;
            LastPlace = ((int)current.Start.Line, (int)current.Start.Column);
            return current;
        }

        private T Next<T>() where T : ParsingEvent
        {
            var current = Current();
            if (current is not T typed)
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            parser.MoveNext();
            return typed;
        }

        private YamlValue Node()
        {
            var current = Current();
            int line = (int)current.Start.Line, column = (int)current.Start.Column;
            YamlValue node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return _anchors.TryGetValue(alias.Value.Value, out var target) ? target
                        : throw new YamlInputException(source, line, column, "",
                            $"the alias '*{alias.Value.Value}' names no anchor defined above it; define '&{alias.Value.Value}' first or write the value out");
                case Scalar scalar:
                    parser.MoveNext();
                    node = new YamlScalar(source, line, column, scalar.Value,
                        scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
                    break;
                case SequenceStart sequence:
                    if (sequence.Style == SequenceStyle.Flow) _flow.Push((line, column, '['));
                    parser.MoveNext();
                    var items = new List<YamlValue>();
                    while (!Peek<SequenceEnd>()) items.Add(Node());
                    parser.MoveNext();
                    if (sequence.Style == SequenceStyle.Flow) _flow.Pop();
                    node = new YamlList(source, line, column, items);
                    break;
                case MappingStart mapping:
                    if (mapping.Style == MappingStyle.Flow) _flow.Push((line, column, '{'));
                    parser.MoveNext();
                    var entries = new List<YamlEntry>();
                    var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
                    while (!Peek<MappingEnd>())
                    {
                        var key = Node();
                        if (key is not YamlScalar k)
                            throw key.Error("", $"a key must be a single value (a name), not {key.Description}; write 'name: value' and put lists or mappings on the value side");
                        if (seen.TryGetValue(k.Text, out var first))
                            throw k.Error("", $"duplicate key '{k.Text}' (first at line {first.Line}); each key may appear once in a mapping, remove or rename one");
                        seen[k.Text] = k;
                        entries.Add(new YamlEntry(k, Node()));
                    }
                    parser.MoveNext();
                    if (mapping.Style == MappingStyle.Flow) _flow.Pop();
                    node = new YamlMap(source, line, column, entries);
                    break;
                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }
            if (current is NodeEvent { Anchor.IsEmpty: false } anchored) _anchors[anchored.Anchor.Value] = node;
            return node;
        }
    }
}

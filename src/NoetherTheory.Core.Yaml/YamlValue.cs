using System.Globalization;

namespace NoetherTheory.Core.Yaml;

/// <summary>A node of a parsed YAML document (<see cref="YamlScalar"/>, <see cref="YamlList"/> or <see cref="YamlMap"/>)
/// with the place it starts, so that every complaint about it can name file:line:column.</summary>
public abstract class YamlValue
{
    private protected YamlValue(string source, int line, int column)
    {
        Source = source;
        Line = line;
        Column = column;
    }

    /// <summary>The file (or other name) the node was read from.</summary>
    public string Source { get; }

    /// <summary>1-based line where the node starts.</summary>
    public int Line { get; }

    /// <summary>1-based column where the node starts.</summary>
    public int Column { get; }

    /// <summary>How the node is called in messages: "a list", "a mapping" or the scalar's text in quotes.</summary>
    public abstract string Description { get; }

    /// <summary>An error located at this node (returned, not thrown, so callers write <c>throw node.Error(...)</c>).</summary>
    /// <param name="field">The dotted field name, or empty.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    public YamlInputException Error(string field, string problem) => new(Source, Line, Column, field, problem);

    /// <summary>This node as a single value.</summary>
    /// <exception cref="YamlInputException">It is a list or a mapping.</exception>
    public YamlScalar AsScalar(string field) =>
        this as YamlScalar ?? throw Error(field, $"expected a single value, not {Description}");

    /// <summary>This node as a list.</summary>
    /// <exception cref="YamlInputException">It is not a list.</exception>
    public YamlList AsList(string field, string example = "[1, 2]") =>
        this as YamlList ?? throw Error(field, $"expected a list such as {example}, not {Description}");

    /// <summary>This node as a mapping.</summary>
    /// <exception cref="YamlInputException">It is not a mapping.</exception>
    public YamlMap AsMap(string field, string example = "indented key: value lines") =>
        this as YamlMap ?? throw Error(field, $"expected a mapping ({example}), not {Description}");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Source}:{Line}:{Column}: {Description}");
}

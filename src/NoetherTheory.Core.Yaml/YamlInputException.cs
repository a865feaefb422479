using System.Globalization;

namespace NoetherTheory.Core.Yaml;

/// <summary>A YAML input is wrong at a known place: not valid YAML, or a value of the wrong shape or type. The message is
/// <c>source:line:column: field: problem</c> (the field part only where one is known), and the problem says how to fix it.</summary>
public sealed class YamlInputException : NoetherTheoryException
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/>:<paramref name="column"/> (1-based) of
    /// <paramref name="source"/>.</summary>
    /// <param name="source">The file (or another name of the text).</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="field">The dotted field name (e.g. <c>optimizer.lr</c>), or empty.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public YamlInputException(string source, int line, int column, string field, string problem, Exception? innerException = null)
        : base(Format(source, line, column, field, problem), innerException!)
    {
        SourceName = source;
        Line = line;
        Column = column;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message (no location).</summary>
    public YamlInputException(string message) : this(message, null!) { }

    /// <summary>Creates the exception with a message and its cause (no location).</summary>
    public YamlInputException(string message, Exception innerException) : base(message, innerException)
    {
        SourceName = Field = string.Empty;
        Problem = message;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public YamlInputException() : this("The YAML input is invalid.") { }

    /// <summary>The file (or other name) of the text.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the problem (0: unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem (0: unknown).</summary>
    public int Column { get; }

    /// <summary>The dotted field name, or empty.</summary>
    public string Field { get; }

    /// <summary>What is wrong and how to fix it, without the location.</summary>
    public string Problem { get; }

    private static string Format(string source, int line, int column, string field, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}:{line}:{column}: {(field.Length > 0 ? field + ": " : "")}{problem}");
}

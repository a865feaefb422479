using System.Globalization;

namespace NoetherTheory.Symbolic;

/// <summary>What went wrong while parsing expression text.</summary>
public enum ParseErrorKind
{
    /// <summary>The input is empty or only white space.</summary>
    EmptyInput,
    /// <summary>A character that cannot start any token.</summary>
    UnexpectedCharacter,
    /// <summary>A token where something else was required.</summary>
    UnexpectedToken,
    /// <summary>The input ended where more was required.</summary>
    UnexpectedEnd,
    /// <summary>An opening parenthesis or bracket without its partner (or the reverse).</summary>
    UnbalancedParenthesis,
    /// <summary>A malformed number literal.</summary>
    InvalidNumber,
    /// <summary>An index that is not a non-negative integer literal that fits in 32 bits.</summary>
    InvalidIndex,
    /// <summary>A built-in function called with the wrong number of arguments.</summary>
    WrongArgumentCount,
    /// <summary><c>float(…)</c> without a single numeric literal inside.</summary>
    InvalidFloat,
    /// <summary>A division by zero or 0 raised to a negative power.</summary>
    DivisionByZero,
    /// <summary>Nesting deeper than the parser allows.</summary>
    TooDeep,
}

/// <summary>A parse failure with its position (1-based line and column) and what would have been accepted there.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What was wrong and how to fix it.</param>
/// <param name="Expected">What the parser would have accepted at that position (may be empty).</param>
public sealed record ParseError(ParseErrorKind Kind, int Line, int Column, string Message, IReadOnlyList<string> Expected)
{
    /// <summary><c>line:column: message (expected …)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}: {Message}")
        + (Expected.Count > 0 ? " (expected " + string.Join(" or ", Expected) + ")" : "");
}

/// <summary>Thrown by <see cref="Expr.Parse(string)"/> when the text is not a valid expression.</summary>
public sealed class ParseException : NoetherTheoryException
{
    /// <summary>Creates the exception from the error it reports.</summary>
    public ParseException(ParseError error) : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>Creates the exception with a message only (prefer the <see cref="ParseError"/> constructor).</summary>
    public ParseException(string message) : base(message) =>
        Error = new ParseError(ParseErrorKind.UnexpectedToken, 1, 1, message, []);

    /// <summary>Creates the exception with a message and cause.</summary>
    public ParseException(string message, Exception innerException) : base(message, innerException) =>
        Error = new ParseError(ParseErrorKind.UnexpectedToken, 1, 1, message, []);

    /// <summary>Creates the exception with a default message.</summary>
    public ParseException() : this("The expression text could not be parsed.") { }

    /// <summary>The error, with position.</summary>
    public ParseError Error { get; }
}

/// <summary>Options for <see cref="Expr.Parse(string, ParseOptions)"/>.</summary>
public sealed record ParseOptions
{
    /// <summary>Default options: every symbol real.</summary>
    public static ParseOptions Default { get; } = new();

    /// <summary>Assumptions for symbols not listed in <see cref="Assumptions"/>.</summary>
    public SymbolAssumptions DefaultAssumptions { get; init; } = SymbolAssumptions.Real;

    /// <summary>Per-name assumptions (e.g. <c>tau</c> → Positive); applies to every index of a family.</summary>
    public IReadOnlyDictionary<string, SymbolAssumptions> Assumptions { get; init; } = new Dictionary<string, SymbolAssumptions>();

    /// <summary>Maximum nesting depth (parentheses, unary signs, powers) before a <see cref="ParseErrorKind.TooDeep"/> error.</summary>
    public int MaxDepth { get; init; } = 500;
}

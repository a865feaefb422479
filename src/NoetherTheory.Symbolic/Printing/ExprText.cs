namespace NoetherTheory.Symbolic;

public abstract partial record Expr
{
    /// <summary>Parses expression text (syntax: see <see cref="ParseOptions"/> and the README); symbols are real.</summary>
    /// <exception cref="ParseException">The text is not a valid expression; the exception carries line, column and what was expected.</exception>
    public static Expr Parse(string text) => Parse(text, ParseOptions.Default);

    /// <summary>Parses expression text with options (symbol assumptions, nesting limit).</summary>
    /// <exception cref="ParseException">The text is not a valid expression.</exception>
    public static Expr Parse(string text, ParseOptions options) =>
        Parser.TryParse(text, options, out var e, out var error) ? e! : throw new ParseException(error!);

    /// <summary>Parses expression text without throwing for bad input.</summary>
    /// <returns>True and the expression, or false and an error with position and the tokens that were expected.</returns>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expr? expr,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ParseError? error) =>
        Parser.TryParse(text, ParseOptions.Default, out expr, out error);

    /// <summary>Parses expression text with options, without throwing for bad input.</summary>
    public static bool TryParse(string text, ParseOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expr? expr,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ParseError? error) =>
        Parser.TryParse(text, options, out expr, out error);

    /// <summary>LaTeX (math mode, no delimiters).</summary>
    public string ToLatex() => LatexPrinter.Print(this);
}

using System.Collections.Immutable;
using System.Globalization;

namespace NoetherTheory.Symbolic;

/// <summary>
/// Recursive-descent parser for the text syntax printed by <see cref="TextPrinter"/>.
/// </summary>
/// <remarks>
/// Grammar (lowest precedence first):
/// <code>
/// expr    := term (('+' | '-') term)*
/// term    := ('-' | '+')* power (('*' | '/') unary)*   -- leading signs negate the whole term: -a*b = -(a*b), -x^2 = -(x^2)
/// unary   := ('-' | '+') unary | power
/// power   := primary (('^' | '**') unary)?      -- right-associative: a^b^c = a^(b^c), and 2^-1 works
/// primary := number | name | name '[' int ']' | name '(' args ')' | 'Derivative' '[' ints ']' '(' name ')' '(' args ')'
///          | 'float' '(' ['-'] (number | NaN | Infinity) ')' | '(' expr ')'
/// </code>
/// Number literals are exact: <c>0.5</c> is 1/2 and <c>1e-3</c> is 1/1000; write <c>float(0.1)</c> for an inexact
/// constant. Known function names (exp, log, sin, cos, tan, tanh, sinh, cosh, abs, sqrt) build elementary functions;
/// any other name followed by '(' is an undefined function (<see cref="Apply"/>). There is no implicit multiplication.
/// </remarks>
internal sealed class Parser
{
    private enum TokenKind { Number, Identifier, Plus, Minus, Star, Slash, Caret, LeftParen, RightParen, LeftBracket, RightBracket, Comma, End }

    private readonly record struct Token(TokenKind Kind, int Start, int End);

    private sealed class Failure(ParseError error) : Exception(error.Message)
    {
        public ParseError Error { get; } = error;
    }

    private static readonly string[] ExpectOperand = ["a number", "a name", "'('", "'-'"];
    private static readonly string[] ExpectOperator = ["an operator (+ - * / ^)", "end of input"];

    private readonly string _text;
    private readonly ParseOptions _options;
    private Token _token;
    private int _depth;

    private Parser(string text, ParseOptions options)
    {
        _text = text;
        _options = options;
    }

    public static bool TryParse(string text, ParseOptions options, out Expr? result, out ParseError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var parser = new Parser(text, options);
        try
        {
            result = parser.ParseAll();
            error = null;
            return true;
        }
        catch (Failure f)
        {
            result = null;
            error = f.Error;
            return false;
        }
    }

    private Expr ParseAll()
    {
        if (string.IsNullOrWhiteSpace(_text))
            throw Fail(ParseErrorKind.EmptyInput, 0, "the expression is empty; write e.g. 'x^2 + 1'", ExpectOperand);
        _token = Scan(0);
        var e = ParseExpr();
        if (_token.Kind == TokenKind.RightParen)
            throw Fail(ParseErrorKind.UnbalancedParenthesis, _token.Start, "')' has no matching '('; remove it or add a '(' before it", ExpectOperator);
        if (_token.Kind != TokenKind.End)
            throw UnexpectedAfterOperand();
        return e;
    }

    // ------------------------------------------------------------ grammar

    private Expr ParseExpr()
    {
        Enter();
        var terms = new List<Expr> { ParseTerm() };
        while (_token.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            bool minus = _token.Kind == TokenKind.Minus;
            Advance();
            var t = ParseTerm();
            terms.Add(minus ? Expr.Negate(t) : t);
        }
        _depth--;
        return terms.Count == 1 ? terms[0] : Expr.Add(terms);
    }

    private Expr ParseTerm()
    {
        // Leading signs apply to the whole term: -a*b = -(a*b). (Reading it as (-a)*b would give a different canonical
        // form when a is a sum, since −1·(x + 2) distributes.)
        bool negative = false;
        while (_token.Kind is TokenKind.Minus or TokenKind.Plus)
        {
            negative ^= _token.Kind == TokenKind.Minus;
            Advance();
        }
        var factors = new List<Expr> { ParsePower() };
        while (_token.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = _token;
            Advance();
            var f = ParseUnary();
            if (op.Kind == TokenKind.Slash)
            {
                if (f is Number { Value.IsZero: true })
                    throw Fail(ParseErrorKind.DivisionByZero, op.Start, "division by zero", []);
                f = Guard(op, () => Expr.Pow(f, Expr.MinusOne));
            }
            factors.Add(f);
        }
        var product = factors.Count == 1 ? factors[0] : Expr.Multiply(factors);
        return negative ? Expr.Negate(product) : product;
    }

    private Expr ParseUnary()
    {
        if (_token.Kind is TokenKind.Minus or TokenKind.Plus)
        {
            bool minus = _token.Kind == TokenKind.Minus;
            Advance();
            Enter();
            var operand = ParseUnary();
            _depth--;
            return minus ? Expr.Negate(operand) : operand;
        }
        return ParsePower();
    }

    private Expr ParsePower()
    {
        var b = ParsePrimary();
        if (_token.Kind != TokenKind.Caret) return b;
        var op = _token;
        Advance();
        Enter();
        var e = ParseUnary();
        _depth--;
        return Guard(op, () => Expr.Pow(b, e));
    }

    private Expr ParsePrimary()
    {
        var t = _token;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Advance();
                return Expr.Number(ReadNumber(t));
            case TokenKind.Identifier:
                return ParseNamed();
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseExpr();
                Expect(TokenKind.RightParen, t, "'('");
                return inner;
            }
            case TokenKind.End:
                throw Fail(ParseErrorKind.UnexpectedEnd, t.Start, "the expression ends too early", ExpectOperand);
            case TokenKind.RightParen:
                throw Fail(ParseErrorKind.UnexpectedToken, t.Start, "')' where an operand was expected", ExpectOperand);
            default:
                throw Fail(ParseErrorKind.UnexpectedToken, t.Start, $"'{TextOf(t)}' where an operand was expected", ExpectOperand);
        }
    }

    private Expr ParseNamed()
    {
        var nameToken = _token;
        string name = TextOf(nameToken);
        if (IsNonFiniteWord(name))
            throw Fail(ParseErrorKind.UnexpectedToken, nameToken.Start,
                $"'{name}' is not a name: a non-finite number is written float(NaN) or float(Infinity), and a symbol needs another name", ["a name", "float(…)"]);
        Advance();
        if (name == "Derivative" && _token.Kind == TokenKind.LeftBracket) return ParseDerivative(nameToken);
        if (_token.Kind == TokenKind.LeftParen)
        {
            if (name == "float") return ParseFloat();
            var open = _token;
            Advance();
            var args = ParseArguments(open);
            if (FunctionTable.ByName.TryGetValue(name, out var kind))
            {
                RequireOneArgument(name, nameToken, args.Count);
                return Expr.Call(kind, args[0]);
            }
            if (name == "sqrt")
            {
                RequireOneArgument(name, nameToken, args.Count);
                return Expr.Sqrt(args[0]);
            }
            if (name is "Derivative")
                throw Fail(ParseErrorKind.UnexpectedToken, nameToken.Start, "'Derivative' needs derivative orders: Derivative[1,0](V)(x, y)", ["'['"]);
            return Expr.Apply(name, args);
        }
        int? index = null;
        if (_token.Kind == TokenKind.LeftBracket)
        {
            var open = _token;
            Advance();
            index = ReadIndex();
            Expect(TokenKind.RightBracket, open, "'['");
        }
        var assumptions = _options.Assumptions.TryGetValue(name, out var a) ? a : _options.DefaultAssumptions;
        return Expr.Symbol(name, index, assumptions);
    }

    // Words that read as a non-finite number to a person or another tool; taken as a symbol they would hide a NaN.
    private static bool IsNonFiniteWord(string name) =>
        name.Equals("NaN", StringComparison.OrdinalIgnoreCase) || name.Equals("inf", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Infinity", StringComparison.OrdinalIgnoreCase);

    private Expr ParseDerivative(Token nameToken)
    {
        var open = _token;
        Advance();
        var orders = ImmutableArray.CreateBuilder<int>();
        orders.Add(ReadIndex());
        while (_token.Kind == TokenKind.Comma)
        {
            Advance();
            orders.Add(ReadIndex());
        }
        Expect(TokenKind.RightBracket, open, "'['");
        var paren = _token;
        Expect(TokenKind.LeftParen, null, null);
        if (_token.Kind != TokenKind.Identifier)
            throw Fail(ParseErrorKind.UnexpectedToken, _token.Start, "Derivative[…]( needs the function's name", ["a function name"]);
        var fname = _token;
        string name = TextOf(fname);
        if (Names.Keywords.Contains(name))
            throw Fail(ParseErrorKind.UnexpectedToken, fname.Start, $"'{name}' is built in; Derivative[…](…) is only for undefined functions", ["a function name"]);
        Advance();
        Expect(TokenKind.RightParen, paren, "'('");
        var argsOpen = _token;
        Expect(TokenKind.LeftParen, null, null);
        var args = ParseArguments(argsOpen);
        if (args.Count != orders.Count)
            throw Fail(ParseErrorKind.WrongArgumentCount, nameToken.Start,
                $"Derivative has {orders.Count} orders but {name} gets {args.Count} arguments; give one order per argument", []);
        return Expr.Apply(name, [.. args], orders.ToImmutable());
    }

    private Expr ParseFloat()
    {
        var open = _token;
        Advance();
        bool negative = false;
        if (_token.Kind is TokenKind.Minus or TokenKind.Plus) { negative = _token.Kind == TokenKind.Minus; Advance(); }
        var t = _token;
        double value;
        if (t.Kind == TokenKind.Number)
        {
            if (!double.TryParse(TextOf(t), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw Fail(ParseErrorKind.InvalidFloat, t.Start, $"'{TextOf(t)}' is not a valid floating-point number", []);
        }
        else if (t.Kind == TokenKind.Identifier && TextOf(t) is "NaN" or "Infinity")
            value = TextOf(t) == "NaN" ? double.NaN : double.PositiveInfinity;
        else
            throw Fail(ParseErrorKind.InvalidFloat, t.Start, "float(…) takes one numeric literal, e.g. float(0.1)", ["a number", "NaN", "Infinity"]);
        Advance();
        Expect(TokenKind.RightParen, open, "'('");
        return Expr.Float(negative ? -value : value);
    }

    private List<Expr> ParseArguments(Token open)
    {
        var args = new List<Expr>();
        if (_token.Kind == TokenKind.RightParen) { Advance(); return args; }
        args.Add(ParseExpr());
        while (_token.Kind == TokenKind.Comma)
        {
            Advance();
            args.Add(ParseExpr());
        }
        Expect(TokenKind.RightParen, open, "'('");
        return args;
    }

    private void RequireOneArgument(string name, Token at, int count)
    {
        if (count != 1)
            throw Fail(ParseErrorKind.WrongArgumentCount, at.Start,
                string.Create(CultureInfo.InvariantCulture, $"{name} takes exactly 1 argument, got {count}"), []);
    }

    private int ReadIndex()
    {
        var t = _token;
        if (t.Kind != TokenKind.Number || !int.TryParse(TextOf(t), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw Fail(ParseErrorKind.InvalidIndex, t.Start,
                $"'{(t.Kind == TokenKind.End ? "end of input" : TextOf(t))}' is not a valid index; indices are non-negative integer literals like q[0]",
                ["a non-negative integer"]);
        Advance();
        return value;
    }

    private Rational ReadNumber(Token t)
    {
        if (!Rational.TryParseDecimal(TextOf(t), out var value))
            throw Fail(ParseErrorKind.InvalidNumber, t.Start, $"'{TextOf(t)}' is not a valid number", ["digits like 12, 0.5 or 1e-3"]);
        return value;
    }

    // ------------------------------------------------------------ helpers

    private void Expect(TokenKind kind, Token? opener, string? openerText)
    {
        if (_token.Kind == kind) { Advance(); return; }
        string want = kind switch
        {
            TokenKind.RightParen => "')'",
            TokenKind.RightBracket => "']'",
            TokenKind.LeftParen => "'('",
            _ => kind.ToString(),
        };
        if (opener is { } o && _token.Kind == TokenKind.End)
        {
            var (line, col) = Position(o.Start);
            throw Fail(ParseErrorKind.UnbalancedParenthesis, _token.Start,
                string.Create(CultureInfo.InvariantCulture, $"{openerText} opened at {line}:{col} is never closed; add {want}"), [want]);
        }
        if (_token.Kind == TokenKind.End)
            throw Fail(ParseErrorKind.UnexpectedEnd, _token.Start, "the expression ends too early", [want]);
        throw Fail(ParseErrorKind.UnexpectedToken, _token.Start, $"'{TextOf(_token)}' where {want} was expected", [want]);
    }

    private Failure UnexpectedAfterOperand()
    {
        var t = _token;
        string text = TextOf(t);
        if (t.Kind is TokenKind.Identifier or TokenKind.Number or TokenKind.LeftParen)
            return Fail(ParseErrorKind.UnexpectedToken, t.Start,
                $"'{text}' follows an operand directly; there is no implicit multiplication, write '*' (e.g. 2*x)", ExpectOperator);
        return Fail(ParseErrorKind.UnexpectedToken, t.Start, $"unexpected '{text}'", ExpectOperator);
    }

    private Expr Guard(Token op, Func<Expr> build)
    {
        try
        {
            return build();
        }
        catch (DivideByZeroException ex)
        {
            throw Fail(ParseErrorKind.DivisionByZero, op.Start, ex.Message, []);
        }
    }

    private void Enter()
    {
        if (++_depth > _options.MaxDepth)
            throw Fail(ParseErrorKind.TooDeep, _token.Start,
                string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {_options.MaxDepth} levels; split the expression or raise ParseOptions.MaxDepth"), []);
    }

    private void Advance() => _token = Scan(_token.End);

    private string TextOf(Token t) => t.Kind == TokenKind.End ? "end of input" : _text[t.Start..t.End];

    private (int Line, int Column) Position(int offset)
    {
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < _text.Length; i++)
        {
            if (_text[i] == '\n') { line++; col = 1; }
            else col++;
        }
        return (line, col);
    }

    private Failure Fail(ParseErrorKind kind, int offset, string message, IReadOnlyList<string> expected)
    {
        var (line, col) = Position(offset);
        return new Failure(new ParseError(kind, line, col, message, expected));
    }

    private Token Scan(int i)
    {
        while (i < _text.Length && char.IsWhiteSpace(_text[i])) i++;
        if (i >= _text.Length) return new Token(TokenKind.End, _text.Length, _text.Length);
        char c = _text[i];
        if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < _text.Length && char.IsAsciiDigit(_text[i + 1])))
        {
            int j = i;
            while (j < _text.Length && char.IsAsciiDigit(_text[j])) j++;
            if (j < _text.Length && _text[j] == '.')
            {
                j++;
                while (j < _text.Length && char.IsAsciiDigit(_text[j])) j++;
            }
            if (j < _text.Length && (_text[j] == 'e' || _text[j] == 'E'))
            {
                int k = j + 1;
                if (k < _text.Length && (_text[k] == '+' || _text[k] == '-')) k++;
                if (k < _text.Length && char.IsAsciiDigit(_text[k]))
                {
                    while (k < _text.Length && char.IsAsciiDigit(_text[k])) k++;
                    j = k;
                }
            }
            return new Token(TokenKind.Number, i, j);
        }
        if (Names.IsIdentifierStart(c))
        {
            int j = i + 1;
            while (j < _text.Length && Names.IsIdentifierPart(_text[j])) j++;
            return new Token(TokenKind.Identifier, i, j);
        }
        switch (c)
        {
            case '+': return new Token(TokenKind.Plus, i, i + 1);
            case '-': return new Token(TokenKind.Minus, i, i + 1);
            case '*' when i + 1 < _text.Length && _text[i + 1] == '*': return new Token(TokenKind.Caret, i, i + 2);
            case '*': return new Token(TokenKind.Star, i, i + 1);
            case '/': return new Token(TokenKind.Slash, i, i + 1);
            case '^': return new Token(TokenKind.Caret, i, i + 1);
            case '(': return new Token(TokenKind.LeftParen, i, i + 1);
            case ')': return new Token(TokenKind.RightParen, i, i + 1);
            case '[': return new Token(TokenKind.LeftBracket, i, i + 1);
            case ']': return new Token(TokenKind.RightBracket, i, i + 1);
            case ',': return new Token(TokenKind.Comma, i, i + 1);
        }
        throw Fail(ParseErrorKind.UnexpectedCharacter, i,
            string.Create(CultureInfo.InvariantCulture, $"unexpected character '{c}' (U+{(int)c:X4})"), ["an operator, a number or a name"]);
    }
}

using System.CommandLine;
using System.Globalization;
using NoetherTheory.Symbolic;
using Symbol = NoetherTheory.Symbolic.Symbol;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether expr &lt;diff|simplify|zero|eval|latex&gt; "&lt;expr&gt;"</c>: the CAS from the command line.</summary>
internal static class ExprCommand
{
    private enum Operation { Diff, Simplify, Zero, Eval, Latex }

    public static Command Create(CliContext context)
    {
        var operation = new Argument<Operation>("operation")
        {
            Description = "diff (∂/∂wrt), simplify, zero (is it identically zero?), eval (at --at), latex",
        };
        var expression = new Argument<string>("expression")
        {
            Description = "Expression text, e.g. \"exp(t/tau)*(m/2*qdot[0]^2 - V(q[0],q[1]))\"",
        };
        var wrt = new Option<string?>("--wrt") { Description = "Symbol to differentiate by (diff), e.g. x or q[0]" };
        var at = new Option<string?>("--at") { Description = "Values for eval, e.g. x=1.5,y=2,q[0]=0.3" };
        var format = new Option<OutputFormat>("--format") { Description = "text (default) or json", DefaultValueFactory = _ => OutputFormat.Text };

        var command = new Command("expr", "Parse, differentiate, simplify, zero-test, evaluate or typeset an expression.")
        {
            operation, expression, wrt, at, format,
        };
        command.SetAction(parse => Run(context, parse.GetValue(operation), parse.GetRequiredValue(expression),
            parse.GetValue(wrt), parse.GetValue(at), parse.GetValue(format)));
        return command;
    }

    private static int Run(CliContext context, Operation operation, string text, string? wrt, string? at, OutputFormat format)
    {
        var expr = ParseOrThrow(text, "expression");
        ExprResult result = operation switch
        {
            Operation.Diff => Diff(expr, wrt),
            Operation.Simplify => Simplify(expr),
            Operation.Zero => Zero(expr),
            Operation.Eval => Eval(expr, at),
            Operation.Latex => new ExprResult("latex", text, expr.ToString(), expr.ToLatex()),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        if (format == OutputFormat.Json)
            context.Out.WriteLine(Json.Serialize(result));
        else if (operation == Operation.Latex)
            context.Out.WriteLine(result.Latex);
        else
            context.Out.WriteLine(result.Detail is null ? result.Result : $"{result.Result}\n{result.Detail}");
        return ExitCodes.Ok;
    }

    private static ExprResult Diff(Expr expr, string? wrt)
    {
        if (string.IsNullOrWhiteSpace(wrt))
            throw new UsageException("expr diff needs --wrt <symbol> (for example --wrt x or --wrt q[0]).");
        var symbol = ParseOrThrow(wrt, "--wrt") as Symbol
            ?? throw new UsageException($"--wrt '{wrt}' is not a symbol; give a name such as x or q[0].");
        var derivative = expr.Differentiate(symbol);
        return new ExprResult("diff", expr.ToString(), derivative.ToString(), derivative.ToLatex()) { Wrt = symbol.ToString() };
    }

    private static ExprResult Simplify(Expr expr)
    {
        var simplified = expr.Simplify();
        return new ExprResult("simplify", expr.ToString(), simplified.Result.ToString(), simplified.Result.ToLatex())
        {
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"({simplified.RewritesUsed} rewrites{(simplified.BudgetExhausted ? ", budget exhausted" : "")})"),
            RewritesUsed = simplified.RewritesUsed,
        };
    }

    private static ExprResult Zero(Expr expr)
    {
        var verdict = ZeroTest.Run(expr);
        return new ExprResult("zero", expr.ToString(), verdict.Kind.ToString(), null)
        {
            Detail = verdict.Evidence,
            IsZero = verdict.IsZero,
            FailureProbabilityBound = verdict.Kind == ZeroTestKind.ProbablyZero ? verdict.FailureProbabilityBound : null,
            Witness = verdict.Witness?.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString("R", CultureInfo.InvariantCulture)),
        };
    }

    private static ExprResult Eval(Expr expr, string? at)
    {
        var values = ParseAssignments(at);
        var symbols = expr.FreeSymbols();
        var binding = new Dictionary<Symbol, double>();
        foreach (var s in symbols)
        {
            if (!values.TryGetValue(s.ToString(), out double v))
                throw new UsageException($"expr eval: no value for '{s}'; add it to --at (e.g. --at {s}=1).");
            binding[s] = v;
        }
        var unknown = values.Keys.Except(symbols.Select(s => s.ToString())).ToList();
        double value = expr.Evaluate(binding);
        if (!double.IsFinite(value))
        {
            // Exit 2, not 1: nothing was checked and found false; the point given is outside the expression's domain.
            var culprit = FirstNonFinite(expr, binding);
            string point = string.Join(", ", binding.Select(kv => $"{kv.Key}={kv.Value.ToString("R", CultureInfo.InvariantCulture)}"));
            throw new UsageException($"expr eval: {expr} at {(point.Length == 0 ? "no values" : point)} is not finite "
                + $"({value.ToString(CultureInfo.InvariantCulture)}): '{culprit}' is {culprit.Evaluate(binding).ToString(CultureInfo.InvariantCulture)} there "
                + "(a division by zero, a log of 0 or of a negative, an overflow, …); choose a point inside the domain with --at.");
        }
        return new ExprResult("eval", expr.ToString(), value.ToString("R", CultureInfo.InvariantCulture), null)
        {
            Value = value,
            Detail = unknown.Count > 0 ? $"(ignored --at values for symbols not in the expression: {string.Join(", ", unknown)})" : null,
        };
    }

    // The smallest subexpression whose value is not finite while all its parts are.
    private static Expr FirstNonFinite(Expr expr, Dictionary<Symbol, double> binding)
    {
        foreach (var child in expr.Children)
            if (!double.IsFinite(child.Evaluate(binding)))
                return FirstNonFinite(child, binding);
        return expr;
    }

    /// <summary>Parses <c>x=1.5,y=2,q[0]=3</c> (invariant culture).</summary>
    internal static Dictionary<string, double> ParseAssignments(string? at)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(at))
            return result;
        foreach (var part in at.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
                throw new UsageException($"--at: '{part}' is not of the form name=value (e.g. x=1.5 or q[0]=0.3).");
            string name = part[..eq].Trim(), number = part[(eq + 1)..].Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new UsageException($"--at: '{number}' (value of {name}) is not a finite number; use a dot as decimal separator.");
            var symbol = ParseOrThrow(name, "--at") as Symbol
                ?? throw new UsageException($"--at: '{name}' is not a symbol name.");
            result[symbol.ToString()] = v;
        }
        return result;
    }

    private static Expr ParseOrThrow(string text, string what)
    {
        if (Expr.TryParse(text, out var expr, out var error))
            return expr!;
        throw new UsageException(FormatParseError(text, error!, what));
    }

    /// <summary>A parse error with the offending line and a caret under the column.</summary>
    internal static string FormatParseError(string text, ParseError error, string what)
    {
        var lines = text.Split('\n');
        string line = error.Line >= 1 && error.Line <= lines.Length ? lines[error.Line - 1] : "";
        string caret = new string(' ', Math.Max(0, error.Column - 1)) + "^";
        return $"{what}:{error}\n  {line}\n  {caret}";
    }

    private sealed record ExprResult(string Operation, string Input, string Result, string? Latex)
    {
        public string? Wrt { get; init; }
        public string? Detail { get; init; }
        public double? Value { get; init; }
        public bool? IsZero { get; init; }
        public double? FailureProbabilityBound { get; init; }
        public int? RewritesUsed { get; init; }
        public Dictionary<string, string>? Witness { get; init; }
    }
}

using System.Collections.Immutable;
using System.Numerics;
using LinqExpression = System.Linq.Expressions.Expression;
using ParameterExpression = System.Linq.Expressions.ParameterExpression;

namespace NoetherTheory.Symbolic;

/// <summary>A compiled vector function: all outputs from one input array, sharing common sub-expressions.</summary>
public sealed class CompiledFunction
{
    private readonly Action<double[], double[]> _kernel;

    internal CompiledFunction(Action<double[], double[]> kernel, ImmutableArray<Symbol> inputs, ImmutableArray<Expr> outputs, int sharedCount)
        => (_kernel, Inputs, Outputs, SharedSubexpressionCount) = (kernel, inputs, outputs, sharedCount);

    /// <summary>The input symbols, in the order of the input array.</summary>
    public ImmutableArray<Symbol> Inputs { get; }

    /// <summary>The compiled expressions, in the order of the output array.</summary>
    public ImmutableArray<Expr> Outputs { get; }

    /// <summary>Number of inputs.</summary>
    public int InputCount => Inputs.Length;

    /// <summary>Number of outputs.</summary>
    public int OutputCount => Outputs.Length;

    /// <summary>How many sub-expressions are computed once and reused (common-subexpression elimination).</summary>
    public int SharedSubexpressionCount { get; }

    /// <summary>Evaluates every output into <paramref name="outputs"/> (no allocation).</summary>
    /// <exception cref="ArgumentException">An array has the wrong length.</exception>
    public void Evaluate(double[] inputs, double[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Length != InputCount)
            throw new ArgumentException($"Expected {InputCount} inputs ({string.Join(", ", Inputs.Select(s => s.DisplayName))}), got {inputs.Length}.", nameof(inputs));
        if (outputs.Length != OutputCount)
            throw new ArgumentException($"Expected an output array of length {OutputCount}, got {outputs.Length}.", nameof(outputs));
        _kernel(inputs, outputs);
    }

    /// <summary>Evaluates every output into a new array.</summary>
    public double[] Evaluate(double[] inputs)
    {
        var outputs = new double[OutputCount];
        Evaluate(inputs, outputs);
        return outputs;
    }
}

/// <summary>Options of <see cref="ExprCompiler.Compile"/>.</summary>
public sealed record CompileOptions
{
    /// <summary>
    /// Rewrite every output with <see cref="Algebra.CollectCommonFactors(IReadOnlyList{Expr}, CollectOptions?)"/> before common-subexpression elimination
    /// (default true). Differentiated expressions carry shared sums distributed into every component (O(n²) work for a
    /// gradient); collected, the shared sums are single nodes that CSE computes once (O(n)). The value is exact; the
    /// floating-point evaluation order differs from <see cref="Evaluation.Evaluate(Expr, IReadOnlyDictionary{Symbol, double})"/>
    /// on the original expression. Set false to evaluate in exactly the interpreter's order.
    /// </summary>
    public bool CollectCommonFactors { get; init; } = true;
}

/// <summary>Compiles expressions to delegates with System.Linq.Expressions.</summary>
/// <remarks>
/// Sub-expressions used more than once (across all outputs) are computed once into locals; integer powers are
/// multiplication chains by repeated squaring (the same order as the interpreter, so both agree to the bit);
/// x^(1/2) is Math.Sqrt; elementary functions call the Math method listed in the function table.
/// </remarks>
public static class ExprCompiler
{
    /// <summary>Compiles several outputs of the same inputs into one kernel.</summary>
    /// <param name="outputs">The expressions to compute.</param>
    /// <param name="inputs">The symbols, in the order of the input array.</param>
    /// <param name="options">Null uses the defaults (common factors collected).</param>
    /// <exception cref="ArgumentException">An output uses a symbol not in <paramref name="inputs"/>, inputs repeat, or an
    /// undefined function occurs.</exception>
    public static CompiledFunction Compile(IReadOnlyList<Expr> outputs, IReadOnlyList<Symbol> inputs, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new CompileOptions();
        var index = new Dictionary<Symbol, int>();
        for (int i = 0; i < inputs.Count; i++)
            if (!index.TryAdd(inputs[i], i))
                throw new ArgumentException($"Input symbol {inputs[i].DisplayName} is listed twice.", nameof(inputs));
        var inArray = LinqExpression.Parameter(typeof(double[]), "inputs");
        var outArray = LinqExpression.Parameter(typeof(double[]), "outputs");
        var builder = new Builder(index, inArray);
        IReadOnlyList<Expr> forms = outputs;
        if (options.CollectCommonFactors)
        {
            // One collector for all outputs, so a sub-expression shared between outputs is collected once, identically.
            forms = outputs.CollectCommonFactors();
        }
        foreach (var o in forms) builder.CountUses(o);
        var body = new List<LinqExpression>();
        for (int i = 0; i < forms.Count; i++)
        {
            var value = builder.Build(forms[i]);
            body.AddRange(builder.TakeStatements());
            body.Add(LinqExpression.Assign(LinqExpression.ArrayAccess(outArray, LinqExpression.Constant(i)), value));
        }
        body.Add(LinqExpression.Empty());
        var block = LinqExpression.Block(builder.Locals, body);
        var kernel = LinqExpression.Lambda<Action<double[], double[]>>(block, inArray, outArray).Compile();
        return new CompiledFunction(kernel, [.. inputs], [.. outputs], builder.SharedCount);
    }

    /// <summary>Compiles one expression to a function of an input array.</summary>
    public static Func<double[], double> CompileScalar(Expr output, IReadOnlyList<Symbol> inputs)
    {
        var f = Compile([output], inputs);
        return x =>
        {
            var r = new double[1];
            f.Evaluate(x, r);
            return r[0];
        };
    }

    private sealed class Builder(Dictionary<Symbol, int> index, ParameterExpression inputs)
    {
        private static readonly System.Reflection.MethodInfo PowMethod = typeof(Math).GetMethod(nameof(Math.Pow), [typeof(double), typeof(double)])!;
        private static readonly System.Reflection.MethodInfo SqrtMethod = typeof(Math).GetMethod(nameof(Math.Sqrt), [typeof(double)])!;

        private readonly Dictionary<Expr, int> _uses = [];
        private readonly Dictionary<Expr, ParameterExpression> _shared = [];
        private readonly List<LinqExpression> _statements = [];

        public List<ParameterExpression> Locals { get; } = [];

        public int SharedCount => _shared.Count;

        public void CountUses(Expr e)
        {
            if (e.Children.Length == 0) return;
            int n = _uses.GetValueOrDefault(e);
            _uses[e] = n + 1;
            if (n > 0) return; // children counted on first visit only
            foreach (var c in e.Children) CountUses(c);
            if (e is Apply a)
                throw new ArgumentException($"Cannot compile the undefined function {a}; substitute a concrete expression first.", nameof(e));
        }

        public IEnumerable<LinqExpression> TakeStatements()
        {
            var copy = _statements.ToArray();
            _statements.Clear();
            return copy;
        }

        public LinqExpression Build(Expr e)
        {
            if (_shared.TryGetValue(e, out var local)) return local;
            var value = Emit(e);
            if (_uses.GetValueOrDefault(e) > 1)
            {
                var v = NewLocal();
                _statements.Add(LinqExpression.Assign(v, value));
                _shared[e] = v;
                return v;
            }
            return value;
        }

        private ParameterExpression NewLocal()
        {
            var v = LinqExpression.Variable(typeof(double));
            Locals.Add(v);
            return v;
        }

        private LinqExpression Emit(Expr e)
        {
            switch (e)
            {
                case Number n: return LinqExpression.Constant(n.Value.ToDouble());
                case Float f: return LinqExpression.Constant(f.Value);
                case Symbol s:
                    if (!index.TryGetValue(s, out int i))
                        throw new ArgumentException($"Symbol {s.DisplayName} occurs in an output but is not among the inputs; add it to the input list.", nameof(e));
                    return LinqExpression.ArrayIndex(inputs, LinqExpression.Constant(i));
                case Sum s:
                {
                    // x + 0 and 1·x are exact in IEEE arithmetic (up to the sign of a zero), so skip them.
                    LinqExpression? acc = s.Constant.IsZero ? null : LinqExpression.Constant(s.Constant.ToDouble());
                    foreach (var t in s.Terms) acc = acc is null ? Build(t) : LinqExpression.Add(acc, Build(t));
                    return acc ?? LinqExpression.Constant(0.0);
                }
                case Product p:
                {
                    LinqExpression? acc = p.Coefficient.IsOne ? null : LinqExpression.Constant(p.Coefficient.ToDouble());
                    foreach (var f in p.Factors) acc = acc is null ? Build(f) : LinqExpression.Multiply(acc, Build(f));
                    return acc ?? LinqExpression.Constant(1.0);
                }
                case Power p:
                {
                    var b = Build(p.Base);
                    if (p.Exponent is Number { Value: var x })
                    {
                        if (x.IsInteger && BigInteger.Abs(x.Numerator) <= 64) return IntegerPower(b, (int)x.Numerator);
                        if (x == new Rational(1, 2)) return LinqExpression.Call(SqrtMethod, b);
                        if (x == new Rational(-1, 2)) return LinqExpression.Divide(LinqExpression.Constant(1.0), LinqExpression.Call(SqrtMethod, b));
                        return LinqExpression.Call(PowMethod, b, LinqExpression.Constant(x.ToDouble()));
                    }
                    return LinqExpression.Call(PowMethod, b, Build(p.Exponent));
                }
                case Call c:
                    return LinqExpression.Call(FunctionTable.Get(c.Kind).NumericMethod, Build(c.Argument));
                case Apply a:
                    throw new ArgumentException($"Cannot compile the undefined function {a}; substitute a concrete expression first.", nameof(e));
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(ExprCompiler)}: unhandled node {e.GetType().Name}");
            }
        }

        /// <summary>Repeated squaring, mirroring <see cref="Evaluation.IntegerPow"/> operation for operation.</summary>
        private LinqExpression IntegerPower(LinqExpression b, int n)
        {
            if (n < 0) return LinqExpression.Divide(LinqExpression.Constant(1.0), IntegerPower(b, -n));
            ParameterExpression p = NewLocal();
            _statements.Add(LinqExpression.Assign(p, b));
            LinqExpression? result = null;
            while (n > 0)
            {
                if ((n & 1) != 0) result = result is null ? p : LinqExpression.Multiply(result, p);
                n >>= 1;
                if (n > 0)
                {
                    var next = NewLocal();
                    _statements.Add(LinqExpression.Assign(next, LinqExpression.Multiply(p, p)));
                    p = next;
                }
            }
            return result ?? LinqExpression.Constant(1.0);
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>
/// Binds the free symbols of compiled expressions to numbers: the state symbols (<c>t</c>, <c>q[i]</c>, <c>qdot[i]</c>)
/// become kernel inputs that change every call, every other symbol (<c>eta</c>, <c>beta</c>, <c>k</c>, model constants
/// such as <c>a[0]</c> or <c>y</c>) must have a value, given by its printed name.
/// </summary>
internal sealed class ParameterBinding
{
    private ParameterBinding(ImmutableArray<Symbol> inputs, double[] template, int stateInputs)
        => (Inputs, Template, StateInputs) = (inputs, template, stateInputs);

    /// <summary>Kernel inputs: t, q[0..n), qdot[0..n) (when velocities are bound), then the parameters.</summary>
    public ImmutableArray<Symbol> Inputs { get; }

    /// <summary>An input array with the parameter slots filled (copy it per kernel user).</summary>
    public double[] Template { get; }

    /// <summary>Number of leading state inputs (1 + n or 1 + 2n).</summary>
    public int StateInputs { get; }

    /// <summary>Collects the parameters of <paramref name="expressions"/> and binds them.</summary>
    /// <exception cref="NoetherTheoryException">A parameter has no value or a non-finite one; the message names every such symbol.</exception>
    public static ParameterBinding Create(IEnumerable<Expr> expressions, int n, bool withVelocities,
        IReadOnlyDictionary<string, double> values, string what)
    {
        ArgumentNullException.ThrowIfNull(values);
        var state = new List<Symbol> { Coordinates.Time };
        state.AddRange(Coordinates.Q(n));
        if (withVelocities) state.AddRange(Expr.Symbols(Coordinates.QDotName, n));
        var stateSet = state.ToHashSet();
        var parameters = new SortedDictionary<string, Symbol>(StringComparer.Ordinal);
        foreach (var e in expressions)
            foreach (var s in e.FreeSymbols())
            {
                if (stateSet.Contains(s)) continue;
                if (s.Name is Coordinates.QName or Coordinates.QDotName or Coordinates.QDDotName)
                    throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                        $"{what}: {s} is not a state variable of a {n}-coordinate system (expected q[0..{n - 1}]{(withVelocities ? ", qdot[0.." + (n - 1).ToString(CultureInfo.InvariantCulture) + "]" : "")})."));
                parameters[s.ToString()] = s;
            }
        var missing = parameters.Keys.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new NoetherTheoryException(
                $"{what}: no value for {string.Join(", ", missing)}. Pass every symbol of the equations by its printed name " +
                $"(e.g. \"eta\", \"a[0]\"); given: {(values.Count == 0 ? "none" : string.Join(", ", values.Keys.Order(StringComparer.Ordinal)))}.");
        var bad = parameters.Keys.Where(k => !double.IsFinite(values[k])).ToList();
        if (bad.Count > 0)
            throw new NoetherTheoryException($"{what}: the value of {string.Join(", ", bad.Select(b => b + " = " + values[b].ToString(CultureInfo.InvariantCulture)))} is not finite.");
        var inputs = state.Concat(parameters.Values).ToImmutableArray();
        var template = new double[inputs.Length];
        int i = state.Count;
        foreach (var key in parameters.Keys) template[i++] = values[key];
        return new ParameterBinding(inputs, template, state.Count);
    }

    /// <summary>The value of a constant expression (no state symbols) under the bound parameters.</summary>
    public static double Constant(Expr e, IReadOnlyDictionary<string, double> values, string what)
    {
        var binding = Create([e], 0, false, values, what);
        var f = ExprCompiler.Compile([e], binding.Inputs);
        return f.Evaluate(binding.Template)[0];
    }
}

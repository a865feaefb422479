using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.Generated;

/// <summary>
/// Any catalog rule's discrete update (position or adaptive: several buffers, step count n) compiled with the CAS compiler
/// into one componentwise kernel (no hand-written optimizer): the stages of the YAML file are substituted into each other in
/// file order, g(q) becomes the forcing's gradient, and one compiled function returns q_next and every buffer's next value.
/// </summary>
internal sealed class CatalogRuleKernel
{
    private readonly CompiledFunction _kernel;
    private readonly int _buffers;
    private readonly int _gSlot;
    private readonly int _nSlot;
    private readonly double[] _fixed;

    /// <exception cref="NoetherTheoryException">A hyperparameter has no value.</exception>
    public CatalogRuleKernel(LearningRule rule, IReadOnlyDictionary<string, double> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var q = Expr.Symbol("q");
        var gq = Expr.Apply("g", q);
        var gIn = Expr.Symbol("g_forcing");
        var n = Expr.Symbol(Catalog.AdaptiveStepCount);
        var inputs = new List<Symbol> { q };
        inputs.AddRange(rule.Buffers.Select(b => Expr.Symbol(b)));
        inputs.Add(gIn);
        _gSlot = inputs.Count - 1;
        inputs.Add(n);
        _nSlot = inputs.Count - 1;
        _buffers = rule.Buffers.Length;
        var values = new List<double>();
        foreach (var h in rule.Hyperparameters)
        {
            inputs.Add(Expr.Symbol(h.Name));
            values.Add(hyperparameters.TryGetValue(h.Name, out var v)
                ? v : throw new NoetherTheoryException($"Rule '{rule.Id}': no value for hyperparameter '{h.Name}'."));
        }
        _fixed = [.. values];
        var done = new Dictionary<Expr, Expr>();
        foreach (var step in rule.Update)
            done[Expr.Symbol(step.Target)] = step.Value.Substitute(gq, gIn).Substitute(done);
        var outputs = new List<Expr> { done[Expr.Symbol("q_next")] };
        outputs.AddRange(rule.Buffers.Select(b => done[Expr.Symbol(b + "_next")]));
        _kernel = ExprCompiler.Compile(outputs, inputs);
    }

    /// <summary>Buffers per component.</summary>
    public int BufferCount => _buffers;

    /// <summary>A per-chain workspace (input and output arrays).</summary>
    public (double[] Input, double[] Output) NewWorkspace()
    {
        var input = new double[_kernel.InputCount];
        Array.Copy(_fixed, 0, input, _nSlot + 1, _fixed.Length);
        return (input, new double[_kernel.OutputCount]);
    }

    /// <summary>Step <paramref name="step"/> (1-based, the rule's n) on every component, in place.</summary>
    public void Step(double[] q, double[][] buffers, double[] g, long step, (double[] Input, double[] Output) work)
    {
        var (input, output) = work;
        input[_nSlot] = step;
        for (int i = 0; i < q.Length; i++)
        {
            input[0] = q[i];
            for (int b = 0; b < _buffers; b++) input[1 + b] = buffers[b][i];
            input[_gSlot] = g[i];
            _kernel.Evaluate(input, output);
            q[i] = output[0];
            for (int b = 0; b < _buffers; b++) buffers[b][i] = output[1 + b];
        }
    }
}

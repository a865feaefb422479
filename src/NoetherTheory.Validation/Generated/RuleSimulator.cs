using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Validation.Generated;

/// <summary>
/// A catalog rule's discrete update compiled with the CAS compiler (no hand-written optimizer): each update step of the
/// YAML file becomes one compiled kernel, applied componentwise in file order with g(q) replaced by the forcing's gradient.
/// </summary>
internal sealed class RuleSimulator
{
    private readonly CompiledFunction[] _stages;
    private readonly int[][] _stageInputs;   // slot index of each stage input
    private readonly int _slotCount;
    private readonly int _gSlot;
    private readonly int _qNextSlot;
    private readonly int _bufferNextSlot;
    private readonly double[] _parameters;
    private readonly int[] _parameterSlots;

    public RuleSimulator(LearningRule rule, IReadOnlyDictionary<string, double> hyperparameters)
    {
        var q = Expr.Symbol("q");
        var gq = Expr.Apply("g", q);
        var gIn = Expr.Symbol("g_forcing");
        var slots = new List<Symbol> { q };
        if (rule.Buffer is { } b) slots.Add(Expr.Symbol(b));
        slots.Add(gIn);
        _gSlot = slots.Count - 1;
        _parameterSlots = new int[rule.Hyperparameters.Length];
        _parameters = new double[rule.Hyperparameters.Length];
        for (int i = 0; i < rule.Hyperparameters.Length; i++)
        {
            var name = rule.Hyperparameters[i].Name;
            slots.Add(Expr.Symbol(name));
            _parameterSlots[i] = slots.Count - 1;
            _parameters[i] = hyperparameters.TryGetValue(name, out var v)
                ? v : throw new NoetherTheoryException($"Rule '{rule.Id}': no value for hyperparameter '{name}'.");
        }
        _stages = new CompiledFunction[rule.Update.Length];
        _stageInputs = new int[rule.Update.Length][];
        _bufferNextSlot = -1;
        for (int s = 0; s < rule.Update.Length; s++)
        {
            var value = rule.Update[s].Value.Substitute(gq, gIn);
            var inputs = value.FreeSymbols().OrderBy(x => x.Name, StringComparer.Ordinal).ToList();
            var idx = new int[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                idx[i] = slots.IndexOf(inputs[i]);
                if (idx[i] < 0) throw new NoetherTheoryException($"Rule '{rule.Id}': update {rule.Update[s].Target} uses '{inputs[i].Name}', which is neither state, gradient, hyperparameter nor an earlier step.");
            }
            _stages[s] = ExprCompiler.Compile([value], inputs);
            _stageInputs[s] = idx;
            slots.Add(Expr.Symbol(rule.Update[s].Target));
            if (rule.Update[s].Target == "q_next") _qNextSlot = slots.Count - 1;
            else if (rule.Buffer is { } bb && rule.Update[s].Target == bb + "_next") _bufferNextSlot = slots.Count - 1;
        }
        _slotCount = slots.Count;
        HasBuffer = rule.Buffer is not null;
    }

    public bool HasBuffer { get; }

    /// <summary>A per-thread workspace.</summary>
    public double[] NewWorkspace() => new double[_slotCount];

    /// <summary>One step on every component: q and buffer are updated in place from the gradient g.</summary>
    public void Step(double[] q, double[] buffer, double[] g, double[] slots)
    {
        var one = new double[1];
        for (int p = 0; p < _parameters.Length; p++) slots[_parameterSlots[p]] = _parameters[p];
        for (int i = 0; i < q.Length; i++)
        {
            slots[0] = q[i];
            if (HasBuffer) slots[1] = buffer[i];
            slots[_gSlot] = g[i];
            int baseSlot = _slotCount - _stages.Length;
            for (int s = 0; s < _stages.Length; s++)
            {
                var idx = _stageInputs[s];
                var input = Scratch(idx.Length);
                for (int j = 0; j < idx.Length; j++) input[j] = slots[idx[j]];
                _stages[s].Evaluate(input, one);
                slots[baseSlot + s] = one[0];
            }
            q[i] = slots[_qNextSlot];
            if (HasBuffer) buffer[i] = slots[_bufferNextSlot];
        }
    }

    [ThreadStatic] private static double[][]? _scratch;

    private static double[] Scratch(int n)
    {
        _scratch ??= new double[16][];
        if (n >= _scratch.Length) return new double[n];
        return _scratch[n] ??= new double[n];
    }
}

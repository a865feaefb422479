using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Symmetries;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// The quantities one generator ξ_c of a measured group feeds into its exact discrete laws at one step n (before the
/// update): q_n, g_n = ∂f/∂q and the momentum buffer v_n, contracted with the generator.
/// </summary>
/// <remarks>
/// <para>Scale and rescale groups (action θ_t ← α^{p_t}θ_t on slice c of each tensor t): the charge
/// Q = Σ_t p_t|θ_t|², B = Σ_t p_t⟨θ_t, v_t⟩, G = Σ_t p_t⟨θ_t, g_t⟩ (0 for an exact symmetry), C = Σ_t p_t|v_t|², and the
/// magnitudes W2 = Σ_t |p_t||θ_t|², G2 = Σ_t |p_t||g_t|², V2 = Σ_t |p_t||v_t|² that scale the round-off
/// (theory/08-group-laws.md#eq-8-1).</para>
/// <para>Translations (θ_t ← θ_t + t·1 on slice c): Q = Σ_t Σ_slice θ_t, B = Σ Σ v_t, G = Σ Σ g_t (0 for an exact
/// symmetry), C = 0, and W2 = Σ_t m_t|θ_t|², G2 = Σ_t m_t|g_t|², V2 = Σ_t m_t|v_t|² with m_t the slice size (so
/// |Q| ≤ √W2, |B| ≤ √V2, |G| ≤ √G2 by Cauchy–Schwarz; theory/08-group-laws.md#eq-8-2).</para>
/// </remarks>
/// <param name="Charge">Q.</param>
/// <param name="ChargeVelocity">B.</param>
/// <param name="ChargeGradient">G.</param>
/// <param name="VelocityCharge">C (scale and rescale; 0 for a translation).</param>
/// <param name="WeightScale">W2.</param>
/// <param name="GradientScale">G2.</param>
/// <param name="VelocityScale">V2.</param>
public sealed record GeneratorValues(double Charge, double ChargeVelocity, double ChargeGradient, double VelocityCharge,
    double WeightScale, double GradientScale, double VelocityScale);

/// <summary>One measured group at one step: one <see cref="GeneratorValues"/> per generator (component by component, slice
/// by slice).</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Kind">Its kind (which law applies).</param>
/// <param name="Generators">Per generator.</param>
public sealed record GroupValues(string Group, GroupKind Kind, IReadOnlyList<GeneratorValues> Generators);

/// <summary>Every measured group at one step n, before that step's update.</summary>
/// <param name="Step">Step index n.</param>
/// <param name="Groups">In measurement order.</param>
public sealed record GroupStepMeasurement(long Step, IReadOnlyList<GroupValues> Groups);

/// <summary>
/// Device-side reductions for any set of <see cref="SymmetryGroup"/>s (discovered or declared as data): every generator's
/// charge and the quantities its laws consume, packed into one float64 vector that rides on the training step's single
/// host transfer (<see cref="Runs.TrainingStep"/> appends it to the logged step's values, exactly as it does
/// <see cref="FilterMeasurement.Pack"/>).
/// </summary>
/// <remarks>
/// <para>Scale action: per tensor of a component, the slices θ, g, v are copied (float32 → float64 in the copy) into a
/// float64 [n, 3, K] view of one persistent work buffer and one batched product gives each slice's 3×3 Gram matrix, of which
/// |θ|², ⟨θ,g⟩, ⟨θ,v⟩, |g|², |v|² are packed (5 per slice): the mechanism of <see cref="FilterMeasurement"/>, so a VGG
/// conv's scale group gives the very numbers of filters.csv. Translate action: the per-slice sums and squared norms of θ,
/// g, v (6 per slice). The host combines the tensors of a component with their powers (<see cref="Unpack"/>).</para>
/// </remarks>
public sealed class GroupMeasurement : IDisposable
{
    private const int ScaleValues = 5, TranslateValues = 6;

    private readonly TrainingOptimizer _optimizer;
    private readonly (SymmetryGroup Group, (GroupTensor Tensor, int Index, long SliceSize)[][] Components)[] _bound;
    private readonly long _bufferLength;
    private Tensor? _rows;
    private Tensor? _picks;
    private bool _disposed;

    /// <summary>Binds the groups to the optimizer's parameters by name.</summary>
    /// <param name="groups">The groups to measure (each checked against the names).</param>
    /// <param name="parameters">The module's named parameters (<c>named_parameters()</c>, after any device move).</param>
    /// <param name="optimizer">The optimizer over those parameters.</param>
    /// <exception cref="ArgumentException">A group names a tensor the module lacks or the optimizer does not update, or a
    /// slice does not fit its tensor.</exception>
    public GroupMeasurement(IReadOnlyList<SymmetryGroup> groups, IEnumerable<(string Name, Parameter Parameter)> parameters, TrainingOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        _optimizer = optimizer;
        var byName = parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        int IndexOf(string name, string group)
        {
            var p = byName.TryGetValue(name, out var x) ? x
                : throw new ArgumentException($"group {group}: the model has no parameter '{name}'.", nameof(groups));
            for (int i = 0; i < optimizer.Parameters.Count; i++)
                if (optimizer.Parameters[i].Handle == p.Handle) return i;
            throw new ArgumentException($"group {group}: the optimizer does not update {name}.", nameof(groups));
        }
        _bound = new (SymmetryGroup, (GroupTensor, int, long)[][])[groups.Count];
        long largest = 0;
        int length = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var components = new (GroupTensor, int, long)[group.Components.Count][];
            for (int c = 0; c < group.Components.Count; c++)
            {
                components[c] = new (GroupTensor, int, long)[group.Components[c].Count];
                for (int t = 0; t < group.Components[c].Count; t++)
                {
                    var gt = group.Components[c][t];
                    int index = IndexOf(gt.Slices.Parameter, group.Name);
                    var p = optimizer.Parameters[index];
                    var s = gt.Slices;
                    long n = s.Count, size;
                    if (s.Axis is { } a)
                    {
                        if (a < 0 || a >= p.dim() || s.Start < 0 || s.Block < 1 || s.Start + s.Count * s.Block > p.shape[a])
                            throw new ArgumentException($"group {group.Name}: the slices of {s.Parameter} do not fit its shape [{string.Join(", ", p.shape)}].", nameof(groups));
                        size = p.numel() / p.shape[a] * s.Block;
                    }
                    else
                    {
                        if (n != 1) throw new ArgumentException($"group {group.Name}: a whole-tensor slice of {s.Parameter} is one slice.", nameof(groups));
                        size = p.numel();
                    }
                    components[c][t] = (gt, index, size);
                    largest = Math.Max(largest, 3 * n * size);
                    length += (int)n * (group.Action == GroupAction.Scale ? ScaleValues : TranslateValues);
                }
                if (components[c].Select(x => x.Item1.Slices.Count).Distinct().Count() != 1)
                    throw new ArgumentException($"group {group.Name}: the tensors of a component must have equal slice counts.", nameof(groups));
            }
            _bound[g] = (group, components);
        }
        _bufferLength = largest;
        PackedLength = length;
        Groups = groups;
    }

    /// <summary>The measured groups, in packing order.</summary>
    public IReadOnlyList<SymmetryGroup> Groups { get; }

    /// <summary>Number of float64 values <see cref="Pack"/> produces.</summary>
    public int PackedLength { get; }

    /// <summary>Computes every group's values on the device into one float64 vector of length <see cref="PackedLength"/>.
    /// Call after backward and before the optimizer step. The result belongs to the caller's dispose scope.</summary>
    /// <exception cref="InvalidOperationException">A measured tensor has no gradient (call after backward).</exception>
    public Tensor Pack()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var device = _optimizer.Parameters[0].device;
        if (PackedLength == 0) return scope.MoveToOuter(zeros(0, dtype: ScalarType.Float64, device: device));
        _rows ??= empty(_bufferLength, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
        // |θ|², ⟨θ,g⟩, ⟨θ,v⟩, |g|², |v|² in a row-major 3×3 Gram matrix of (θ, g, v); made once, not per tensor and step.
        _picks ??= tensor(new long[] { 0, 1, 2, 4, 8 }, device: device).DetachFromDisposeScope();
        var parts = new List<Tensor>();
        foreach (var (group, components) in _bound)
        foreach (var component in components)
        foreach (var (t, index, size) in component)
        {
            var p = _optimizer.Parameters[index];
            var grad = p.grad ?? throw new InvalidOperationException($"{t.Slices.Parameter} has no gradient: measure after backward.");
            var velocity = _optimizer.Velocity(index);
            long n = t.Slices.Count;
            if (group.Action == GroupAction.Scale)
            {
                var rows = _rows.narrow(0, 0, 3 * n * size).view(n, 3, size);   // rows θ, g, v of each slice
                rows.select(1, 0).copy_(Slices(p, t.Slices));
                rows.select(1, 1).copy_(Slices(grad, t.Slices));
                if (velocity is not null) rows.select(1, 2).copy_(Slices(velocity, t.Slices));
                else rows.select(1, 2).zero_();
                var gram = bmm(rows, rows.transpose(1, 2)).view(n, 9);         // [n, 3, 3] Gram matrices
                parts.Add(gram.index_select(1, _picks).flatten());
            }
            else
            {
                var stacked = stack([Slices(p, t.Slices), Slices(grad, t.Slices), velocity is null ? zeros(n, size, dtype: p.dtype, device: device) : Slices(velocity, t.Slices)], 1)
                    .to(ScalarType.Float64);                                     // [n, 3, K]
                parts.Add(cat([stacked.sum(2), stacked.square().sum(2)], 1).flatten());
            }
        }
        return scope.MoveToOuter(cat(parts, 0));
    }

    // [n, K] view (or copy) of the slices of a tensor shaped like its parameter.
    private static Tensor Slices(Tensor t, SliceFamily s)
    {
        if (s.Axis is not { } a) return t.reshape(1, -1);
        var part = t.narrow(a, s.Start, s.Count * s.Block);
        return (a == 0 ? part : part.movedim([(long)a], [0L])).reshape(s.Count, -1);
    }

    /// <summary>Reads a packed vector (from <see cref="Pack"/>, copied to the host) starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <paramref name="offset"/> + <see cref="PackedLength"/>.</exception>
    public GroupStepMeasurement Unpack(long step, ReadOnlySpan<double> packed, int offset = 0)
    {
        if (offset < 0 || packed.Length - offset < PackedLength)
            throw new ArgumentException($"A packed group measurement needs {PackedLength} values from offset {offset}; the span holds {packed.Length}.", nameof(packed));
        int at = offset;
        var groups = new List<GroupValues>(_bound.Length);
        foreach (var (group, components) in _bound)
        {
            var generators = new List<GeneratorValues>();
            foreach (var component in components)
            {
                long n = component[0].Tensor.Slices.Count;
                var sums = new double[n, 7];
                foreach (var (t, _, size) in component)
                {
                    for (long c = 0; c < n; c++)
                    {
                        if (group.Action == GroupAction.Scale)
                        {
                            double p = t.Power, ap = Math.Abs(p);
                            double ww = packed[at], wg = packed[at + 1], wv = packed[at + 2], gg = packed[at + 3], vv = packed[at + 4];
                            sums[c, 0] += p * ww; sums[c, 1] += p * wv; sums[c, 2] += p * wg; sums[c, 3] += p * vv;
                            sums[c, 4] += ap * ww; sums[c, 5] += ap * gg; sums[c, 6] += ap * vv;
                            at += ScaleValues;
                        }
                        else
                        {
                            double w = packed[at], g = packed[at + 1], v = packed[at + 2], ww = packed[at + 3], gg = packed[at + 4], vv = packed[at + 5];
                            sums[c, 0] += w; sums[c, 1] += v; sums[c, 2] += g;
                            sums[c, 4] += size * ww; sums[c, 5] += size * gg; sums[c, 6] += size * vv;
                            at += TranslateValues;
                        }
                    }
                }
                for (long c = 0; c < n; c++)
                    generators.Add(new GeneratorValues(sums[c, 0], sums[c, 1], sums[c, 2], sums[c, 3], sums[c, 4], sums[c, 5], sums[c, 6]));
            }
            groups.Add(new GroupValues(group.Name, group.Kind, generators));
        }
        return new GroupStepMeasurement(step, groups);
    }

    /// <summary>Frees the float64 work buffer and the index tensor (allocated again if <see cref="Pack"/> is called after this).</summary>
    public void Dispose()
    {
        _rows?.Dispose();
        _rows = null;
        _picks?.Dispose();
        _picks = null;
        _disposed = true;
    }
}

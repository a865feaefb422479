using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <see cref="FilterMeasurement.Pack"/>). Where the tables are formed on the host (<see cref="OnHost"/>: every CPU run) the
/// step takes the measurement itself instead (<see cref="MeasureOnHost"/>, <see cref="EndFused"/>): the same numbers,
/// without a tensor that only carried host values to the transfer.
/// </summary>
/// <remarks>
/// <para>On the CPU with float32 parameters (every CPU run) each moment table is one pass of <see cref="MomentKernel"/> over
/// the tensor's storage in place (float32 lanes flushed to float64 every 32 products, one float64 row per index; vectors
/// exactly in float64) on the calling thread; with heavy ball, <see cref="BeginFused"/> has each measured tensor's largest
/// table formed in the optimizer's own update pass instead. Where libnoether_moments.so was built, both walks run natively
/// on libtorch's own OpenMP threads (<see cref="NativeMoments"/>; the same bits); else a large tensor may be split with one
/// blocking worker thread. The libtorch path below runs elsewhere (CUDA), and on the CPU when asked (tests compare the
/// two).</para>
/// <para>The libtorch path computes per-index moment tables, one per (parameter tensor, axis) that any measured group slices, shared
/// by every group that slices that tensor along that axis (a whole-tensor slice sums all rows of any table of its tensor):
/// for each index i along the axis, |θ_i|², ⟨θ_i, g_i⟩, ⟨θ_i, v_i⟩, |g_i|², |v_i|² and, where a translation needs them,
/// Σθ_i, Σg_i, Σv_i. Per table, θ, g and v are copied into contiguous float32 [N, K] blocks of one persistent work buffer
/// (plus a block of ones for the linear sums) and one batched product over the [N, R, K] view gives every index's R×R Gram
/// matrix, of which the wanted entries are converted to float64 and packed: about a dozen tensor operations per table and
/// one pass over each tensor per axis, however many groups use it. The products accumulate in float32 (the float64 batched
/// product and the float32 → float64 copies cost 5–10× more on the CPU), over chunks of at most <see cref="MaxChunk"/>
/// elements (longer indices are cut into sub-rows that the host sums in float64), which keeps the rounding below the group
/// laws' recursion tolerance (theory/08-group-laws.md). Where the step's <see cref="FilterMeasurement"/> already has a
/// conv's per-filter float64 Gram matrices (VGG11-BN's BN-preceded convs), the axis-0 table of that conv is read from it
/// instead of computed again, so those groups give the very numbers of filters.csv. Vectors (biases, γ, β) have one element
/// per index: all of them are concatenated and their moments formed in float64 together (a few operations in all, not a
/// dozen per vector).</para>
/// <para>The host combines the index rows of each slice (a block of rows, or all rows for a whole tensor) and the tensors of
/// a component with their powers (<see cref="Unpack"/>), into one flat array per group read by index (no object per
/// generator is made until one is read).</para>
/// </remarks>
public sealed class GroupMeasurement : IDisposable
{
    private const int ScaleWidth = 5, LinearWidth = 8;

    /// <summary>
    /// The most elements one float32 Gram entry sums. The batched product accumulates each entry's K products in float32 over
    /// SIMD lanes (8 or 16 on the CPU), so a sum of K positive terms rounds by at most about (K/8)·2⁻²⁴ relative: 3.8e-6 for
    /// K = 512, below the group laws' recursion tolerance (1e-5) even at worst, where K = 100 000 would not be. A longer index
    /// is cut into equal sub-rows of at most this many elements, summed on the host in float64.
    /// </summary>
    private const long MaxChunk = 512;

    private readonly TrainingOptimizer _optimizer;
    private readonly Table[] _tables;
    private readonly Table[] _vectors;
    private readonly (SymmetryGroup Group, (GroupTensor Tensor, Table Table, long SliceSize)[][] Components)[] _bound;
    private readonly UnpackPlan[] _plans;
    private readonly long _bufferLength;
    private readonly bool _host;
    private double[]? _packed;
    private double[]? _moments;
    private Table[]? _fused;
    private Tensor? _rows;
    private Tensor? _picks3;
    private Tensor? _picks4;
    private Tensor? _left;
    private Tensor? _right;
    private bool _disposed;

    // One moment table: the per-index moments of parameter Parameter along Axis (Pre × Rows × Post elements), packed from
    // Offset as Rows × Width values; FilterOffset ≥ 0: read from the filter measurement's Gram matrices at that offset.
    private sealed class Table(int parameter, int axis, long rows, long pre, long post)
    {
        public int Parameter { get; } = parameter;
        public int Axis { get; } = axis;
        public long Rows { get; } = rows;
        public long Pre { get; } = pre;
        public long Post { get; } = post;
        public bool Linear { get; set; }
        public int Offset { get; set; }
        public int FilterOffset { get; set; } = -1;

        // Where the table's rows start in the packed vector: Offset for a computed table; after every computed value, in
        // table order, for one reused from the filter measurement (Pack appends them there).
        public int Start { get; set; }
        public bool Vector { get; set; }
        public int Width => Linear ? LinearWidth : ScaleWidth;

        // Sub-rows per index: the smallest divisor of K = Pre·Post that leaves chunks of at most MaxChunk elements (1 for the
        // filter measurement's float64 rows and for vectors).
        public long Split { get; set; } = 1;

        public long PackedRows => Rows * Split;

        // Where a fused step leaves this table's kernel values.
        public double[]? Moments { get; set; }
    }

    /// <summary>Binds the groups to the optimizer's parameters by name.</summary>
    /// <param name="groups">The groups to measure (each checked against the names).</param>
    /// <param name="parameters">The module's named parameters (<c>named_parameters()</c>, after any device move).</param>
    /// <param name="optimizer">The optimizer over those parameters.</param>
    /// <param name="filters">The step's per-filter measurement, whose float64 Gram matrices of the BN-preceded convs the
    /// groups reuse (pass its packed tensor to <see cref="Pack(Tensor?)"/>); null: none.</param>
    /// <param name="hostKernel">On the CPU with float32 parameters, reduce with <see cref="MomentKernel"/> (one fused pass per
    /// table, float64 totals); false: with the libtorch operations that run on other devices (tests compare the two).</param>
    /// <exception cref="ArgumentException">A group names a tensor the module lacks or the optimizer does not update, or a
    /// slice does not fit its tensor.</exception>
    public GroupMeasurement(IReadOnlyList<SymmetryGroup> groups, IEnumerable<(string Name, Parameter Parameter)> parameters, TrainingOptimizer optimizer,
        FilterMeasurement? filters = null, bool hostKernel = true)
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
        var tables = new Dictionary<(int, int), Table>();
        Table TableOf(int index, int axis)
        {
            if (tables.TryGetValue((index, axis), out var t)) return t;
            var shape = optimizer.Parameters[index].shape;
            long pre = 1, post = 1;
            for (int d = 0; d < axis; d++) pre *= shape[d];
            for (int d = axis + 1; d < shape.Length; d++) post *= shape[d];
            t = new Table(index, axis, shape.Length == 0 ? 1 : shape[axis], pre, post);
            tables.Add((index, axis), t);
            return t;
        }
        _bound = new (SymmetryGroup, (GroupTensor, Table, long)[][])[groups.Count];
        var wholes = new List<(int Group, int Component, int Tensor, int Index, bool Translate)>();
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var components = new (GroupTensor, Table, long)[group.Components.Count][];
            for (int c = 0; c < group.Components.Count; c++)
            {
                components[c] = new (GroupTensor, Table, long)[group.Components[c].Count];
                for (int t = 0; t < group.Components[c].Count; t++)
                {
                    var gt = group.Components[c][t];
                    int index = IndexOf(gt.Slices.Parameter, group.Name);
                    var p = optimizer.Parameters[index];
                    var s = gt.Slices;
                    long size;
                    Table table;
                    if (s.Axis is { } a)
                    {
                        if (a < 0 || a >= p.dim() || s.Start < 0 || s.Block < 1 || s.Count < 1 || s.Start + s.Count * s.Block > p.shape[a])
                            throw new ArgumentException($"group {group.Name}: the slices of {s.Parameter} do not fit its shape [{string.Join(", ", p.shape)}].", nameof(groups));
                        size = p.numel() / p.shape[a] * s.Block;
                        table = TableOf(index, a);
                    }
                    else
                    {
                        if (s.Count != 1) throw new ArgumentException($"group {group.Name}: a whole-tensor slice of {s.Parameter} is one slice.", nameof(groups));
                        size = p.numel();
                        wholes.Add((g, c, t, index, group.Action == GroupAction.Translate));
                        components[c][t] = (gt, null!, size);   // any table of the tensor sums to it: chosen below
                        continue;
                    }
                    if (group.Action == GroupAction.Translate) table.Linear = true;
                    components[c][t] = (gt, table, size);
                }
                if (components[c].Select(x => x.Item1.Slices.Count).Distinct().Count() != 1)
                    throw new ArgumentException($"group {group.Name}: the tensors of a component must have equal slice counts.", nameof(groups));
            }
            _bound[g] = (group, components);
        }
        // A whole-tensor slice is the sum of every row of any table of its tensor: it reuses one another group needs (e.g. the
        // per-column table of a LayerNorm translation serves the layer's whole-tensor scale), else reads the axis-0 table.
        foreach (var (g, c, t, index, translate) in wholes)
        {
            var table = tables.Values.FirstOrDefault(x => x.Parameter == index) ?? TableOf(index, 0);
            if (translate) table.Linear = true;
            var entry = _bound[g].Components[c][t];
            _bound[g].Components[c][t] = (entry.Tensor, table, entry.SliceSize);
        }
        // Vectors (biases, γ, β: one element per index) are done together: one concatenation and a few float64 products
        // instead of a dozen tensor operations each.
        foreach (var t in tables.Values.Where(t => t.Pre * t.Post == 1 && optimizer.Parameters[t.Parameter].dim() == 1))
        {
            t.Vector = true;
            t.Linear = true;
        }
        _tables = [.. tables.Values.Where(t => t.Vector), .. tables.Values.Where(t => !t.Vector)];
        _vectors = [.. _tables.Where(t => t.Vector)];
        // On the host, float32 tables go through the fused kernel (float64 totals, one index per packed row); elsewhere
        // (CUDA, other dtypes) through the libtorch operations below.
        _host = hostKernel && HostTensors.Readable(_tables.Select(t => (Tensor)optimizer.Parameters[t.Parameter]));
        int length = 0;
        long largest = 0;
        foreach (var t in _tables)
        {
            if (!t.Linear && t.Axis == 0 && filters is not null && filters.TryGetGramOffset(t.Parameter, out int filterOffset))
            {
                t.FilterOffset = filterOffset;
                continue;
            }
            long k = t.Pre * t.Post;
            if (!_host && !t.Vector && k > MaxChunk)
            {
                long split = (k + MaxChunk - 1) / MaxChunk;
                while (k % split != 0) split++;
                t.Split = split;
            }
            t.Offset = length;
            length += (int)t.PackedRows * t.Width;
            if (!t.Vector) largest = Math.Max(largest, (t.Linear ? 4 : 3) * t.Rows * t.Pre * t.Post);
        }
        _bufferLength = largest;
        int reused = length;
        foreach (var t in _tables)
        {
            if (t.FilterOffset < 0) t.Start = t.Offset;
            else
            {
                t.Start = reused;
                reused += (int)t.Rows * t.Width;
            }
        }
        PackedLength = reused;
        Groups = groups;
        _plans = Plans(_bound);
    }

    /// <summary>The measured groups, in packing order.</summary>
    public IReadOnlyList<SymmetryGroup> Groups { get; }

    /// <summary>Number of float64 values <see cref="Pack"/> produces.</summary>
    public int PackedLength { get; }

    /// <summary>Number of moment tables (distinct tensor and axis pairs) the device computes or reuses per measured step.</summary>
    public int TableCount => _tables.Length;

    /// <summary>Computes every group's moment tables on the device into one float64 vector of length
    /// <see cref="PackedLength"/>. Call after backward and before the optimizer step. The result belongs to the caller's
    /// dispose scope.</summary>
    /// <param name="filterPack">This step's <see cref="FilterMeasurement.Pack"/> result when the measurement was bound to
    /// that filter measurement (its Gram matrices are reused); null computes every table here.</param>
    /// <exception cref="InvalidOperationException">A measured tensor has no gradient (call after backward).</exception>
    public Tensor Pack(Tensor? filterPack = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var device = _optimizer.Parameters[0].device;
        if (PackedLength == 0) return scope.MoveToOuter(zeros(0, dtype: ScalarType.Float64, device: device));
        if (_host) return scope.MoveToOuter(PackOnHost(filterPack));
        // Row-major Gram entries |θ|², ⟨θ,g⟩, ⟨θ,v⟩, |g|², |v|² (3×3), and with a row of ones also Σθ, Σg, Σv (4×4); made once.
        _picks3 ??= tensor(new long[] { 0, 1, 2, 4, 8 }, device: device).DetachFromDisposeScope();
        _picks4 ??= tensor(new long[] { 0, 1, 2, 5, 10, 3, 7, 11 }, device: device).DetachFromDisposeScope();
        var parts = new List<Tensor>(_tables.Length);
        if (_vectors.Length > 0) parts.Add(VectorMoments(device));
        foreach (var t in _tables.Where(t => t.FilterOffset < 0 && !t.Vector))
            parts.Add(Moments(t, device));
        foreach (var t in _tables.Where(t => t.FilterOffset >= 0))
            parts.Add(filterPack is null ? Moments(t, device)
                : filterPack.narrow(0, t.FilterOffset, 9 * t.Rows).view(t.Rows, 9).index_select(1, _picks3).flatten());
        return scope.MoveToOuter(cat(parts, 0));
    }

    // The host path: every table by the fused kernel (vectors exactly, in float64), into one reused array, returned as one
    // float64 tensor (the step's values are concatenated with it).
    private Tensor PackOnHost(Tensor? filterPack)
    {
        FillOnHost(filterPack, fused: null);
        return HostTensors.Float64(_packed);
    }

    /// <summary>Whether the tables are formed on the host (CPU float32 parameters with the host kernel): then
    /// <see cref="MeasureOnHost"/> and <see cref="EndFused"/> give the step's measurement directly, with no tensor to carry
    /// to a later transfer.</summary>
    public bool OnHost => _host;

    /// <summary>
    /// On the host path, this step's measurement at once: what <see cref="Unpack"/> gives for <see cref="Pack"/>'s vector,
    /// without making that vector a tensor (its values are already on the host: carrying them as a tensor to the step's
    /// transfer only copied them four times). Call after backward and before the optimizer step, as <see cref="Pack"/>.
    /// </summary>
    /// <param name="step">Step index n (labels the measurement).</param>
    /// <param name="filterPack">As for <see cref="Pack"/>.</param>
    /// <exception cref="InvalidOperationException">Not <see cref="OnHost"/>, or a measured tensor has no gradient.</exception>
    public GroupStepMeasurement MeasureOnHost(long step, Tensor? filterPack = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_host) throw new InvalidOperationException("The tables are formed by libtorch on this device: use Pack and Unpack.");
        FillOnHost(filterPack, fused: null);
        return Unpack(step, _packed);
    }

    /// <summary>Whether <see cref="BeginFused"/> can hand tables to the optimizer's update: on the CPU with float32 parameters
    /// and a <see cref="HeavyBall"/> optimizer.</summary>
    public bool CanFuse => _host && _optimizer is HeavyBall;

    /// <summary>
    /// Starts this step's measurement with each measured tensor's largest table formed in the optimizer's own pass over the
    /// tensor (<see cref="HeavyBall.RequestMoments"/>; the moments are of the pre-update values, as <see cref="Pack"/>'s): call
    /// after backward, then the optimizer's step, then <see cref="EndFused"/>, which gives what <see cref="Pack"/> would have
    /// given before the step. The other tables are formed here. On a network whose first layer does not fit the caches this
    /// saves the measurement's own pass over that layer's θ, g and v.
    /// </summary>
    /// <param name="filterPack">As for <see cref="Pack"/>.</param>
    /// <exception cref="InvalidOperationException"><see cref="CanFuse"/> is false, or a measured tensor has no gradient.</exception>
    public void BeginFused(Tensor? filterPack = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!CanFuse) throw new InvalidOperationException("Fused measurement needs float32 CPU parameters and heavy ball: use Pack.");
        var heavyBall = (HeavyBall)_optimizer;
        var fused = new Dictionary<int, Table>();
        foreach (var t in _tables)
            if (!t.Vector && (t.FilterOffset < 0 || filterPack is null) && !fused.ContainsKey(t.Parameter)) fused[t.Parameter] = t;
        foreach (var t in fused.Values.Where(t => _optimizer.Parameters[t.Parameter].grad is null))
            throw new InvalidOperationException($"parameter {t.Parameter} has no gradient: measure after backward.");
        _fused = [.. fused.Values];
        foreach (var t in _fused)
        {
            t.Moments = t.Moments is { } m && m.Length >= t.Rows * MomentKernel.Width ? m : new double[t.Rows * MomentKernel.Width];
            heavyBall.RequestMoments(t.Parameter, t.Pre, t.Rows, t.Post, t.Moments);
        }
        FillOnHost(filterPack, fused: [.. fused.Values]);
    }

    /// <summary>Completes a <see cref="BeginFused"/> measurement after the optimizer's step: the step's measurement, what
    /// <see cref="Unpack"/> gives for the vector <see cref="Pack"/> would have given before the step (the same bits).</summary>
    /// <param name="step">Step index n (labels the measurement).</param>
    /// <exception cref="InvalidOperationException">No fused measurement was begun, or the step did not form a requested table.</exception>
    public GroupStepMeasurement EndFused(long step)
    {
        var fused = _fused ?? throw new InvalidOperationException("EndFused without BeginFused.");
        _fused = null;
        var heavyBall = (HeavyBall)_optimizer;
        foreach (var t in fused)
        {
            if (!heavyBall.TookMoments(t.Parameter))
                throw new InvalidOperationException($"The optimizer's step did not form the moments of parameter {t.Parameter} (no gradient?).");
            CopyMoments(t, t.Moments!);
        }
        return Unpack(step, _packed);
    }

    // Every table not in fused into the packed array: read from the filter measurement's Gram matrices, formed exactly
    // (vectors) or by the kernel.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    private void FillOnHost(Tensor? filterPack, HashSet<Table>? fused)
    {
        _packed ??= new double[PackedLength];
        var packed = _packed;
        ReadOnlySpan<double> filters = filterPack is null ? default : HostTensors.Doubles(filterPack);
        foreach (var t in _tables)
        {
            if (fused is not null && fused.Contains(t)) continue;
            var p = _optimizer.Parameters[t.Parameter];
            var grad = p.grad ?? throw new InvalidOperationException($"parameter {t.Parameter} has no gradient: measure after backward.");
            var velocity = _optimizer.Velocity(t.Parameter);
            if (t.FilterOffset >= 0 && filterPack is not null)
            {
                // The filter measurement's row-major 3×3 Gram matrices: |θ|², ⟨θ,g⟩, ⟨θ,v⟩ at 0, 1, 2; |g|² at 4; |v|² at 8.
                for (long i = 0; i < t.Rows; i++)
                {
                    var gram = filters.Slice(t.FilterOffset + (int)(9 * i), 9);
                    var row = packed.AsSpan(t.Start + (int)(i * t.Width), t.Width);
                    row[0] = gram[0]; row[1] = gram[1]; row[2] = gram[2]; row[3] = gram[4]; row[4] = gram[8];
                }
                continue;
            }
            if (t.Vector)
            {
                VectorRows(p, grad, velocity, packed.AsSpan(t.Start, (int)t.Rows * t.Width));
                continue;
            }
            _moments = _moments is { } m && m.Length >= t.Rows * MomentKernel.Width ? m : new double[t.Rows * MomentKernel.Width];
            var moments = _moments;
            HostTensors.Moments(p, grad, velocity, t.Pre, t.Rows, t.Post, moments);
            CopyMoments(t, moments);
        }
    }

    // A vector's packed rows (one element per index, LinearWidth values each) straight from its storage: each moment is one
    // float64 product of float32 values, exact, as the kernel's exact mode forms it (zero without a buffer), with no table
    // pass and its per-call set-up (these are most of a network's tables and each holds a few hundred elements).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    private static void VectorRows(Tensor weights, Tensor gradients, Tensor? velocity, Span<double> rows)
    {
        var x = HostTensors.Floats(HostTensors.Contiguous(weights));
        var y = HostTensors.Floats(HostTensors.Contiguous(gradients));
        var z = velocity is null ? default : HostTensors.Floats(HostTensors.Contiguous(velocity));
        if (y.Length != x.Length || (velocity is not null && z.Length != x.Length) || rows.Length != LinearWidth * x.Length)
            throw new InvalidOperationException("A vector's gradient or buffer does not match it.");
        for (int i = 0; i < x.Length; i++)
        {
            double a = x[i], b = y[i];
            var r = rows.Slice(LinearWidth * i, LinearWidth);
            r[0] = a * a; r[1] = a * b; r[3] = b * b; r[5] = a; r[6] = b;
            if (velocity is null) r[2] = r[4] = r[7] = 0;
            else
            {
                double c = z[i];
                r[2] = a * c; r[4] = c * c; r[7] = c;
            }
        }
    }

    // A table's kernel values (Width per index) into its packed rows (its own width).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    private void CopyMoments(Table t, double[] moments)
    {
        for (long i = 0; i < t.Rows; i++)
        {
            var src = moments.AsSpan((int)(i * MomentKernel.Width), MomentKernel.Width);
            var row = _packed.AsSpan(t.Start + (int)(i * t.Width), t.Width);
            row[0] = src[MomentKernel.WW]; row[1] = src[MomentKernel.WG]; row[2] = src[MomentKernel.WV];
            row[3] = src[MomentKernel.GG]; row[4] = src[MomentKernel.VV];
            if (t.Linear)
            {
                row[5] = src[MomentKernel.SW]; row[6] = src[MomentKernel.SG]; row[7] = src[MomentKernel.SV];
            }
        }
    }

    // [Σ Rows · 8] float64 for every vector table at once: the vectors' θ, g, v concatenated, widened to float64, and their
    // products |θ|², θg, θv, |g|², |v|² (exact for float32 inputs) with θ, g, v themselves, row by row.
    private Tensor VectorMoments(Device device)
    {
        _left ??= tensor(new long[] { 0, 0, 0, 1, 2 }, device: device).DetachFromDisposeScope();
        _right ??= tensor(new long[] { 0, 1, 2, 1, 2 }, device: device).DetachFromDisposeScope();
        var theta = new Tensor[_vectors.Length];
        var grad = new Tensor[_vectors.Length];
        var velocity = new Tensor[_vectors.Length];
        for (int i = 0; i < _vectors.Length; i++)
        {
            var p = _optimizer.Parameters[_vectors[i].Parameter];
            theta[i] = p;
            grad[i] = p.grad ?? throw new InvalidOperationException($"parameter {_vectors[i].Parameter} has no gradient: measure after backward.");
            velocity[i] = _optimizer.Velocity(_vectors[i].Parameter) ?? zeros_like(p);
        }
        var x = stack([cat(theta, 0), cat(grad, 0), cat(velocity, 0)]).to(ScalarType.Float64);   // [3, Σ Rows]
        return cat([x.index_select(0, _left) * x.index_select(0, _right), x], 0).t().flatten();
    }

    // [Rows · Split · Width] float64: each index's moments (in Split sub-rows). θ, g, v (and ones) fill R contiguous [Rows, K] blocks of the float32 work
    // buffer, in index order along the axis: a plain copy for axis 0, and for another axis of a matrix a 2-D transposed
    // copy into a contiguous block (libtorch's blocked transpose; into an interleaved layout the same copy is ~10× slower).
    // One batched product over the [Rows·Split, R, K/Split] view (a permutation, no copy) gives the R×R Gram matrix of every
    // sub-row.
    private Tensor Moments(Table t, Device device)
    {
        var p = _optimizer.Parameters[t.Parameter];
        var grad = p.grad ?? throw new InvalidOperationException($"parameter {t.Parameter} has no gradient: measure after backward.");
        var velocity = _optimizer.Velocity(t.Parameter);
        _rows ??= empty(_bufferLength, dtype: ScalarType.Float32, device: device).DetachFromDisposeScope();
        int r = t.Linear ? 4 : 3;
        long k = t.Pre * t.Post;
        var blocks = _rows.narrow(0, 0, r * t.Rows * k).view(r, t.Rows, k);
        void Fill(int i, Tensor x)
        {
            var block = blocks[i];
            if (t.Axis == 0) block.copy_(x.view(t.Rows, k));
            else if (t.Post == 1) block.copy_(x.view(t.Pre, t.Rows).t());
            else block.view(t.Rows, t.Pre, t.Post).copy_(x.view(t.Pre, t.Rows, t.Post).permute(1, 0, 2));
        }
        Fill(0, p);
        Fill(1, grad);
        if (velocity is not null) Fill(2, velocity);
        else blocks[2].zero_();
        if (t.Linear) blocks[3].fill_(1);
        var rows = blocks.view(r, t.PackedRows, k / t.Split).permute(1, 0, 2);   // [Rows·Split, R, K/Split]
        var gram = bmm(rows, rows.transpose(1, 2)).view(t.PackedRows, r * r);
        return gram.index_select(1, t.Linear ? _picks4! : _picks3!).to(ScalarType.Float64).flatten();
    }

    /// <summary>Reads a packed vector (from <see cref="Pack"/>, copied to the host) starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <paramref name="offset"/> + <see cref="PackedLength"/>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    public GroupStepMeasurement Unpack(long step, ReadOnlySpan<double> packed, int offset = 0)
    {
        if (offset < 0 || packed.Length - offset < PackedLength)
            throw new ArgumentException($"A packed group measurement needs {PackedLength} values from offset {offset}; the span holds {packed.Length}.", nameof(packed));
        var groups = new GroupValues[_plans.Length];
        ref double start = ref MemoryMarshal.GetReference(packed.Slice(offset));
        for (int g = 0; g < _plans.Length; g++)
        {
            var plan = _plans[g];
            var values = new GeneratorTable(plan.Dimension);
            foreach (var term in plan.Terms)
            {
                // Rows first + c·stride … + rows − 1 of the table from term.Start hold generator term.Generator + c (every row index
                // lies inside the first PackedLength values, checked above, by the plan's construction).
                ref double table = ref Unsafe.Add(ref start, term.Start);
                int w = term.Width;
                for (int c = 0; c < term.Count; c++)
                {
                    int first = term.First + (c * term.Stride);
                    double ww = 0, wg = 0, wv = 0, gg = 0, vv = 0, sw = 0, sg = 0, sv = 0;
                    for (int i = first; i < first + term.Rows; i++)
                    {
                        ref double row = ref Unsafe.Add(ref table, i * w);
                        ww += row; wg += Unsafe.Add(ref row, 1); wv += Unsafe.Add(ref row, 2); gg += Unsafe.Add(ref row, 3); vv += Unsafe.Add(ref row, 4);
                        if (!plan.Scale)
                        {
                            sw += Unsafe.Add(ref row, 5); sg += Unsafe.Add(ref row, 6); sv += Unsafe.Add(ref row, 7);
                        }
                    }
                    var x = values.Slot(term.Generator + c);
                    if (plan.Scale)
                    {
                        x[0] += term.Power * ww; x[1] += term.Power * wv; x[2] += term.Power * wg; x[3] += term.Power * vv;
                    }
                    else
                    {
                        x[0] += sw; x[1] += sv; x[2] += sg;
                    }
                    x[4] += term.Magnitude * ww; x[5] += term.Magnitude * gg; x[6] += term.Magnitude * vv;
                }
            }
            groups[g] = new GroupValues(plan.Name, plan.Kind, values);
        }
        return new GroupStepMeasurement(step, groups);
    }

    // One tensor of one component of a group, as Unpack reads it: generators Generator … Generator + Count − 1 sum Rows
    // consecutive packed rows (of Width values, from Start) each, the c-th from row First + c·Stride; scale groups weight
    // them by Power, and every group's magnitudes by Magnitude (|p| for a scale group, the slice size for a translation).
    private readonly record struct UnpackTerm(int Generator, int Count, int Start, int Width, int First, int Stride, int Rows, double Power, double Magnitude);

    private sealed record UnpackPlan(string Name, GroupKind Kind, bool Scale, long Dimension, UnpackTerm[] Terms);

    // The plan of every group, made once (the slices, tables and their places do not change between steps).
    private static UnpackPlan[] Plans((SymmetryGroup Group, (GroupTensor Tensor, Table Table, long SliceSize)[][] Components)[] bound)
    {
        var plans = new UnpackPlan[bound.Length];
        for (int g = 0; g < bound.Length; g++)
        {
            var (group, components) = bound[g];
            bool scale = group.Action == GroupAction.Scale;
            var terms = new List<UnpackTerm>();
            int generator = 0;
            foreach (var component in components)
            {
                int n = checked((int)component[0].Tensor.Slices.Count);
                foreach (var (gt, table, size) in component)
                {
                    var s = gt.Slices;
                    long split = table.Split;
                    terms.Add(new UnpackTerm(generator, n, table.Start, table.Width,
                        First: checked((int)((s.Axis is null ? 0 : s.Start) * split)),
                        Stride: checked((int)((s.Axis is null ? 0 : s.Block) * split)),
                        Rows: checked((int)((s.Axis is null ? table.Rows : s.Block) * split)),
                        gt.Power, scale ? Math.Abs(gt.Power) : size));
                }
                generator += n;
            }
            plans[g] = new UnpackPlan(group.Name, group.Kind, scale, group.Dimension, [.. terms]);
        }
        return plans;
    }

    /// <summary>Frees the work buffer and the index tensors (allocated again if <see cref="Pack"/> is called after this).</summary>
    public void Dispose()
    {
        _rows?.Dispose();
        _rows = null;
        _picks3?.Dispose();
        _picks3 = null;
        _picks4?.Dispose();
        _picks4 = null;
        _left?.Dispose();
        _left = null;
        _right?.Dispose();
        _right = null;
        _disposed = true;
    }

    // A group's generators in flat arrays (Fields values each) of at most ChunkSize generators, each record made when it is
    // read: chunks stay below the large-object threshold (85 000 bytes), so a measured step's tables are short-lived small
    // objects rather than large ones, whose churn at every step brought full collections.
    private sealed class GeneratorTable : IReadOnlyList<GeneratorValues>
    {
        public const int Fields = 7;
        private const int ChunkSize = 1024;
        private readonly double[][] _chunks;

        public GeneratorTable(long count)
        {
            Count = checked((int)count);
            _chunks = new double[(Count + ChunkSize - 1) / ChunkSize][];
            for (int c = 0; c < _chunks.Length; c++) _chunks[c] = new double[Math.Min(ChunkSize, Count - (c * ChunkSize)) * Fields];
        }

        public int Count { get; }

        public Span<double> Slot(int index) => _chunks[index / ChunkSize].AsSpan(index % ChunkSize * Fields, Fields);

        public GeneratorValues this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                var v = Slot(index);
                return new GeneratorValues(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            }
        }

        public IEnumerator<GeneratorValues> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

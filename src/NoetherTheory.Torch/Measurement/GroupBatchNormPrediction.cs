using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Symmetries;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// The BN-ε prediction of G for every measured scale group whose tensors are the weights feeding batch normalisations
/// (theory/08-group-laws.md#eq-8-4): per generator, G_pred = Σ_t p_t Σ_channels ε/(c+ε)·γ·∂f/∂γ over the BN channels the
/// generator's slices produce, with c each channel's batch variance captured during the measured step's forward pass. Packed
/// into one float64 vector that rides on the training step's single host transfer, after the group measurement's.
/// </summary>
/// <remarks>
/// <para><b>What the prediction assumes.</b> Each tensor of the group is the weight of a layer whose output feeds one batch
/// normalisation directly and nothing else (a <see cref="NormalisationFact"/> of kind Batch, as discovery's proposals use),
/// with axis-0 slices (output channels) or the whole tensor; then scaling the slice's output channels by α scales the BN's
/// z − μ by α and c by α², and theory/05-learning-dynamics.md#eq-5-7 gives ⟨θ, g⟩ = ε/(c+ε)·γ·∂f/∂γ exactly per channel (a
/// bias of the layer cancels in z − μ). Where one BN channel is fed by one output channel (every discovered BN scale group)
/// G_pred is exactly that formula. Groups with any other tensor (rescale and translation groups, LayerNorm's scale
/// candidates, a weight not followed by a BN, a BN without γ) get no prediction (<see cref="NotPredicted"/>).</para>
/// <para><b>Capture.</b> A forward pre-hook and hook on each BN module concerned keep, while <see cref="Capture"/> is on and
/// the module is in training mode, the biased batch variance c it normalised with, in float64: with running statistics
/// (momentum m in (0, 1]) from BN's own update of the running variance, c = (r_after − (1 − m)·r_before)/m·(M − 1)/M with M
/// the elements per channel (the same computation as <see cref="Vgg11Bn.CaptureBatchVariance"/>, so on VGG11-BN the
/// prediction equals filters.csv's wg_pred bit for bit), otherwise directly as Var over every axis but 1. With capture off a
/// hook only drops the previous step's c: no tensor work. Any other forward pass (capture off, evaluation mode) leaves c
/// missing, and the prediction NaN.</para>
/// <para>Packed layout: the predicted G of every generator of the predicted groups (groups in order, generators in order),
/// then each generator's c (NaN for a generator that moves more than one channel).</para>
/// </remarks>
public sealed class GroupBatchNormPrediction : IDisposable
{
    private readonly Norm[] _norms;
    private readonly (double Epsilon, int[] Norms)[] _byEpsilon;   // norms grouped by ε (one batched formula per group)
    private readonly (string Group, int Generators)[] _groups;
    private readonly long[] _entryChannel;    // per (generator, channel) pair: the channel in the packed ε-ordered layout
    private readonly long[] _entryGenerator;  // and its generator (over all predicted groups)
    private readonly double[] _entryWeight;   // and the power p_t of its tensor
    private readonly long[] _varianceChannel; // per generator: its single channel, or the NaN slot after the last channel
    private readonly int _generators;
    private readonly int _channels;
    private Tensor? _index;                   // device copies of the entry tables (made at the first Pack)
    private Tensor? _generatorIndex;
    private Tensor? _weights;
    private Tensor? _varianceIndex;
    private bool _disposed;
    private readonly bool _hostKernel;

    // One BN module the predicted groups need: its γ, ε, channel count, offset in the ε-ordered layout, and captured c.
    private sealed class Norm(string name, BatchNorm module)
    {
        public string Name { get; } = name;
        public BatchNorm Module { get; } = module;
        public long Channels => Module.num_features;
        public long Offset { get; set; }
        public Tensor? Before { get; set; }
        public Tensor? Variance { get; set; }

        // The same two on the host (CPU float32 running statistics): read from the tensors' storage, no tensor operation.
        public double[]? BeforeHost { get; set; }
        public double[]? VarianceHost { get; set; }

        public bool HasHostVariance { get; set; }
        public List<Action> Hooks { get; } = [];  // each removes one hook

        public void Clear()
        {
            HasHostVariance = false;
            Before?.Dispose();
            Before = null;
            Variance?.Dispose();
            Variance = null;
        }
    }

    /// <summary>Binds the scale groups that feed batch normalisations to the modules of <paramref name="module"/>.</summary>
    /// <param name="groups">The measured groups (in the group measurement's order; those without a prediction are skipped).</param>
    /// <param name="description">The network's description (which weight feeds which normalisation).</param>
    /// <param name="module">The network's module (its BN modules are found by name and hooked).</param>
    /// <exception cref="ArgumentException">A normalisation of the description is not a module of <paramref name="module"/>.</exception>
    /// <param name="hostKernel">On the CPU with float32 statistics, capture c and form the predictions on the host from the
    /// tensors' storage (no tensor operation per BN layer and step; the same bits); false: with tensor operations, as on
    /// other devices (tests compare the two).</param>
    public GroupBatchNormPrediction(IReadOnlyList<SymmetryGroup> groups, ModelDescription description, nn.Module<Tensor, Tensor> module, bool hostKernel = true)
    {
        _hostKernel = hostKernel;
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(module);
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var norms = new List<Norm>();
        var predicted = new List<(string Group, int Generators, List<(int Generator, Norm Norm, long Channel, double Weight)> Entries)>();
        var skipped = new List<(string, string)>();
        foreach (var group in groups)
        {
            if (Bind(group, description, modules, norms) is { } why) skipped.Add((group.Name, why));
            else
            {
                var entries = new List<(int, Norm, long, double)>();
                int g = 0;
                foreach (var component in group.Components)
                {
                    long n = component[0].Slices.Count;
                    foreach (var t in component)
                    {
                        var norm = norms.First(x => x.Name == NormOf(description, t.Slices.Parameter)!.Name);
                        for (long c = 0; c < n; c++)
                        {
                            long first = t.Slices.Axis is null ? 0 : t.Slices.Start + c * t.Slices.Block;
                            long count = t.Slices.Axis is null ? norm.Channels : t.Slices.Block;
                            for (long ch = first; ch < first + count; ch++) entries.Add((g + (int)c, norm, ch, t.Power));
                        }
                    }
                    g += (int)n;
                }
                predicted.Add((group.Name, g, entries));
            }
        }
        NotPredicted = skipped;
        _norms = [.. norms];
        _byEpsilon = [.. norms.Select((n, i) => (n.Module.eps, i)).GroupBy(x => x.eps).Select(x => (x.Key, x.Select(y => y.i).ToArray()))];
        long offset = 0;
        foreach (int i in _byEpsilon.SelectMany(e => e.Norms))
        {
            _norms[i].Offset = offset;
            offset += _norms[i].Channels;
        }
        _channels = (int)offset;
        _groups = [.. predicted.Select(p => (p.Group, p.Generators))];
        var all = predicted.SelectMany((p, k) => p.Entries.Select(e => (Generator: predicted.Take(k).Sum(q => q.Generators) + e.Generator, e.Norm, e.Channel, e.Weight))).ToList();
        _entryChannel = [.. all.Select(e => e.Norm.Offset + e.Channel)];
        _entryGenerator = [.. all.Select(e => (long)e.Generator)];
        _entryWeight = [.. all.Select(e => e.Weight)];
        _generators = predicted.Sum(p => p.Generators);
        _varianceChannel = new long[_generators];
        foreach (var byGenerator in all.GroupBy(e => e.Generator))
            _varianceChannel[byGenerator.Key] = byGenerator.Count() == 1 ? byGenerator.First().Norm.Offset + byGenerator.First().Channel : _channels;
        foreach (var norm in _norms) Hook(norm);
    }

    /// <summary>The groups with a prediction, in packing order.</summary>
    public IReadOnlyList<string> Predicted => [.. _groups.Select(g => g.Group)];

    /// <summary>The groups without one, and why (not a scale group, a tensor that feeds no batch normalisation, …).</summary>
    public IReadOnlyList<(string Group, string Why)> NotPredicted { get; }

    /// <summary>Whether the next forward passes in training mode keep each hooked BN channel's batch variance c (the
    /// training step turns it on for measured steps only).</summary>
    public bool Capture { get; set; }

    /// <summary>Number of float64 values <see cref="Pack"/> produces (2 per generator of the predicted groups).</summary>
    public int PackedLength => 2 * _generators;

    /// <summary>The prediction of every predicted group's generators and their c, on the device, as one float64 vector of
    /// length <see cref="PackedLength"/>. Call after backward (it reads ∂f/∂γ) and before the optimizer step. The result
    /// belongs to the caller's dispose scope.</summary>
    /// <exception cref="InvalidOperationException">A BN's γ has no gradient (call after backward).</exception>
    public Tensor Pack()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var device = _norms.Length > 0 ? _norms[0].Module.weight!.device : CPU;
        if (_generators == 0) return scope.MoveToOuter(zeros(0, dtype: ScalarType.Float64, device: device));
        if (CanPredictOnHost) return scope.MoveToOuter(HostTensors.Float64(HostValues()));
        _index ??= tensor(_entryChannel, device: device).DetachFromDisposeScope();
        _generatorIndex ??= tensor(_entryGenerator, device: device).DetachFromDisposeScope();
        _weights ??= tensor(_entryWeight, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
        _varianceIndex ??= tensor(_varianceChannel, device: device).DetachFromDisposeScope();
        var predictions = new List<Tensor>(_byEpsilon.Length);
        var variances = new List<Tensor>(_byEpsilon.Length + 1);
        foreach (var (eps, members) in _byEpsilon)
        {
            // ⟨g, w⟩ = ε/(c+ε)·γ·∂f/∂γ per channel, the expression of FilterMeasurement's (bitwise the same values); for
            // ε = 0 exactly 0 (not 0·γ·∂f/∂γ/c, NaN for a constant channel), and NaN where c was not captured.
            var c = cat([.. members.Select(i => _norms[i].Variance?.to(ScalarType.Float64)
                ?? full(_norms[i].Channels, double.NaN, dtype: ScalarType.Float64, device: device))], 0);
            var gamma = cat([.. members.Select(i => _norms[i].Module.weight!.detach())], 0).to(ScalarType.Float64);
            var gammaGrad = cat([.. members.Select(i => _norms[i].Module.weight!.grad
                ?? throw new InvalidOperationException($"{_norms[i].Name}'s weight γ has no gradient: measure after backward."))], 0).to(ScalarType.Float64);
            predictions.Add(eps == 0 ? zeros_like(c).where(c.isnan().logical_not(), c) : gamma * gammaGrad * (eps / (c + eps)));
            variances.Add(c);
        }
        variances.Add(full(1, double.NaN, dtype: ScalarType.Float64, device: device));
        var perChannel = cat(predictions, 0);
        var predicted = zeros(_generators, dtype: ScalarType.Float64, device: device)
            .index_add_(0, _generatorIndex, perChannel.index_select(0, _index) * _weights, 1);
        return scope.MoveToOuter(cat([predicted, cat(variances, 0).index_select(0, _varianceIndex)], 0));
    }

    // Whether this step's numbers can be formed on the host: CPU float32 γ with gradients, variances captured on the host or
    // not at all.
    private bool CanPredictOnHost => _hostKernel && _generators > 0
        && _norms.All(n => HostTensors.Readable([n.Module.weight!]) && n.Module.weight!.grad is not null && (n.HasHostVariance || n.Variance is null));

    /// <summary>
    /// This step's prediction formed on the host, when it can be (CPU float32 γ with their gradients, the variances captured
    /// on the host): what <see cref="Unpack"/> gives for <see cref="Pack"/>'s vector, without making that vector a tensor.
    /// Null where <see cref="Pack"/> must be used (other devices, or the host kernel turned off). Call when
    /// <see cref="Pack"/> would be called.
    /// </summary>
    /// <param name="step">Step index n (labels the prediction).</param>
    public GroupPredictionStep? PredictOnHost(long step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return CanPredictOnHost ? Unpack(step, HostValues()) : null;
    }

    // The same numbers on the host (CPU float32 γ, variances captured on the host or not at all): per channel
    // ε/(c+ε)·γ·∂f/∂γ in float64, in the tensor expression's order, then summed into the generators in entry order.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step
    private double[] HostValues()
    {
        var perChannel = new double[_channels + 1];
        perChannel[_channels] = double.NaN;                    // the variance slot of a generator over several channels
        var variance = new double[_channels + 1];
        variance[_channels] = double.NaN;
        foreach (var (eps, members) in _byEpsilon)
            foreach (int i in members)
            {
                var norm = _norms[i];
                var gamma = HostTensors.Floats(HostTensors.Contiguous(norm.Module.weight!));
                var grad = HostTensors.Floats(HostTensors.Contiguous(norm.Module.weight!.grad!));
                for (int ch = 0; ch < norm.Channels; ch++)
                {
                    double c = norm.HasHostVariance ? norm.VarianceHost![ch] : double.NaN;
                    long at = norm.Offset + ch;
                    variance[at] = c;
                    perChannel[at] = eps == 0 ? (double.IsNaN(c) ? c : 0) : (double)gamma[ch] * grad[ch] * (1 / (c + eps) * eps);   // libtorch forms ε/t as reciprocal(t)·ε
                }
            }
        var packed = new double[2 * _generators];
        for (int e = 0; e < _entryChannel.Length; e++)
            packed[_entryGenerator[e]] += perChannel[_entryChannel[e]] * _entryWeight[e];
        for (int g = 0; g < _generators; g++) packed[_generators + g] = variance[_varianceChannel[g]];
        return packed;
    }

    /// <summary>Reads a packed vector (from <see cref="Pack"/>, copied to the host) starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <paramref name="offset"/> + <see cref="PackedLength"/>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    public GroupPredictionStep Unpack(long step, ReadOnlySpan<double> packed, int offset = 0)
    {
        if (offset < 0 || packed.Length - offset < PackedLength)
            throw new ArgumentException($"A packed BN-ε prediction needs {PackedLength} values from offset {offset}; the span holds {packed.Length}.", nameof(packed));
        var groups = new List<GroupPrediction>(_groups.Length);
        int at = offset;
        foreach (var (name, n) in _groups)
        {
            groups.Add(new GroupPrediction(name, packed.Slice(at, n).ToArray(), packed.Slice(at + _generators, n).ToArray()));
            at += n;
        }
        return new GroupPredictionStep(step, groups);
    }

    /// <summary>Removes the hooks and frees the captured variances and index tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        foreach (var norm in _norms)
        {
            foreach (var remove in norm.Hooks) remove();
            norm.Clear();
        }
        _index?.Dispose();
        _generatorIndex?.Dispose();
        _weights?.Dispose();
        _varianceIndex?.Dispose();
        _disposed = true;
    }

    // The batch normalisation that the weight feeds directly, from the description.
    private static NormalisationFact? NormOf(ModelDescription description, string weight) =>
        description.Normalisations.FirstOrDefault(n => n.Kind == NormalisationKind.Batch && n.InputWeight == weight);

    // Adds the group's BN modules to norms and returns null when the prediction applies; otherwise why not.
    private static string? Bind(SymmetryGroup group, ModelDescription description, Dictionary<string, nn.Module> modules, List<Norm> norms)
    {
        if (group.Kind != GroupKind.Scale || group.Action != GroupAction.Scale) return "not a scale group";
        var found = new List<Norm>();
        foreach (var t in group.Components.SelectMany(c => c))
        {
            var s = t.Slices;
            if (NormOf(description, s.Parameter) is not { } fact) return $"{s.Parameter} feeds no batch normalisation";
            if (s.Axis is { } a && a != 0) return $"its slices of {s.Parameter} are not output channels (axis {a})";
            if (!modules.TryGetValue(fact.Name, out var m) || m is not BatchNorm bn)
                throw new ArgumentException($"group {group.Name}: the model has no batch-normalisation module '{fact.Name}'.", nameof(modules));
            if (bn.weight is null) return $"{fact.Name} has no γ";
            if (description.Get(s.Parameter).Shape[0] != bn.num_features)
                return $"{s.Parameter} has {description.Get(s.Parameter).Shape[0]} output channels, {fact.Name} {bn.num_features}";
            found.Add(norms.FirstOrDefault(x => x.Name == fact.Name) ?? found.FirstOrDefault(x => x.Name == fact.Name) ?? new Norm(fact.Name, bn));
        }
        foreach (var n in found)
            if (!norms.Contains(n)) norms.Add(n);
        return null;
    }

    // The pre-hook drops the previous c and, when capturing in training mode, keeps the running variance before BN's update
    // (or, without running statistics, c itself); the hook forms c from the update.
    private void Hook(Norm norm)
    {
        var pre = norm.Module.register_forward_pre_hook((m, input) =>
        {
            norm.Clear();
            if (!Capture || !m.training) return null!;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var running = norm.Module.running_var;
            if (_hostKernel && running is not null && norm.Module.momentum is > 0 and <= 1 && HostTensors.Readable([running]) && running.is_contiguous())
            {
                // On the host: the running variance before this forward pass, widened exactly.
                var values = HostTensors.Floats(running);
                norm.BeforeHost = norm.BeforeHost is { } b && b.Length == values.Length ? b : new double[values.Length];
                for (int i = 0; i < values.Length; i++) norm.BeforeHost[i] = values[i];
                return null!;
            }
            if (running is null || norm.Module.momentum is not (> 0 and <= 1))
            {
                long[] axes = [.. Enumerable.Range(0, (int)input.dim()).Where(d => d != 1).Select(d => (long)d)];
                norm.Variance = input.detach().var(axes, unbiased: false).to(ScalarType.Float64).DetachFromDisposeScope();
            }
            else norm.Before = running.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
            return null!;
        });
        norm.Hooks.Add(pre.remove);
        var post = norm.Module.register_forward_hook((m, input, output) =>
        {
            if (Capture && m.training && norm.BeforeHost is { } host && norm.Before is null && norm.Variance is null)
            {
                // c = (r' − (1 − m)·r)·(N − 1)/(N·m) from BN's own running-variance update, in the float64 arithmetic (and
                // order) of the tensor expression below, so both paths give the same bits.
                double mom = norm.Module.momentum!.Value, n = input.numel() / input.shape[1];
                var now = HostTensors.Floats(norm.Module.running_var!);
                norm.VarianceHost = norm.VarianceHost is { } v && v.Length == now.Length ? v : new double[now.Length];
                for (int i = 0; i < now.Length; i++) norm.VarianceHost[i] = ((double)now[i] - (host[i] * (1 - mom))) * ((n - 1) / (n * mom));
                norm.HasHostVariance = true;
                return null!;
            }
            if (norm.Before is not { } before) return null!;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            double momentum = norm.Module.momentum!.Value, count = input.numel() / input.shape[1];
            norm.Variance = norm.Module.running_var!.to(ScalarType.Float64).sub(before.mul(1 - momentum))
                .mul((count - 1) / (count * momentum)).DetachFromDisposeScope();
            before.Dispose();
            norm.Before = null;
            return null!;
        });
        norm.Hooks.Add(post.remove);
    }
}

using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Measurement;

/// <summary>Per-filter quantities of one BN-preceded conv at one step: index f is output channel f.</summary>
/// <param name="WeightNormSq">|w|².</param>
/// <param name="GradNormSq">|g|² with g = ∂f/∂w, the loss gradient without the weight-decay term.</param>
/// <param name="VelocityNormSq">|v|² of the momentum buffer (0 before the first step).</param>
/// <param name="WeightDotGrad">⟨w, g⟩ (0 for ε = 0 by scale symmetry, theory/05-learning-dynamics.md#eq-5-1).</param>
/// <param name="WeightDotVelocity">⟨w, v⟩.</param>
/// <param name="PredictedWeightDotGrad">The predicted ⟨w, g⟩ = ε/(c+ε)·γ·∂f/∂γ of the filter's BN channel
/// (theory/05-learning-dynamics.md#eq-5-7); exactly 0 for ε = 0; NaN when the forward pass did not capture c
/// (<see cref="Vgg11Bn.CaptureBatchVariance"/>).</param>
/// <param name="BatchVariance">c, the biased batch variance of the filter's conv output that BN normalised with (NaN when
/// not captured).</param>
public sealed record FilterStatistics(double[] WeightNormSq, double[] GradNormSq, double[] VelocityNormSq, double[] WeightDotGrad,
    double[] WeightDotVelocity, double[] PredictedWeightDotGrad, double[] BatchVariance)
{
    /// <summary>Number of filters.</summary>
    public int Count => WeightNormSq.Length;

    /// <summary>The angle (rad) between each filter before and after the step's update (constraint included), or null when
    /// not measured (theory/05-learning-dynamics.md#eq-5-8).</summary>
    public double[]? AngularUpdate { get; init; }
}

/// <summary>One layer's filters and their sums (the layer-level quantities).</summary>
/// <param name="Name">The conv's name in the model (e.g. "features.0").</param>
/// <param name="Filters">Per-filter values.</param>
public sealed record LayerMeasurement(string Name, FilterStatistics Filters)
{
    /// <summary>Σ|w|² over the layer's filters.</summary>
    public double WeightNormSq => Filters.WeightNormSq.Sum();

    /// <summary>Σ|g|².</summary>
    public double GradNormSq => Filters.GradNormSq.Sum();

    /// <summary>Σ|v|².</summary>
    public double VelocityNormSq => Filters.VelocityNormSq.Sum();

    /// <summary>Σ⟨w, g⟩.</summary>
    public double WeightDotGrad => Filters.WeightDotGrad.Sum();

    /// <summary>Σ⟨w, v⟩.</summary>
    public double WeightDotVelocity => Filters.WeightDotVelocity.Sum();

    /// <summary>Σ of the predicted ⟨w, g⟩ (theory/05-learning-dynamics.md#eq-5-7; NaN when not captured).</summary>
    public double PredictedWeightDotGrad => Filters.PredictedWeightDotGrad.Sum();
}

/// <summary>Translation symmetry of the softmax layer (theory/03-noether.md#eq-3-8): sums over classes of the final layer.</summary>
/// <param name="WeightSumNormSq">|Σ_c W_c|², the charge (per input feature, squared and summed).</param>
/// <param name="GradSumNormSq">|Σ_c ∂f/∂W_c|²: zero up to round-off for softmax cross-entropy.</param>
/// <param name="BiasSum">Σ_c b_c.</param>
/// <param name="BiasGradSum">Σ_c ∂f/∂b_c: zero up to round-off.</param>
public sealed record TranslationMeasurement(double WeightSumNormSq, double GradSumNormSq, double BiasSum, double BiasGradSum);

/// <summary>Everything measured at one step n, before that step's update: q_n, g_n = ∇f(q_n) and the buffer v_n.</summary>
/// <param name="Step">Step index n.</param>
/// <param name="Layers">Every BN-preceded conv.</param>
/// <param name="Translation">Final-layer translation sums.</param>
public sealed record StepMeasurement(long Step, IReadOnlyList<LayerMeasurement> Layers, TranslationMeasurement Translation);

/// <summary>
/// Device-side reductions for <see cref="StepMeasurement"/>: all values are packed into one float64 tensor so that a logged
/// step costs one host transfer (<see cref="Pack"/> on the device, <see cref="Unpack"/> on the host).
/// </summary>
/// <remarks>
/// <para>Per conv layer, the filters, gradients and buffers are copied (converting to float64 in the copy) into a float64
/// [F, 3, K] view S of one persistent work buffer (rows w, g, v of each filter) and one batched product S·Sᵀ gives each
/// filter's 3×3 Gram matrix, i.e. |w|², |g|², |v|², ⟨w,g⟩, ⟨w,v⟩ (and ⟨g,v⟩): four tensor operations per layer and no
/// allocation but the Gram output. (Stacking layers of equal fan-in K into one product, and a float32 stack converted
/// afterwards, cost one and two more passes over the weights and measured slower.) The buffer is shared by the layers in
/// turn (the device runs them in order), so it holds 24 bytes per weight of the largest layer only (≈ 57 MB for the
/// full-width VGG11, 3.5 MB at width 1/4 — small enough to stay in cache on the CPU); <see cref="Dispose"/> frees it.
/// Layers are packed by fan-in group, in layer order within a group.</para>
/// <para>The BN-ε prediction (theory/05-learning-dynamics.md#eq-5-7) is one batched computation over all layers' channels:
/// the batch variances c that <see cref="Vgg11Bn.CaptureBatchVariance"/> kept during the forward pass, BN's γ and ∂f/∂γ,
/// concatenated in layer order, give ε/(c+ε)·γ·∂f/∂γ per filter (about eight tensor operations in all).</para>
/// <para>Packed layout: per fan-in group in order, the row-major Gram matrices of its filters (9 values per filter); then,
/// over all filters in layer order, the predicted ⟨w,g⟩, then c; then the four translation sums
/// (theory/03-noether.md#eq-3-8).</para>
/// </remarks>
public sealed class FilterMeasurement : IDisposable
{
    private const int GramSize = 9;
    private const int WeightWeight = 0, WeightGrad = 1, WeightVelocity = 2, GradGrad = 4, VelocityVelocity = 8;

    private readonly Vgg11Bn _model;
    private readonly TrainingOptimizer _optimizer;
    private readonly int[] _convIndex;
    private readonly int[][] _groups;          // layer indices with the same fan-in, in layer order within a group
    private readonly int[] _layerOffset;       // each layer's first packed value
    private readonly int[] _channelOffset;     // each layer's first channel in the BN block (layer order)
    private readonly int _filters;
    private readonly int _outputWeightIndex;
    private readonly int _outputBiasIndex;
    private Tensor? _rows;                     // one float64 work buffer, as large as the largest layer's [F, 3, K] (first Pack)
    private readonly bool _host;               // CPU and float32: Gram matrices and angles on the host (MomentKernel)
    private double[]? _grams;
    private double[]? _moments;
    private bool _disposed;

    /// <summary>Binds to a model and the optimizer that updates its parameters (in model.parameters() order).</summary>
    /// <param name="model">The network.</param>
    /// <param name="optimizer">Its optimizer.</param>
    /// <param name="hostKernel">On the CPU with float32 weights, form the Gram matrices and angles on the host
    /// (<see cref="MomentKernel"/>, float64 arithmetic on the float32 values, no float64 copies of the tensors); false: with
    /// the libtorch float64 operations that run on other devices (tests compare the two).</param>
    /// <exception cref="ArgumentException">The optimizer does not hold the model's conv or output parameters.</exception>
    public FilterMeasurement(Vgg11Bn model, TrainingOptimizer optimizer, bool hostKernel = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        _model = model;
        _optimizer = optimizer;
        int IndexOf(Tensor t, string what)
        {
            for (int i = 0; i < optimizer.Parameters.Count; i++)
                if (optimizer.Parameters[i].Handle == t.Handle) return i;
            throw new ArgumentException($"The optimizer does not update {what}.", nameof(optimizer));
        }
        _convIndex = model.ConvLayers.Select(l => IndexOf(l.Conv.weight!, l.Name + ".weight")).ToArray();
        _outputWeightIndex = IndexOf(model.Output.weight!, "output.weight");
        _outputBiasIndex = model.Output.bias is null ? -1 : IndexOf(model.Output.bias, "output.bias");

        var layers = model.ConvLayers;
        _groups = Enumerable.Range(0, layers.Count).GroupBy(i => FanIn(layers[i])).Select(g => g.ToArray()).ToArray();
        _layerOffset = new int[layers.Count];
        int at = 0;
        foreach (int i in _groups.SelectMany(g => g))
        {
            _layerOffset[i] = at;
            at += GramSize * (int)layers[i].Filters;
        }
        _filters = (int)layers.Sum(l => l.Filters);
        _channelOffset = new int[layers.Count];
        for (int i = 1; i < layers.Count; i++) _channelOffset[i] = _channelOffset[i - 1] + (int)layers[i - 1].Filters;
        _host = hostKernel && HostTensors.Readable(_convIndex.Select(i => (Tensor)optimizer.Parameters[i]));
    }

    /// <summary>Number of float64 values <see cref="Pack"/> produces.</summary>
    public int PackedLength => (GramSize + 2) * _filters + 4;

    /// <summary>Computes every quantity on the device into one float64 vector of length <see cref="PackedLength"/>.
    /// Call after backward and before the optimizer step. The result belongs to the caller's dispose scope; every
    /// temporary is freed before it returns.</summary>
    /// <remarks>The predicted ⟨w,g⟩ and c are NaN for a layer whose batch variance the last forward pass did not capture
    /// (<see cref="Vgg11Bn.CaptureBatchVariance"/> off, or evaluation mode).</remarks>
    /// <exception cref="InvalidOperationException">A conv weight or a BN γ has no gradient (call after backward).</exception>
    public Tensor Pack()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ObjectDisposedException.ThrowIf(_disposed, this);
        _rows ??= empty(_model.ConvLayers.Max(l => 3 * l.Filters * FanIn(l)), dtype: ScalarType.Float64,
            device: _model.ConvLayers[0].Conv.weight!.device).DetachFromDisposeScope();
        var parts = new List<Tensor>(_model.ConvLayers.Count + 2);
        if (_host) parts.Add(HostGrams());
        else foreach (int i in _groups.SelectMany(g => g))            // the packed order: groups in turn, layers in order
        {
            var p = _optimizer.Parameters[_convIndex[i]];
            var grad = p.grad ?? throw new InvalidOperationException($"{_model.ConvLayers[i].Name}.weight has no gradient: measure after backward.");
            var layer = _model.ConvLayers[i];
            long f = layer.Filters, k = FanIn(layer);
            var rows = _rows.narrow(0, 0, 3 * f * k).view(f, 3, k);    // [F, 3, K] float64: rows w, g, v of each filter
            rows.select(1, 0).copy_(p.flatten(1));                      // the float32 → float64 conversion happens in the copy
            rows.select(1, 1).copy_(grad.flatten(1));
            if (_optimizer.Velocity(_convIndex[i]) is { } v) rows.select(1, 2).copy_(v.flatten(1));
            else rows.select(1, 2).zero_();
            parts.Add(bmm(rows, rows.transpose(1, 2)).flatten());       // [F, 3, 3] Gram matrices
        }
        parts.Add(BatchNormPrediction());
        parts.Add(TranslationSums());
        return scope.MoveToOuter(cat(parts, 0));
    }

    // On the CPU with float32 weights: every conv's per-filter Gram matrices by the fused kernel in its exact mode (products
    // of the float32 values exact in float64, float64 sums: the float64 batched product's numbers up to summation order),
    // in the packed order, as one float64 tensor.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    private Tensor HostGrams()
    {
        _grams ??= new double[GramSize * _filters];
        int at = 0;
        foreach (int i in _groups.SelectMany(g => g))
        {
            var p = _optimizer.Parameters[_convIndex[i]];
            var grad = p.grad ?? throw new InvalidOperationException($"{_model.ConvLayers[i].Name}.weight has no gradient: measure after backward.");
            var v = _optimizer.Velocity(_convIndex[i]);
            long f = _model.ConvLayers[i].Filters, k = FanIn(_model.ConvLayers[i]);
            if (_moments is null || _moments.Length < f * MomentKernel.Width) _moments = new double[f * MomentKernel.Width];
            HostTensors.Moments(p, grad, v, 1, f, k, _moments, exact: true);
            for (long c = 0; c < f; c++, at += GramSize)
            {
                var m = _moments.AsSpan((int)(c * MomentKernel.Width), MomentKernel.Width);
                var gram = _grams.AsSpan(at, GramSize);
                gram[0] = m[MomentKernel.WW]; gram[1] = gram[3] = m[MomentKernel.WG]; gram[2] = gram[6] = m[MomentKernel.WV];
                gram[4] = m[MomentKernel.GG]; gram[5] = gram[7] = m[MomentKernel.GV]; gram[8] = m[MomentKernel.VV];
            }
        }
        return HostTensors.Float64(_grams);
    }

    /// <summary>Frees the float64 work buffers (they are allocated again if <see cref="Pack"/> is called after this).</summary>
    public void Dispose()
    {
        _rows?.Dispose();
        _rows = null;
        _disposed = true;
    }

    /// <summary>Reads a packed vector (from <see cref="Pack"/>, copied to the host) starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <paramref name="offset"/> + <see cref="PackedLength"/>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    public StepMeasurement Unpack(long step, ReadOnlySpan<double> packed, int offset = 0)
    {
        if (offset < 0 || packed.Length - offset < PackedLength)
            throw new ArgumentException($"A packed measurement needs {PackedLength} values from offset {offset}; the span holds {packed.Length}.", nameof(packed));
        var layers = new List<LayerMeasurement>(_model.ConvLayers.Count);
        for (int l = 0; l < _model.ConvLayers.Count; l++)
        {
            var layer = _model.ConvLayers[l];
            int f = (int)layer.Filters;
            var ww = new double[f];
            var gg = new double[f];
            var vv = new double[f];
            var wg = new double[f];
            var wv = new double[f];
            int bn = offset + GramSize * _filters + _channelOffset[l];
            var predicted = packed.Slice(bn, f).ToArray();
            var variance = packed.Slice(bn + _filters, f).ToArray();
            for (int k = 0, at = offset + _layerOffset[l]; k < f; k++, at += GramSize)
            {
                ww[k] = packed[at + WeightWeight];
                gg[k] = packed[at + GradGrad];
                vv[k] = packed[at + VelocityVelocity];
                wg[k] = packed[at + WeightGrad];
                wv[k] = packed[at + WeightVelocity];
            }
            layers.Add(new LayerMeasurement(layer.Name, new FilterStatistics(ww, gg, vv, wg, wv, predicted, variance)));
        }
        int t = offset + (GramSize + 2) * _filters;
        return new StepMeasurement(step, layers, new TranslationMeasurement(packed[t], packed[t + 1], packed[t + 2], packed[t + 3]));
    }

    // [predicted ⟨w,g⟩ (all filters, layer order), c (same order)] in float64: ⟨g,w⟩ = ε/(c+ε)·γ·∂f/∂γ
    // (theory/05-learning-dynamics.md#eq-5-7). For ε = 0 the prediction is exactly 0 (not 0·γ·∂f/∂γ/c, which is NaN for a
    // constant channel, c = 0). Layers without a captured c get NaN for both.
    private Tensor BatchNormPrediction()
    {
        var layers = _model.ConvLayers;
        var device = layers[0].Norm.weight!.device;
        var captured = _model.BatchVariances;
        var c = cat(layers.Select((l, i) => captured[i]?.to(ScalarType.Float64)
            ?? full(l.Filters, double.NaN, dtype: ScalarType.Float64, device: device)).ToArray(), 0);
        var gamma = cat(layers.Select(l => l.Norm.weight!.detach()).ToArray(), 0).to(ScalarType.Float64);
        var gammaGrad = cat(layers.Select(l => l.Norm.weight!.grad
            ?? throw new InvalidOperationException($"{l.Name}'s BN weight γ has no gradient: measure after backward.")).ToArray(), 0).to(ScalarType.Float64);
        double eps = _model.Options.BatchNormEpsilon;
        var predicted = eps == 0 ? zeros_like(c).where(c.isnan().logical_not(), c) : gamma * gammaGrad * (eps / (c + eps));
        return cat([predicted, c], 0);
    }

    // [|Σ_c W_c|², |Σ_c ∂f/∂W_c|², Σ_c b_c, Σ_c ∂f/∂b_c] in float64.
    private Tensor TranslationSums()
    {
        var ow = _optimizer.Parameters[_outputWeightIndex];
        var classSums = stack([ow, ow.grad ?? zeros_like(ow)]).to(ScalarType.Float64).sum(1);     // [2, H]
        var squares = classSums.square().sum(1);                                                      // [2]
        if (_outputBiasIndex < 0) return cat([squares, zeros(2, dtype: ScalarType.Float64, device: ow.device)], 0);
        var ob = _optimizer.Parameters[_outputBiasIndex];
        return cat([squares, stack([ob, ob.grad ?? zeros_like(ob)]).to(ScalarType.Float64).sum(1)], 0);
    }

    /// <summary>Where this measurement's packed vector holds the per-filter row-major 3×3 Gram matrices of (w, g, v) of the
    /// optimizer's parameter <paramref name="parameterIndex"/> (9 values per filter, filters in order), if it is one of the
    /// BN-preceded convs.</summary>
    internal bool TryGetGramOffset(int parameterIndex, out int offset)
    {
        for (int i = 0; i < _convIndex.Length; i++)
            if (_convIndex[i] == parameterIndex)
            {
                offset = _layerOffset[i];
                return true;
            }
        offset = -1;
        return false;
    }

    /// <summary>Number of BN-preceded conv filters (the length of <see cref="AngularUpdate(IReadOnlyList{Tensor})"/>).</summary>
    public int FilterCount => _filters;

    /// <summary>Copies of the conv weights, [F, K] per layer, before an update (dispose with the caller's scope): float64, or
    /// float32 where the angles are formed on the host (which widens each value exactly).</summary>
    public IReadOnlyList<Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return [.. _convIndex.Select(i => _host ? _optimizer.Parameters[i].detach().flatten(1).clone()
            : _optimizer.Parameters[i].detach().flatten(1).to(ScalarType.Float64))];
    }

    /// <summary>Per filter (layer order), the angle between the snapshot and the current weights:
    /// 2·asin(|ŵ' − ŵ|/2), accurate for small angles (float64 [FilterCount]).</summary>
    public Tensor AngularUpdate(IReadOnlyList<Tensor> before)
    {
        ArgumentNullException.ThrowIfNull(before);
        using var noGrad = no_grad();
        if (_host && before.All(t => t.dtype == ScalarType.Float32)) return HostAngles(before);
        var parts = new Tensor[_convIndex.Length];
        for (int l = 0; l < _convIndex.Length; l++)
        {
            var w0 = before[l];
            var w1 = _optimizer.Parameters[_convIndex[l]].detach().flatten(1).to(ScalarType.Float64);
            var u0 = w0 / w0.norm(1, true);
            var u1 = w1 / w1.norm(1, true);
            parts[l] = (u1 - u0).norm(1).div(2).clamp(max: 1).asin().mul(2);
        }
        return cat(parts, 0);
    }

    // The same angles in float64 on the host: per filter |w|² and |w'|², then |ŵ' − ŵ|² summed over the normalised values.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // once per measured step: optimised from the first call
    private Tensor HostAngles(IReadOnlyList<Tensor> before)
    {
        var angles = new double[_filters];
        int at = 0;
        for (int l = 0; l < _convIndex.Length; l++)
        {
            var w1 = HostTensors.Contiguous(_optimizer.Parameters[_convIndex[l]]);
            var w0 = HostTensors.Contiguous(before[l]);
            ReadOnlySpan<float> a = HostTensors.Floats(w0), b = HostTensors.Floats(w1);
            int f = (int)_model.ConvLayers[l].Filters, k = (int)FanIn(_model.ConvLayers[l]);
            for (int c = 0; c < f; c++, at++) angles[at] = MomentKernel.Angle(a.Slice(c * k, k), b.Slice(c * k, k));
        }
        return HostTensors.Float64(angles);
    }

    /// <summary>Attaches the angles (from <see cref="AngularUpdate(IReadOnlyList{Tensor})"/>, on the host) to a measurement.</summary>
    public StepMeasurement WithAngles(StepMeasurement measurement, ReadOnlySpan<double> angles)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var layers = new List<LayerMeasurement>(measurement.Layers.Count);
        for (int l = 0; l < measurement.Layers.Count; l++)
        {
            var layer = measurement.Layers[l];
            layers.Add(layer with { Filters = layer.Filters with { AngularUpdate = angles.Slice(_channelOffset[l], layer.Filters.Count).ToArray() } });
        }
        return measurement with { Layers = layers };
    }

    private static long FanIn(ConvBnLayer layer) => layer.Conv.weight!.numel() / layer.Filters;
}

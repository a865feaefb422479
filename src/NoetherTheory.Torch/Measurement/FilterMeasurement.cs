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
public sealed record FilterStatistics(double[] WeightNormSq, double[] GradNormSq, double[] VelocityNormSq, double[] WeightDotGrad, double[] WeightDotVelocity)
{
    /// <summary>Number of filters.</summary>
    public int Count => WeightNormSq.Length;
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
public sealed class FilterMeasurement
{
    private readonly Vgg11Bn _model;
    private readonly HeavyBall _optimizer;
    private readonly int[] _convIndex;
    private readonly int _outputWeightIndex;
    private readonly int _outputBiasIndex;

    /// <summary>Binds to a model and the optimizer that updates its parameters (in model.parameters() order).</summary>
    /// <exception cref="ArgumentException">The optimizer does not hold the model's conv or output parameters.</exception>
    public FilterMeasurement(Vgg11Bn model, HeavyBall optimizer)
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
    }

    /// <summary>Number of float64 values <see cref="Pack"/> produces.</summary>
    public int PackedLength => 5 * (int)_model.ConvLayers.Sum(l => l.Filters) + 4;

    /// <summary>Computes every quantity on the device into one float64 vector of length <see cref="PackedLength"/>.
    /// Call after backward and before the optimizer step. The result belongs to the caller's dispose scope.</summary>
    /// <exception cref="InvalidOperationException">A conv weight has no gradient (call after backward).</exception>
    public Tensor Pack()
    {
        var parts = new List<Tensor>();
        using (no_grad())
        {
            for (int i = 0; i < _convIndex.Length; i++)
            {
                var p = _optimizer.Parameters[_convIndex[i]];
                var w = p.detach().flatten(1).to(ScalarType.Float64);
                var g = (p.grad ?? throw new InvalidOperationException($"{_model.ConvLayers[i].Name}.weight has no gradient: measure after backward."))
                    .flatten(1).to(ScalarType.Float64);
                var v = _optimizer.Velocity(_convIndex[i])?.flatten(1).to(ScalarType.Float64) ?? zeros_like(w);
                parts.Add(stack([w.square().sum(1), g.square().sum(1), v.square().sum(1), (w * g).sum(1), (w * v).sum(1)]).flatten());
            }
            var ow = _optimizer.Parameters[_outputWeightIndex];
            var wsum = ow.detach().to(ScalarType.Float64).sum(0);
            var gsum = (ow.grad ?? zeros_like(ow)).to(ScalarType.Float64).sum(0);
            Tensor bsum, bgsum;
            if (_outputBiasIndex >= 0)
            {
                var ob = _optimizer.Parameters[_outputBiasIndex];
                bsum = ob.detach().to(ScalarType.Float64).sum();
                bgsum = (ob.grad ?? zeros_like(ob)).to(ScalarType.Float64).sum();
            }
            else
            {
                bsum = zeros(1, dtype: ScalarType.Float64, device: ow.device).sum();
                bgsum = bsum.clone();
            }
            parts.Add(stack([wsum.square().sum(), gsum.square().sum(), bsum, bgsum]));
            return cat(parts, 0);
        }
    }

    /// <summary>Reads a packed vector (from <see cref="Pack"/>, copied to the host) starting at <paramref name="offset"/>.</summary>
    public StepMeasurement Unpack(long step, ReadOnlySpan<double> packed, int offset = 0)
    {
        var layers = new List<LayerMeasurement>(_model.ConvLayers.Count);
        int at = offset;
        foreach (var layer in _model.ConvLayers)
        {
            int f = (int)layer.Filters;
            var take = new double[5][];
            for (int k = 0; k < 5; k++) take[k] = packed.Slice(at + k * f, f).ToArray();
            layers.Add(new LayerMeasurement(layer.Name, new FilterStatistics(take[0], take[1], take[2], take[3], take[4])));
            at += 5 * f;
        }
        var t = new TranslationMeasurement(packed[at], packed[at + 1], packed[at + 2], packed[at + 3]);
        return new StepMeasurement(step, layers, t);
    }
}

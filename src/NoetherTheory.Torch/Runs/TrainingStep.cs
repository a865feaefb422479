using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runs;

/// <summary>What one training step reports to the host.</summary>
public enum StepLogging
{
    /// <summary>Nothing: the step only queues device work and never waits for the device.</summary>
    None,

    /// <summary>Mean loss and accuracy since the previous logged step (one host transfer).</summary>
    Log,

    /// <summary>Loss, accuracy and <see cref="FilterMeasurement"/> of q_n, g_n, v_n (one host transfer).</summary>
    LogAndMeasure,
}

/// <summary>Options of a <see cref="TrainingStep"/>.</summary>
/// <param name="Augmentation">Augmentation of each batch (null: none).</param>
/// <param name="ConstrainFilterNorms">After every update, rescale each BN-preceded conv filter to its norm at construction
/// (theory/05-learning-dynamics.md#eq-5-6).</param>
public sealed record TrainingStepOptions(AugmentationOptions? Augmentation = null, bool ConstrainFilterNorms = false);

/// <summary>The first non-finite value a run met.</summary>
/// <param name="Step">The step n it appeared at.</param>
/// <param name="Quantity">What was not finite: "loss", "gradient" (of at least one parameter), or a measured value
/// ("measured g2 of features.0 filter 3").</param>
public sealed record NonFiniteValue(long Step, string Quantity)
{
    /// <summary>"non-finite loss at step 12".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"non-finite {Quantity} at step {Step}");
}

/// <summary>The host values of a logged step.</summary>
/// <param name="Step">Step index n.</param>
/// <param name="Loss">Mean training loss over the steps since the previous logged step, this one included.</param>
/// <param name="Accuracy">Training accuracy over the same steps.</param>
/// <param name="StepsAveraged">Number of steps the means cover.</param>
/// <param name="Measurement">The filter measurement (null unless <see cref="StepLogging.LogAndMeasure"/>).</param>
/// <param name="NonFinite">The first step (up to this one) whose loss or gradient was not finite, tracked on the device at
/// every step and reported with the logged values (null: all finite so far).</param>
public sealed record LoggedStep(long Step, double Loss, double Accuracy, long StepsAveraged, StepMeasurement? Measurement,
    NonFiniteValue? NonFinite = null)
{
    /// <summary>The symmetry groups' measurement at a measured step (null when the step measures no groups).</summary>
    public GroupStepMeasurement? Groups { get; init; }

    /// <summary>The BN-ε prediction of the measured scale groups that feed batch normalisations at a measured step (null when
    /// no measured group has one; <see cref="GroupBatchNormPrediction"/>).</summary>
    public GroupPredictionStep? GroupPredictions { get; init; }
}

/// <summary>
/// One training step of <see cref="Trainer"/>, reusable on its own (the train benchmark times exactly this): assemble the
/// batch, forward, cross-entropy, backward, accumulate loss and accuracy on the device, at a logged step copy the
/// accumulators (and the measurement) to the host once, update with the <see cref="TrainingOptimizer"/> (heavy ball or Adam), and optionally constrain
/// the filter norms.
/// </summary>
/// <remarks>
/// <para>Measurements are of q_n, g_n = ∇f(q_n) and v_n before update n (theory/05-learning-dynamics.md#eq-5-1), with
/// the BN batch variances of the same forward pass for the predicted ⟨w,g⟩ (theory/05-learning-dynamics.md#eq-5-7).
/// A step with <see cref="StepLogging.None"/> performs no host transfer and no synchronisation: random draws for
/// augmentation come from the host generator and reach the device by non-blocking copies.</para>
/// <para>The step owns its accumulators and the initial filter norms (both saved in checkpoints); the model,
/// optimizer and generator belong to the caller.</para>
/// </remarks>
public sealed class TrainingStep : IDisposable
{
    private readonly Generator? _generator;
    private readonly Tensor[] _initialNorms;
    private readonly List<PendingStep> _pending = [];
    private ImageDataset? _checkedData;   // the data set InputGuard last accepted (checked once per data set)
    // int64 [2] on the device: (first step whose loss or gradient was not finite, or −1; 1 loss, 2 gradient, 3 both).
    private readonly Tensor _firstNonFinite;

    // A logged step whose values are still on the device: the header [Σloss, Σcorrect, first non-finite step, its code] and,
    // when measured, the packed measurement; on the CPU the header is read on the host (HostHeader, then not in Values, which
    // is null when nothing else is packed), as are the groups' measurement and BN-ε prediction when formed there.
    private sealed record PendingStep(long Step, long StepsAveraged, long Batch, Tensor? Values, bool Measured)
    {
        public double[]? HostHeader { get; init; }

        public GroupStepMeasurement? HostGroups { get; init; }

        public GroupPredictionStep? HostPredictions { get; init; }
    }

    /// <summary>Binds a step to a model on its training device, its optimizer and the run's host generator.</summary>
    /// <param name="model">The network, already on its device.</param>
    /// <param name="optimizer">The optimizer over <paramref name="model"/>'s parameters.</param>
    /// <param name="options">Augmentation and the filter constraint.</param>
    /// <param name="generator">CPU generator for augmentation draws (null: torch's global generator).</param>
    /// <exception cref="ArgumentException">The optimizer does not hold the model's conv or output parameters.</exception>
    public TrainingStep(Vgg11Bn model, TrainingOptimizer optimizer, TrainingStepOptions options, Generator? generator = null)
        : this(model, model, model.Options.InputChannels, model.Options.InputSize, model.Options.Classes, optimizer, options, generator, null, null)
    {
    }

    /// <summary>Binds a step to any described network on its training device (VGG11-BN keeps its per-filter measurement),
    /// its optimizer, the run's host generator and the symmetry groups measured at measured steps.</summary>
    /// <param name="network">The network, already on its device.</param>
    /// <param name="optimizer">The optimizer over the network's parameters.</param>
    /// <param name="options">Augmentation and the filter constraint (VGG11-BN only).</param>
    /// <param name="generator">CPU generator for augmentation draws (null: torch's global generator).</param>
    /// <param name="groups">Groups measured by <see cref="GroupMeasurement"/> at every measured step (null or empty: none).</param>
    /// <exception cref="ArgumentException">The optimizer does not hold the measured parameters, a group does not fit the
    /// network, or the filter constraint is asked of a network without BN-preceded convs.</exception>
    public TrainingStep(Network network, TrainingOptimizer optimizer, TrainingStepOptions options, Generator? generator = null,
        IReadOnlyList<SymmetryGroup>? groups = null)
        : this(network?.Module as Vgg11Bn, network?.Module ?? throw new ArgumentNullException(nameof(network)), network.Config.InputChannels,
            network.Config.InputSize, network.Config.Classes, optimizer, options, generator, groups, network.Description)
    {
    }

    private TrainingStep(Vgg11Bn? vgg, nn.Module<Tensor, Tensor> module, int channels, int size, int classes, TrainingOptimizer optimizer,
        TrainingStepOptions options, Generator? generator, IReadOnlyList<SymmetryGroup>? groups, ModelDescription? description)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConstrainFilterNorms && vgg is null)
            throw new ArgumentException("the filter-norm constraint applies to VGG11-BN's BN-preceded convs only.", nameof(options));
        Module = module;
        _vgg = vgg;
        _input = (channels, size, classes);
        Optimizer = optimizer;
        Options = options;
        _generator = generator;
        Measurement = vgg is null ? null : new FilterMeasurement(vgg, optimizer);
        if (groups is { Count: > 0 }) Groups = new GroupMeasurement(groups, module.named_parameters(), optimizer, Measurement);
        if (groups is { Count: > 0 } && description is not null)
        {
            var prediction = new GroupBatchNormPrediction(groups, description, module);
            if (prediction.PackedLength > 0) BatchNormPrediction = prediction;
            else prediction.Dispose();
        }
        var device = optimizer.Parameters[0].device;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        LossSum = zeros(1, dtype: ScalarType.Float64, device: device).squeeze().DetachFromDisposeScope();
        CorrectSum = zeros(1, dtype: ScalarType.Float64, device: device).squeeze().DetachFromDisposeScope();
        _firstNonFinite = tensor(new long[] { -1, 0 }).to(device).DetachFromDisposeScope();
        _initialNorms = options.ConstrainFilterNorms
            ? vgg!.ConvLayers.Select(l => l.Conv.weight!.flatten(1).norm(1, false, 2).DetachFromDisposeScope()).ToArray()
            : [];
    }

    private readonly Vgg11Bn? _vgg;
    private readonly (int Channels, int Size, int Classes) _input;

    /// <summary>The network's module.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The optimizer.</summary>
    public TrainingOptimizer Optimizer { get; }

    /// <summary>The options.</summary>
    public TrainingStepOptions Options { get; }

    /// <summary>The per-filter measurement packed at <see cref="StepLogging.LogAndMeasure"/> steps (VGG11-BN only; null
    /// for the other networks).</summary>
    public FilterMeasurement? Measurement { get; }

    /// <summary>The symmetry groups' measurement packed at <see cref="StepLogging.LogAndMeasure"/> steps (null: none).</summary>
    public GroupMeasurement? Groups { get; }

    /// <summary>The BN-ε prediction of the measured scale groups that feed batch normalisations, packed after
    /// <see cref="Groups"/> at <see cref="StepLogging.LogAndMeasure"/> steps (null: no measured group has one).</summary>
    public GroupBatchNormPrediction? BatchNormPrediction { get; }

    /// <summary>Steps accumulated since the previous logged step.</summary>
    public long StepsSinceLog { get; internal set; }

    /// <summary>float64 scalar: Σ loss since the previous logged step (checkpointed).</summary>
    internal Tensor LossSum { get; }

    /// <summary>float64 scalar: number of correct predictions since the previous logged step (checkpointed).</summary>
    internal Tensor CorrectSum { get; }

    /// <summary>Per conv layer, the filter norms the constraint restores (empty without it; checkpointed).</summary>
    internal IReadOnlyList<Tensor> InitialNorms => _initialNorms;

    /// <summary>Runs step <paramref name="step"/> on the images of <paramref name="data"/> at <paramref name="indices"/>.</summary>
    /// <param name="step">Step index n (labels the measurement).</param>
    /// <param name="data">The training set, on the model's device.</param>
    /// <param name="indices">int64 indices of the batch, on the same device.</param>
    /// <param name="learningRate">η of this update.</param>
    /// <param name="logging">What to report to the host.</param>
    /// <returns>The host values at a logged step; null otherwise, and null at every step while
    /// <see cref="DeferTransfers"/> is on (<see cref="Flush"/> returns them).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The data set does not fit the model (device, channels, size, labels) or the indices
    /// are not an int64 vector on its device: checked here because a libtorch error may be fatal on some hosts.</exception>
    public LoggedStep? Run(long step, ImageDataset data, Tensor indices, double learningRate, StepLogging logging)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        if (!ReferenceEquals(data, _checkedData))
        {
            InputGuard.CheckDataset(Optimizer.Parameters[0].device, _input.Channels, _input.Size, _input.Classes, data);
            _checkedData = data;
        }
        InputGuard.CheckIndices(data, indices);
        using var scope = NewDisposeScope();
        var x = BatchPipeline.Assemble(data, indices, Options.Augmentation, _generator);
        var y = data.Labels.index_select(0, indices);
        Module.train();
        // The BN batch variances for the ε prediction are kept only when this step is measured (no cost otherwise).
        if (_vgg is not null) _vgg.CaptureBatchVariance = logging == StepLogging.LogAndMeasure && Measurement is not null;
        if (BatchNormPrediction is not null) BatchNormPrediction.Capture = logging == StepLogging.LogAndMeasure;
        var logits = Module.call(x);
        var loss = nn.functional.cross_entropy(logits, y);
        Optimizer.ZeroGrad();
        loss.backward();
        using (no_grad())
        {
            LossSum.add_(loss.detach().to(ScalarType.Float64));
            CorrectSum.add_(logits.argmax(1).eq(y).sum().to(ScalarType.Float64));
            TrackNonFinite(step, loss);
        }
        StepsSinceLog++;

        LoggedStep? logged = null;
        IReadOnlyList<Tensor>? before = null;
        Tensor? groupPack = null, predictionPack = null;
        GroupStepMeasurement? hostGroups = null;
        GroupPredictionStep? hostPredictions = null;
        bool fused = false;
        if (logging != StepLogging.None)
        {
            bool measure = logging == StepLogging.LogAndMeasure;
            if (measure && Measurement is not null) before = Measurement.Snapshot();   // for the angle turned by this step's update
            // The header, computed before the update below: read in place on the CPU (no tensor operation), else packed.
            var hostHeader = HostHeader();
            Tensor? values = hostHeader is null ? cat([stack([LossSum, CorrectSum]), _firstNonFinite.to(ScalarType.Float64)], 0) : null;
            var filterPack = measure && Measurement is not null ? Measurement.Pack() : null;
            if (filterPack is not null) values = values is null ? filterPack : cat([values, filterPack], 0);
            // The groups' values (reusing the convs' Gram matrices) and the BN-ε predictions go after the angles, which only
            // the update gives; with heavy ball on the CPU the groups' largest tables are formed in the update's own pass.
            // Formed on the host (every CPU run), they stay there, unpacked, beside the pending tensor.
            if (measure && Groups is not null)
            {
                fused = Groups.CanFuse;
                if (fused) Groups.BeginFused(filterPack);
                else if (Groups.OnHost) hostGroups = Groups.MeasureOnHost(step, filterPack);
                else groupPack = Groups.Pack(filterPack);
            }
            if (measure && BatchNormPrediction is not null)
            {
                hostPredictions = BatchNormPrediction.PredictOnHost(step);
                if (hostPredictions is null) predictionPack = BatchNormPrediction.Pack();
            }
            _pending.Add(new PendingStep(step, StepsSinceLog, indices.shape[0], values?.DetachFromDisposeScope(), measure)
            {
                HostHeader = hostHeader,
                HostGroups = hostGroups,
                HostPredictions = hostPredictions,
            });
            if (hostHeader is not null)
            {
                HostTensors.DoublesInPlace(LossSum)[0] = 0;
                HostTensors.DoublesInPlace(CorrectSum)[0] = 0;
            }
            else
            {
                LossSum.zero_();
                CorrectSum.zero_();
            }
            StepsSinceLog = 0;
        }

        Optimizer.Step(learningRate);
        if (fused) _pending[^1] = _pending[^1] with { HostGroups = Groups!.EndFused(step) };
        if (Options.ConstrainFilterNorms) ConstrainFilters();
        if (before is not null || groupPack is not null || predictionPack is not null)
        {
            // [header, filter measurement] then the angles, the groups' values and the BN-ε predictions, as Flush reads them.
            var last = _pending[^1];
            var parts = new List<Tensor>();
            if (last.Values is not null) parts.Add(last.Values);
            if (before is not null) parts.Add(Measurement!.AngularUpdate(before));
            if (groupPack is not null) parts.Add(groupPack);
            if (predictionPack is not null) parts.Add(predictionPack);
            _pending[^1] = last with { Values = (parts.Count == 1 ? parts[0] : cat(parts, 0)).DetachFromDisposeScope() };
            last.Values?.Dispose();
        }
        if (logging != StepLogging.None && !DeferTransfers) logged = Flush()[0];
        return logged;
    }

    /// <summary>
    /// When on, a logged step's values (loss and accuracy sums, and the packed measurement) stay on the device and reach
    /// the host together, in one transfer, at <see cref="Flush"/>: one device synchronisation per flush instead of one per
    /// logged step, so the host can keep queueing work while the device computes (what makes measuring every step cheap on
    /// a GPU). The values are computed at their step, before its update, exactly as without deferral.
    /// </summary>
    public bool DeferTransfers { get; set; }

    /// <summary>Logged steps whose values are still on the device.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Copies every pending logged step to the host in one transfer and returns them in step order.</summary>
    public IReadOnlyList<LoggedStep> Flush()
    {
        if (_pending.Count == 0) return [];
        double[] host = [];
        var packed = _pending.Where(p => p.Values is not null).Select(p => p.Values!).ToArray();
        if (packed.Length > 0)
        {
            using var scope = NewDisposeScope();
            var all = packed.Length == 1 ? packed[0] : cat(packed, 0);
            // The one host transfer, then one block copy into a reused array (the tensor accessor's ToArray reads element by
            // element, and a fresh array of this size is a large-object allocation per flush, which brings full collections).
            // Nothing returned keeps it: the unpacking copies what it keeps.
            var values = HostTensors.Doubles(all.cpu());
            if (_host is null || _host.Length < values.Length) _host = new double[values.Length];
            host = _host;
            values.CopyTo(host);
        }
        var result = new List<LoggedStep>(_pending.Count);
        int at = 0;
        foreach (var p in _pending)
        {
            StepMeasurement? filters = null;
            GroupStepMeasurement? groups = null;
            GroupPredictionStep? predictions = null;
            // The header read on the host at the step, else the first values of the step's packed block.
            var header = p.HostHeader ?? host.AsSpan(at, Header).ToArray();
            int next = p.HostHeader is null ? at + Header : at;
            if (p.Measured && Measurement is not null)
            {
                filters = Measurement.WithAngles(Measurement.Unpack(p.Step, host, next), host.AsSpan(next + Measurement.PackedLength, Measurement.FilterCount));
                next += Measurement.PackedLength + Measurement.FilterCount;
            }
            if (p.HostGroups is not null) groups = p.HostGroups;
            else if (p.Measured && Groups is not null)
            {
                groups = Groups.Unpack(p.Step, host, next);
                next += Groups.PackedLength;
            }
            if (p.HostPredictions is not null) predictions = p.HostPredictions;
            else if (p.Measured && BatchNormPrediction is not null)
            {
                predictions = BatchNormPrediction.Unpack(p.Step, host, next);
                next += BatchNormPrediction.PackedLength;
            }
            result.Add(new LoggedStep(p.Step, header[0] / p.StepsAveraged, header[1] / (p.StepsAveraged * (double)p.Batch), p.StepsAveraged,
                filters, Describe((long)header[2], (long)header[3])) { Groups = groups, GroupPredictions = predictions });
            at = next;
            p.Values?.Dispose();
        }
        _pending.Clear();
        return result;
    }

    /// <summary>The first non-finite loss or gradient so far, read from the device (one synchronisation: the trainer calls
    /// it only before writing a checkpoint, which synchronises anyway).</summary>
    public NonFiniteValue? PeekNonFinite()
    {
        var host = _firstNonFinite.cpu().data<long>().ToArray();
        return Describe(host[0], host[1]);
    }

    // Σloss, Σcorrect, first non-finite step, its quantity code: the values before the measurement in each packed step.
    private const int Header = 4;

    private double[]? _host;

    // On the CPU: Σloss, Σcorrect and the first non-finite step and its code, read from the tensors' storage (the values the
    // packed header would hold); null on other devices.
    private double[]? HostHeader()
    {
        if (LossSum.device_type != TorchSharp.DeviceType.CPU || _firstNonFinite.device_type != TorchSharp.DeviceType.CPU) return null;
        var nonFinite = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(_firstNonFinite.bytes);
        return [HostTensors.DoublesInPlace(LossSum)[0], HostTensors.DoublesInPlace(CorrectSum)[0], nonFinite[0], nonFinite[1]];
    }

    private static NonFiniteValue? Describe(long step, long code) => step < 0 ? null
        : new NonFiniteValue(step, code switch { 1 => "loss", 2 => "gradient", _ => "loss and gradient" });

    // Marks the first step whose loss or any gradient is not finite, on the device (a few element-wise kernels, no host
    // synchronisation): a gradient's float64 sum is finite exactly when all its elements are (barring an overflow of the sum,
    // which only a diverging run reaches).
    private void TrackNonFinite(long step, Tensor loss)
    {
        var parts = new List<Tensor> { loss.detach().to(ScalarType.Float64).reshape(1) };
        foreach (var p in Optimizer.Parameters)
            if (p.grad is { } g) parts.Add(g.sum(ScalarType.Float64).reshape(1));
        var bad = isfinite(cat(parts, 0)).logical_not();
        var code = bad[0].to(ScalarType.Int64) + (parts.Count > 1 ? bad.narrow(0, 1, parts.Count - 1).any().to(ScalarType.Int64) * 2 : zeros_like(bad[0], ScalarType.Int64));
        var first = _firstNonFinite.select(0, 0);
        var quantity = _firstNonFinite.select(0, 1);
        var newly = first.lt(0).logical_and(code.gt(0));
        quantity.copy_(where(newly, code, quantity));
        first.masked_fill_(newly, step);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _firstNonFinite.Dispose();
        foreach (var p in _pending) p.Values?.Dispose();
        _pending.Clear();
        LossSum.Dispose();
        CorrectSum.Dispose();
        Measurement?.Dispose();
        Groups?.Dispose();
        BatchNormPrediction?.Dispose();
        foreach (var t in _initialNorms) t.Dispose();
    }

    // q ← q·|q(0)|/|q| per filter, after every step.
    private void ConstrainFilters()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _initialNorms.Length; i++)
        {
            var w = _vgg!.ConvLayers[i].Conv.weight!;
            var norm = w.flatten(1).norm(1, false, 2);
            w.mul_((_initialNorms[i] / norm).view(-1, 1, 1, 1));
        }
    }
}

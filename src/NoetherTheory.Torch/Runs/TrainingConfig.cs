using System.Globalization;
using System.Text;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;

namespace NoetherTheory.Torch.Runs;

/// <summary>Which data set a run trains on.</summary>
public enum DatasetKind
{
    /// <summary><see cref="SyntheticImages"/> (tests, smoke runs).</summary>
    Synthetic,

    /// <summary><see cref="FashionMnist"/> (1×28×28, 10 classes).</summary>
    FashionMnist,

    /// <summary><see cref="TinyImageNet"/> (3×64×64, 200 classes).</summary>
    TinyImageNet,
}

/// <summary>The data of a run.</summary>
/// <param name="Kind">Which data set.</param>
/// <param name="Path">Its folder (default: Debian's Fashion-MNIST folder; required for Tiny ImageNet).</param>
/// <param name="CacheDirectory">Where decoded Tiny ImageNet is cached (default: &lt;path&gt;/.cache).</param>
/// <param name="Synthetic">Options of the synthetic set.</param>
public sealed record DatasetConfig(DatasetKind Kind = DatasetKind.FashionMnist, string? Path = null, string? CacheDirectory = null,
    SyntheticImageOptions? Synthetic = null);

/// <summary>What a run does at the first non-finite loss, gradient or measured value.</summary>
public enum NonFiniteAction
{
    /// <summary>Stop: nothing after the last finite logged step is written, no checkpoint is saved, the last good checkpoint
    /// is kept, and <see cref="Trainer.Run"/> throws <see cref="TrainingDivergedException"/> naming the step and quantity.</summary>
    Stop,

    /// <summary>Flag: train to the end, writing the non-finite rows, and name the first non-finite step and quantity in
    /// <see cref="TrainingResult.NonFinite"/> and result.yaml (<c>train</c> still exits 1).</summary>
    Flag,
}

/// <summary>
/// Everything that defines a training run. Load from YAML with <see cref="TrainingConfigLoader"/>; the run folder keeps the
/// resolved config (<see cref="ToYaml"/>) so that a run can be reproduced and resumed.
/// </summary>
/// <param name="Name">Run name.</param>
/// <param name="Seed">Seeds model initialisation, data order, augmentation and dropout.</param>
/// <param name="Dataset">Data.</param>
/// <param name="Augmentation">Training-batch augmentation.</param>
/// <param name="Model">Network options; input channels, size and classes are taken from the data set.</param>
/// <param name="Optimizer">Heavy-ball hyper-parameters (unused when <paramref name="Adam"/> is given).</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="ConstrainFilterNorms">Rescale every BN-preceded conv filter to its initial norm after each step
/// (theory/05-learning-dynamics.md#eq-5-6).</param>
/// <param name="BatchSize">Images per step (an epoch drops its last incomplete batch).</param>
/// <param name="Steps">Number of optimizer steps.</param>
/// <param name="LogEvery">Metrics are logged at steps n with n mod LogEvery = 0 and at the last step.</param>
/// <param name="MeasureEvery">Per-filter measurements at steps n with n mod MeasureEvery = 0 (a multiple of LogEvery) and at the last step.</param>
/// <param name="CheckpointEvery">Checkpoint after every CheckpointEvery steps (0: only at the end).</param>
/// <param name="KeepCheckpoints">How many periodic checkpoints to keep (older ones are deleted).</param>
/// <param name="EvalBatchSize">Batch size of the final test-set evaluation.</param>
/// <param name="MeasureWindow">Measure (and log) the MeasureWindow consecutive steps n, n+1, …, n+MeasureWindow−1 after
/// every n with n mod MeasureEvery = 0 (default 1: only n). A window of 2 gives the step pairs needed to check the exact
/// heavy-ball recursion for (|w|², ⟨w,v⟩), theory/04-numerical-integration.md#eq-4-5.</param>
/// <param name="TransferEvery">Logged values (metrics and measurements) reach the host in one transfer every TransferEvery
/// steps, and before each checkpoint and at the last step (default 1: at every logged step). Larger values let a GPU run
/// measure every step with one device synchronisation per TransferEvery steps; the rows written are the same.</param>
/// <param name="OnNonFinite">What to do at the first non-finite loss, gradient or measured value (YAML
/// <c>on_non_finite: stop | flag</c>; default stop).</param>
/// <param name="MemoryLimitGib">The run's memory limit in GiB (YAML <c>limits.memory_gib</c>; null: the environment variable
/// or default of <see cref="TrainingBudget"/>). Not part of the run's identity: <see cref="ToYaml"/> leaves it out.</param>
/// <param name="Network">A network other than VGG11-BN (YAML <c>model.kind</c>: resnet18, mlp, layernorm-net); null for VGG11-BN
/// (<see cref="Model"/>). Per-filter logs (layers.csv, filters.csv) are VGG11-BN's; every network's symmetry groups are
/// measured with <paramref name="Groups"/>.</param>
/// <param name="Adam">Adam/AdamW hyper-parameters (YAML <c>optimizer.kind: adam | adamw</c>), or null for heavy ball
/// (<c>kind: sgd</c>, the default).</param>
/// <param name="Groups">Which symmetry groups are measured at measured steps (YAML <c>measure</c> and <c>declare</c>); null:
/// none (the run folder then has no groups.csv, as before).</param>
public sealed record TrainingConfig(
    string Name,
    long Seed,
    DatasetConfig Dataset,
    AugmentationOptions Augmentation,
    Vgg11BnOptions Model,
    HeavyBallOptions Optimizer,
    LearningRateSchedule Schedule,
    bool ConstrainFilterNorms,
    int BatchSize,
    long Steps,
    int LogEvery,
    int MeasureEvery,
    int CheckpointEvery,
    int KeepCheckpoints = 2,
    int EvalBatchSize = 256,
    int MeasureWindow = 1,
    int TransferEvery = 1,
    NonFiniteAction OnNonFinite = NonFiniteAction.Stop,
    double? MemoryLimitGib = null,
    NetworkConfig? Network = null,
    AdamOptions? Adam = null,
    GroupMeasurementConfig? Groups = null)
{
    /// <summary>Largest <c>augmentation.crop_padding</c>: the side of the largest supported image (Tiny ImageNet, 64 pixels);
    /// more padding only crops zeros, and a huge value would make the padded batch too big to allocate.</summary>
    public const int MaxCropPadding = 64;

    /// <summary>Throws when a value is out of range, naming the YAML field.</summary>
    /// <exception cref="ArgumentException">A value is out of range or inconsistent.</exception>
    public void Validate()
    {
        static void Require(bool ok, string field, string message)
        {
            if (!ok) throw new ArgumentException($"{field}: {message}", field);
        }
        Require(Network is null || Network.Kind == ModelKind.Vgg11Bn || !ConstrainFilterNorms, "constrain_filter_norms",
            "applies to vgg11-bn's BN-preceded conv filters only (set it false for this model)");
        if (Network is { Kind: not ModelKind.Vgg11Bn } net) Wrap((net with { InputChannels = 1, InputSize = 8, Classes = 2 }).Validate, "model");
        Require(Groups is null || Groups.Auto || Groups.Kinds.Count > 0, "measure", "list at least one group kind (scale, rescale, translation) or say auto");
        Require(!string.IsNullOrWhiteSpace(Name) && Name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) < 0, "name", "must be a non-empty file-name-safe string");
        Require(BatchSize >= 2, "batch_size", "must be ≥ 2 (batch normalisation needs two samples)");
        Require(Steps >= 1, "steps", "must be ≥ 1");
        Require(LogEvery >= 1, "log_every", "must be ≥ 1");
        Require(MeasureEvery >= 1 && MeasureEvery % LogEvery == 0, "measure_every", "must be a positive multiple of log_every (measurements ride on the logged step's single host transfer)");
        Require(MeasureWindow >= 1 && MeasureWindow <= MeasureEvery, "measure_window", "must be between 1 and measure_every");
        Require(CheckpointEvery >= 0, "checkpoint_every", "must be ≥ 0");
        Require(TransferEvery >= 1, "transfer_every", "must be ≥ 1");
        Require(KeepCheckpoints >= 1, "keep_checkpoints", "must be ≥ 1");
        Require(EvalBatchSize >= 1, "eval_batch_size", "must be ≥ 1");
        Require(Augmentation.CropPadding is >= 0 and <= MaxCropPadding, "augmentation.crop_padding",
            string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {MaxCropPadding} pixels (the padded batch is allocated before the crop)"));
        Require(Dataset.Kind != DatasetKind.TinyImageNet || !string.IsNullOrWhiteSpace(Dataset.Path), "dataset.path", "is required for tiny-imagenet (the unpacked tiny-imagenet-200 folder)");
        Wrap(Optimizer.Validate, "optimizer");
        if (Adam is not null) Wrap(Adam.Validate, "optimizer");
        Wrap(Schedule.Validate, "schedule");
        Wrap((Model with { InputChannels = 1, InputSize = 8, Classes = 2 }).Validate, "model");
        // Training needs a step that moves and a momentum that decays (as simulate requires β < 1).
        Require(Schedule.BaseRate > 0, "optimizer.lr", "must be > 0 (a zero learning rate never moves the weights)");
        Require(Adam is not null || Optimizer.Momentum < 1, "optimizer.momentum", "must be < 1 (β ≥ 1 makes the velocity grow without bound)");
        Require(MemoryLimitGib is null || (MemoryLimitGib > 0 && double.IsFinite(MemoryLimitGib.Value)), "limits.memory_gib", "must be a positive number of GiB");
        Require(Enum.IsDefined(OnNonFinite), "on_non_finite", "must be stop or flag");
        TrainingBudget.Check(this);   // before anything is allocated: a libtorch allocation failure may end the process
    }

    /// <summary>Whether step <paramref name="step"/> is measured (its filters are written to filters.csv): inside a
    /// measurement window, or the last step.</summary>
    public bool IsMeasured(long step) => step % MeasureEvery < MeasureWindow || step == Steps - 1;

    /// <summary>Whether step <paramref name="step"/> is logged to metrics.csv: every LogEvery steps, every measured step, the last step.</summary>
    public bool IsLogged(long step) => step % LogEvery == 0 || IsMeasured(step);

    private static void Wrap(Action validate, string section)
    {
        try { validate(); }
        catch (ArgumentException e) { throw new ArgumentException($"{section}: {e.Message}", section, e); }
    }

    /// <summary>The config as YAML in the format <see cref="TrainingConfigLoader"/> reads (numbers round-trip exactly).</summary>
    public string ToYaml()
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        static string N(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        static string I(long x) => x.ToString(CultureInfo.InvariantCulture);
        static string B(bool x) => x ? "true" : "false";
        static string Q(string x) => "'" + x.Replace("'", "''", StringComparison.Ordinal) + "'";
        Line($"name: {Q(Name)}");
        Line($"seed: {I(Seed)}");
        Line($"steps: {I(Steps)}");
        Line($"batch_size: {I(BatchSize)}");
        Line($"log_every: {I(LogEvery)}");
        Line($"measure_every: {I(MeasureEvery)}");
        if (MeasureWindow != 1) Line($"measure_window: {I(MeasureWindow)}");   // omitted at 1: older run folders resume unchanged
        if (TransferEvery != 1) Line($"transfer_every: {I(TransferEvery)}");   // likewise
        if (OnNonFinite != NonFiniteAction.Stop) Line("on_non_finite: flag");   // omitted at stop: older run folders resume unchanged
        Line($"checkpoint_every: {I(CheckpointEvery)}");
        Line($"keep_checkpoints: {I(KeepCheckpoints)}");
        Line($"eval_batch_size: {I(EvalBatchSize)}");
        Line($"constrain_filter_norms: {B(ConstrainFilterNorms)}");
        Line("dataset:");
        Line($"  kind: {TrainingConfigLoader.DatasetKindName(Dataset.Kind)}");
        if (Dataset.Path is not null) Line($"  path: {Q(Dataset.Path)}");
        if (Dataset.CacheDirectory is not null) Line($"  cache: {Q(Dataset.CacheDirectory)}");
        if (Dataset.Synthetic is { } syn)
        {
            Line("  synthetic:");
            Line($"    train_count: {I(syn.TrainCount)}");
            Line($"    test_count: {I(syn.TestCount)}");
            Line($"    channels: {I(syn.Channels)}");
            Line($"    size: {I(syn.Size)}");
            Line($"    classes: {I(syn.Classes)}");
            Line($"    seed: {I(syn.Seed)}");
        }
        Line("augmentation:");
        Line($"  crop_padding: {I(Augmentation.CropPadding)}");
        Line($"  horizontal_flip: {B(Augmentation.HorizontalFlip)}");
        if (Groups is { } groups)
        {
            Line(groups.Auto ? "measure: auto" : $"measure: [{string.Join(", ", groups.Kinds.Select(GroupMeasurementConfig.NameOf))}]");
            if (groups.Declarations.Count > 0)
            {
                Line("declare:");
                foreach (string file in groups.Declarations) Line($"  - {Q(file)}");
            }
        }
        Line("model:");
        if (Network is { Kind: not ModelKind.Vgg11Bn } net)
        {
            Line($"  kind: {NetworkConfig.NameOf(net.Kind)}");
            if (net.Kind == ModelKind.ResNet18)
            {
                Line($"  width: {N(net.WidthMultiplier)}");
                Line($"  depth: {I(net.Depth)}");
                Line($"  epsilon: {N(net.NormEpsilon)}");
                Line($"  bn_momentum: {N(net.BatchNormMomentum)}");
            }
            else
            {
                Line($"  hidden: {I(net.Hidden)}");
                Line($"  depth: {I(net.Depth)}");
                Line($"  bias: {B(net.Bias)}");
                Line($"  activation: {NetworkConfig.NameOf(net.Activation)}");
                if (net.Kind == ModelKind.LayerNormNet) Line($"  epsilon: {N(net.NormEpsilon)}");
            }
        }
        else
        {
            Line($"  width: {N(Model.WidthMultiplier)}");
            Line($"  bn_epsilon: {N(Model.BatchNormEpsilon)}");
            Line($"  bn_momentum: {N(Model.BatchNormMomentum)}");
            Line($"  head: {(Model.Head == Vgg11BnHead.GapLinear ? "gap" : "classifier")}");
            Line($"  hidden: {I(Model.HiddenWidth)}");
            Line($"  dropout: {N(Model.Dropout)}");
        }
        Line("optimizer:");
        if (Adam is { } adam)
        {
            // Heavy-ball runs keep the older layout (no kind line), so their folders resume unchanged.
            Line($"  kind: {adam.RuleId}");
            Line($"  lr: {N(Schedule.BaseRate)}");
            Line($"  betas: [{N(adam.Beta1)}, {N(adam.Beta2)}]");
            Line($"  eps: {N(adam.Epsilon)}");
            Line($"  weight_decay: {N(adam.WeightDecay)}");
        }
        else
        {
            Line($"  lr: {N(Schedule.BaseRate)}");
            Line($"  momentum: {N(Optimizer.Momentum)}");
            Line($"  dampening: {N(Optimizer.Dampening)}");
            Line($"  weight_decay: {N(Optimizer.WeightDecay)}");
            Line($"  nesterov: {B(Optimizer.Nesterov)}");
            Line($"  decoupled_weight_decay: {B(Optimizer.DecoupledWeightDecay)}");
        }
        Line("schedule:");
        Line($"  milestones: [{string.Join(", ", Schedule.Milestones.Select(I))}]");
        Line($"  gamma: {N(Schedule.Gamma)}");
        return s.ToString();
    }
}

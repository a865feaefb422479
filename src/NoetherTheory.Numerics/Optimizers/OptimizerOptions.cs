using System.Globalization;

namespace NoetherTheory.Numerics.Optimizers;

/// <summary>The update rule.</summary>
public enum OptimizerKind
{
    /// <summary>q ← q − η d, d = g (+ kq when coupled).</summary>
    Gd,
    /// <summary>PyTorch SGD with momentum: buf ← β buf + (1−δ) d (buf₁ = d), q ← q − η buf (or Nesterov).</summary>
    HeavyBall,
    /// <summary>PyTorch RMSprop (not centred): s ← α s + (1−α) d², q ← q − η d/(√s + ε).</summary>
    RmsProp,
    /// <summary>PyTorch Adam/AdamW with bias correction.</summary>
    Adam,
}

/// <summary>
/// Hyperparameters of a written-out discrete optimizer. Weight decay is coupled (d = g + kq, PyTorch
/// <c>weight_decay</c>) unless <see cref="DecoupledWeightDecay"/> is set (q ← q − ηkq − η·step, SGDW/AdamW).
/// </summary>
/// <remarks>Update rules, PyTorch first step and decoupled decay: theory/01-learning-lagrangian.md#eq-1-1 (GD) and theory/01-learning-lagrangian.md#eq-1-2 (heavy ball,
/// Nesterov, decoupled weight decay); RMSProp's accumulator: theory/01-learning-lagrangian.md#eq-1-3.</remarks>
public sealed record OptimizerOptions
{
    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Gd;
    /// <summary>Learning rate η.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Heavy-ball momentum β.</summary>
    public double Momentum { get; init; }
    /// <summary>PyTorch dampening δ (not applied on the first step, as in PyTorch).</summary>
    public double Dampening { get; init; }
    /// <summary>Nesterov variant of heavy ball (PyTorch form: step d + β buf).</summary>
    public bool Nesterov { get; init; }
    /// <summary>Weight decay k (λ in NM).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Decoupled weight decay instead of coupled L2.</summary>
    public bool DecoupledWeightDecay { get; init; }
    /// <summary>RMSProp smoothing α (PyTorch default 0.99).</summary>
    public double Alpha { get; init; } = 0.99;
    /// <summary>Adam β₁.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>Adam β₂.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>ε of RMSProp/Adam.</summary>
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Per-step learning rate η_n (overrides <see cref="LearningRate"/> when set).</summary>
    public Func<int, double>? LearningRateSchedule { get; init; }
    /// <summary>Heavy-ball buffer before the first step (warm start, e.g. g₀/(1−β)); null = PyTorch start (buf₁ = d₀).</summary>
    public IReadOnlyList<double>? InitialBuffer { get; init; }
    /// <summary>Minibatch size for data models (0 = full batch).</summary>
    public int BatchSize { get; init; }
    /// <summary>Projected ("normalised") training: after each step every listed block is rescaled back to its initial
    /// norm (NLD Fig. 4's constrained filters). Empty = unconstrained.</summary>
    public IReadOnlyList<int[]> ProjectedBlocks { get; init; } = [];

    /// <summary>The learning rate of step n.</summary>
    public double LearningRateAt(int n) => LearningRateSchedule?.Invoke(n) ?? LearningRate;

    /// <summary>Checks ranges; the message names the field and the value.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string what, double value, string range)
        {
            if (!ok) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"optimizer option {what} = {value} is out of range: {range}."));
        }
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "need η > 0");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "need 0 ≤ β < 1");
        Require(Dampening >= 0 && Dampening < 1, nameof(Dampening), Dampening, "need 0 ≤ δ < 1");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "need k ≥ 0");
        Require(Alpha > 0 && Alpha < 1, nameof(Alpha), Alpha, "need 0 < α < 1");
        Require(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "need 0 ≤ β₁ < 1");
        Require(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "need 0 ≤ β₂ < 1");
        Require(Epsilon >= 0, nameof(Epsilon), Epsilon, "need ε ≥ 0");
        Require(BatchSize >= 0, nameof(BatchSize), BatchSize, "need ≥ 0 (0 = full batch)");
        if (Nesterov && (Kind != OptimizerKind.HeavyBall || Momentum <= 0 || Dampening != 0))
            throw new ArgumentException("optimizer option Nesterov needs Kind = HeavyBall, Momentum > 0 and Dampening = 0 (as in PyTorch).");
    }
}

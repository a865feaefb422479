using System.Globalization;

namespace NoetherTheory.Torch.Optimization;

/// <summary>Hyper-parameters of <see cref="HeavyBall"/> (the learning rate comes from a <see cref="LearningRateSchedule"/>).</summary>
/// <param name="Momentum">β ≥ 0. 0 is plain SGD.</param>
/// <param name="Dampening">δ ∈ [0, 1): the buffer update is v ← βv + (1 − δ)d (ignored on the first step, as PyTorch).</param>
/// <param name="WeightDecay">k ≥ 0.</param>
/// <param name="Nesterov">Step along d + βv instead of v (needs β &gt; 0 and δ = 0, as PyTorch).</param>
/// <param name="DecoupledWeightDecay">False: coupled L2, d = g + kq (PyTorch's SGD). True: d = g and q ← (1 − ηk)q after the step.</param>
public sealed record HeavyBallOptions(
    double Momentum = 0.9,
    double Dampening = 0,
    double WeightDecay = 0,
    bool Nesterov = false,
    bool DecoupledWeightDecay = false)
{
    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening.</exception>
    public void Validate()
    {
        if (!(Momentum >= 0) || !double.IsFinite(Momentum))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, Message("momentum", Momentum, "must be ≥ 0"));
        if (Dampening is < 0 or >= 1 || double.IsNaN(Dampening))
            throw new ArgumentOutOfRangeException(nameof(Dampening), Dampening, Message("dampening", Dampening, "must be in [0, 1)"));
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, Message("weight decay", WeightDecay, "must be ≥ 0"));
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening = 0 (as torch.optim.SGD).", nameof(Nesterov));
    }

    private static string Message(string what, double value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"Heavy-ball {what} = {value} {rule}.");
}

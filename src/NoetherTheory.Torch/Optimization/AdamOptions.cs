using System.Globalization;

namespace NoetherTheory.Torch.Optimization;

/// <summary>Hyper-parameters of <see cref="Adam"/> (the learning rate comes from a <see cref="LearningRateSchedule"/>);
/// the defaults are torch.optim.Adam's (AdamW's default weight decay is 0.01; here it is always given).</summary>
/// <param name="Beta1">β₁ ∈ [0, 1): the first moment's discount.</param>
/// <param name="Beta2">β₂ ∈ [0, 1): the second moment's discount.</param>
/// <param name="Epsilon">ε &gt; 0, added outside the square root of the bias-corrected second moment.</param>
/// <param name="WeightDecay">k ≥ 0.</param>
/// <param name="Decoupled">False: Adam, coupled L2 (d = g + kq). True: AdamW, q ← (1 − ηk)q before the Adam step.</param>
public sealed record AdamOptions(
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0,
    bool Decoupled = false)
{
    /// <summary>The catalog rule id of these options: <c>adamw</c> or <c>adam</c>.</summary>
    public string RuleId => Decoupled ? "adamw" : "adam";

    /// <summary>Throws when an option is out of range, naming it (the YAML names: betas, eps, weight_decay).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Beta1 is < 0 or >= 1 || double.IsNaN(Beta1))
            throw new ArgumentOutOfRangeException("betas", Beta1, Message("β₁ (betas[0])", Beta1, "must be in [0, 1)"));
        if (Beta2 is < 0 or >= 1 || double.IsNaN(Beta2))
            throw new ArgumentOutOfRangeException("betas", Beta2, Message("β₂ (betas[1])", Beta2, "must be in [0, 1)"));
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon))
            throw new ArgumentOutOfRangeException("eps", Epsilon, Message("eps", Epsilon, "must be a finite number > 0"));
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
            throw new ArgumentOutOfRangeException("weight_decay", WeightDecay, Message("weight decay", WeightDecay, "must be ≥ 0"));
    }

    private string Message(string what, double value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"{(Decoupled ? "AdamW" : "Adam")} {what} = {value} {rule}.");
}

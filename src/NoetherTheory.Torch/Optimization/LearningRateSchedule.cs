using System.Globalization;

namespace NoetherTheory.Torch.Optimization;

/// <summary>A learning rate as a function of the step index (0-based): constant, or multiplied by γ at each milestone.</summary>
/// <param name="BaseRate">η at step 0.</param>
/// <param name="Milestones">Steps at which the rate is multiplied by <paramref name="Gamma"/> (strictly increasing; empty for constant).</param>
/// <param name="Gamma">Factor applied at each milestone (PyTorch's MultiStepLR; 0.1 by default).</param>
public sealed record LearningRateSchedule(double BaseRate, IReadOnlyList<long> Milestones, double Gamma = 0.1)
{
    /// <summary>A constant learning rate.</summary>
    public static LearningRateSchedule Constant(double rate) => new(rate, [], 1);

    /// <summary>η at step <paramref name="step"/>: BaseRate · γ^(number of milestones ≤ step).</summary>
    public double At(long step)
    {
        double rate = BaseRate;
        foreach (long m in Milestones)
            if (step >= m) rate *= Gamma;
        return rate;
    }

    /// <summary>Throws when the schedule is malformed, naming what is wrong.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative rate, non-positive γ or unordered milestones.</exception>
    public void Validate()
    {
        if (!(BaseRate >= 0) || !double.IsFinite(BaseRate))
            throw new ArgumentOutOfRangeException(nameof(BaseRate), BaseRate, Text($"learning rate {BaseRate} must be a finite number ≥ 0"));
        if (!(Gamma > 0) || !double.IsFinite(Gamma))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, Text($"gamma {Gamma} must be > 0"));
        for (int i = 0; i < Milestones.Count; i++)
            if (Milestones[i] < 1 || (i > 0 && Milestones[i] <= Milestones[i - 1]))
                throw new ArgumentOutOfRangeException(nameof(Milestones), Milestones[i], Text($"milestones must be strictly increasing steps ≥ 1 (entry {i})"));
    }

    /// <inheritdoc />
    public bool Equals(LearningRateSchedule? other) =>
        other is not null && BaseRate.Equals(other.BaseRate) && Gamma.Equals(other.Gamma) && Milestones.SequenceEqual(other.Milestones);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(BaseRate, Gamma, Milestones.Count);

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

namespace NoetherTheory.Torch.Measurement;

/// <summary>The BN-ε prediction of one measured scale group at one step (theory/08-group-laws.md#eq-8-4): per generator,
/// in the order of <see cref="GroupValues.Generators"/>.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Predicted">Per generator, the predicted G = Σ_t p_t Σ_channels ε/(c+ε)·γ·∂f/∂γ over the BN channels its
/// slices feed; exactly 0 for ε = 0; NaN when the forward pass did not capture c.</param>
/// <param name="BatchVariance">Per generator, c of its BN channel when it moves exactly one channel (NaN otherwise or when
/// not captured).</param>
public sealed record GroupPrediction(string Group, IReadOnlyList<double> Predicted, IReadOnlyList<double> BatchVariance);

/// <summary>The BN-ε predictions of every predicted group at one step n (before that step's update).</summary>
/// <param name="Step">Step index n.</param>
/// <param name="Groups">In measurement order (only the groups with a prediction).</param>
public sealed record GroupPredictionStep(long Step, IReadOnlyList<GroupPrediction> Groups);

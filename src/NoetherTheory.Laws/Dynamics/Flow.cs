namespace NoetherTheory.Laws.Dynamics;

/// <summary>The continuous dynamics a gradient-flow law is carried into (theory/07-laws-under-momentum.md#eq-7-1).</summary>
public enum Flow
{
    /// <summary>Gradient flow θ̇ = −∇L, the flow the laws were found for.</summary>
    Gradient,

    /// <summary>Heavy ball's damped second-order flow m θ̈ + μ θ̇ = −∇L, m = η(1+β)/2, μ = 1−β, t = nη.</summary>
    Momentum,

    /// <summary>Gradient flow with coupled weight decay θ̇ = −∇L − λθ.</summary>
    WeightDecay,
}

namespace NoetherTheory.Mechanics;

/// <content>The charge laws and the r⁴ law stated in words (the engine derives the expressions; the words are built here).</content>
public static partial class DerivationFormatter
{
    /// <summary>The charge law as an equation in text, e.g. <c>m·x'' + mu·x' + (2·k)·x = …</c>; empty when there is no law.</summary>
    public static string Statement(ChargeLaw law)
    {
        ArgumentNullException.ThrowIfNull(law);
        string x = law.Quantity;
        return law.Kind switch
        {
            ChargeLawKind.Oscillator => $"m·{x}'' + mu·{x}' + ({P(law.Stiffness)})·{x} = {P(law.Source)}",
            ChargeLawKind.Decay => $"l' = −l/tau with tau = {P(law.DampingTime)}: l(t) = l(0)·exp(−t/tau)",
            _ => "",
        };
    }

    /// <summary>The law's overdamped (gradient-flow) limit in words (theory/03-noether.md#eq-3-7); empty when there is no law.</summary>
    public static string Overdamped(ChargeLaw law)
    {
        ArgumentNullException.ThrowIfNull(law);
        string x = law.Quantity;
        return law.Kind switch
        {
            ChargeLawKind.Oscillator =>
                $"m → 0: mu0·{x}' + ({P(law.OverdampedStiffness)})·{x} = 0, so {x}(t) = {x}(0)·exp(−({P(law.OverdampedStiffness)})·t/({P(law.OverdampedFriction)})); "
                + $"with k = 0, {x} is conserved by gradient flow (Neural Mechanics)",
            ChargeLawKind.Decay => "m → 0: the charge itself vanishes, <qdot, K q> = 0 (a velocity constraint, not a conserved function)",
            _ => "",
        };
    }

    /// <summary>Why there is no closed law, in words; null when there is one.</summary>
    public static string? Reason(ChargeLaw law)
    {
        ArgumentNullException.ThrowIfNull(law);
        return law.Obstruction switch
        {
            null => null,
            ChargeLawObstruction.NonlinearGenerator =>
                "the generator is not linear, so no scalar quantity obeys a closed law; the charge equation above is the exact statement",
            ChargeLawObstruction.AffineGenerator =>
                "the generator is affine with both a linear and a constant part; ⟨q, ξ⟩ is not a multiple of the potential C",
            ChargeLawObstruction.NotAMultiple => "the on-shell remainder is not a constant multiple of the quantity",
            ChargeLawObstruction.NeitherSymmetricNorSkew => "the generator's Jacobian is neither symmetric nor skew",
            ChargeLawObstruction.LossNotInvariant => "the loss is not invariant under this symmetry, so only the charge equation holds",
            _ => throw new ArgumentOutOfRangeException(nameof(law), law.Obstruction, "unknown obstruction"),
        };
    }

    /// <summary>NLD's Eq. 17 (the r² law) in text (theory/05-learning-dynamics.md#eq-5-3).</summary>
    public static string AdaptiveLaw(AdaptiveOptimization adaptive)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        var (gain, decay) = (P(adaptive.GainPersistent), P(adaptive.Decay));
        return $"r²(t) = sqrt(({gain})·∫₀ᵗ exp(−({decay})·(t−u))·|ĝ(u)|² du + exp(−({decay})·t)·r⁴(0))";
    }

    /// <summary>The assumptions behind the r⁴ law, in words.</summary>
    public static string AdaptiveAssumptions(AdaptiveOptimization adaptive)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        var head = "scale-invariant block (x = r² = |q_A|²); inertia m·x'' dropped (small mass); persistent gradients: the velocity is "
                   + $"at terminal value |qdot_A|² = |ĝ|²/(mu0²·r²) with mu0 = {P(adaptive.OverdampedFriction)}. ";
        if (adaptive.GainWhite is not { } gainWhite || adaptive.SteadyStateWhite is not { } white)
            return head + $"White-noise alternative: not derived ({adaptive.WhiteNoiseNotDerived}).";
        if (adaptive.WhiteNoiseFromRuleStatistics)
            return head + "White-noise alternative: the stationary second moments of the rule's state (q and its buffer), derived from its own "
                   + $"update (a discrete Lyapunov system), give gain {P(gainWhite)} and r⁴* = {P(white)}.";
        return head + "White-noise alternative: |qdot_A|² = |ĝ|²/(mu0·(2 − mu0)·r²) "
               + $"(buffer variance |g|²/(1 − beta²)), giving gain {P(gainWhite)} and r⁴* = {P(white)}, smaller by the ratio of the gains.";
    }

    /// <summary>The term-by-term map from the r⁴ law to the RMSProp accumulator, in words (theory/05-learning-dynamics.md#eq-5-5).</summary>
    public static string RmsPropMap(AdaptiveOptimization adaptive)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        var acc = adaptive.RmsPropAccumulator;
        return $"√G ↔ r², |g|² ↔ |ĝ|², RMSProp decay (1 − rho)/eta ↔ D = {P(adaptive.Decay)}, so rho_eff = {P(adaptive.DiscountPerStep)} per step; "
               + $"input gain ↔ Γ = {P(adaptive.GainPersistent)}; effective learning rate eta_eff = {P(adaptive.EffectiveLearningRate)}"
               + (acc is null ? "" : $"; RMSProp ({acc.Rule.Id}) accumulator: decay {acc.Decay}, gain {acc.Gain}");
    }
}

using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <content>The charge laws and the r⁴ law stated in words (the engine derives the expressions; the words are built here,
/// with every expression in its checked display form).</content>
public static partial class DerivationFormatter
{
    private static readonly Symbol U = Expr.Symbol("u");

    private static Presenter NoDomains() => new(new Dictionary<Symbol, SymbolDomain>());

    /// <summary>The charge law as an equation in text, e.g. <c>m·x'' + mu·x' + 2*k·x = …</c>; empty when there is no law.</summary>
    public static string Statement(ChargeLaw law) => Statement(law, NoDomains());

    /// <summary><see cref="Statement(ChargeLaw)"/> with the display forms of <paramref name="pr"/>.</summary>
    public static string Statement(ChargeLaw law, Presenter pr)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(pr);
        string x = law.Quantity;
        return law.Kind switch
        {
            ChargeLawKind.Oscillator => $"m·{x}'' + mu·{x}' + {pr.TP(law.Stiffness)}·{x} = {pr.T(law.Source)}",
            ChargeLawKind.Decay => $"l' = −l/tau with tau = {pr.T(law.DampingTime)}: l(t) = l(0)·exp(−t/tau)",
            _ => "",
        };
    }

    /// <summary>The law's overdamped (gradient-flow) limit in words (theory/03-noether.md#eq-3-7); empty when there is no law.</summary>
    public static string Overdamped(ChargeLaw law) => Overdamped(law, null, NoDomains());

    /// <summary>
    /// The overdamped line: the m → 0 limit, and the first order in m that keeps the source, written with the
    /// gradient-flow velocity q̇ ≈ −g/μ₀; at β = δ = 0 (the rule's other hyperparameters at 0) this is Neural Mechanics'
    /// x(t) = e^{−2kt}x(0) + η∫₀ᵗ e^{−2k(t−u)}|g_A(u)|² du with t = nη (theory/03-noether.md#eq-3-7).
    /// </summary>
    public static string Overdamped(ChargeLaw law, LearningRule? rule, Presenter pr)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(pr);
        string x = law.Quantity;
        if (law.Kind == ChargeLawKind.Decay)
            return "m → 0: the charge itself vanishes, <qdot, K q> = 0 (a velocity constraint, not a conserved function)";
        if (OverdampedLimit(law, rule) is not { } o) return "";
        string head = $"m → 0 (gradient flow): mu0·{x}' + {pr.TP(o.Stiffness)}·{x} = 0 with mu0 = {pr.T(o.Friction)}, "
                      + $"so {x}(t) = {x}(0)·{pr.T(o.Decay)}; with k = 0, {x} is conserved by gradient flow (Neural Mechanics)";
        if (o.Kernel is null) return head + "; no source term (the law has none)";
        string first = $"; to first order in m (m·{x}'' dropped, the O(m) source kept): {x}(t) = {x}(0)·{pr.T(o.Decay)} + "
                       + $"∫₀ᵗ {pr.T(o.Kernel)}·({pr.T(o.SourceOverFriction!)})(u) du, and with the gradient-flow velocity qdot_i ≈ −g_i/mu0 "
                       + $"(g = ∇f; the weight-decay part adds O(k²)) the integrand is {pr.T(o.Integrand!)}";
        string at = o.ZeroedHyperparameters.Length == 0 ? "for" : "at " + string.Join(" = ", o.ZeroedHyperparameters) + " = 0,";
        return head + first + $"; {at} plain SGD (t = n·eta) this is Neural Mechanics' law {x}(t) = {x}(0)·{pr.T(o.DecaySgd!)} + "
               + $"∫₀ᵗ {pr.T(o.IntegrandSgd!)} du, i.e. e^(−2λt)·|θ_A(0)|² + η∫₀ᵗ e^(−2λ(t−u))·|g_A|² du with λ = k";
    }

    /// <summary>The pieces of the overdamped statement (text and LaTeX print the same expressions).</summary>
    internal sealed record OverdampedForms(Expr Friction, Expr Stiffness, Expr Decay, Expr? Kernel, Expr? SourceOverFriction, Expr? Integrand,
        ImmutableArray<string> ZeroedHyperparameters, Expr? DecaySgd, Expr? IntegrandSgd);

    /// <summary>
    /// m → 0: μ₀ẋ + λ₀x = 0. First order in m: drop m·ẍ but keep the source 2m|q̇_A|² (it is O(m)), so
    /// x(t) = e^{−λ₀t/μ₀}x(0) + ∫₀ᵗ e^{−λ₀(t−u)/μ₀}·source/μ₀ du; with the gradient-flow velocity q̇_i ≈ −g_i/μ₀ (the
    /// weight-decay part −k·q_i/μ₀ adds only O(k²), since ⟨g, ξ⟩ = 0) the integrand is in |g_A|²; with every hyperparameter
    /// but η and k at 0 this is Neural Mechanics' SGD law (theory/03-noether.md#eq-3-7).
    /// </summary>
    internal static OverdampedForms? OverdampedLimit(ChargeLaw law, LearningRule? rule)
    {
        if (law.Kind != ChargeLawKind.Oscillator) return null;
        var t = Coordinates.Time;
        var mu0 = law.OverdampedFriction;
        var rate = law.OverdampedStiffness / mu0;
        var decay = Expr.Exp(-rate * t);
        if (law.Source.Equals(Expr.Zero))
            return new OverdampedForms(mu0, law.OverdampedStiffness, decay, null, null, null, [], null, null);
        var velocity = law.Source.FreeSymbols().Where(s => s.Name == "qdot" && s.Index is not null)
            .ToDictionary(s => (Expr)s, s => -Expr.Symbol("g", s.Index) / mu0);
        var kernel = Expr.Exp(-rate * (t - U));
        var integrand = kernel * law.Source.Substitute(velocity) / mu0;
        var others = (rule?.Hyperparameters ?? []).Where(h => h.Name is not "eta" and not "k").Select(h => Expr.Symbol(h.Name)).ToList();
        var zero = others.ToDictionary(s => (Expr)s, _ => Expr.Zero);
        Expr AtZero(Expr e) => zero.Count == 0 ? e : e.Substitute(zero);
        return new OverdampedForms(mu0, law.OverdampedStiffness, decay, kernel, law.Source / mu0, integrand,
            [.. others.Select(s => s.Name)], AtZero(decay), AtZero(integrand));
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
            ChargeLawObstruction.FastLawAfterHessianReduction =>
                "the charge would decay on the fast time scale tau = m/mu = O(eta), but m came from reducing the Hessian term g'(q)·q̇ " +
                "with the leading-order equation, which holds for slow solutions only; the rule's decay rate depends on the Hessian " +
                "(the charge equation above is exact for the modified equation; the discrete rule's rate is not derived)",
            _ => throw new ArgumentOutOfRangeException(nameof(law), law.Obstruction, "unknown obstruction"),
        };
    }

    /// <summary>NLD's Eq. 17 (the r² law) in text (theory/05-learning-dynamics.md#eq-5-3).</summary>
    public static string AdaptiveLaw(AdaptiveOptimization adaptive) => AdaptiveLaw(adaptive, NoDomains());

    /// <summary><see cref="AdaptiveLaw(AdaptiveOptimization)"/> with the display forms of <paramref name="pr"/>.</summary>
    public static string AdaptiveLaw(AdaptiveOptimization adaptive, Presenter pr)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        ArgumentNullException.ThrowIfNull(pr);
        var t = Coordinates.Time;
        return $"r²(t) = sqrt({pr.TP(adaptive.GainPersistent)}·∫₀ᵗ {pr.T(Expr.Exp(-adaptive.Decay * (t - U)))}·|ĝ(u)|² du + "
               + $"{pr.T(Expr.Exp(-adaptive.Decay * t))}·r⁴(0))";
    }

    /// <summary>The assumptions behind the r⁴ law, in words.</summary>
    public static string AdaptiveAssumptions(AdaptiveOptimization adaptive) => AdaptiveAssumptions(adaptive, NoDomains());

    /// <summary><see cref="AdaptiveAssumptions(AdaptiveOptimization)"/> with the display forms of <paramref name="pr"/>.</summary>
    public static string AdaptiveAssumptions(AdaptiveOptimization adaptive, Presenter pr)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        ArgumentNullException.ThrowIfNull(pr);
        var head = "scale-invariant block (x = r² = |q_A|²); inertia m·x'' dropped (small mass); persistent gradients: the velocity is "
                   + $"at terminal value |qdot_A|² = |ĝ|²/(mu0²·r²) with mu0 = {pr.T(adaptive.OverdampedFriction)}; s = |ĝ|². ";
        if (adaptive.GainWhite is not { } gainWhite || adaptive.SteadyStateWhite is not { } white)
            return head + $"White-noise alternative: not derived ({adaptive.WhiteNoiseNotDerived}).";
        if (adaptive.WhiteNoiseFromRuleStatistics)
            return head + "White-noise alternative: the stationary second moments of the rule's state (q and its buffer), derived from its own "
                   + $"update (a discrete Lyapunov system), give gain {pr.T(gainWhite)} and r⁴* = {pr.T(white)}.";
        return head + "White-noise alternative: |qdot_A|² = |ĝ|²/(mu0·(2 − mu0)·r²) "
               + $"(buffer variance |g|²/(1 − beta²)), giving gain {pr.T(gainWhite)} and r⁴* = {pr.T(white)}, smaller by the ratio of the gains.";
    }

    /// <summary>The term-by-term map from the r⁴ law to the RMSProp accumulator, in words (theory/05-learning-dynamics.md#eq-5-5).</summary>
    public static string RmsPropMap(AdaptiveOptimization adaptive) => RmsPropMap(adaptive, NoDomains());

    /// <summary><see cref="RmsPropMap(AdaptiveOptimization)"/> with the display forms of <paramref name="pr"/>.</summary>
    public static string RmsPropMap(AdaptiveOptimization adaptive, Presenter pr)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        ArgumentNullException.ThrowIfNull(pr);
        var acc = adaptive.RmsPropAccumulator;
        return $"√G ↔ r², |g|² ↔ |ĝ|², RMSProp decay (1 − rho)/eta ↔ D = {pr.T(adaptive.Decay)}, so rho_eff = {pr.T(adaptive.DiscountPerStep)} per step; "
               + $"input gain ↔ Γ = {pr.T(adaptive.GainPersistent)}; effective learning rate eta_eff = {pr.T(adaptive.EffectiveLearningRate)}"
               + (acc is null ? "" : $"; RMSProp ({acc.Rule.Id}) accumulator: decay {acc.Decay}, gain {acc.Gain}");
    }
}

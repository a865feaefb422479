using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>How the size of the gradient that drives a scale-invariant block relates to the block's norm r.</summary>
public enum DrivingScale
{
    /// <summary>SGD family: the raw gradient of a scale-invariant block, |g|² = s/r² (s = |ĝ|²); the norm law is r⁴* = K·s.</summary>
    ScaleInvariant,

    /// <summary>Adaptive family: the update sees the gradient divided by its own root-mean-square, |ξ|² = C (the block's
    /// number of coordinates) whatever r is; the norm law is r²* = K·C.</summary>
    Normalised,
}

/// <summary>
/// The rotational equilibrium of a scale-invariant weight block under one rule and one kind of gradient noise, derived by
/// the engine from the rule's catalog update (theory/05-learning-dynamics.md#eq-5-8); see <see cref="Equilibrium"/>.
/// </summary>
/// <param name="Rule">The rule (as in the catalog).</param>
/// <param name="Forcing">Persistent or white gradients.</param>
/// <param name="Scale">How the driving gradient scales with r.</param>
/// <param name="Linearised">The linear position rule actually analysed: the rule itself (SGD family) or the adaptive
/// rule with its second moment at its stationary value (see <see cref="Linearisation"/>).</param>
/// <param name="AngularUpdateSquared">θ*², the mean squared angle between q_n and q_{n+1} at equilibrium, to leading order in η.</param>
/// <param name="NormLaw">r⁴* as a multiple of s (<see cref="DrivingScale.ScaleInvariant"/>) or r²* as a multiple of C
/// (<see cref="DrivingScale.Normalised"/>), to leading order in η.</param>
/// <param name="EffectiveLearningRate">The step the direction q̂ takes per unit of unit-sphere gradient at equilibrium:
/// h/(μ₀·r*²) for the SGD family (theory/05-learning-dynamics.md#eq-5-2), η/r* for the adaptive family (its update has
/// a fixed size, so the angle moves as 1/r); in s or C.</param>
/// <param name="RelaxationSteps">The number of steps over which r⁴ (SGD family) or r² (adaptive family) relaxes to its
/// equilibrium (e-folding time), to leading order in η.</param>
/// <param name="Linearisation">What was assumed to make an adaptive rule linear, or null for a linear rule.</param>
/// <param name="NotDerived">Why nothing could be derived (then every expression is null), else null.</param>
public sealed record EquilibriumPrediction(
    LearningRule Rule,
    GradientForcing Forcing,
    DrivingScale Scale,
    LearningRule? Linearised,
    Expr? AngularUpdateSquared,
    Expr? NormLaw,
    Expr? EffectiveLearningRate,
    Expr? RelaxationSteps,
    string? Linearisation,
    string? NotDerived)
{
    internal Expr? ExactAngle { get; init; }
    internal Expr? ExactNorm { get; init; }
    internal Expr? ExactRelaxation { get; init; }

    /// <summary>True when the predictions were derived.</summary>
    public bool IsDerived => NotDerived is null;

    /// <summary>The symbol of the driving size: <c>s</c> = |ĝ|² (SGD family) or <c>C</c> = coordinates (adaptive family).</summary>
    public Symbol DrivingSymbol => Scale == DrivingScale.ScaleInvariant ? Equilibrium.S : Equilibrium.C;

    /// <summary>θ*² of the discrete rule to all orders in η at numeric hyperparameters (the same Gram system without the
    /// leading-order truncation, radial part of the step removed); its distance from <see cref="AngularUpdateSquared"/>
    /// is the O(η) bias.</summary>
    /// <exception cref="NoetherTheoryException">Not derived.</exception>
    public double ExactAngularUpdateSquared(IReadOnlyDictionary<Symbol, double> values) => Exact(ExactAngle, values);

    /// <summary>r⁴*/s (SGD family) or r²*/C (adaptive family) of the discrete rule to all orders in η.</summary>
    /// <exception cref="NoetherTheoryException">Not derived.</exception>
    public double ExactNormRatio(IReadOnlyDictionary<Symbol, double> values) => Exact(ExactNorm, values);

    /// <summary>The relaxation time in steps from the exact slow eigenvalue estimate (Newton step from 1) of the Gram map.</summary>
    /// <exception cref="NoetherTheoryException">Not derived.</exception>
    public double ExactRelaxationSteps(IReadOnlyDictionary<Symbol, double> values) => Exact(ExactRelaxation, values);

    private double Exact(Expr? e, IReadOnlyDictionary<Symbol, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (e is null) throw new NoetherTheoryException($"Rule '{Rule.Id}': equilibrium not derived: {NotDerived}");
        return e.Evaluate(values);
    }
}

/// <summary>
/// Derives the rotational equilibrium of a scale-invariant block (angular update per step, equilibrium norm, effective
/// learning rate, relaxation time) from a rule's catalog update (theory/05-learning-dynamics.md#eq-5-8).
/// </summary>
/// <remarks>
/// <para>A linear position rule z' = A·z + c·g (z = (q, buffer)) is analysed with the stationary Gram system of
/// <see cref="BufferStatistics"/>: its solution M = [⟨zᵢ, zⱼ⟩]/|g|² gives E|Δq|² = dᵀMd + 2c₀dᵀY + c₀² with
/// d = (A₀₀ − 1, A₀₁, …), so θ*² = E|Δq|²/|q|² (the radial part of Δq is O(ηk) and drops out at leading order; the exact
/// value removes it). The slow eigenvalue 1 − a of the Gram map (one Newton step from 1: a = det(I − T)/tr adj(I − T))
/// is the decay rate of r²; with |g|² = s/r² the source feeds back and r⁴ relaxes in 1/(2a) steps, with a normalised
/// driving size in 1/a.</para>
/// <para>An adaptive rule (buffers v and G, G updated with g²) is linearised about its stationary second moment: step
/// count n → ∞ (bias corrections gone), ε → 0 and G → E g² per coordinate; the update is then homogeneous of degree 0 in
/// the gradient scale, so gradients are measured in units of their own root-mean-square (G = 1) and the first-moment
/// recursion drives q with |ξ|² = C. When the second moment's update depends on q (coupled L2 inside the normalisation,
/// Adam) the weight-decay term k·q/√G depends on the gradient scale and the equilibrium is not derived; the reason says so.</para>
/// </remarks>
public static class Equilibrium
{
    /// <summary>The symbol s = |ĝ|² (squared gradient size at unit norm).</summary>
    public static Symbol S { get; } = Expr.Symbol("s");

    /// <summary>The symbol C: the number of coordinates of the block (the normalised driving size |ξ|²).</summary>
    public static Symbol C { get; } = Expr.Symbol("C");

    private static readonly Symbol X = Expr.Symbol("x_shift");

    /// <summary>Derives the equilibrium of <paramref name="rule"/> under <paramref name="forcing"/>; never throws for a
    /// loaded rule (a reason instead).</summary>
    public static EquilibriumPrediction Derive(LearningRule rule, GradientForcing forcing)
    {
        ArgumentNullException.ThrowIfNull(rule);
        EquilibriumPrediction Fail(DrivingScale scale, string why, string? lin = null) =>
            new(rule, forcing, scale, null, null, null, null, null, lin, why);
        switch (rule.Kind)
        {
            case RuleKind.Position:
                return FromLinear(rule, rule, forcing, DrivingScale.ScaleInvariant, null, Fail);
            case RuleKind.Accumulator:
                return Fail(DrivingScale.ScaleInvariant, "an accumulator rule models only its accumulator (NLD's scalar RMSProp), not a weight block's update");
            case RuleKind.Adaptive:
                if (forcing == GradientForcing.Persistent)
                    return Fail(DrivingScale.Normalised, "persistent gradients are a fixed direction in the block's rotating frame, but the " +
                        "adaptive normalisation is per coordinate of the fixed frame, so the rotating frame does not decouple; only white " +
                        "gradients are derived");
                var (lin, why, text) = Linearise(rule);
                return lin is null ? Fail(DrivingScale.Normalised, why!) : FromLinear(rule, lin, forcing, DrivingScale.Normalised, text, Fail);
            default:
                throw new System.Diagnostics.UnreachableException(rule.Kind.ToString());
        }
    }

    private static EquilibriumPrediction FromLinear(LearningRule rule, LearningRule linear, GradientForcing forcing, DrivingScale scale,
        string? linearisation, Func<DrivingScale, string, string?, EquilibriumPrediction> fail)
    {
        var stats = BufferStatistics.Derive(linear);
        if (stats.Transition.IsDefaultOrEmpty)
            return fail(scale, "the rule's update is not linear in the state and the gradient: " + stats.NotDerived, linearisation);
        var a = stats.Transition;
        var c = stats.Input;
        int n = c.Length;
        var (lhs, rhs) = BufferStatistics.Gram(a, c, forcing);
        int m = rhs.Length;
        var det = BufferStatistics.Determinant(lhs);
        if (ZeroTest.Run(det).IsZero) return fail(scale, "the stationary Gram system is singular (no stationary state)", linearisation);
        var pairs = new List<(int I, int J)>();
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) pairs.Add((i, j));
        var moments = new Expr[m];
        for (int u = 0; u < m; u++)
        {
            var replaced = (Expr[,])lhs.Clone();
            for (int i = 0; i < m; i++) replaced[i, u] = rhs[i];
            moments[u] = BufferStatistics.Determinant(replaced) / det;
        }
        Expr M(int i, int j) => moments[pairs.IndexOf(i <= j ? (i, j) : (j, i))];
        var y = new Expr[n];
        y[0] = Expr.Zero;
        for (int i = 1; i < n; i++) y[i] = forcing == GradientForcing.Persistent ? c[i] / (1 - a[i][i]) : Expr.Zero;
        var d = new Expr[n];
        for (int j = 0; j < n; j++) d[j] = j == 0 ? a[0][0] - 1 : a[0][j];
        Expr step2 = c[0] * c[0];
        Expr radial = c[0] * y[0];
        for (int p = 0; p < n; p++)
        {
            step2 += 2 * c[0] * d[p] * y[p];
            radial += d[p] * M(p, 0);
            for (int q = 0; q < n; q++) step2 += d[p] * d[q] * M(p, q);
        }
        var norm = M(0, 0);
        var exactAngle = (step2 - (radial * radial / norm)) / norm;
        var angle = BufferStatistics.LeadingOrder(step2 / norm, out var p1);
        var ratio = BufferStatistics.LeadingOrder(norm, out var p2);
        // Slow eigenvalue of the Gram map T = I − lhs: a = det(I − T)/tr adj(I − T), the Newton step from eigenvalue 1.
        var shifted = (Expr[,])lhs.Clone();
        for (int i = 0; i < m; i++) shifted[i, i] = lhs[i, i] + X;
        var trAdj = BufferStatistics.Determinant(shifted).Differentiate(X).Substitute(X, Expr.Zero);
        var rate = det / trAdj;
        var decay = BufferStatistics.LeadingOrder(rate, out var p3);
        if (angle is null || ratio is null || decay is null)
            return fail(scale, "no leading order in eta: " + (p1 ?? p2 ?? p3), linearisation);
        int feedback = scale == DrivingScale.ScaleInvariant ? 2 : 1;
        var relaxation = RationalCancel.CancelWithRoots(Expr.One / (feedback * decay));
        var exactRelaxation = Expr.One / (feedback * rate);
        var drive = scale == DrivingScale.ScaleInvariant ? S : C;
        var normLaw = RationalCancel.CancelWithRoots(ratio * drive);
        // μ₀ = 1 − (buffer's own discount) for a momentum rule, 1 without a buffer: the terminal-velocity factor.
        var mu0 = n > 1 ? RationalCancel.Cancel(1 - a[1][1]) : Expr.One;
        Expr etaEff;
        if (scale == DrivingScale.ScaleInvariant)
        {
            var r2 = Expr.Sqrt(normLaw);
            etaEff = RationalCancel.CancelWithRoots(linear.TimeStep / (mu0 * r2));
        }
        else
        {
            var r1 = Expr.Sqrt(normLaw);
            etaEff = RationalCancel.CancelWithRoots(Coordinates.Eta / r1);
        }
        return new EquilibriumPrediction(rule, forcing, scale, linear, RationalCancel.CancelWithRoots(angle), normLaw, etaEff, relaxation,
            linearisation, null)
        {
            ExactAngle = exactAngle,
            ExactNorm = norm,
            ExactRelaxation = exactRelaxation,
        };
    }

    /// <summary>The linear rule of an adaptive rule about its stationary second moment, or null with the reason.</summary>
    private static (LearningRule? Rule, string? Why, string Text) Linearise(LearningRule rule)
    {
        const string text = "step count n → ∞ (bias corrections 1 − βⁿ → 1), eps → 0 and the second moment at its stationary " +
                            "value E g² per coordinate; gradients in units of their root-mean-square (G = 1), so |ξ|² = C for a " +
                            "block of C coordinates (white gradients, C ≫ 1)";
        var gq = Expr.Apply("g", BackwardErrorAnalysis.Q);
        var n = Expr.Symbol(Catalog.AdaptiveStepCount);
        string? second = null, first = null;
        foreach (var b in rule.Buffers)
        {
            var up = rule.Update.First(u => u.Target == b + "_next").Value;
            var form = up.Substitute(gq, BackwardErrorAnalysis.G).Expand().Coefficients([Expr.Symbol(b), BackwardErrorAnalysis.G, BackwardErrorAnalysis.Q]);
            if (form.IsLinear && form.Remainder.Equals(Expr.Zero)) first ??= b;
            else second ??= b;
        }
        if (first is null || second is null || rule.Buffers.Length != 2)
            return (null, "the linearisation knows a first-moment buffer (linear in g) and a second-moment buffer (in g²); this rule's buffers are " +
                          string.Join(", ", rule.Buffers), text);
        var secondUpdate = rule.Update.First(u => u.Target == second + "_next").Value;
        if (secondUpdate.Substitute(gq, Expr.Zero).Contains(BackwardErrorAnalysis.Q))
            return (null, $"the second moment {second} is built from g + k·q (weight decay inside the adaptive normalisation): the decay " +
                          $"term k·q/√{second} depends on the gradient's size, so the update is not homogeneous in the gradient scale and the " +
                          "equilibrium angle depends on |ĝ| and r separately; not derived (AdamW's decoupled decay is)", text);
        Expr Limit(Expr e)
        {
            var r = e.Replace(x => x is Power { Exponent: Symbol s } && s.Equals(n) ? Expr.Zero : null);
            return r.Substitute(Expr.Symbol(second + "_next"), Expr.One).Substitute(Expr.Symbol(second), Expr.One);
        }
        var qNext = Limit(rule.Update.First(u => u.Target == "q_next").Value);
        // The guard ε: a hyperparameter left in the q update (after the limits) that no buffer update uses, other than η and k.
        var inBuffers = rule.Update.Where(u => u.Target != "q_next").SelectMany(u => u.Value.FreeSymbols()).ToHashSet();
        foreach (var e in qNext.FreeSymbols().ToList())
            if (rule.Hyperparameters.Any(h => h.Name == e.Name) && !e.Equals(Coordinates.Eta) && !e.Equals(Coordinates.K) && !inBuffers.Contains(e))
                qNext = qNext.Substitute(e, Expr.Zero);
        var firstNext = Limit(rule.Update.First(u => u.Target == first + "_next").Value);
        var lin = new LearningRule(rule.Id + "-linearised", rule.Name + " (linearised)", text, RuleKind.Position,
            rule.Hyperparameters, rule.TimeStep, first,
            [new UpdateStep(first + "_next", RationalCancel.Cancel(firstNext)), new UpdateStep("q_next", RationalCancel.Cancel(qNext.Expand()))],
            rule.Anchor, rule.File);
        if (lin.Update.Any(u => u.Value.Contains(n)))
            return (null, "the step count n remains after the bias corrections were removed", text);
        return (lin, null, text);
    }

    /// <summary>θ*² of the rotational-equilibrium literature (Kosson, Messmer &amp; Jaggi, ICML 2024) for comparison: 2ηk/(1+β)
    /// (SGD momentum, coupled weight decay) and 2ηk(1−β₁)/(1+β₁) (AdamW). Not used by the derivation.</summary>
    public static Expr KossonSgdMomentum => 2 * Coordinates.Eta * Coordinates.K / (1 + Coordinates.Beta);

    /// <summary>2ηk(1−β₁)/(1+β₁) for AdamW (same source), with β₁ the symbol <c>beta1</c>.</summary>
    public static Expr KossonAdamW
    {
        get
        {
            var b1 = Expr.Symbol("beta1");
            return 2 * Coordinates.Eta * Coordinates.K * (1 - b1) / (1 + b1);
        }
    }
}

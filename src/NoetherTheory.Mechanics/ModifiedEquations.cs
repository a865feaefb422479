using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>
/// The first-order modified equation of a position rule, m·q̈ + μ·q̇ + ∇f + κ·q = 0, found by backward error analysis
/// on a representative component (theory/01-learning-lagrangian.md#eq-1-4, theory/01-learning-lagrangian.md#eq-1-5).
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="TwoStep">The two-step form q_next − Φ(q, q_prev) (buffer eliminated; coefficient of q_next is 1 when possible).</param>
/// <param name="StepSymbol">The symbol <c>h</c> standing for the time step (t = n·h).</param>
/// <param name="Step">The time step in hyperparameters (<c>eta</c>, or <c>eta*(1 - delta)</c> with dampening).</param>
/// <param name="FirstOrder">The collected residual to first order in h, divided by h (with g(q) and g'(q) as undefined functions).</param>
/// <param name="Reduction">How Hessian terms g'(q)·q̇ were reduced with the leading-order equation, or null if none appeared.</param>
/// <param name="Mass">m (first order in η).</param>
/// <param name="Friction">μ.</param>
/// <param name="WeightDecay">κ, the coefficient of q (the effective coupled weight decay).</param>
/// <param name="Problem">Why the rule has no damped-particle form, or null.</param>
public sealed record ModifiedEquation(
    LearningRule Rule,
    Expr TwoStep,
    Symbol StepSymbol,
    Expr Step,
    Expr FirstOrder,
    string? Reduction,
    Expr Mass,
    Expr Friction,
    Expr WeightDecay,
    string? Problem)
{
    /// <summary>True when the rule has the damped-particle form and hence the learning Lagrangian.</summary>
    public bool HasLagrangian => Problem is null;

    /// <summary>τ = m/μ (theory/01-learning-lagrangian.md#eq-1-8).</summary>
    public Expr DampingTime => Mass / Friction;

    /// <summary>The normalised one-component equation m·q̈ + μ·q̇ + g + κ·q (in symbols q, qdot, qddot, g).</summary>
    public Expr Normalised => Mass * BackwardErrorAnalysis.QDDot + Friction * BackwardErrorAnalysis.QDot + BackwardErrorAnalysis.G
                              + WeightDecay * BackwardErrorAnalysis.Q;
}

/// <summary>The accumulator equation of an accumulator rule (scalar RMSProp): Ġ = −D·G + Γ·s (theory/01-learning-lagrangian.md#eq-1-3).</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Equation">The first-order residual in G, Gdot and s.</param>
/// <param name="Decay">D, the decay rate per unit time.</param>
/// <param name="Gain">Γ, the input gain per unit time.</param>
/// <param name="Solution">The solution √G(t) as text (NLD Eq. 18).</param>
public sealed record AccumulatorEquation(LearningRule Rule, Expr Equation, Expr Decay, Expr Gain, string Solution);

/// <summary>Backward error analysis of discrete learning rules, done by the engine.</summary>
/// <remarks>
/// The rule's update is reduced to a two-step form; q_{n±1} = q ± h q̇ + h²/2 q̈ is substituted with h → ε·h, and the
/// powers of ε are collected up to ε² (first order in η after dividing by h). Hessian terms g'(q)·q̇ are replaced
/// with the time derivative of the leading-order equation (reduction of order, valid to O(η)). See
/// theory/01-learning-lagrangian.md#eq-1-4 and theory/01-learning-lagrangian.md#eq-1-5.
/// </remarks>
public static class BackwardErrorAnalysis
{
    internal static readonly Symbol Q = Expr.Symbol("q");
    internal static readonly Symbol QDot = Expr.Symbol("qdot");
    internal static readonly Symbol QDDot = Expr.Symbol("qddot");
    internal static readonly Symbol QNext = Expr.Symbol("q_next");
    internal static readonly Symbol QPrev = Expr.Symbol("q_prev");
    internal static readonly Symbol G = Expr.Symbol("g");
    internal static readonly Symbol H = Expr.Symbol("h");
    private static readonly Symbol Eps = Expr.Symbol("epsilon");

    /// <summary>Derives the modified equation of a position rule.</summary>
    /// <exception cref="ArgumentException">The rule is an accumulator rule.</exception>
    /// <exception cref="NoetherTheoryException">The update cannot be reduced to a two-step form or is inconsistent.</exception>
    public static ModifiedEquation Derive(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Kind != RuleKind.Position)
            throw new ArgumentException($"Rule '{rule.Id}' is an accumulator rule; use {nameof(DeriveAccumulator)}.", nameof(rule));
        var twoStep = TwoStep(rule);

        // eta = h/φ with φ = step/eta, so that h carries every power of the step.
        var phi = Expr.Divide(rule.TimeStep, Coordinates.Eta);
        if (phi.Contains(Coordinates.Eta) || !rule.TimeStep.Contains(Coordinates.Eta))
            throw new NoetherTheoryException($"Rule '{rule.Id}' ({rule.File}): time_step must be eta times a factor free of eta, got {rule.TimeStep}.");
        var inH = twoStep.Substitute(Coordinates.Eta, H / phi);
        var eh = Eps * H;
        var series = inH.Substitute(new Dictionary<Expr, Expr>
        {
            [QNext] = Q + (eh * QDot) + (Expr.Half * eh * eh * QDDot),
            [QPrev] = Q - (eh * QDot) + (Expr.Half * eh * eh * QDDot),
            [H] = eh,
        });
        var r0 = series.Substitute(Eps, Expr.Zero);
        var z0 = ZeroTest.Run(r0);
        if (!z0.IsZero)
            throw new NoetherTheoryException($"Rule '{rule.Id}' ({rule.File}) is not consistent: with a zero step the two-step residual is {r0}, not 0 ({z0.Kind}).");
        var d1 = series.Differentiate(Eps);
        var r1 = d1.Substitute(Eps, Expr.Zero);
        var r2 = Expr.Half * d1.Differentiate(Eps).Substitute(Eps, Expr.Zero);
        var hInv = Expr.Pow(H, Expr.MinusOne);
        var me0 = (r1 * hInv).Expand();
        var me1 = (r2 * hInv).Expand();
        var firstOrder = (me0 + me1).Expand().Substitute(H, rule.TimeStep);

        var gq = Expr.Apply("g", Q);
        var g1 = Expr.Apply("g", [Q], [1]);
        var atoms = new Expr[] { QDDot, QDot, G, Q };
        var lead = me0.Substitute(gq, G).Coefficients(atoms);
        string? problem = Check(lead, "leading-order");
        if (problem is null && !lead.Coefficients[0].Equals(Expr.Zero)) problem = "the leading-order equation contains q̈";
        string? reduction = null;
        Expr mass = Expr.Zero, friction = Expr.Zero, decay = Expr.Zero;
        if (problem is null)
        {
            var (mu0, c0, k0) = (lead.Coefficients[1], lead.Coefficients[2], lead.Coefficients[3]);
            if (c0.Equals(Expr.Zero)) problem = "the gradient does not enter at leading order";
            var next = me1;
            if (problem is null && next.Contains(Q) && ContainsApply(next, g1))
            {
                // d/dt of the leading order μ0 q̇ + c0 g(q) + κ0 q = 0 gives g'(q)·q̇ = −(μ0 q̈ + κ0 q̇)/c0.
                next = next.Substitute(g1, -(mu0 * QDDot + k0 * QDot) / (c0 * QDot)).Expand();
                reduction = "g'(q)·q̇ (the Hessian term H·q̇) was replaced by −(μ₀q̈ + κ₀q̇)/c₀, the time derivative of the leading-order equation (valid to O(η))";
            }
            var first = next.Substitute(gq, G).Coefficients(atoms);
            problem ??= Check(first, "first-order");
            if (problem is null)
            {
                // X = x0/c0 + (x1/c0 − x0·c1/c0²): normalise the gradient coefficient to 1, truncated at first order.
                var c1 = first.Coefficients[2];
                Expr Norm(int i) => ((lead.Coefficients[i] / c0) + (first.Coefficients[i] / c0) - (lead.Coefficients[i] * c1 / (c0 * c0)))
                    .Expand().Substitute(H, rule.TimeStep);
                mass = RationalCancel.Cancel(Norm(0));
                friction = RationalCancel.Cancel(Norm(1));
                decay = RationalCancel.Cancel(Norm(3));
                if (mass.Equals(Expr.Zero)) problem = "the first-order equation has no q̈ term (no inertia)";
            }
        }
        return new ModifiedEquation(rule, twoStep, H, rule.TimeStep, firstOrder, reduction, mass, friction, decay, problem);
    }

    private static string? Check(LinearForm form, string what)
    {
        if (!form.IsLinear) return $"the {what} equation is not linear in q̈, q̇, g, q: {form.Problem}";
        if (!form.Remainder.Equals(Expr.Zero)) return $"the {what} equation has a term {form.Remainder} outside q̈, q̇, g, q";
        foreach (var c in form.Coefficients)
            foreach (var s in new[] { Q, QDot, QDDot, G })
                if (c.Contains(s)) return $"a {what} coefficient depends on the state ({c})";
        return null;
    }

    private static bool ContainsApply(Expr e, Expr node) => e.Equals(node) || e.Children.Any(c => ContainsApply(c, node));

    /// <summary>Eliminates the buffer: the two-step residual q_next − Φ(q, q_prev).</summary>
    /// <exception cref="NoetherTheoryException">The buffer cannot be eliminated linearly.</exception>
    public static Expr TwoStep(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var qUpdate = rule.Update.First(u => u.Target == "q_next");
        var p = QNext - qUpdate.Value;
        if (rule.Buffer is not { } b) return Normalise(p.Expand(), rule);
        var bs = Expr.Symbol(b);
        var bn = Expr.Symbol(b + "_next");
        var bUpdate = rule.Update.First(u => u.Target == b + "_next");
        var split = p.Coefficients([bn]);
        if (!split.IsLinear || split.Coefficients[0].Equals(Expr.Zero) || split.Remainder.Contains(bs) || split.Coefficients[0].Contains(bs))
            throw new NoetherTheoryException(
                $"Rule '{rule.Id}' ({rule.File}): the q_next update must be linear in {bn.Name} and free of {b} so that the buffer can be eliminated.");
        var a = split.Coefficients[0];
        var bnValue = -split.Remainder / a;
        var shift = new Dictionary<Expr, Expr> { [QNext] = Q, [Q] = QPrev };
        var bValue = bnValue.Substitute(shift);
        var residual = (bn - bUpdate.Value).Substitute(new Dictionary<Expr, Expr> { [bn] = bnValue, [bs] = bValue });
        return Normalise((-(residual * a)).Expand(), rule);
    }

    private static Expr Normalise(Expr r, LearningRule rule)
    {
        var c = r.Coefficients([QNext]);
        if (!c.IsLinear)
            throw new NoetherTheoryException($"Rule '{rule.Id}' ({rule.File}): the two-step form is not linear in q_next.");
        var lead = RationalCancel.Cancel(c.Coefficients[0]);
        if (lead.Equals(Expr.Zero)) throw new NoetherTheoryException($"Rule '{rule.Id}' ({rule.File}): the two-step form does not contain q_next.");
        return RationalCancel.Cancel(r / lead).Expand();
    }

    /// <summary>Derives the accumulator ODE of an accumulator rule to first order (the accumulator varies slowly: 1 − ρ = O(η)).</summary>
    /// <exception cref="ArgumentException">The rule is not an accumulator rule.</exception>
    /// <remarks>theory/01-learning-lagrangian.md#eq-1-3; theory/05-learning-dynamics.md#eq-5-5.</remarks>
    public static AccumulatorEquation DeriveAccumulator(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Kind != RuleKind.Accumulator || rule.Buffer is not { } b)
            throw new ArgumentException($"Rule '{rule.Id}' is not an accumulator rule with a buffer.", nameof(rule));
        var gs = Expr.Symbol(b);
        var gdot = Expr.Symbol(b + "dot");
        var s = Expr.Symbol("s");
        var update = rule.Update.First(u => u.Target == b + "_next");
        var residual = (Expr.Symbol(b + "_next") - update.Value).Substitute(Expr.Symbol(b + "_next"), gs + (rule.TimeStep * gdot)).Expand();
        var form = residual.Coefficients([gdot, gs, s]);
        if (!form.IsLinear || !form.Remainder.Equals(Expr.Zero))
            throw new NoetherTheoryException($"Rule '{rule.Id}' ({rule.File}): the accumulator update must be affine in {b} and s.");
        var decay = (form.Coefficients[1] / form.Coefficients[0]).Together().ToExpr();
        var gain = (-form.Coefficients[2] / form.Coefficients[0]).Together().ToExpr();
        string solution = $"sqrt({b}(t)) = sqrt(({gain})·∫₀ᵗ exp(-({decay})(t-u))·s(u) du + exp(-({decay})·t)·{b}(0))";
        return new AccumulatorEquation(rule, residual, decay, gain, solution);
    }
}

using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>How the gradients driving a scale-invariant block are modelled (theory/05-learning-dynamics.md#eq-5-4).</summary>
public enum GradientForcing
{
    /// <summary>The gradient keeps its direction in the block's rotating frame (|ĝ| constant, tangent to the sphere).</summary>
    Persistent,

    /// <summary>Independent tangent gradients each step, E|ĝ|² = s (white noise).</summary>
    White,
}

/// <summary>
/// Stationary statistics of a position rule's state (q and its buffer) under scale-invariant forcing, derived from the
/// rule's own catalog update; see <see cref="BufferStatistics"/>.
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="States">The state symbols: <c>q</c>, then the buffer when the rule has one.</param>
/// <param name="Transition">A[i][j]: coefficient of state j in state i's update (g = 0).</param>
/// <param name="Input">c[i]: coefficient of the gradient g in state i's update.</param>
/// <param name="SteadyStatePersistent">r⁴* under persistent gradients to leading order in η (a multiple of s = |ĝ|²), or null.</param>
/// <param name="SteadyStateWhite">r⁴* under white-noise gradients to leading order in η, or null.</param>
/// <param name="NotDerived">Why the statistics could not be derived (then both steady states are null), else null.</param>
public sealed record StationaryStatistics(LearningRule Rule, ImmutableArray<Symbol> States, ImmutableArray<ImmutableArray<Expr>> Transition,
    ImmutableArray<Expr> Input, Expr? SteadyStatePersistent, Expr? SteadyStateWhite, string? NotDerived)
{
    /// <summary>
    /// The exact stationary ratio r⁴/s of the discrete rule (all orders in η) at numeric hyperparameters: the solution of
    /// the same Gram system without the leading-order truncation. Its distance from the leading-order law is the O(η) bias.
    /// </summary>
    /// <param name="values">Hyperparameter values by symbol.</param>
    /// <param name="forcing">Persistent or white gradients.</param>
    /// <exception cref="NoetherTheoryException">The statistics were not derived, or the system is singular at these values.</exception>
    public double ExactRatio(IReadOnlyDictionary<Symbol, double> values, GradientForcing forcing)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (NotDerived is not null) throw new NoetherTheoryException($"Rule '{Rule.Id}': stationary statistics not derived: {NotDerived}");
        var (a, c) = BufferStatistics.Gram(Transition, Input, forcing);
        int m = c.Length;
        var mat = new double[m, m];
        var rhs = new double[m];
        for (int i = 0; i < m; i++)
        {
            rhs[i] = c[i].Evaluate(values);
            for (int j = 0; j < m; j++) mat[i, j] = a[i, j].Evaluate(values);
        }
        for (int col = 0; col < m; col++)
        {
            int p = col;
            for (int r = col + 1; r < m; r++) if (Math.Abs(mat[r, col]) > Math.Abs(mat[p, col])) p = r;
            if (Math.Abs(mat[p, col]) < 1e-300) throw new NoetherTheoryException($"Rule '{Rule.Id}': the Gram system is singular at these values.");
            for (int j = 0; j < m; j++) (mat[col, j], mat[p, j]) = (mat[p, j], mat[col, j]);
            (rhs[col], rhs[p]) = (rhs[p], rhs[col]);
            for (int r = 0; r < m; r++)
            {
                if (r == col) continue;
                double f = mat[r, col] / mat[col, col];
                for (int j = col; j < m; j++) mat[r, j] -= f * mat[col, j];
                rhs[r] -= f * rhs[col];
            }
        }
        return rhs[0] / mat[0, 0];
    }
}

/// <summary>
/// Derives the stationary second moments of a linear position rule's state from its catalog update
/// (theory/05-learning-dynamics.md#eq-5-4; theory notes I.1: "derive the buffer's stationary second moment from the
/// rule's own linear recursion, never by reusing heavy ball's").
/// </summary>
/// <remarks>
/// The update is split as z' = A·z + c·g with z = (q, buffer) and scalar coefficients (every catalog rule acts
/// componentwise). For a scale-invariant block g ⊥ q and |g|² = s/|q|². The Gram matrix M = [⟨zᵢ, zⱼ⟩] then obeys
/// M' = A M Aᵀ + A Y cᵀ + c Yᵀ Aᵀ + c cᵀ|g|² with Yᵢ = ⟨zᵢ, g⟩: zero for white noise (g independent of the past), and for
/// persistent gradients the tangent fixed point of the buffer recursion with the tangent part of q at zero
/// (Y_b = c_b/(1 − A_bb)·|g|²). Stationarity is a linear system in M whose solution gives |q|² = K·|g|², so r⁴ = K·s; the
/// closed form is K's leading order as η → 0 (the exact discrete K is kept for bias estimates).
/// </remarks>
public static class BufferStatistics
{
    private static readonly Symbol S = Expr.Symbol("s");
    private static readonly Symbol Eps = Expr.Symbol("epsilon_eta");
    private const int MaxOrder = 6;

    /// <summary>Derives the stationary statistics of <paramref name="rule"/>; never throws for a loaded rule (reasons instead).</summary>
    public static StationaryStatistics Derive(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var q = BackwardErrorAnalysis.Q;
        var g = BackwardErrorAnalysis.G;
        StationaryStatistics Fail(string why) => new(rule, [], [], [], null, null, why);
        if (rule.Kind != RuleKind.Position) return Fail("an accumulator rule is not a linear position rule, so its buffers have no Gram system");
        var gq = Expr.Apply("g", q);
        var qUpdate = rule.Update.FirstOrDefault(u => u.Target == "q_next");
        if (qUpdate is null) return Fail("the rule has no q_next update");
        var states = new List<Symbol> { q };
        var updates = new List<Expr>();
        Expr qNext = qUpdate.Value;
        if (rule.Buffer is { } b)
        {
            var bs = Expr.Symbol(b);
            var bn = Expr.Symbol(b + "_next");
            var bUpdate = rule.Update.FirstOrDefault(u => u.Target == b + "_next");
            if (bUpdate is null) return Fail($"the rule has no {b}_next update");
            states.Add(bs);
            qNext = qNext.Substitute(bn, bUpdate.Value);
            updates.Add(qNext);
            updates.Add(bUpdate.Value);
        }
        else updates.Add(qNext);
        int n = states.Count;
        var atoms = states.Cast<Expr>().Append(g).ToArray();
        var a = ImmutableArray.CreateBuilder<ImmutableArray<Expr>>();
        var c = ImmutableArray.CreateBuilder<Expr>();
        for (int i = 0; i < n; i++)
        {
            var e = updates[i].Substitute(gq, g).Expand();
            if (HasApply(e))
                return Fail($"the {states[i].Name} update uses the gradient other than as g(q)");
            var form = e.Coefficients(atoms);
            if (!form.IsLinear) return Fail($"the {states[i].Name} update is not linear in the state and the gradient ({form.Problem})");
            if (!form.Remainder.Equals(Expr.Zero)) return Fail($"the {states[i].Name} update has a term {form.Remainder} outside the state and the gradient");
            var row = ImmutableArray.CreateBuilder<Expr>();
            for (int j = 0; j < n; j++) row.Add(form.Coefficients[j]);
            a.Add(row.ToImmutable());
            c.Add(form.Coefficients[n]);
        }
        var transition = a.ToImmutable();
        var input = c.ToImmutable();
        if (input[0].Equals(Expr.Zero) && (n == 1 || input[1].Equals(Expr.Zero))) return Fail("the gradient does not enter the update");
        Expr? persistent = null, white = null;
        string? why = null;
        foreach (var forcing in new[] { GradientForcing.Persistent, GradientForcing.White })
        {
            var (lhs, rhs) = Gram(transition, input, forcing);
            var det = Determinant(lhs);
            var replaced = (Expr[,])lhs.Clone();
            for (int i = 0; i < rhs.Length; i++) replaced[i, 0] = rhs[i];
            var ratio = Determinant(replaced) / det;
            var lead = LeadingOrder(ratio, out var problem);
            if (lead is null)
            {
                why = $"{forcing.ToString().ToLowerInvariant()} gradients: {problem}";
                continue;
            }
            var y = RationalCancel.CancelWithRoots(lead * S);
            if (forcing == GradientForcing.Persistent) persistent = y; else white = y;
        }
        return new StationaryStatistics(rule, [.. states], transition, input, persistent, white, why);
    }

    /// <summary>Whether two laws agree to leading order in η (so an existing form can be kept verbatim).</summary>
    internal static bool SameLeadingOrder(Expr x, Expr y)
    {
        var lx = LeadingOrder(x, out _);
        var ly = LeadingOrder(y, out _);
        return lx is not null && ly is not null && ZeroTest.Run(lx - ly).IsZero;
    }

    /// <summary>The stationary Gram system (I − T)·m = w for the unknowns m = (M_ij, i ≤ j), with |g|² = 1.</summary>
    internal static (Expr[,] Lhs, Expr[] Rhs) Gram(ImmutableArray<ImmutableArray<Expr>> a, ImmutableArray<Expr> c, GradientForcing forcing)
    {
        int n = c.Length;
        var y = new Expr[n];
        y[0] = Expr.Zero;
        for (int i = 1; i < n; i++)
            y[i] = forcing == GradientForcing.Persistent ? c[i] / (1 - a[i][i]) : Expr.Zero;
        var pairs = new List<(int I, int J)>();
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) pairs.Add((i, j));
        int m = pairs.Count;
        int Index(int i, int j) => pairs.IndexOf(i <= j ? (i, j) : (j, i));
        var lhs = new Expr[m, m];
        var rhs = new Expr[m];
        for (int r = 0; r < m; r++)
        {
            for (int col = 0; col < m; col++) lhs[r, col] = r == col ? Expr.One : Expr.Zero;
            var (i, j) = pairs[r];
            for (int p = 0; p < n; p++)
                for (int s = 0; s < n; s++)
                {
                    int k = Index(p, s);
                    lhs[r, k] -= a[i][p] * a[j][s];
                }
            var w = c[i] * c[j];
            for (int p = 0; p < n; p++) w += ((a[i][p] * c[j]) + (c[i] * a[j][p])) * y[p];
            rhs[r] = w;
        }
        return (lhs, rhs);
    }

    internal static Expr Determinant(Expr[,] m)
    {
        int n = m.GetLength(0);
        if (n == 1) return m[0, 0];
        Expr sum = Expr.Zero;
        for (int col = 0; col < n; col++)
        {
            if (m[0, col].Equals(Expr.Zero)) continue;
            var minor = new Expr[n - 1, n - 1];
            for (int r = 1; r < n; r++)
                for (int cc = 0, k = 0; cc < n; cc++)
                    if (cc != col) minor[r - 1, k++] = m[r, cc];
            var term = m[0, col] * Determinant(minor);
            sum = col % 2 == 0 ? sum + term : sum - term;
        }
        return sum;
    }

    /// <summary>The leading term of <paramref name="e"/> as η → 0 at fixed other symbols, or null with a reason.</summary>
    internal static Expr? LeadingOrder(Expr e, out string? problem)
    {
        var eta = Coordinates.Eta;
        var form = e.Substitute(eta, Eps * eta).Together();
        var (num, den) = (form.Numerator.Expand(), form.Denominator);
        var (cn, on) = Lowest(num);
        var (cd, od) = Lowest(den);
        if (cn is null || cd is null)
        {
            problem = "the stationary ratio vanishes to every order checked in eta (no stationary state)";
            return null;
        }
        problem = null;
        // η was scaled by ε, so each ε^k coefficient already carries η^k.
        _ = (on, od);
        return RationalCancel.CancelWithRoots(cn / cd);
    }

    private static (Expr? Coefficient, int Order) Lowest(Expr p)
    {
        var d = p;
        Expr factorial = Expr.One;
        for (int k = 0; k <= MaxOrder; k++)
        {
            if (k > 0)
            {
                d = d.Differentiate(Eps);
                factorial *= k;
            }
            var at = RationalCancel.Cancel(d.Substitute(Eps, Expr.Zero) / factorial);
            if (!ZeroTest.Run(at).IsZero) return (at, k);
        }
        return (null, 0);
    }

    private static bool HasApply(Expr e) => e is Apply || e.Children.Any(HasApply);
}

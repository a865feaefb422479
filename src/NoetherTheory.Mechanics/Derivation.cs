using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>
/// The derivation facade: a learning rule and a symmetry in, the Lagrangian, equations of motion, Noether charge,
/// charge equation, KSB and weight-decay breaking, charge-level laws and every identity's zero-test verdict out.
/// </summary>
/// <remarks>
/// Pure functions of their inputs. theory/01-learning-lagrangian.md#eq-1-8, theory/02-euler-lagrange.md#eq-2-3,
/// theory/03-noether.md#eq-3-4, theory/03-noether.md#eq-3-6.
/// </remarks>
public static class Derivation
{
    private const string AnchorLagrangian = "theory/01-learning-lagrangian.md#eq-1-8";
    private const string AnchorEnergy = "theory/01-learning-lagrangian.md#eq-1-9";
    private const string AnchorSymmetry = "theory/03-noether.md#eq-3-1";
    private const string AnchorKsb = "theory/03-noether.md#eq-3-2";
    private const string AnchorWeightDecay = "theory/03-noether.md#eq-3-3";
    private const string AnchorCharge = "theory/03-noether.md#eq-3-4";
    private const string AnchorIdentity = "theory/03-noether.md#eq-3-5";
    private const string AnchorNld = "theory/03-noether.md#eq-3-6";

    private static readonly Symbol T = Coordinates.Time;

    /// <summary>Why an adaptive rule gets no closed-form derivation.</summary>
    public const string NoClosedForm =
        "the update divides by the square root of a second-moment buffer (and carries step-count bias corrections), so it is " +
        "not linear in the state and the gradient: no modified equation, Lagrangian, charge law or steady state is derived in " +
        "closed form.";

    /// <summary><see cref="NoClosedForm"/> plus what the engine derives instead for this rule (its rotational equilibrium
    /// under white gradients, theory/05-learning-dynamics.md#eq-5-8) or why it cannot.</summary>
    public static string NotDerivedReason(LearningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var e = Equilibrium.Derive(rule, GradientForcing.White);
        return NoClosedForm + (e.IsDerived
            ? $" Its rotational equilibrium under white gradients (theory/05-learning-dynamics.md#eq-5-8) is derived after linearising: {e.Linearisation}; angle² per step {e.AngularUpdateSquared}."
            : $" Its rotational equilibrium is not derived either: {e.NotDerived}.");
    }

    /// <summary>Derives everything for one rule, symmetry and model.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="ruleId">A position rule id.</param>
    /// <param name="symmetryId">A symmetry id.</param>
    /// <param name="model">The model (catalog id, potential text or abstract).</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="NoetherTheoryException">Unknown ids, an accumulator rule, a potential that does not parse, an
    /// abstract model without the invariance, or a symmetry that does not fit the model (the message says which).</exception>
    /// <exception cref="InvalidPotentialException">A potential given as text does not parse, names a reserved symbol or
    /// needs more coordinates than the symmetry has.</exception>
    public static DerivationResult Run(Catalog catalog, string ruleId, string symmetryId, ModelSpec model, DerivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        var rule = catalog.Rule(ruleId);
        if (rule.Kind == RuleKind.Adaptive)
            throw new NoetherTheoryException($"Rule '{rule.Id}' is an adaptive rule and has no Lagrangian: {NoClosedForm}");
        if (rule.Kind != RuleKind.Position)
            throw new NoetherTheoryException($"Rule '{rule.Id}' is an accumulator rule and has no Lagrangian; derive it with BackwardErrorAnalysis.DeriveAccumulator (RunAll includes it).");
        var me = BackwardErrorAnalysis.Derive(rule);
        return Run(me, catalog.Symmetry(symmetryId), catalog, model, options ?? DerivationOptions.Default);
    }

    /// <summary>Derives the whole catalog: every position rule × every symmetry (abstract potential) and every model ×
    /// each of its symmetries × every position rule, plus accumulator rules and Głuch–Urbanke model laws.</summary>
    public static CatalogDerivation RunAll(Catalog catalog, DerivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= DerivationOptions.Default;
        var clock = Stopwatch.StartNew();
        var modified = catalog.Rules.Where(r => r.Kind == RuleKind.Position).Select(BackwardErrorAnalysis.Derive).ToList();
        var jobs = new List<(ModifiedEquation, SymmetryDefinition, ModelSpec)>();
        foreach (var me in modified)
        {
            foreach (var s in catalog.Symmetries) jobs.Add((me, s, ModelSpec.Abstract));
            foreach (var m in catalog.Models)
                foreach (var b in m.Symmetries)
                    jobs.Add((me, catalog.Symmetry(b.SymmetryId), ModelSpec.FromCatalog(m.Id)));
        }
        var results = new DerivationResult[jobs.Count];
        Parallel.For(0, jobs.Count, i => results[i] = Run(jobs[i].Item1, jobs[i].Item2, catalog, jobs[i].Item3, options));
        var accumulators = catalog.Rules.Where(r => r.Kind == RuleKind.Accumulator).Select(BackwardErrorAnalysis.DeriveAccumulator).ToImmutableArray();
        var laws = catalog.Models.Where(m => !m.Balance.IsEmpty || m.Augmentation is not null)
            .Select(m => GluchUrbanke.Derive(m, options)).ToImmutableArray();
        return new CatalogDerivation([.. results], accumulators, laws, clock.Elapsed)
        {
            NotDerived = [.. catalog.Rules.Where(r => r.Kind == RuleKind.Adaptive).Select(r => (r, NotDerivedReason(r)))],
        };
    }

    private static DerivationResult Run(ModifiedEquation me, SymmetryDefinition symmetry, Catalog catalog, ModelSpec spec, DerivationOptions options)
    {
        if (!me.HasLagrangian)
            throw new NoetherTheoryException($"Rule '{me.Rule.Id}' has no damped-particle modified equation: {me.Problem}.");
        var (n, loss, isAbstract, name, binding) = ResolveModel(catalog, symmetry, spec);
        var xi = symmetry.GeneratorFor(n, binding?.Sets, binding?.Planes);
        var coords = Coordinates.Of(n);
        var q = coords.Select(c => (Expr)c.Q).ToArray();
        var qd = coords.Select(c => (Expr)c.QDot).ToArray();
        var jet = new JetSpace(coords, T);
        var zt = options.ZeroTest;
        var checks = new List<IdentityCheck>();
        void Check(string nm, string statement, Expr e, string anchor) =>
            checks.Add(new IdentityCheck(nm, statement, e, ZeroTest.Run(e, zt), anchor));

        var (m, mu, kappa, tau) = (me.Mass, me.Friction, me.WeightDecay, me.DampingTime);
        var sq = Terms.Dot(q, q);
        var sqd = Terms.Dot(qd, qd);
        var v = loss + (Expr.Half * kappa * sq);
        var kin = Expr.Half * m * sqd;
        var weight = Expr.Exp(T / tau);
        var lagrangian = weight * (kin - v);
        var eom = EulerLagrange.Derive(new LagrangianSystem(lagrangian, coords, T));

        // Invariance of an abstract loss as a rewrite rule: solve ⟨∇f, ξ⟩ = 0 for one partial derivative.
        var rewrite = isAbstract ? InvarianceRewrite(loss, xi) : null;
        Expr Inv(Expr e) => rewrite is null ? e : e.Substitute(rewrite);

        // The Lagrangian reproduces the modified equation: e^{-t/τ}𝓔_i = m q̈_i + μ q̇_i + ∂_i f + κ q_i.
        var grad = loss.Gradient(coords.Select(c => c.Q).ToArray());
        var weights = Expr.Symbols("lambda_check", n);
        Check("Lagrangian reproduces the modified equation",
            "e^(-t/tau)·(d/dt ∂L/∂qdot_i − ∂L/∂q_i) = m·qddot_i + mu·qdot_i + ∂_i f + kappa·q_i for every i",
            Expr.Add(Enumerable.Range(0, n).Select(i => weights[i] *
                (Terms.DivideTermwise(eom.Residuals[i], weight) - (m * coords[i].QDDot) - (mu * qd[i]) - grad[i] - (kappa * q[i])))),
            AnchorLagrangian);

        var charge = m * Terms.Dot(qd, xi);
        var momenta = coords.Select(c => lagrangian.Differentiate(c.QDot)).ToArray();
        var canonical = weight * charge;
        Check("Noether charge is <p, xi>", "Q = Σ_i ∂L/∂qdot_i·xi_i = e^(t/tau)·J", canonical - Terms.Dot(momenta, xi), AnchorCharge);

        var dxi = xi.Select(jet.TotalTimeDerivative).ToArray();
        var ksb = m * Terms.Dot(qd, dxi);
        var wd = kappa * Terms.Dot(q, xi);
        var lossBreak = Terms.Dot(grad, xi);
        var dV = lossBreak + wd;
        var left = jet.TotalTimeDerivative(charge) + (charge / tau);
        var right = ksb - dV;
        Check("Noether identity", "d/dt <∂L/∂qdot, xi> = e^(t/tau)·(∂_s T − ∂_s V) on-shell",
            eom.OnShell(jet.TotalTimeDerivative(canonical) - (weight * right)), AnchorIdentity);
        Check("NLD charge equation", "dJ/dt + J/tau = ∂_s T − ∂_s V on-shell", eom.OnShell(left - right), AnchorNld);
        Check("energy balance", "dE/dt = −mu·|qdot|² on-shell, E = m/2·|qdot|² + V",
            eom.OnShell(jet.TotalTimeDerivative(kin + v) + (mu * sqd)), AnchorEnergy);

        // Verdicts: a NonZero witness is a point inside the declared hyperparameter domains (0 ≤ β < 1, η > 0, …).
        var verdictTest = zt with { Domains = me.Rule.Domains };
        Verdict lossSymmetry;
        if (isAbstract)
        {
            lossSymmetry = new Verdict("loss symmetry <grad f, xi> = 0", VerdictKind.Declared, lossBreak, null, AnchorSymmetry);
            Check("declared invariance rewrites <grad f, xi> to 0", "<grad f, xi> = 0 after the invariance rewrite", Inv(lossBreak), AnchorSymmetry);
        }
        else
        {
            var r = ZeroTest.Run(lossBreak, verdictTest);
            lossSymmetry = new Verdict("loss symmetry <grad f, xi> = 0", Outcome(r), lossBreak, r, AnchorSymmetry);
        }
        var lossVerdict = lossSymmetry.Outcome;
        var ksbResult = ZeroTest.Run(ksb, verdictTest);
        var kineticVerdict = new Verdict("kinetic symmetry breaking ∂_s T", Outcome(ksbResult), ksb, ksbResult, AnchorKsb);
        var wdResult = ZeroTest.Run(wd, verdictTest);
        var weightDecayVerdict = new Verdict("weight-decay breaking ∂_s(kappa/2·|q|²)", Outcome(wdResult), wd, wdResult, AnchorWeightDecay);

        bool invariant = lossVerdict is VerdictKind.Preserves or VerdictKind.Declared;
        if (invariant)
            Check("NLD charge equation with a symmetric loss", "dJ/dt + J/tau = ∂_s T − kappa·<q, xi> on-shell (uses the loss symmetry)",
                Inv(eom.OnShell(left - ksb + wd)), AnchorNld);

        ChargeLaw? law = null;
        AdaptiveOptimization? adaptive = null;
        if (options.IncludeLaws)
        {
            law = invariant
                ? ChargeLaws.Derive(me, coords, xi, loss, eom, jet, Inv, Check)
                : ChargeLaw.NoLaw(m, mu, ChargeLawObstruction.LossNotInvariant);
            if (law.Kind == ChargeLawKind.Oscillator && symmetry.Kind == SymmetryKind.Scale)
                adaptive = ChargeLaws.Adaptive(me, law, xi, coords, catalog, Check);
        }

        return new DerivationResult
        {
            Rule = me.Rule, Symmetry = symmetry, ModelSpec = spec, ModelName = name, Dimension = n, Loss = loss, IsAbstract = isAbstract,
            ModifiedEquation = me, Potential = v, Kinetic = kin, Lagrangian = lagrangian, Equations = eom, Generator = xi,
            Charge = charge, CanonicalCharge = canonical, KineticBreaking = ksb, WeightDecayBreaking = wd, LossBreaking = lossBreak,
            ChargeEquationLeft = left, ChargeEquationRight = right, Verdicts = new DerivationVerdicts(lossSymmetry, kineticVerdict, weightDecayVerdict), Law = law, Adaptive = adaptive,
            Checks = [.. checks],
        };
    }

    private static VerdictKind Outcome(ZeroTestResult r) =>
        r.IsZero ? VerdictKind.Preserves : r.Kind == ZeroTestKind.NonZero ? VerdictKind.Breaks : VerdictKind.Inconclusive;

    private static (int N, Expr Loss, bool IsAbstract, string Name, SymmetryBinding? Binding) ResolveModel(
        Catalog catalog, SymmetryDefinition symmetry, ModelSpec spec)
    {
        switch (spec.Source)
        {
            case ModelSource.Abstract:
            {
                int n = symmetry.Dimension;
                return (n, Expr.Apply("f", Coordinates.Q(n).Select(s => (Expr)s)), true, "abstract f invariant under " + symmetry.Id, null);
            }
            case ModelSource.Catalog:
            {
                var model = catalog.Model(spec.Value!);
                var binding = model.Symmetries.FirstOrDefault(b => b.SymmetryId == symmetry.Id);
                if (model.IsAbstract && binding is null)
                    throw new NoetherTheoryException(
                        $"Abstract model '{model.Id}' ({model.File}) declares no invariance under '{symmetry.Id}'; add it to its 'symmetries' list or pick another symmetry.");
                return (model.Dimension, model.Loss, model.IsAbstract, model.Id, binding);
            }
            case ModelSource.Potential:
            {
                if (!Expr.TryParse(spec.Value!, out var f, out var error))
                    throw new InvalidPotentialException(spec.Value!, $"the potential cannot be parsed: \"{spec.Value}\" at {error}.");
                int maxIndex = -1;
                foreach (var s in f!.FreeSymbols())
                {
                    if (s.Name == Coordinates.QName && s.Index is { } i) maxIndex = Math.Max(maxIndex, i);
                    else if (Coordinates.Reserved.Contains(s.Name))
                        throw new InvalidPotentialException(spec.Value!, $"the potential names '{s.DisplayName}', which is reserved (q[i] are the coordinates; t, eta, beta, k, … are rule symbols); rename it.");
                }
                int n = symmetry.Kind == SymmetryKind.Custom ? symmetry.Dimension : Math.Max(maxIndex + 1, symmetry.Dimension);
                if (maxIndex >= n)
                    throw new InvalidPotentialException(spec.Value!, string.Create(CultureInfo.InvariantCulture,
                        $"the potential uses q[{maxIndex}] but symmetry '{symmetry.Id}' has a fixed dimension {n}."));
                return (n, f, false, spec.Value!, null);
            }
            default:
                throw new UnreachableException(spec.Source.ToString());
        }
    }

    /// <summary>∂_j f → −Σ_{i≠j} ξ_i ∂_i f / ξ_j for the first j with ξ_j ≠ 0.</summary>
    private static Dictionary<Expr, Expr>? InvarianceRewrite(Expr loss, ImmutableArray<Expr> xi)
    {
        if (loss is not Apply f) return null;
        int n = f.Arguments.Length;
        Expr Partial(int i) => Expr.Apply(f.Name, f.Arguments, [.. Enumerable.Range(0, n).Select(j => j == i ? 1 : 0)]);
        int pivot = Enumerable.Range(0, n).FirstOrDefault(i => !xi[i].Equals(Expr.Zero), -1);
        if (pivot < 0) return null;
        var rest = Expr.Add(Enumerable.Range(0, n).Where(i => i != pivot).Select(i => xi[i] * Partial(i)));
        return new Dictionary<Expr, Expr> { [Partial(pivot)] = -rest / xi[pivot] };
    }
}

using System.Text;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>Text, LaTeX and JSON renderings of derivation results (JSON field names: src/NoetherTheory.Mechanics/JSON.md).
/// Every expression is shown in its display form (<see cref="Presenter"/>: cancelled, (1 − β) rather than (β − 1) on the
/// rule's declared domains, collected by the state variables), each proven equal to the derived one by the zero test;
/// the canonical forms stay in the JSON <c>text</c> fields.</summary>
public static partial class DerivationFormatter
{
    /// <summary>Plain text for a terminal.</summary>
    public static string ToText(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var pr = Presenter.For(result.Rule);
        var sb = new StringBuilder();
        var me = result.ModifiedEquation;
        Line(sb, $"rule      {result.Rule.Id} — {result.Rule.Name}");
        Line(sb, $"symmetry  {result.Symmetry.Id} — {result.Symmetry.Name}");
        Line(sb, $"model     {result.ModelName} (n = {result.Dimension}){(result.IsAbstract ? ", abstract" : "")}");
        Line(sb, $"loss      f = {result.Loss}");
        Line(sb, "");
        Line(sb, $"two-step form        {pr.T(me.TwoStep)} = 0   (t = n·{pr.T(me.Step)})");
        Line(sb, $"modified equation    {pr.T(me.FirstOrder)} = 0   (first order in eta)");
        if (me.Reduction is not null) Line(sb, $"reduction            {me.Reduction}");
        var compact = CompactForms.TryCreate(result);
        Line(sb, $"  m = {pr.T(me.Mass)},  mu = {pr.T(me.Friction)},  kappa = {pr.T(me.WeightDecay)},  tau = {pr.T(me.DampingTime)}");
        if (compact is not null)
        {
            Line(sb, $"Lagrangian           L = {compact.Lagrangian}");
            Line(sb, $"  where m = {pr.T(me.Mass)}, mu = {pr.T(me.Friction)}, kappa = {pr.T(me.WeightDecay)}, tau = m/mu   [L checked: {compact.LagrangianCheck.Kind}]");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $"EOM[{i}]               {CompactForms.Left(result.Equations.System.Coordinates[i])} = {pr.T(compact.Forcing[i])}");
            Line(sb, $"  (Euler–Lagrange residuals divided by exp(t/tau); the engine verified the division: "
                     + $"{string.Join(", ", compact.DivisionCheck.Select(c => c.Kind).Distinct())})");
        }
        else
        {
            Line(sb, $"Lagrangian           L = {pr.T(result.Lagrangian)}");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $"EOM[{i}]               {pr.TP(result.Equations.MassMatrix[i][i])}·qddot[{i}] = {pr.T(result.Equations.Forcing[i])}");
        }
        Line(sb, $"generator            xi = ({string.Join(", ", result.Generator.Select(pr.T))})");
        Line(sb, $"charge               J = {pr.T(result.Charge)}   (Q = e^(t/tau)·J)");
        Line(sb, $"charge equation      dJ/dt + J/tau = ∂_s T − ∂_s V");
        Line(sb, $"  ∂_s T (KSB)        {pr.T(result.KineticBreaking)}");
        Line(sb, $"  ∂_s(kappa|q|²/2)   {pr.T(result.WeightDecayBreaking)}");
        Line(sb, $"  ∂_s f              {pr.T(result.LossBreaking)}");
        foreach (var v in result.Verdicts.All) Line(sb, $"verdict              {v.Name}: {v.Outcome.ToString().ToLowerInvariant()}{Witness(v)}");
        if (result.Law is { } law)
        {
            if (law.Kind == ChargeLawKind.None) Line(sb, $"charge law           none: {Reason(law)}");
            else
            {
                Line(sb, $"charge law           {Statement(law, pr)}");
                if (law.Green is { } g) Line(sb, $"  gamma = {pr.T(g.Gamma)}, omega² = {pr.T(g.OmegaSquared)}, gamma² − omega² = {pr.T(g.Discriminant)}");
                Line(sb, $"  overdamped         {Overdamped(law, result.Rule, pr)}");
            }
        }
        if (result.Adaptive is { } a)
        {
            Line(sb, $"r^4 law (NLD Eq. 17) {AdaptiveLaw(a, pr)}");
            Line(sb, $"  steady r^4         persistent {pr.T(a.SteadyStatePersistent)}; white noise {(a.SteadyStateWhite is { } white ? pr.T(white) : "not derived: " + a.WhiteNoiseNotDerived)}");
            Line(sb, $"  rho_eff = {pr.T(a.DiscountPerStep)}, eta_eff = {pr.T(a.EffectiveLearningRate)}" + (a.MomentumAmplification is { } amp ? $", amplification = {pr.T(amp)}" : ", amplification: not derived (the rule has no momentum β)"));
            Line(sb, $"  assumptions        {AdaptiveAssumptions(a, pr)}");
            Line(sb, $"  RMSProp            {RmsPropMap(a, pr)}");
        }
        Line(sb, "identities:");
        foreach (var c in result.Checks)
            Line(sb, $"  [{(c.Holds ? "ok" : "FAIL")}] {c.Name} — {c.Result.Kind}: {c.Result.Evidence}");
        Line(sb, result.AllHold ? "all identities hold" : "SOME IDENTITIES DO NOT HOLD");
        var glossary = Glossary.For(result, pr);
        Line(sb, pr.Summary());
        Line(sb, "glossary:");
        int width = glossary.Max(e => e.Symbol.Length);
        foreach (var e in glossary)
            Line(sb, $"  {e.Symbol.PadRight(width)}  {e.Meaning}  [{e.Units}]");
        return sb.ToString();
    }

    /// <summary>" (witness: beta=…, …)" for a NonZero verdict: the point, inside the declared domains, where the term is not zero.</summary>
    private static string Witness(Verdict v) =>
        v.Result is { Kind: ZeroTestKind.NonZero } r ? $"   ({r.Evidence})" : "";

    /// <summary>A summary of the whole catalog: one line per derivation plus failures in full.</summary>
    public static string ToText(CatalogDerivation all)
    {
        ArgumentNullException.ThrowIfNull(all);
        var sb = new StringBuilder();
        foreach (var r in all.Results)
        {
            var pr = Presenter.For(r.Rule);
            Line(sb, $"{(r.AllHold ? "ok  " : "FAIL")} {r.Rule.Id} × {r.Symmetry.Id} × {r.ModelName}: {r.Checks.Length} identities; "
                     + string.Join(", ", r.Verdicts.All.Select(v => $"{Short(v.Name)} {v.Outcome.ToString().ToLowerInvariant()}"))
                     + (r.Law is { Kind: not ChargeLawKind.None } l ? $"; law {Statement(l, pr)}" : ""));
            foreach (var c in r.Checks.Where(c => !c.Holds)) Line(sb, $"     {c.Name}: {c.Result}");
        }
        foreach (var a in all.Accumulators)
            Line(sb, $"ok   {a.Rule.Id}: accumulator {a.Equation} = 0; decay {a.Decay}, gain {a.Gain}; {a.Solution}");
        foreach (var m in all.ModelLaws)
        {
            Line(sb, $"{(m.AllHold ? "ok  " : "FAIL")} {m.Model.Id}: Głuch–Urbanke, {m.Checks.Length} identities");
            foreach (var c in m.Checks.Where(c => !c.Holds)) Line(sb, $"     {c.Name}: {c.Result}");
        }
        foreach (var (rule, reason) in all.NotDerived)
            Line(sb, $"--   {rule.Id}: {rule.Kind.ToString().ToLowerInvariant()} rule, no closed form: {reason}");
        Line(sb, $"{all.CheckCount} identities in {all.Results.Length} derivations, {all.Elapsed.TotalSeconds:F2} s: "
                 + (all.AllHold ? "all hold" : "SOME DO NOT HOLD"));
        return sb.ToString();
    }

    private static string Short(string name) => name.Split(' ')[0];

    /// <summary>The factored form used in check statements (<see cref="Algebra.Factor"/>: exact, never larger than its
    /// input). Outputs use <see cref="Presenter"/> instead.</summary>
    internal static Expr P(Expr e) => e.Factor();

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}

using System.Globalization;
using System.Text;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>Text, LaTeX and JSON renderings of derivation results (JSON field names: src/NoetherTheory.Mechanics/JSON.md).</summary>
public static partial class DerivationFormatter
{
    /// <summary>Plain text for a terminal.</summary>
    public static string ToText(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var me = result.ModifiedEquation;
        Line(sb, $"rule      {result.Rule.Id} — {result.Rule.Name}");
        Line(sb, $"symmetry  {result.Symmetry.Id} — {result.Symmetry.Name}");
        Line(sb, $"model     {result.ModelName} (n = {result.Dimension}){(result.IsAbstract ? ", abstract" : "")}");
        Line(sb, $"loss      f = {result.Loss}");
        Line(sb, "");
        Line(sb, $"two-step form        {me.TwoStep} = 0   (t = n·{me.Step})");
        Line(sb, $"modified equation    {me.FirstOrder} = 0   (first order in eta)");
        if (me.Reduction is not null) Line(sb, $"reduction            {me.Reduction}");
        var compact = CompactForms.TryCreate(result);
        Line(sb, $"  m = {P(me.Mass)},  mu = {P(me.Friction)},  kappa = {P(me.WeightDecay)},  tau = {P(me.DampingTime)}");
        if (compact is not null)
        {
            Line(sb, $"Lagrangian           L = {compact.Lagrangian}");
            Line(sb, $"  where m = {compact.Mass}, mu = {compact.Friction}, tau = m/mu   [L checked: {compact.LagrangianCheck.Kind}]");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $"EOM[{i}]               {CompactForms.Left(result.Equations.System.Coordinates[i])} = {compact.Forcing[i]}");
            Line(sb, $"  (Euler–Lagrange residuals divided by exp(t/tau); the engine verified the division: "
                     + $"{string.Join(", ", compact.DivisionCheck.Select(c => c.Kind).Distinct())})");
        }
        else
        {
            Line(sb, $"Lagrangian           L = {P(result.Lagrangian)}");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $"EOM[{i}]               ({P(result.Equations.MassMatrix[i][i])})·qddot[{i}] = {P(result.Equations.Forcing[i])}");
        }
        Line(sb, $"generator            xi = ({string.Join(", ", result.Generator)})");
        Line(sb, $"charge               J = {P(result.Charge)}   (Q = e^(t/tau)·J)");
        Line(sb, $"charge equation      dJ/dt + J/tau = ∂_s T − ∂_s V");
        Line(sb, $"  ∂_s T (KSB)        {P(result.KineticBreaking)}");
        Line(sb, $"  ∂_s(kappa|q|²/2)   {P(result.WeightDecayBreaking)}");
        Line(sb, $"  ∂_s f              {P(result.LossBreaking)}");
        foreach (var v in result.Verdicts.All) Line(sb, $"verdict              {v.Name}: {v.Outcome.ToString().ToLowerInvariant()}");
        if (result.Law is { } law)
        {
            if (law.Kind == ChargeLawKind.None) Line(sb, $"charge law           none: {Reason(law)}");
            else
            {
                Line(sb, $"charge law           {Statement(law)}");
                if (law.Green is { } g) Line(sb, $"  gamma = {P(g.Gamma)}, omega² = {P(g.OmegaSquared)}, gamma² − omega² = {P(g.Discriminant)}");
                Line(sb, $"  overdamped         {Overdamped(law)}");
            }
        }
        if (result.Adaptive is { } a)
        {
            Line(sb, $"r^4 law (NLD Eq. 17) {AdaptiveLaw(a)}");
            Line(sb, $"  steady r^4         persistent {P(a.SteadyStatePersistent)}; white noise {(a.SteadyStateWhite is { } white ? P(white).ToString() : "not derived: " + a.WhiteNoiseNotDerived)}");
            Line(sb, $"  rho_eff = {P(a.DiscountPerStep)}, eta_eff = {P(a.EffectiveLearningRate)}" + (a.MomentumAmplification is { } amp ? $", amplification = {P(amp)}" : ""));
            Line(sb, $"  assumptions        {AdaptiveAssumptions(a)}");
            Line(sb, $"  RMSProp            {RmsPropMap(a)}");
        }
        Line(sb, "identities:");
        foreach (var c in result.Checks)
            Line(sb, $"  [{(c.Holds ? "ok" : "FAIL")}] {c.Name} — {c.Result.Kind}: {c.Result.Evidence}");
        Line(sb, result.AllHold ? "all identities hold" : "SOME IDENTITIES DO NOT HOLD");
        return sb.ToString();
    }

    /// <summary>A summary of the whole catalog: one line per derivation plus failures in full.</summary>
    public static string ToText(CatalogDerivation all)
    {
        ArgumentNullException.ThrowIfNull(all);
        var sb = new StringBuilder();
        foreach (var r in all.Results)
        {
            Line(sb, $"{(r.AllHold ? "ok  " : "FAIL")} {r.Rule.Id} × {r.Symmetry.Id} × {r.ModelName}: {r.Checks.Length} identities; "
                     + string.Join(", ", r.Verdicts.All.Select(v => $"{Short(v.Name)} {v.Outcome.ToString().ToLowerInvariant()}"))
                     + (r.Law is { Kind: not ChargeLawKind.None } l ? $"; law {Statement(l)}" : ""));
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

    /// <summary>A LaTeX fragment (align* environments) for a paper or a report.</summary>
    public static string ToLatex(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var me = result.ModifiedEquation;
        Line(sb, $"% {result.Rule.Id} x {result.Symmetry.Id} x {result.ModelName}");
        Line(sb, @"\begin{align*}");
        Line(sb, $@"  &\text{{modified equation:}} && {me.FirstOrder.ToLatex()} = 0\\");
        var compact = CompactForms.TryCreate(result);
        Line(sb, $@"  &m = {P(me.Mass).ToLatex()},\quad \mu = {P(me.Friction).ToLatex()},\quad \kappa = {P(me.WeightDecay).ToLatex()},\quad \tau = m/\mu\\");
        if (compact is not null)
        {
            Line(sb, $@"  &\mathcal L = {compact.Lagrangian.ToLatex()}\\");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $@"  &{CompactForms.Left(result.Equations.System.Coordinates[i]).ToLatex()} = {compact.Forcing[i].ToLatex()}\\");
            Line(sb, $@"  &\text{{(Euler--Lagrange equations divided by }}e^{{t/\tau}}\text{{; division verified by the zero test)}}\\");
        }
        else
        {
            Line(sb, $@"  &\mathcal L = {P(result.Lagrangian).ToLatex()}\\");
            for (int i = 0; i < result.Dimension; i++)
                Line(sb, $@"  &{P(result.Equations.MassMatrix[i][i]).ToLatex()}\,\ddot q_{{{i}}} = {P(result.Equations.Forcing[i]).ToLatex()}\\");
        }
        Line(sb, $@"  &\xi = \left({string.Join(", ", result.Generator.Select(g => g.ToLatex()))}\right),\quad J = {P(result.Charge).ToLatex()}\\");
        Line(sb, $@"  &\dot J + J/\tau = \partial_s T - \partial_s V,\quad \partial_s T = {P(result.KineticBreaking).ToLatex()},\quad \partial_s V = {(result.LossBreaking + result.WeightDecayBreaking).ToLatex()}");
        if (result.Law is { Kind: ChargeLawKind.Oscillator } law)
            Line(sb, $@"\\  &m\ddot {law.Quantity} + \mu\dot {law.Quantity} + {P(law.Stiffness).ToLatex()}\,{law.Quantity} = {P(law.Source).ToLatex()},\quad {law.Quantity} = {P(law.Value).ToLatex()}");
        if (result.Adaptive is { } a)
            Line(sb, $@"\\  &r^2(t) = \sqrt{{{P(a.GainPersistent).ToLatex()}\int_0^t e^{{-({P(a.Decay).ToLatex()})(t-u)}}|\hat g(u)|^2\,du + e^{{-({P(a.Decay).ToLatex()})t}}\,r^4(0)}}");
        Line(sb, @"\end{align*}");
        foreach (var c in result.Checks)
            Line(sb, $@"% [{(c.Holds ? "ok" : "FAIL")}] {c.Name}: {c.Result.Kind}");
        return sb.ToString();
    }

    /// <summary>The display form: <see cref="Algebra.Factor"/> (exact, never larger than its input).</summary>
    internal static Expr P(Expr e) => e.Factor();

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}

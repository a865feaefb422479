using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>Text, LaTeX and JSON renderings of derivation results (JSON field names: src/NoetherTheory.Mechanics/JSON.md).</summary>
public static class DerivationFormatter
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
        foreach (var v in result.Verdicts) Line(sb, $"verdict              {v.Name}: {v.Outcome.ToString().ToLowerInvariant()}");
        if (result.Law is { } law)
        {
            if (law.Kind == ChargeLawKind.None) Line(sb, $"charge law           none: {law.Reason}");
            else
            {
                Line(sb, $"charge law           {law.Statement}");
                if (law.Green is { } g) Line(sb, $"  gamma = {P(g.Gamma)}, omega² = {P(g.OmegaSquared)}, gamma² − omega² = {P(g.Discriminant)}");
                Line(sb, $"  overdamped         {law.Overdamped}");
            }
        }
        if (result.Adaptive is { } a)
        {
            Line(sb, $"r^4 law (NLD Eq. 17) {a.Law}");
            Line(sb, $"  steady r^4         persistent {P(a.SteadyStatePersistent)}; white noise {P(a.SteadyStateWhite)}");
            Line(sb, $"  rho_eff = {P(a.DiscountPerStep)}, eta_eff = {P(a.EffectiveLearningRate)}" + (a.MomentumAmplification is { } amp ? $", amplification = {P(amp)}" : ""));
            Line(sb, $"  assumptions        {a.Assumptions}");
            Line(sb, $"  RMSProp            {a.RmsProp}");
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
                     + string.Join(", ", r.Verdicts.Select(v => $"{Short(v.Name)} {v.Outcome.ToString().ToLowerInvariant()}"))
                     + (r.Law is { Kind: not ChargeLawKind.None } l ? $"; law {l.Statement}" : ""));
            foreach (var c in r.Checks.Where(c => !c.Holds)) Line(sb, $"     {c.Name}: {c.Result}");
        }
        foreach (var a in all.Accumulators)
            Line(sb, $"ok   {a.Rule.Id}: accumulator {a.Equation} = 0; decay {a.Decay}, gain {a.Gain}; {a.Solution}");
        foreach (var m in all.ModelLaws)
        {
            Line(sb, $"{(m.AllHold ? "ok  " : "FAIL")} {m.Model.Id}: Głuch–Urbanke, {m.Checks.Length} identities");
            foreach (var c in m.Checks.Where(c => !c.Holds)) Line(sb, $"     {c.Name}: {c.Result}");
        }
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

    private static readonly JsonWriterOptions Json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Machine-readable JSON with the stable field names documented in JSON.md.</summary>
    public static string ToJson(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Json)) Write(w, result);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The whole catalog as JSON: {"allHold", "checkCount", "elapsedSeconds", "results": [...], "accumulators": [...], "modelLaws": [...]}.</summary>
    public static string ToJson(CatalogDerivation all)
    {
        ArgumentNullException.ThrowIfNull(all);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Json))
        {
            w.WriteStartObject();
            w.WriteBoolean("allHold", all.AllHold);
            w.WriteNumber("checkCount", all.CheckCount);
            w.WriteNumber("elapsedSeconds", Math.Round(all.Elapsed.TotalSeconds, 3));
            w.WriteStartArray("results");
            foreach (var r in all.Results) Write(w, r);
            w.WriteEndArray();
            w.WriteStartArray("accumulators");
            foreach (var a in all.Accumulators)
            {
                w.WriteStartObject();
                w.WriteString("rule", a.Rule.Id);
                ExprField(w, "equation", a.Equation);
                ExprField(w, "decay", a.Decay);
                ExprField(w, "gain", a.Gain);
                w.WriteString("solution", a.Solution);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("modelLaws");
            foreach (var m in all.ModelLaws)
            {
                w.WriteStartObject();
                w.WriteString("model", m.Model.Id);
                w.WriteBoolean("allHold", m.AllHold);
                ExprArray(w, "balanceMatrix", m.BalanceMatrix);
                ExprArray(w, "augmentationConstraint", m.Constraint);
                Checks(w, m.Checks);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, DerivationResult r)
    {
        var me = r.ModifiedEquation;
        w.WriteStartObject();
        w.WriteString("rule", r.Rule.Id);
        w.WriteString("symmetry", r.Symmetry.Id);
        w.WriteStartObject("model");
        w.WriteString("source", r.ModelSpec.Source.ToString().ToLowerInvariant());
        w.WriteString("name", r.ModelName);
        w.WriteNumber("dimension", r.Dimension);
        w.WriteBoolean("abstract", r.IsAbstract);
        ExprField(w, "loss", r.Loss);
        w.WriteEndObject();
        w.WriteStartObject("modifiedEquation");
        ExprField(w, "twoStep", me.TwoStep);
        ExprField(w, "timeStep", me.Step);
        ExprField(w, "firstOrder", me.FirstOrder);
        if (me.Reduction is null) w.WriteNull("reduction");
        else w.WriteString("reduction", me.Reduction);
        ExprField(w, "mass", me.Mass);
        ExprField(w, "friction", me.Friction);
        ExprField(w, "weightDecay", me.WeightDecay);
        ExprField(w, "dampingTime", me.DampingTime);
        w.WriteEndObject();
        ExprField(w, "potential", r.Potential);
        ExprField(w, "kinetic", r.Kinetic);
        ExprField(w, "lagrangian", r.Lagrangian);
        w.WriteStartObject("equationsOfMotion");
        w.WriteStartArray("massMatrix");
        foreach (var row in r.Equations.MassMatrix)
        {
            w.WriteStartArray();
            foreach (var x in row) w.WriteStringValue(x.ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        ExprArray(w, "forcing", r.Equations.Forcing);
        w.WriteEndObject();
        ExprArray(w, "generator", r.Generator);
        ExprField(w, "charge", r.Charge);
        ExprField(w, "canonicalCharge", r.CanonicalCharge);
        ExprField(w, "kineticBreaking", r.KineticBreaking);
        ExprField(w, "weightDecayBreaking", r.WeightDecayBreaking);
        ExprField(w, "lossBreaking", r.LossBreaking);
        w.WriteStartObject("chargeEquation");
        ExprField(w, "left", r.ChargeEquationLeft);
        ExprField(w, "right", r.ChargeEquationRight);
        w.WriteEndObject();
        w.WriteStartArray("verdicts");
        foreach (var v in r.Verdicts)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteString("outcome", v.Outcome.ToString().ToLowerInvariant());
            ExprField(w, "term", v.Term);
            if (v.Result is null) w.WriteNull("zeroTest");
            else ZeroTestField(w, v.Result);
            w.WriteString("anchor", v.Anchor);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Law is { } law)
        {
            w.WriteStartObject("law");
            w.WriteString("kind", law.Kind.ToString().ToLowerInvariant());
            w.WriteString("quantity", law.Quantity);
            ExprField(w, "value", law.Value);
            ExprField(w, "stiffness", law.Stiffness);
            ExprField(w, "source", law.Source);
            w.WriteString("statement", law.Statement);
            w.WriteString("overdamped", law.Overdamped);
            if (law.Reason is null) w.WriteNull("reason");
            else w.WriteString("reason", law.Reason);
            if (law.Green is { } g)
            {
                w.WriteStartObject("green");
                ExprField(w, "gamma", g.Gamma);
                ExprField(w, "omegaSquared", g.OmegaSquared);
                ExprField(w, "discriminant", g.Discriminant);
                w.WriteStartArray("regimes");
                foreach (var reg in g.Regimes)
                {
                    w.WriteStartObject();
                    w.WriteString("name", reg.Name);
                    w.WriteString("condition", reg.Condition);
                    ExprField(w, "homogeneous", reg.Homogeneous);
                    ExprField(w, "impulse", reg.Impulse);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        else w.WriteNull("law");
        if (r.Adaptive is { } a)
        {
            w.WriteStartObject("adaptive");
            ExprField(w, "decay", a.Decay);
            ExprField(w, "gainPersistent", a.GainPersistent);
            ExprField(w, "gainWhite", a.GainWhite);
            ExprField(w, "steadyStatePersistent", a.SteadyStatePersistent);
            ExprField(w, "steadyStateWhite", a.SteadyStateWhite);
            ExprField(w, "discountPerStep", a.DiscountPerStep);
            ExprField(w, "effectiveLearningRate", a.EffectiveLearningRate);
            if (a.MomentumAmplification is null) w.WriteNull("momentumAmplification");
            else ExprField(w, "momentumAmplification", a.MomentumAmplification);
            w.WriteString("law", a.Law);
            w.WriteString("assumptions", a.Assumptions);
            w.WriteString("rmsProp", a.RmsProp);
            w.WriteEndObject();
        }
        else w.WriteNull("adaptive");
        Checks(w, r.Checks);
        w.WriteBoolean("allHold", r.AllHold);
        w.WriteEndObject();
    }

    private static void Checks(Utf8JsonWriter w, IEnumerable<IdentityCheck> checks)
    {
        w.WriteStartArray("checks");
        foreach (var c in checks)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("statement", c.Statement);
            w.WriteBoolean("holds", c.Holds);
            ZeroTestField(w, c.Result);
            w.WriteString("anchor", c.Anchor);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void ZeroTestField(Utf8JsonWriter w, ZeroTestResult z)
    {
        w.WriteStartObject("zeroTest");
        w.WriteString("kind", z.Kind.ToString());
        w.WriteString("evidence", z.Evidence);
        if (z.FailureProbabilityBound is { } p) w.WriteNumber("failureProbabilityBound", p);
        else w.WriteNull("failureProbabilityBound");
        w.WriteEndObject();
    }

    private static void ExprField(Utf8JsonWriter w, string name, Expr e)
    {
        w.WriteStartObject(name);
        w.WriteString("text", e.ToString());
        w.WriteString("latex", e.ToLatex());
        var pretty = P(e);
        if (!pretty.Equals(e))
        {
            var text = pretty.ToString();
            if (text != e.ToString())
            {
                w.WriteString("pretty", text);
                w.WriteString("prettyLatex", pretty.ToLatex());
            }
        }
        w.WriteEndObject();
    }

    private static void ExprArray(Utf8JsonWriter w, string name, IEnumerable<Expr> items)
    {
        w.WriteStartArray(name);
        foreach (var e in items) w.WriteStringValue(e.ToString());
        w.WriteEndArray();
    }

    /// <summary>The display form: <see cref="Algebra.Factor"/> (exact, never larger than its input).</summary>
    internal static Expr P(Expr e) => e.Factor();

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}

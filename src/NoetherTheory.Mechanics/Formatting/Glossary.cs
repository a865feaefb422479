using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>One symbol of a derivation's output, with its meaning and units.</summary>
/// <param name="Symbol">The symbol as the text output writes it (<c>eta</c>, <c>q[i]</c>, <c>x</c>).</param>
/// <param name="Latex">The symbol in LaTeX.</param>
/// <param name="Meaning">What it stands for (for a charge variable, its expression).</param>
/// <param name="Units">Its units: steps, time t = n·h, parameter units or dimensionless.</param>
public sealed record GlossaryEntry(string Symbol, string Latex, string Meaning, string Units);

/// <summary>The glossary of a derivation: every symbol its text, LaTeX and JSON outputs use.</summary>
public static class Glossary
{
    /// <summary>The entries for one derivation, in reading order (time, hyperparameters, coordinates, derived
    /// coefficients, charge, law quantities, r⁴-law symbols).</summary>
    public static ImmutableArray<GlossaryEntry> For(DerivationResult result, Presenter presenter)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(presenter);
        var me = result.ModifiedEquation;
        string step = presenter.T(me.Step);
        var list = ImmutableArray.CreateBuilder<GlossaryEntry>();
        void Add(string symbol, string latex, string meaning, string units) => list.Add(new GlossaryEntry(symbol, latex, meaning, units));

        Add("n", "n", "step index of the discrete rule", "steps (dimensionless)");
        Add("t", "t", $"continuous time of the modified equation, t = n·h with time step h = {step}; every rate below is per unit t, "
            + $"a rate λ per unit t is λ·h per step", $"time: t = n·{step} (learning-rate units × steps)");
        foreach (var h in result.Rule.Hyperparameters)
        {
            var sym = Expr.Symbol(h.Name);
            string domain = h.Domain is { } d ? "; " + d.Describe(h.Name) : "; no domain declared";
            Add(h.Name, sym.ToLatex(), h.Meaning + domain, Units(h.Name, step));
        }
        Add("q[i]", "q_i", $"parameter i of the model (i = 0 … {result.Dimension - 1}); q without index: one component", "parameter units");
        Add("qdot[i], qddot[i]", @"\dot q_i,\ \ddot q_i", "dq_i/dt and d²q_i/dt² (derivatives in t, not in steps)", "parameter units per unit t, per unit t²");
        Add("f", "f", result.IsAbstract ? "the loss, an undefined function declared invariant under the symmetry" : $"the loss f(q) = {result.Loss}", "loss units");
        Add("g(q)", "g(q)", "∇f(q), the loss gradient (Derivative[1](g) is the Hessian term)", "loss units per parameter unit");
        Add("m", "m", $"mass (from the finite learning rate): m = {presenter.T(me.Mass)}", "time (units of t), as m multiplies d²q/dt² next to mu·dq/dt");
        Add("mu", @"\mu", $"friction: mu = {presenter.T(me.Friction)}; mu0 = mu at eta = 0 (gradient-flow limit)", "dimensionless");
        Add("kappa", @"\kappa", $"weight decay in the potential V = f + kappa/2·|q|²: kappa = {presenter.T(me.WeightDecay)}", "1/time");
        Add("tau", @"\tau", $"damping time tau = m/mu = {presenter.T(me.DampingTime)}", "time");
        Add("xi", @"\xi", $"symmetry generator ({result.Symmetry.Name}): xi = ({string.Join(", ", result.Generator)})", "parameter units");
        Add("J, Q", "J,\\ Q", "Noether charge J = m·<qdot, xi> and the canonical charge Q = e^(t/tau)·J = <p, xi>", "parameter units² × mass / time");
        if (result.Law is { Kind: not ChargeLawKind.None } law)
        {
            string what = law.Kind == ChargeLawKind.Decay
                ? "angular momentum of the rotation: l = "
                : "charge variable of this symmetry (the quantity the law is about): " + law.Quantity + " = ";
            Add(law.Quantity, law.Quantity, what + presenter.T(law.Value), law.Kind == ChargeLawKind.Decay ? "parameter units² per unit t" : "parameter units²");
            if (law.Green is not null)
            {
                Add("gamma, omega", @"\gamma,\ \omega", "damping rate gamma = mu/(2m) and natural frequency omega² = lambda/m of the charge oscillator", "1/time");
                Add("Omega, alpha_p, alpha_m", @"\Omega,\ \alpha_\pm", "Omega = sqrt(omega² − gamma²) (under-damped), alpha_p/m = −gamma ± sqrt(gamma² − omega²) (over-damped)", "1/time");
            }
        }
        if (result.Adaptive is not null)
        {
            Add("r", "r", "r = |q_A|, the norm of the scale-invariant block A (r² = x)", "parameter units");
            Add("s", "s", "s = |ĝ|², the SQUARED norm of the loss gradient at the unit-norm block q_A/|q_A| "
                + "(the case files and theory notes write |ĝ|; the formulas here use its square)", "loss units² (per parameter unit², at |q_A| = 1)");
            Add("ĝ", @"\hat g", "the gradient at the unit-norm block; |g| = |ĝ|/r for a scale-invariant block", "loss units per parameter unit");
            Add("u", "u", "integration variable (time)", "time");
            Add("rho_eff, eta_eff", @"\rho_{\mathrm{eff}},\ \eta_{\mathrm{eff}}", "per-step discount of r⁴ (RMSProp's rho) and the effective learning rate on the sphere", "dimensionless; time per step");
        }
        return list.ToImmutable();
    }

    private static string Units(string name, string step) => name switch
    {
        "eta" => $"time per step (t = n·{step})",
        "k" => "1/time (per step: eta·k)",
        "beta" or "delta" or "rho" => "dimensionless",
        _ => "dimensionless (not declared; assumed)",
    };
}

using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>
/// The Lagrangian and equations of motion written with named coefficients, L = exp(t/tau)·(m/2·|qdot|² − V) and
/// m·qddot_i + mu·qdot_i = F_i, each form confirmed equal to the engine's expression by the zero test before it is shown.
/// </summary>
/// <param name="Mass">m, factored.</param>
/// <param name="Friction">mu, factored.</param>
/// <param name="Lagrangian">exp(t/tau)·(m/2·Σ qdot_i² − kappa/2·Σ q_i² − f) with the symbols m, tau, kappa.</param>
/// <param name="Forcing">F_i = −∂V/∂q_i, factored.</param>
/// <param name="LagrangianCheck">The zero test of L − e^{t/τ}(m/2·|q̇|² − V) with m, τ substituted.</param>
/// <param name="DivisionCheck">The zero tests of 𝓔_i·e^{−t/τ} − (m q̈_i + μ q̇_i − F_i), one per coordinate.</param>
/// <remarks>theory/01-learning-lagrangian.md#eq-1-8, theory/02-euler-lagrange.md#eq-2-3.</remarks>
public sealed record CompactForms(Expr Mass, Expr Friction, Expr Lagrangian, ImmutableArray<Expr> Forcing,
    ZeroTestResult LagrangianCheck, ImmutableArray<ZeroTestResult> DivisionCheck)
{
    /// <summary>The display symbols m, mu, tau.</summary>
    public static readonly Symbol M = Expr.Symbol("m"), Mu = Expr.Symbol("mu"), Tau = Expr.Symbol("tau");

    /// <summary>The display symbol kappa (the weight decay in V = f + kappa/2·|q|²).</summary>
    public static readonly Symbol Kappa = Expr.Symbol("kappa");

    /// <summary>m·qddot_i + mu·qdot_i (the left side of the i-th equation of motion, with display symbols).</summary>
    public static Expr Left(Coordinate c) => (M * c.QDDot) + (Mu * c.QDot);

    /// <summary>The compact forms of a derivation, or null when its Lagrangian is not e^{t/τ}(m/2·|q̇|² − V) with a
    /// diagonal mass (then the formatter prints the full expressions) or a check does not come out zero.</summary>
    public static CompactForms? TryCreate(DerivationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var me = r.ModifiedEquation;
        var coords = r.Equations.System.Coordinates;
        var t = r.Equations.System.Time;
        var weight = Expr.Exp(t / me.DampingTime);
        var speed2 = Expr.Add(coords.Select(c => Expr.Pow(c.QDot, 2)));
        var options = new ZeroTestOptions { TryProof = true };
        var lagrangianCheck = ZeroTest.Run(r.Lagrangian - (weight * ((Expr.Half * me.Mass * speed2) - r.Potential)), options);
        if (!lagrangianCheck.IsZero) return null;
        var forcing = ImmutableArray.CreateBuilder<Expr>(coords.Length);
        var checks = ImmutableArray.CreateBuilder<ZeroTestResult>(coords.Length);
        foreach (var (c, i) in coords.Select((c, i) => (c, i)))
        {
            var f = -r.Potential.Differentiate(c.Q);
            var divided = Terms.DivideTermwise(r.Equations.Residuals[i], weight);
            var check = ZeroTest.Run(divided - ((me.Mass * c.QDDot) + (me.Friction * c.QDot) - f), options);
            if (!check.IsZero) return null;
            forcing.Add(f.Factor());
            checks.Add(check);
        }
        // V = f + kappa/2·|q|² (Derivation builds it so; checked above through the Lagrangian), written with the symbol kappa.
        var q2 = Expr.Add(coords.Select(c => Expr.Pow(c.Q, 2)));
        if (!ZeroTest.Run(r.Potential - (r.Loss + (Expr.Half * me.WeightDecay * q2)), options).IsZero) return null;
        var lagrangian = Expr.Exp(t / Tau) * ((M / 2 * speed2) - (Kappa / 2 * q2) - r.Loss);
        return new CompactForms(me.Mass.Factor(), me.Friction.Factor(), lagrangian, forcing.MoveToImmutable(), lagrangianCheck, checks.MoveToImmutable());
    }
}

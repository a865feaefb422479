using System.Collections.Immutable;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>A Lagrangian L(q, q̇, t) on the given coordinates.</summary>
public sealed record LagrangianSystem(Expr Lagrangian, ImmutableArray<Coordinate> Coordinates, Symbol Time);

/// <summary>The jet space of a set of coordinates: total time derivative D_t (theory/02-euler-lagrange.md#eq-2-1).</summary>
public sealed class JetSpace(ImmutableArray<Coordinate> coordinates, Symbol time)
{
    /// <summary>The coordinates.</summary>
    public ImmutableArray<Coordinate> Coordinates { get; } = coordinates;

    /// <summary>The time symbol.</summary>
    public Symbol Time { get; } = time;

    /// <summary>D_t E = ∂_t E + Σ_i (∂E/∂q_i · q̇_i + ∂E/∂q̇_i · q̈_i).</summary>
    /// <exception cref="ArgumentException">E depends on a q̈ (the result would need third derivatives).</exception>
    /// <remarks>theory/02-euler-lagrange.md#eq-2-1.</remarks>
    public Expr TotalTimeDerivative(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var terms = new List<Expr>(1 + (2 * Coordinates.Length)) { e.Differentiate(Time) };
        foreach (var c in Coordinates)
        {
            if (e.Contains(c.QDDot))
                throw new ArgumentException($"D_t of an expression containing {c.QDDot.DisplayName} would need a third derivative.", nameof(e));
            terms.Add(e.Differentiate(c.Q) * c.QDot);
            terms.Add(e.Differentiate(c.QDot) * c.QDDot);
        }
        return Expr.Add(terms);
    }
}

/// <summary>M(q, q̇, t)·q̈ = F(q, q̇, t), with the Euler–Lagrange residuals it came from (theory/02-euler-lagrange.md#eq-2-3).</summary>
/// <param name="System">The Lagrangian system.</param>
/// <param name="MassMatrix">M, row-major rows.</param>
/// <param name="Forcing">F.</param>
/// <param name="Residuals">𝓔_i = D_t(∂L/∂q̇_i) − ∂L/∂q_i = (M q̈ − F)_i.</param>
public sealed record EquationsOfMotion(
    LagrangianSystem System,
    ImmutableArray<ImmutableArray<Expr>> MassMatrix,
    ImmutableArray<Expr> Forcing,
    ImmutableArray<Expr> Residuals)
{
    private ImmutableArray<Expr> _accelerations;

    /// <summary>True when M has only zero off-diagonal entries (in canonical form).</summary>
    public bool IsDiagonal => MassMatrix.Select((row, i) => row.Select((x, j) => i == j || x.Equals(Expr.Zero)).All(b => b)).All(b => b);

    /// <summary>q̈ = M⁻¹F for a diagonal mass matrix (theory/02-euler-lagrange.md#eq-2-4).</summary>
    /// <exception cref="NotSupportedException">M is not diagonal (symbolic LU is not implemented; solve numerically).</exception>
    public ImmutableArray<Expr> Accelerations
    {
        get
        {
            if (_accelerations.IsDefault)
            {
                if (!IsDiagonal)
                    throw new NotSupportedException("The mass matrix is not diagonal; symbolic solution for q̈ is implemented only for diagonal M.");
                _accelerations = [.. Forcing.Select((f, i) => Terms.DivideTermwise(f, MassMatrix[i][i]))];
            }
            return _accelerations;
        }
    }

    /// <summary>Replaces every q̈_i by its value from the equations of motion (theory/02-euler-lagrange.md#eq-2-5).</summary>
    public Expr OnShell(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var map = new Dictionary<Expr, Expr>();
        for (int i = 0; i < System.Coordinates.Length; i++)
            if (e.Contains(System.Coordinates[i].QDDot)) map[System.Coordinates[i].QDDot] = Accelerations[i];
        return map.Count == 0 ? e : e.Substitute(map);
    }
}

/// <summary>Euler–Lagrange equations as a pure function (theory/02-euler-lagrange.md#eq-2-2).</summary>
public static class EulerLagrange
{
    /// <summary>Derives 𝓔_i = D_t(∂L/∂q̇_i) − ∂L/∂q_i = 0 and splits it into M·q̈ = F by exact coefficient extraction.</summary>
    /// <exception cref="ArgumentException">L depends on a q̈ or a residual is not affine in q̈.</exception>
    /// <remarks>theory/02-euler-lagrange.md#eq-2-3.</remarks>
    public static EquationsOfMotion Derive(LagrangianSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var jet = new JetSpace(system.Coordinates, system.Time);
        var qdd = system.Coordinates.Select(c => (Expr)c.QDDot).ToArray();
        var mass = ImmutableArray.CreateBuilder<ImmutableArray<Expr>>(system.Coordinates.Length);
        var forcing = ImmutableArray.CreateBuilder<Expr>(system.Coordinates.Length);
        var residuals = ImmutableArray.CreateBuilder<Expr>(system.Coordinates.Length);
        foreach (var c in system.Coordinates)
        {
            if (system.Lagrangian.Contains(c.QDDot))
                throw new ArgumentException($"The Lagrangian depends on {c.QDDot.DisplayName}; only first-order Lagrangians are supported.", nameof(system));
            var r = jet.TotalTimeDerivative(system.Lagrangian.Differentiate(c.QDot)) - system.Lagrangian.Differentiate(c.Q);
            var split = r.Coefficients(qdd);
            if (!split.IsLinear)
                throw new ArgumentException($"The Euler–Lagrange residual of {c.Q.DisplayName} is not affine in q̈: {split.Problem}.", nameof(system));
            residuals.Add(r);
            mass.Add(split.Coefficients);
            forcing.Add(-split.Remainder);
        }
        return new EquationsOfMotion(system, mass.MoveToImmutable(), forcing.MoveToImmutable(), residuals.MoveToImmutable());
    }
}

/// <summary>Small term-level helpers the CAS does not offer directly.</summary>
internal static class Terms
{
    /// <summary>num/den, dividing a sum term by term so that common factors such as e^{t/τ} cancel canonically.</summary>
    public static Expr DivideTermwise(Expr num, Expr den)
    {
        var inv = Expr.Pow(den, Expr.MinusOne);
        if (num is not Sum s) return num * inv;
        var parts = new List<Expr>(s.Terms.Length + 1);
        if (!s.Constant.IsZero) parts.Add(Expr.Number(s.Constant) * inv);
        foreach (var t in s.Terms) parts.Add(Divide(t, den, inv));
        return Expr.Add(parts);
    }

    private static Expr Divide(Expr term, Expr den, Expr inv)
    {
        // den = c·Π f_j: divide factor by factor so powers merge by base.
        if (den is Product dp)
        {
            Expr r = term * Expr.Number(1 / dp.Coefficient);
            foreach (var f in dp.Factors) r *= Expr.Pow(f, Expr.MinusOne);
            return r;
        }
        return term * inv;
    }

    /// <summary>Σ a_i b_i.</summary>
    public static Expr Dot(IReadOnlyList<Expr> a, IReadOnlyList<Expr> b) => Expr.Add(a.Select((x, i) => x * b[i]));
}

namespace NoetherTheory.Benchmarks;

/// <summary>
/// The right-hand side of the core derivation's equations of motion, written by hand: q̈ = −(1/m)∇V − q̇/τ
/// for V = Σᵢ (uᵢ − cᵢ)² + Σᵢ qᵢq₍ᵢ₊₁₎ s, with s = 1/|q|², uᵢ = qᵢ² s, cᵢ = 1/(i+2) (indices mod n).
/// </summary>
/// <remarks>
/// <para>From L = e^{t/τ}(m/2·|q̇|² − V): ∂L/∂q̇ = e^{t/τ} m q̇, D_t of it is e^{t/τ}(m q̈ + m q̇/τ), ∂L/∂q = −e^{t/τ}∇V, so
/// m q̈ + m q̇/τ + ∇V = 0 (theory/02-euler-lagrange.md#eq-2-4).</para>
/// <para>∇V by hand: ∂uᵢ/∂q_k = 2s(qᵢδᵢₖ − uᵢq_k), so ∂/∂q_k Σ(uᵢ − cᵢ)² = 4s q_k[(u_k − c_k) − A] with A = Σ(uᵢ − cᵢ)uᵢ;
/// and ∂/∂q_k Σ qᵢq₍ᵢ₊₁₎ s = s(q₍ₖ₊₁₎ + q₍ₖ₋₁₎) − 2s²P q_k with P = Σ qᵢq₍ᵢ₊₁₎. O(n) work per call.</para>
/// <para>Input layout (the same as the compiled function's and SymPy's lambdify): q₀…qₙ₋₁, q̇₀…q̇ₙ₋₁, t, m, τ.</para>
/// </remarks>
internal sealed class HandWrittenRhs
{
    private readonly int _n;
    private readonly double[] _c;

    public HandWrittenRhs(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        _n = n;
        _c = new double[n];
        for (int i = 0; i < n; i++) _c[i] = 1.0 / (i + 2);
    }

    /// <summary>Writes q̈ into <paramref name="outputs"/> (length n).</summary>
    public void Evaluate(double[] inputs, double[] outputs)
    {
        int n = _n;
        var q = inputs.AsSpan(0, n);
        var qd = inputs.AsSpan(n, n);
        double m = inputs[(2 * n) + 1], tau = inputs[(2 * n) + 2];
        double r2 = 0;
        for (int i = 0; i < n; i++) r2 += q[i] * q[i];
        double s = 1 / r2;
        double a = 0, p = 0;
        for (int i = 0; i < n; i++)
        {
            double u = q[i] * q[i] * s;
            a += (u - _c[i]) * u;
            p += q[i] * q[i + 1 == n ? 0 : i + 1];
        }
        double invM = 1 / m, invTau = 1 / tau, twoS2P = 2 * s * s * p;
        for (int k = 0; k < n; k++)
        {
            double qk = q[k];
            double u = qk * qk * s;
            double neighbours = q[k + 1 == n ? 0 : k + 1] + q[k == 0 ? n - 1 : k - 1];
            double grad = (4 * s * qk * (u - _c[k] - a)) + (s * neighbours) - (twoS2P * qk);
            outputs[k] = (-grad * invM) - (qd[k] * invTau);
        }
    }
}

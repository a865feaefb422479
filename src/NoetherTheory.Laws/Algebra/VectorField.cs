using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Algebra;

/// <summary>A polynomial vector field over 𝔽_p: component k is the coefficient of ∂/∂θ_k.</summary>
internal sealed class VectorField(ModPolynomial[] components)
{
    public ModPolynomial[] Components { get; } = components;

    public int Dimension => Components.Length;

    public int Degree => Components.Max(c => c.Degree);

    /// <summary>∇f.</summary>
    public static VectorField Gradient(ModPolynomial f, int dimension)
    {
        var c = new ModPolynomial[dimension];
        for (int j = 0; j < dimension; j++) c[j] = f.Derivative(j);
        return new VectorField(c);
    }

    /// <summary>[u, v] = (∂v)u − (∂u)v, i.e. component k is Σⱼ uⱼ ∂ⱼvₖ − vⱼ ∂ⱼuₖ
    /// (theory/06-conservation-laws.md#eq-6-2).</summary>
    public static VectorField Bracket(VectorField u, VectorField v)
    {
        int d = u.Dimension;
        var r = new ModPolynomial[d];
        for (int k = 0; k < d; k++)
        {
            var acc = new ModPolynomial();
            AddDirectional(acc, u, v.Components[k], 1);
            AddDirectional(acc, v, u.Components[k], PrimeField.P - 1);
            r[k] = acc;
        }
        return new VectorField(r);
    }

    /// <summary>acc += sign · Σⱼ uⱼ ∂ⱼ f.</summary>
    private static void AddDirectional(ModPolynomial acc, VectorField u, ModPolynomial f, ulong sign)
    {
        foreach (var (m, c) in f.Terms)
            foreach (var (j, e) in m.Factors)
            {
                var uj = u.Components[j];
                if (uj.IsZero) continue;
                acc.AddProduct(PrimeField.Mul(sign, PrimeField.Mul(c, (ulong)e)), m.WithExponent(j, e - 1), uj);
            }
    }

    /// <summary>The Jacobian at a point: J[k][j] = ∂ⱼ(component k)(θ).</summary>
    public ulong[][] Jacobian(ulong[] point)
    {
        var jac = new ulong[Dimension][];
        for (int k = 0; k < Dimension; k++)
        {
            var row = jac[k] = new ulong[Dimension];
            foreach (var (m, c) in Components[k].Terms)
            {
                var factors = m.Factors;
                for (int f = 0; f < factors.Length; f++)
                {
                    ulong t = PrimeField.Mul(c, (ulong)factors[f].Exponent);
                    for (int g = 0; g < factors.Length; g++)
                    {
                        var (v, e) = factors[g];
                        int power = g == f ? e - 1 : e;
                        if (power > 0) t = PrimeField.Mul(t, PrimeField.Pow(point[v], (ulong)power));
                    }
                    row[factors[f].Variable] = PrimeField.Add(row[factors[f].Variable], t);
                }
            }
        }
        return jac;
    }

    /// <summary>[u, v](θ) from the values and Jacobians of u and v at θ, without forming the bracket.</summary>
    public static ulong[] BracketAt(ulong[] uValue, ulong[][] uJacobian, ulong[] vValue, ulong[][] vJacobian)
    {
        int d = uValue.Length;
        var r = new ulong[d];
        for (int k = 0; k < d; k++)
        {
            ulong s = 0;
            var vk = vJacobian[k];
            var uk = uJacobian[k];
            for (int j = 0; j < d; j++)
            {
                if (uValue[j] != 0 && vk[j] != 0) s = PrimeField.Add(s, PrimeField.Mul(uValue[j], vk[j]));
                if (vValue[j] != 0 && uk[j] != 0) s = PrimeField.Sub(s, PrimeField.Mul(vValue[j], uk[j]));
            }
            r[k] = s;
        }
        return r;
    }

    public ulong[] Evaluate(ulong[] point)
    {
        var r = new ulong[Dimension];
        for (int k = 0; k < Dimension; k++) r[k] = Components[k].Evaluate(point);
        return r;
    }
}

using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Algebra;

/// <summary>A sparse polynomial over 𝔽_p (p = 2⁶¹ − 1), mutable while it is built, in the variables of a factorisation.</summary>
internal sealed class ModPolynomial
{
    public Dictionary<Monomial, ulong> Terms { get; } = [];

    public bool IsZero => Terms.Count == 0;

    public int Degree => Terms.Count == 0 ? -1 : Terms.Keys.Max(m => m.Degree);

    public static ModPolynomial From(Polynomial p)
    {
        var r = new ModPolynomial();
        foreach (var (m, c) in p.Terms) r.AddTerm(m, PrimeField.FromRational(c));
        return r;
    }

    public void AddTerm(Monomial m, ulong c)
    {
        if (c == 0) return;
        if (Terms.TryGetValue(m, out var old))
        {
            ulong s = PrimeField.Add(old, c);
            if (s == 0) Terms.Remove(m); else Terms[m] = s;
        }
        else Terms[m] = c;
    }

    /// <summary>this += c·m·q.</summary>
    public void AddProduct(ulong c, Monomial m, ModPolynomial q)
    {
        foreach (var (qm, qc) in q.Terms) AddTerm(m.Multiply(qm), PrimeField.Mul(c, qc));
    }

    /// <summary>∂/∂x_variable.</summary>
    public ModPolynomial Derivative(int variable)
    {
        var r = new ModPolynomial();
        foreach (var (m, c) in Terms)
        {
            int e = m.Exponent(variable);
            if (e > 0) r.AddTerm(m.WithExponent(variable, e - 1), PrimeField.Mul(c, (ulong)e));
        }
        return r;
    }

    public ulong Evaluate(ulong[] point)
    {
        ulong sum = 0;
        foreach (var (m, c) in Terms)
        {
            ulong t = c;
            foreach (var (v, e) in m.Factors) t = PrimeField.Mul(t, PrimeField.Pow(point[v], (ulong)e));
            sum = PrimeField.Add(sum, t);
        }
        return sum;
    }
}

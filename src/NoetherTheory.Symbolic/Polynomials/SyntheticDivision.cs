namespace NoetherTheory.Symbolic;

/// <summary>Division by a linear factor x − r on the coefficients of a polynomial in x (Horner's scheme), over any
/// coefficient ring: the one synthetic division that <see cref="Polynomial.DivideLinear"/>, factoring and rational
/// cancellation share.</summary>
internal static class SyntheticDivision
{
    /// <summary>p = (x − root)·q + remainder for p = Σ cᵢxⁱ (coefficients ascending): qᵢ₋₁ = cᵢ + root·qᵢ from the top.</summary>
    /// <param name="coefficients">c₀ … c_n.</param>
    /// <param name="root">r.</param>
    /// <param name="add">a + b in the coefficient ring (callers may normalise here, e.g. expand).</param>
    /// <param name="multiply">root·carry.</param>
    /// <param name="zero">0.</param>
    /// <param name="withRemainder">Whether to compute the remainder p(r) (else it is <paramref name="zero"/>).</param>
    /// <returns>q₀ … q_(n−1) and the remainder.</returns>
    public static (T[] Quotient, T Remainder) Divide<T>(IReadOnlyList<T> coefficients, T root, Func<T, T, T> add, Func<T, T, T> multiply, T zero, bool withRemainder)
    {
        int n = coefficients.Count - 1;
        if (n < 1) return ([], n == 0 && withRemainder ? coefficients[0] : zero);
        var q = new T[n];
        T carry = zero;
        for (int i = n; i >= 1; i--)
        {
            carry = add(coefficients[i], multiply(root, carry));
            q[i - 1] = carry;
        }
        return (q, withRemainder ? add(coefficients[0], multiply(root, carry)) : zero);
    }
}

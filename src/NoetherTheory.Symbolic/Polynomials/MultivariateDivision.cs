using System.Runtime.InteropServices;

namespace NoetherTheory.Symbolic;

/// <summary>The one multivariate division by a single divisor in the monomial order, over any coefficient type: the
/// integer core (<see cref="SparsePolynomial{T}"/>, exact division in the proof) and <see cref="Polynomial"/> (over Q)
/// both use it.</summary>
internal static class MultivariateDivision
{
    /// <summary>c / (leading coefficient of the divisor), when that quotient exists in the coefficient ring.</summary>
    public delegate bool TryQuotient<TCoefficient>(TCoefficient c, out TCoefficient quotient);

    /// <summary>rest = q·d + remainder: repeatedly takes the largest monomial of rest; when the divisor's leading term
    /// divides it, the quotient term goes to <paramref name="quotient"/> and q·(d − lead) is subtracted, otherwise the term
    /// goes to <paramref name="remainder"/> (or, with <paramref name="exactOnly"/>, the division stops: false).</summary>
    /// <param name="rest">The dividend; consumed.</param>
    /// <param name="divisor">The divisor's terms.</param>
    /// <param name="lead">The divisor's leading monomial.</param>
    /// <param name="tryQuotient">Division of a coefficient by the divisor's leading coefficient.</param>
    /// <param name="subtractProduct">slot − q·c.</param>
    /// <param name="isZero">Whether a coefficient is 0.</param>
    /// <param name="exactOnly">Stop at the first remainder term.</param>
    /// <param name="quotient">Receives the quotient terms.</param>
    /// <param name="remainder">Receives the remainder terms.</param>
    /// <returns>Whether the remainder is 0.</returns>
    public static bool Divide<TCoefficient>(Dictionary<Monomial, TCoefficient> rest, IEnumerable<KeyValuePair<Monomial, TCoefficient>> divisor,
        Monomial lead, TryQuotient<TCoefficient> tryQuotient, Func<TCoefficient, TCoefficient, TCoefficient, TCoefficient> subtractProduct,
        Func<TCoefficient, bool> isZero, bool exactOnly, IDictionary<Monomial, TCoefficient> quotient, IDictionary<Monomial, TCoefficient> remainder)
    {
        var others = divisor.Where(kv => kv.Key != lead).ToList();
        // Each step only adds monomials smaller than the one it removes, so a monomial once taken never comes back.
        var queue = new PriorityQueue<Monomial, Monomial>(Comparer<Monomial>.Create((a, b) => b.CompareTo(a)));
        foreach (var m in rest.Keys) queue.Enqueue(m, m);
        var queued = new HashSet<Monomial>(rest.Keys);
        bool exact = true;
        while (queue.TryDequeue(out var m, out _))
        {
            if (!rest.Remove(m, out var c) || isZero(c)) continue;
            if (m.TryDivide(lead, out var qm) && tryQuotient(c, out var qc))
            {
                quotient[qm] = qc;
                foreach (var (dm, dc) in others)
                {
                    var mm = dm.Multiply(qm);
                    ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(rest, mm, out _);
                    slot = subtractProduct(slot!, qc, dc);
                    if (queued.Add(mm)) queue.Enqueue(mm, mm);
                }
            }
            else
            {
                exact = false;
                if (exactOnly) return false;
                remainder[m] = c;
            }
        }
        return exact;
    }
}

using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>
/// The exact proof behind <see cref="ZeroTestKind.Proven"/>: writes an expression as one sparse polynomial (over the
/// polynomial layer, <see cref="SparsePolynomial{T}"/>) in its atoms and in one inverse variable per denominator, and
/// reduces that polynomial modulo the relations the new variables satisfy; a zero result proves the identity.
/// </summary>
/// <remarks>
/// Atoms (symbols, function calls, undefined functions, powers with a non-integer exponent; keys from
/// <see cref="AtomTable"/>) are independent indeterminates. A denominator N = c·M·P (integer content c, monomial M,
/// primitive P with a positive leading coefficient, not a monomial) becomes 1/c times an inverse variable wₐ per atom of M
/// and one inverse variable w_P for P, so no common denominator is ever multiplied out while the expression is walked.
/// At the end the polynomial is reduced modulo the ideal of the relations: a·wₐ = 1 (cancel), w_P·P = 1 (for each P,
/// latest first: the coefficient of the highest power w_P^K must be divisible by P, and its quotient moves to w_P^(K−1),
/// until no w_P is left), r² = b for square-root radicals (see <see cref="Radicals"/>) and |u|² = u² for abs atoms of a
/// real u. Every step replaces the polynomial by one congruent to it modulo that ideal, so a zero result proves the
/// identity wherever the denominators are non-zero; a non-zero one (or a division that is not exact) decides nothing.
/// Coefficients are <see cref="Int128"/> with checked arithmetic; an overflow reruns the proof with <see cref="BigInteger"/>.
/// </remarks>
internal static class SparseProof
{
    /// <summary>The attempt stopped without deciding.</summary>
    internal sealed class AbandonedException(string reason) : Exception(reason);

    /// <summary>Outcome: Zero is true when the reduced polynomial is zero; NumeratorTerms is its size otherwise;
    /// Abandoned says why no decision was reached (budget); AbsAtoms is the number of atoms |u| (u real) that were
    /// reduced by a² = u².</summary>
    internal readonly record struct Outcome(bool Zero, int NumeratorTerms, string? Abandoned, int AbsAtoms = 0);

    /// <summary>Runs the proof attempt on e (which must not contain floats).</summary>
    public static Outcome Run(Expr e, Radicals? radicals, int maxTerms, long maxWork)
    {
        try
        {
            try
            {
                return new Engine<Int128>(maxTerms, maxWork).Run(e, radicals);
            }
            catch (OverflowException)
            {
                return new Engine<BigInteger>(maxTerms, maxWork).Run(e, radicals);
            }
        }
        catch (AbandonedException ex)
        {
            return new Outcome(false, 0, ex.Message);
        }
    }

    private sealed class Engine<T>(int maxTerms, long maxWork) where T : struct, IBinaryInteger<T>
    {
        private readonly AtomTable _table = new();
        private readonly Dictionary<int, int> _inverseOfAtom = [];   // atom variable → its inverse variable
        private readonly Dictionary<int, int> _atomOfInverse = [];   // inverse variable → its atom variable
        private readonly List<(SparsePolynomial<T> Base, int Variable)> _bases = [];
        private readonly Dictionary<SparsePolynomial<T>, int> _baseIndex = [];
        private readonly Dictionary<int, int> _baseOfVariable = [];
        private readonly Dictionary<Expr, Part> _memo = [];
        private long _work;

        /// <summary>Num / Den, Den a positive integer.</summary>
        private sealed record Part(SparsePolynomial<T> Num, T Den);

        public Outcome Run(Expr e, Radicals? radicals)
        {
            var body = radicals is null ? e : radicals.ToSymbols(e);
            CollectAtoms(body);
            if (radicals is not null)
                foreach (var b in radicals.Bases) CollectAtoms(b);
            // Relations a² = v: square-root radicals r² = b, and |u|² = u² for every abs atom of a real u. Collecting the
            // atoms of each v may register further abs atoms (|u| inside a radicand or inside another |…|).
            var relations = new List<(int Atom, Expr Value)>();
            if (radicals is not null)
                for (int i = 0; i < radicals.Count; i++)
                    if (_table.TryGetVariable(radicals.Symbols[i], out var atom))
                        relations.Add((atom, radicals.Bases[i]));
            int absAtoms = 0;
            for (int scanned = 0; scanned < _table.Count; scanned++)
                if (_table[scanned] is Call { Kind: FunctionKind.Abs, Argument: var u } && RealValued.Is(u))
                {
                    var square = Expr.Pow(u, 2);
                    CollectAtoms(square);
                    relations.Add((scanned, square));
                    absAtoms++;
                }
            var num = Get(body).Num;
            num = ReduceAll(num, relations);
            // Division by the bases decides identities that hold base by base (the large derivations); when a division is
            // not exact, clearing every denominator (multiplying out) decides the rest, e.g. 1/(x−1) − 1/(x+1) = 2/(x²−1).
            var reduced = EliminateInverses(num);
            if (reduced.Count > 0 && (_bases.Count > 0 || _inverseOfAtom.Count > 0))
                reduced = ReduceAll(ClearInverses(num), relations);
            num = reduced;
            return new Outcome(num.Count == 0, num.Count, null, absAtoms);
        }

        // ------------------------------------------------------------ atoms

        private void CollectAtoms(Expr root)
        {
            foreach (var x in root.Nodes(x => x is not (Symbol or Call or Apply or Power { Exponent: not Number { Value.IsInteger: true } })
                                              || Register(x)))
                if (x is Float) throw new AbandonedException("the expression contains floating-point numbers");
        }

        /// <summary>Registers an atom; returns false (do not descend).</summary>
        private bool Register(Expr x)
        {
            _table.VariableOf(_table.ProofKey(x));
            return false;
        }

        private int Inverse(int atom)
        {
            if (_inverseOfAtom.TryGetValue(atom, out var w)) return w;
            w = _table.VariableOf(Expr.Symbol("__inverse_atom", atom));
            _inverseOfAtom[atom] = w;
            _atomOfInverse[w] = atom;
            return w;
        }

        // ------------------------------------------------------------ arithmetic with budgets

        private SparsePolynomial<T> Multiply(SparsePolynomial<T> a, SparsePolynomial<T> b)
        {
            if (a.Count > 1 && b.Count > 1)
            {
                _work += (long)a.Count * b.Count;
                if (_work > maxWork) throw new AbandonedException($"the expansion exceeded {maxWork} monomial products");
            }
            return Check(SparsePolynomial<T>.Multiply(a, b));
        }

        private SparsePolynomial<T> Check(SparsePolynomial<T> p) =>
            p.Count > maxTerms ? throw new AbandonedException($"a polynomial exceeded {maxTerms} terms") : p;

        private SparsePolynomial<T> Pow(SparsePolynomial<T> b, int k) =>
            SparsePolynomial<T>.Power(b, k, SparsePolynomial<T>.Constant(T.One), Multiply);

        private static T Lcm(T a, T b) => checked(a / SparsePolynomial<T>.Gcd(a, b) * b);

        // ------------------------------------------------------------ the walk

        private Part Get(Expr e)
        {
            if (_memo.TryGetValue(e, out var cached)) return cached;
            var r = Compute(e);
            _memo[e] = r;
            return r;
        }

        private Part Compute(Expr e)
        {
            switch (e)
            {
                case Number n:
                    return new Part(SparsePolynomial<T>.Constant(T.CreateChecked(n.Value.Numerator)), T.CreateChecked(n.Value.Denominator));
                case Symbol or Call or Apply:
                    return AtomPart(e);
                case Power { Exponent: Number { Value: { IsInteger: true } k } } pw:
                {
                    if (BigInteger.Abs(k.Numerator) > int.MaxValue) throw new AbandonedException("an exponent exceeded 2^31");
                    int m = (int)BigInteger.Abs(k.Numerator);
                    var b = Get(pw.Base);
                    if (k.Sign < 0) b = Invert(b);
                    return new Part(Pow(b.Num, m), SparsePolynomial<T>.IntPow(b.Den, m));
                }
                case Power pw:
                    return AtomPart(pw);
                case Product p:
                {
                    var num = SparsePolynomial<T>.Constant(T.CreateChecked(p.Coefficient.Numerator));
                    T den = T.CreateChecked(p.Coefficient.Denominator);
                    foreach (var f in p.Factors.Select(Get).OrderBy<Part, int>(x => x.Num.Count))
                    {
                        num = Multiply(num, f.Num);
                        den = checked(den * f.Den);
                    }
                    return Reduce(num, den);
                }
                case Sum s:
                {
                    var parts = new List<Part>(s.Terms.Length + 1);
                    if (!s.Constant.IsZero) parts.Add(Get(Canonical.Num(s.Constant)));
                    foreach (var t in s.Terms) parts.Add(Get(t));
                    T lcm = T.One;
                    foreach (var part in parts) lcm = Lcm(lcm, part.Den);
                    var num = new SparsePolynomial<T>();
                    foreach (var part in parts) SparsePolynomial<T>.AddScaled(num, part.Num, lcm / part.Den);
                    return Reduce(Check(num.Clean()), lcm);
                }
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(SparseProof)}: unhandled node {e.GetType().Name}");
            }
        }

        /// <summary>An atom, or (for a negative-looking symbolic exponent) its inverse variable.</summary>
        private Part AtomPart(Expr e)
        {
            int atom = _table.VariableOf(_table.ProofKey(e));
            int v = e is Power pw && Canonical.LooksNegative(pw.Exponent) ? Inverse(atom) : atom;
            return new Part(SparsePolynomial<T>.Term(Monomial.Variable(v), T.One), T.One);
        }

        /// <summary>Cancels a common constant between numerator and denominator (keeps coefficients small).</summary>
        private static Part Reduce(SparsePolynomial<T> num, T den)
        {
            if (num.Count == 0) return new Part(num, T.One);
            if (den == T.One) return new Part(num, den);
            T g = den;
            foreach (var c in num.Values)
            {
                g = SparsePolynomial<T>.Gcd(g, c);
                if (g == T.One) return new Part(num, den);
            }
            var r = new SparsePolynomial<T>(num.Count);
            foreach (var kv in num) r[kv.Key] = kv.Value / g;
            return new Part(r, den / g);
        }

        /// <summary>1 / (N/d) = d·(1/N), N = content·sign·M·P: 1/M through inverse variables (the inverse of an inverse
        /// variable is its atom or base), 1/P through P's inverse variable.</summary>
        private Part Invert(Part b)
        {
            var n = b.Num;
            if (n.Count == 0) throw new AbandonedException("a denominator expands to 0");
            var content = n.Content();
            var lead = n.Leading();
            if (T.IsNegative(n[lead])) content = -content;
            var gcd = n.Keys.Aggregate((x, y) => x.Gcd(y));
            var num = SparsePolynomial<T>.Constant(b.Den);
            foreach (var (v, exp) in gcd.Factors)
            {
                SparsePolynomial<T> inverse;
                if (_atomOfInverse.TryGetValue(v, out var atom)) inverse = SparsePolynomial<T>.Term(Monomial.Variable(atom), T.One);
                else if (_baseOfVariable.TryGetValue(v, out var baseId)) inverse = _bases[baseId].Base;
                else inverse = SparsePolynomial<T>.Term(Monomial.Variable(Inverse(v)), T.One);
                num = Multiply(num, Pow(inverse, exp));
            }
            if (n.Count > 1)
            {
                var p = new SparsePolynomial<T>(n.Count);
                foreach (var kv in n)
                {
                    kv.Key.TryDivide(gcd, out var q);
                    p[q] = kv.Value / content;
                }
                num = Multiply(num, SparsePolynomial<T>.Term(Monomial.Variable(BaseVariable(p)), T.One));
            }
            if (T.IsNegative(content))
            {
                content = -content;
                num = SparsePolynomial<T>.Scale(num, -T.One);
            }
            return new Part(num, content);
        }

        private int BaseVariable(SparsePolynomial<T> p)
        {
            if (_baseIndex.TryGetValue(p, out var id)) return _bases[id].Variable;
            id = _bases.Count;
            int v = _table.VariableOf(Expr.Symbol("__inverse_base", id));
            _bases.Add((p, v));
            _baseIndex[p] = id;
            _baseOfVariable[v] = id;
            return v;
        }

        // ------------------------------------------------------------ reduction modulo the relations

        /// <summary>Cancels a·wₐ = 1 in every monomial.</summary>
        private SparsePolynomial<T> CancelAtomInverses(SparsePolynomial<T> p)
        {
            if (_inverseOfAtom.Count == 0) return p;
            var r = new SparsePolynomial<T>(p.Count);
            foreach (var kv in p)
            {
                var m = kv.Key;
                foreach (var (v, exp) in kv.Key.Factors)
                    if (_inverseOfAtom.TryGetValue(v, out var w) && m.Exponent(w) is var we and > 0)
                    {
                        int c = Math.Min(exp, we);
                        m = m.WithExponent(v, exp - c).WithExponent(w, we - c);
                    }
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(r, m, out _);
                slot = checked(slot + kv.Value);
            }
            return r.Clean();
        }

        /// <summary>Eliminates the inverse variables of the polynomial bases, latest first (a base may contain earlier
        /// inverse variables, never later ones); stops when a division is not exact.</summary>
        private SparsePolynomial<T> EliminateInverses(SparsePolynomial<T> num)
        {
            num = CancelAtomInverses(num);
            for (int id = _bases.Count - 1; id >= 0 && num.Count > 0; id--)
            {
                var (b, w) = _bases[id];
                var byPower = num.CoefficientsIn(w);
                int top = byPower.Keys.Max();
                for (int k = top; k > 0; k--)
                {
                    if (!byPower.TryGetValue(k, out var pk) || pk.Count == 0) continue;
                    pk = CancelAtomInverses(pk);
                    if (pk.Count == 0) continue;
                    _work += (long)pk.Count * b.Count;
                    if (_work > maxWork) throw new AbandonedException($"the expansion exceeded {maxWork} monomial products");
                    if (!SparsePolynomial<T>.Divide(pk, b, exactOnly: true, out var quotient, out _))
                    {
                        // Not divisible: leave the rest as it is (the result is non-zero, which decides nothing).
                        var rest = new SparsePolynomial<T>();
                        foreach (var (j, pj) in byPower)
                            SparsePolynomial<T>.AddScaled(rest, j == 0 ? pj : SparsePolynomial<T>.MultiplyMonomial(pj, Monomial.Variable(w, j)), T.One);
                        return rest.Clean();
                    }
                    if (!byPower.TryGetValue(k - 1, out var lower)) byPower[k - 1] = lower = [];
                    SparsePolynomial<T>.AddScaled(lower, quotient, T.One);
                    byPower[k - 1] = Check(lower.Clean());
                    byPower.Remove(k);
                }
                num = CancelAtomInverses(byPower.GetValueOrDefault(0) ?? []);
            }
            return num;
        }

        /// <summary>Multiplies num by every base to the largest power of its inverse variable (latest base first, then the
        /// atoms), so that no inverse variable is left: the numerator over the common denominator.</summary>
        private SparsePolynomial<T> ClearInverses(SparsePolynomial<T> num)
        {
            num = CancelAtomInverses(num);
            for (int id = _bases.Count - 1; id >= 0 && num.Count > 0; id--)
            {
                var (b, w) = _bases[id];
                var byPower = num.CoefficientsIn(w);
                int top = byPower.Keys.Max();
                // Σ P_k·b^(top−k) by Horner's scheme from P_0.
                var acc = byPower.GetValueOrDefault(0) ?? [];
                for (int k = 1; k <= top; k++)
                {
                    acc = Multiply(acc, b);
                    if (byPower.TryGetValue(k, out var pk)) SparsePolynomial<T>.AddScaled(acc, pk, T.One);
                    acc = Check(acc.Clean());
                }
                num = acc;
            }
            foreach (var (atom, w) in _inverseOfAtom)
            {
                int top = 0;
                foreach (var m in num.Keys) top = Math.Max(top, m.Exponent(w));
                if (top == 0) continue;
                var r = new SparsePolynomial<T>(num.Count);
                foreach (var kv in CancelAtomInverses(num))
                {
                    int j = kv.Key.Exponent(w);
                    r[kv.Key.WithExponent(w, 0).Multiply(Monomial.Variable(atom, top - j))] = kv.Value;
                }
                num = r;
            }
            return num;
        }

        /// <summary>Reduces num modulo every relation a² = v until no atom a of a relation has an exponent ≥ 2. Reducing by
        /// one relation can bring back powers of another (|u| inside a radicand, nested |…|), so the pass repeats; nesting
        /// is finite, so it stops after at most one pass per relation plus one.</summary>
        private SparsePolynomial<T> ReduceAll(SparsePolynomial<T> num, List<(int Atom, Expr Value)> relations)
        {
            for (int pass = 0; pass <= relations.Count && num.Count > 0; pass++)
            {
                bool changed = false;
                // Outer atoms first (a larger node cannot be contained in a smaller one), so inner powers appear before
                // their own reduction.
                foreach (var (atom, value) in relations.OrderByDescending(r => _table[r.Atom].NodeCount))
                {
                    var reduced = Reduce(num, atom, value);
                    if (!ReferenceEquals(reduced, num)) changed = true;
                    num = reduced;
                    if (num.Count == 0) return num;
                }
                if (!changed) break;
            }
            return num;
        }

        /// <summary>num reduced modulo r² = b (r a radical or an abs atom), b = N_b/d_b: r^(2j+ε)·C → N_b^j·d_b^(J−j)·r^ε·C
        /// (J the largest j), which does not change whether the result vanishes.</summary>
        private SparsePolynomial<T> Reduce(SparsePolynomial<T> num, int radical, Expr radicand)
        {
            int maxJ = 0;
            foreach (var mono in num.Keys) maxJ = Math.Max(maxJ, mono.Exponent(radical) / 2);
            if (maxJ == 0) return num;
            var b = Get(radicand);
            var byJ = new Dictionary<int, SparsePolynomial<T>>();
            foreach (var kv in num)
            {
                int e = kv.Key.Exponent(radical);
                if (!byJ.TryGetValue(e / 2, out var g)) byJ[e / 2] = g = [];
                g[kv.Key.WithExponent(radical, e & 1)] = kv.Value;
            }
            var result = new SparsePolynomial<T>();
            foreach (var (j, c) in byJ)
                SparsePolynomial<T>.AddScaled(result, Multiply(c, Pow(b.Num, j)), SparsePolynomial<T>.IntPow(b.Den, maxJ - j));
            return Check(result.Clean());
        }
    }
}

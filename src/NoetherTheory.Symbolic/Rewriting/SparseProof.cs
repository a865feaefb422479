using System.Numerics;
using System.Runtime.InteropServices;

namespace NoetherTheory.Symbolic;

/// <summary>
/// The exact proof behind <see cref="ZeroTestKind.Proven"/>: brings an expression over a common denominator in a sparse
/// polynomial representation (packed exponent vector → integer coefficient) and checks that the numerator is the zero
/// polynomial. No canonical <see cref="Expr"/> trees are built for intermediate products.
/// </summary>
/// <remarks>
/// Atoms (symbols, function calls, undefined functions, powers with a non-integer exponent) are independent
/// indeterminates, so a zero numerator proves the identity for every value of the atoms wherever the denominator is
/// non-zero. Half-integer powers b^(k/2) become r^k and the numerator is reduced modulo r² = b (see
/// <see cref="Radicals"/>): a zero reduced numerator still proves the identity; a non-zero one decides nothing.
/// Denominators are products of powers of primitive polynomials (content and sign moved out, monomials split into
/// atoms), combined by their least common multiple; terms of a sum that miss the same denominator factors are added
/// before they are multiplied, so each missing factor is multiplied out once per distinct pattern.
/// Coefficients are <see cref="Int128"/> with checked arithmetic: an overflow abandons the attempt (never wraps).
/// </remarks>
internal sealed class SparseProof
{
    /// <summary>Largest exponent of one atom in one monomial (exponents are packed 8 bits each, overflow tested on bit 7).</summary>
    private const int MaxExponent = 127;

    /// <summary>The attempt stopped without deciding.</summary>
    internal sealed class AbandonedException(string reason) : Exception(reason);

    private readonly Dictionary<Expr, int> _atomIndex = [];
    private readonly List<Expr> _atoms = [];
    private readonly Dictionary<Expr, Expr> _atomKeys = new(ReferenceEqualityComparer.Instance);
    private readonly int _maxTerms;
    private readonly long _maxWork;
    private long _work;
    private int _words;
    private readonly Dictionary<Expr, Part> _memo = [];
    private readonly List<Poly> _bases = [];
    private readonly Dictionary<Poly, int> _baseIndex = [];
    private readonly Dictionary<(int Base, int Exponent), Poly> _powers = [];

    private SparseProof(int maxTerms, long maxWork)
    {
        _maxTerms = maxTerms;
        _maxWork = maxWork;
    }

    /// <summary>Outcome: Zero is true when the numerator is the zero polynomial; NumeratorTerms is its size otherwise;
    /// Abandoned says why no decision was reached (budget, overflow); AbsAtoms is the number of atoms |u| (u real) that
    /// were reduced by a² = u².</summary>
    internal readonly record struct Outcome(bool Zero, int NumeratorTerms, string? Abandoned, int AbsAtoms = 0);

    /// <summary>Runs the proof attempt on e (which must not contain floats).</summary>
    public static Outcome Run(Expr e, Radicals? radicals, int maxTerms, long maxWork)
    {
        var p = new SparseProof(maxTerms, maxWork);
        try
        {
            var body = radicals is null ? e : radicals.ToSymbols(e);
            p.CollectAtoms(body);
            if (radicals is not null)
                foreach (var b in radicals.Bases) p.CollectAtoms(b);
            // Relations a² = v: square-root radicals r² = b, and |u|² = u² for every abs atom of a real u. Collecting the
            // atoms of each v may register further abs atoms (|u| inside a radicand or inside another |…|).
            var relations = new List<(int Atom, Expr Value)>();
            if (radicals is not null)
                for (int i = 0; i < radicals.Count; i++)
                    if (p._atomIndex.TryGetValue(radicals.Symbols[i], out var atom))
                        relations.Add((atom, radicals.Bases[i]));
            int absAtoms = 0;
            for (int scanned = 0; scanned < p._atoms.Count; scanned++)
                if (p._atoms[scanned] is Call { Kind: FunctionKind.Abs, Argument: var u } && RealValued.Is(u))
                {
                    var square = Expr.Pow(u, 2);
                    p.CollectAtoms(square);
                    relations.Add((scanned, square));
                    absAtoms++;
                }
            p._words = Math.Max(1, (p._atoms.Count + 7) / 8);
            var num = p.T(body).Num;
            num = p.ReduceAll(num, relations);
            return new Outcome(num.Count == 0, num.Count, null, absAtoms);
        }
        catch (AbandonedException ex)
        {
            return new Outcome(false, 0, ex.Message);
        }
        catch (OverflowException)
        {
            return new Outcome(false, 0, "a coefficient exceeded 128 bits");
        }
    }

    // ---------------------------------------------------------------- atoms

    private void CollectAtoms(Expr root)
    {
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (!seen.Add(x)) continue;
            switch (x)
            {
                case Number:
                    break;
                case Float:
                    throw new AbandonedException("the expression contains floating-point numbers");
                case Symbol or Call or Apply:
                    Register(AtomKey(x));
                    break;
                case Power { Exponent: Number { Value.IsInteger: true } } pw:
                    stack.Push(pw.Base);
                    break;
                case Power pw:
                    Register(AtomKey(pw));
                    break;
                default:
                    foreach (var c in x.Children) stack.Push(c);
                    break;
            }
        }
    }

    private void Register(Expr key)
    {
        if (_atomIndex.ContainsKey(key)) return;
        _atomIndex[key] = _atoms.Count;
        _atoms.Add(key);
    }

    /// <summary>The atom for a non-polynomial node: function arguments brought to a canonical rational form (so equal
    /// calls written differently coincide); a power with a negative-looking exponent is keyed by its reciprocal.</summary>
    private Expr AtomKey(Expr x)
    {
        if (_atomKeys.TryGetValue(x, out var k)) return k;
        k = x switch
        {
            Symbol => x,
            Call or Apply => x.WithChildren([.. x.Children.Select(CanonicalArgument)]),
            Power pw when Canonical.LooksNegative(pw.Exponent) =>
                Expr.Pow(CanonicalArgument(pw.Base), Canonical.ScaleExpr(Rational.MinusOne, pw.Exponent)),
            Power pw => Expr.Pow(CanonicalArgument(pw.Base), pw.Exponent),
            _ => throw new System.Diagnostics.UnreachableException($"{nameof(SparseProof)}: {x.GetType().Name} is not an atom"),
        };
        _atomKeys[x] = k;
        return k;
    }

    private static Expr CanonicalArgument(Expr c) =>
        c.Children.Length == 0 ? c : Algebra.TryTogether(c, 2000)?.ToExpr() ?? c;

    // ---------------------------------------------------------------- monomials and polynomials

    /// <summary>A monomial: exponents packed 8 bits per atom into words, with a cached hash.</summary>
    private readonly struct Mono : IEquatable<Mono>
    {
        public readonly ulong[] Words;
        private readonly int _hash;

        public Mono(ulong[] words)
        {
            Words = words;
            ulong h = 0x9E3779B97F4A7C15UL;
            foreach (var w in words) h = (h ^ w) * 0xBF58476D1CE4E5B9UL;
            _hash = (int)(h ^ (h >> 31));
        }

        public bool Equals(Mono other) => Words.AsSpan().SequenceEqual(other.Words);
        public override bool Equals(object? obj) => obj is Mono m && Equals(m);
        public override int GetHashCode() => _hash;

        public int Exponent(int atom) => (int)((Words[atom >> 3] >> ((atom & 7) * 8)) & 0xFF);

        public bool IsOne
        {
            get
            {
                foreach (var w in Words) if (w != 0) return false;
                return true;
            }
        }
    }

    private const ulong HighBits = 0x8080808080808080UL;

    private Mono Multiply(Mono a, Mono b)
    {
        var w = new ulong[_words];
        for (int i = 0; i < w.Length; i++)
        {
            ulong s = a.Words[i] + b.Words[i]; // each byte ≤ 127, so no carry crosses bytes
            if ((s & HighBits) != 0) throw new AbandonedException($"an exponent exceeded {MaxExponent}");
            w[i] = s;
        }
        return new Mono(w);
    }

    private Mono One() => new(new ulong[_words]);

    private Mono AtomMono(int atom, int exponent)
    {
        if (exponent > MaxExponent) throw new AbandonedException($"an exponent exceeded {MaxExponent}");
        var w = new ulong[_words];
        w[atom >> 3] = (ulong)exponent << ((atom & 7) * 8);
        return new Mono(w);
    }

    /// <summary>A sparse polynomial with integer coefficients; zero coefficients are never stored.</summary>
    private sealed class Poly : Dictionary<Mono, Int128>, IEquatable<Poly>
    {
        private int? _hash;

        public Poly() { }
        public Poly(int capacity) : base(capacity) { }

        public bool Equals(Poly? other)
        {
            if (other is null || other.Count != Count) return false;
            foreach (var kv in this)
                if (!other.TryGetValue(kv.Key, out var c) || c != kv.Value) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as Poly);

        public override int GetHashCode()
        {
            if (_hash is { } h) return h;
            int acc = Count;
            foreach (var kv in this) acc += HashCode.Combine(kv.Key.GetHashCode(), kv.Value); // order-independent
            _hash = acc;
            return acc;
        }
    }

    private Poly Constant(Int128 c)
    {
        var p = new Poly(1);
        if (c != 0) p[One()] = c;
        return p;
    }

    private static void AddScaled(Poly into, Poly p, Int128 scale)
    {
        foreach (var kv in p)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(into, kv.Key, out _);
            slot = checked(slot + (kv.Value * scale));
        }
    }

    private Poly Clean(Poly p)
    {
        List<Mono>? zeros = null;
        foreach (var kv in p)
            if (kv.Value == 0) (zeros ??= []).Add(kv.Key);
        if (zeros is not null) foreach (var z in zeros) p.Remove(z);
        if (p.Count > _maxTerms) throw new AbandonedException($"a polynomial exceeded {_maxTerms} terms");
        return p;
    }

    private Poly Multiply(Poly a, Poly b)
    {
        if (a.Count == 0 || b.Count == 0) return [];
        if (a.Count == 1 && a.First() is { Key.IsOne: true } ca) return Scale(b, ca.Value);
        if (b.Count == 1 && b.First() is { Key.IsOne: true } cb) return Scale(a, cb.Value);
        _work += (long)a.Count * b.Count;
        if (_work > _maxWork) throw new AbandonedException($"the expansion exceeded {_maxWork} monomial products");
        var r = new Poly((int)Math.Min((long)a.Count * b.Count, _maxTerms + 1L));
        foreach (var x in a)
            foreach (var y in b)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(r, Multiply(x.Key, y.Key), out _);
                slot = checked(slot + checked(x.Value * y.Value));
            }
        return Clean(r);
    }

    private static Poly Scale(Poly p, Int128 c)
    {
        if (c == 1) return p;
        var r = new Poly(p.Count);
        if (c == 0) return r;
        foreach (var kv in p) r[kv.Key] = checked(kv.Value * c);
        return r;
    }

    private Poly Pow(Poly b, int k)
    {
        Poly result = Constant(1), p = b;
        while (k > 0)
        {
            if ((k & 1) != 0) result = Multiply(result, p);
            k >>= 1;
            if (k > 0) p = Multiply(p, p);
        }
        return result;
    }

    private Poly BasePower(int baseId, int k)
    {
        if (k == 1) return _bases[baseId];
        if (_powers.TryGetValue((baseId, k), out var p)) return p;
        // Build from the largest cached lower power so that consecutive exponents reuse work.
        int best = 1;
        for (int j = k - 1; j > 1; j--)
            if (_powers.ContainsKey((baseId, j))) { best = j; break; }
        var lower = best == 1 ? _bases[baseId] : _powers[(baseId, best)];
        p = Multiply(lower, best * 2 <= k ? BasePower(baseId, k - best) : Pow(_bases[baseId], k - best));
        _powers[(baseId, k)] = p;
        return p;
    }

    private static Int128 IntPow(Int128 b, int k)
    {
        Int128 r = 1;
        for (int i = 0; i < k; i++) r = checked(r * b);
        return r;
    }

    private static Int128 ToInt128(BigInteger b) =>
        b >= (BigInteger)Int128.MinValue && b <= (BigInteger)Int128.MaxValue ? (Int128)b : throw new OverflowException();

    private static Int128 Gcd(Int128 a, Int128 b)
    {
        a = Int128.Abs(a);
        b = Int128.Abs(b);
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    // ---------------------------------------------------------------- rational forms

    /// <summary>Num / (Cden · Π bases[id]^exp).</summary>
    private sealed record Part(Poly Num, Dictionary<int, int> Den, Int128 Cden);

    private Part T(Expr e)
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
                return new Part(Constant(ToInt128(n.Value.Numerator)), [], ToInt128(n.Value.Denominator));
            case Symbol or Call or Apply:
                return AtomPart(e);
            case Power { Exponent: Number { Value: { IsInteger: true } k } } pw:
            {
                if (BigInteger.Abs(k.Numerator) > MaxExponent) throw new AbandonedException($"an exponent exceeded {MaxExponent}");
                int m = (int)BigInteger.Abs(k.Numerator);
                var b = T(pw.Base);
                if (k.Sign > 0)
                    return new Part(Pow(b.Num, m), b.Den.ToDictionary(kv => kv.Key, kv => checked(kv.Value * m)), IntPow(b.Cden, m));
                // (N / (c·D))^−m = c^m·D^m / N^m, with N = content·sign·P·monomial split into atom bases.
                var num = Constant(IntPow(b.Cden, m));
                foreach (var kv in b.Den) num = Multiply(num, BasePower(kv.Key, checked(kv.Value * m)));
                var den = new Dictionary<int, int>();
                var content = AddDenominator(b.Num, m, den);
                if (content < 0) { content = -content; if ((m & 1) != 0) num = Scale(num, -1); }
                return new Part(num, den, IntPow(content, m));
            }
            case Power pw:
                return AtomPart(pw);
            case Product p:
            {
                var num = Constant(ToInt128(p.Coefficient.Numerator));
                var den = new Dictionary<int, int>();
                Int128 cden = ToInt128(p.Coefficient.Denominator);
                // Multiply small factors first so that large ones are multiplied once at the end.
                var parts = p.Factors.Select(T).OrderBy(x => x.Num.Count).ToList();
                foreach (var f in parts)
                {
                    num = Multiply(num, f.Num);
                    foreach (var kv in f.Den) den[kv.Key] = checked(den.GetValueOrDefault(kv.Key) + kv.Value);
                    cden = checked(cden * f.Cden);
                }
                return Reduce(new Part(num, den, cden));
            }
            case Sum s:
            {
                var parts = new List<Part>(s.Terms.Length + 1);
                if (!s.Constant.IsZero) parts.Add(T(Canonical.Num(s.Constant)));
                foreach (var t in s.Terms) parts.Add(T(t));
                var lcm = new Dictionary<int, int>();
                Int128 cl = 1;
                foreach (var part in parts)
                {
                    foreach (var kv in part.Den)
                        if (!lcm.TryGetValue(kv.Key, out var old) || old < kv.Value) lcm[kv.Key] = kv.Value;
                    cl = checked(cl / Gcd(cl, part.Cden) * part.Cden);
                }
                // Group the terms by the denominator factors they miss; add within a group, then multiply once.
                var groups = new Dictionary<string, (List<(int, int)> Missing, Poly Sum)>();
                foreach (var part in parts)
                {
                    var missing = new List<(int, int)>();
                    foreach (var kv in lcm.OrderBy(kv => kv.Key))
                    {
                        int d = kv.Value - part.Den.GetValueOrDefault(kv.Key);
                        if (d > 0) missing.Add((kv.Key, d));
                    }
                    var key = string.Join(",", missing.Select(x => x.Item1 + "^" + x.Item2));
                    if (!groups.TryGetValue(key, out var g)) groups[key] = g = (missing, new Poly());
                    AddScaled(g.Sum, part.Num, cl / part.Cden);
                }
                var num = new Poly();
                foreach (var (missing, sum) in groups.Values)
                {
                    var term = Clean(sum);
                    foreach (var (id, k) in missing.OrderBy(x => _bases[x.Item1].Count))
                        term = Multiply(term, BasePower(id, k));
                    AddScaled(num, term, 1);
                }
                return new Part(Clean(num), lcm, cl);
            }
            default:
                throw new System.Diagnostics.UnreachableException($"{nameof(SparseProof)}: unhandled node {e.GetType().Name}");
        }
    }

    /// <summary>An atom, or (for a negative-looking symbolic exponent) 1 / atom.</summary>
    private Part AtomPart(Expr e)
    {
        var key = AtomKey(e);
        var mono = Constant(1);
        var p = new Poly(1) { [AtomMono(_atomIndex[key], 1)] = 1 };
        if (e is Power pw && Canonical.LooksNegative(pw.Exponent))
        {
            var den = new Dictionary<int, int>();
            AddDenominator(p, 1, den);
            return new Part(mono, den, 1);
        }
        return new Part(p, [], 1);
    }

    /// <summary>Cancels a common constant between numerator and constant denominator (keeps coefficients small).</summary>
    private static Part Reduce(Part p)
    {
        if (p.Cden == 1 || p.Num.Count == 0) return p.Num.Count == 0 ? new Part(p.Num, [], 1) : p;
        Int128 g = p.Cden;
        foreach (var c in p.Num.Values)
        {
            g = Gcd(g, c);
            if (g == 1) return p;
        }
        var num = new Poly(p.Num.Count);
        foreach (var kv in p.Num) num[kv.Key] = kv.Value / g;
        return new Part(num, p.Den, p.Cden / g);
    }

    /// <summary>Adds N^m to a denominator: N = content·(monomial)·P with P primitive, leading coefficient positive and
    /// not a monomial; the monomial's atoms and P become bases. Returns the signed content.</summary>
    private Int128 AddDenominator(Poly n, int m, Dictionary<int, int> den)
    {
        if (n.Count == 0) throw new AbandonedException("a denominator expands to 0");
        // Monomial content: the minimum exponent of each atom over all terms.
        var minWords = new ulong[_words];
        bool first = true;
        Int128 content = 0;
        Mono lead = default;
        foreach (var kv in n)
        {
            content = Gcd(content, kv.Value);
            if (first) { Array.Copy(kv.Key.Words, minWords, _words); lead = kv.Key; first = false; }
            else
            {
                for (int i = 0; i < _words; i++)
                {
                    ulong a = minWords[i], b = kv.Key.Words[i], r = 0;
                    for (int s = 0; s < 64; s += 8) r |= Math.Min((a >> s) & 0xFF, (b >> s) & 0xFF) << s;
                    minWords[i] = r;
                }
                if (Greater(kv.Key, lead)) lead = kv.Key;
            }
        }
        if (n[lead] < 0) content = -content;
        for (int atom = 0; atom < _atoms.Count; atom++)
        {
            int x = (int)((minWords[atom >> 3] >> ((atom & 7) * 8)) & 0xFF);
            if (x > 0) AddBase(new Poly(1) { [AtomMono(atom, 1)] = 1 }, checked(x * m), den);
        }
        if (n.Count > 1)
        {
            var p = new Poly(n.Count);
            foreach (var kv in n)
            {
                var w = new ulong[_words];
                for (int i = 0; i < _words; i++) w[i] = kv.Key.Words[i] - minWords[i];
                p[new Mono(w)] = kv.Value / content;
            }
            AddBase(p, m, den);
        }
        return content;
    }

    private static bool Greater(Mono a, Mono b)
    {
        for (int i = a.Words.Length - 1; i >= 0; i--)
            if (a.Words[i] != b.Words[i]) return a.Words[i] > b.Words[i];
        return false;
    }

    private void AddBase(Poly p, int m, Dictionary<int, int> den)
    {
        if (!_baseIndex.TryGetValue(p, out var id))
        {
            id = _bases.Count;
            _bases.Add(p);
            _baseIndex[p] = id;
        }
        den[id] = checked(den.GetValueOrDefault(id) + m);
    }

    // ---------------------------------------------------------------- radicals and abs

    /// <summary>Reduces num modulo every relation a² = v until no atom a of a relation has an exponent ≥ 2. Reducing by one
    /// relation can bring back powers of another (|u| inside a radicand, nested |…|), so the pass repeats; nesting is
    /// finite, so it stops after at most one pass per relation plus one.</summary>
    private Poly ReduceAll(Poly num, List<(int Atom, Expr Value)> relations)
    {
        for (int pass = 0; pass <= relations.Count && num.Count > 0; pass++)
        {
            bool changed = false;
            // Outer atoms first (a larger node cannot be contained in a smaller one), so inner powers appear before
            // their own reduction.
            foreach (var (atom, value) in relations.OrderByDescending(r => _atoms[r.Atom].NodeCount))
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

    /// <summary>num reduced modulo r² = b (r a radical or an abs atom): r^(2j+ε)·C → (N_b/D_b)^j·r^ε·C, multiplied through by D_b^J (J the largest j),
    /// which does not change whether the numerator vanishes where D_b ≠ 0.</summary>
    private Poly Reduce(Poly num, int radical, Expr radicand)
    {
        int maxJ = 0;
        foreach (var mono in num.Keys) maxJ = Math.Max(maxJ, mono.Exponent(radical) / 2);
        if (maxJ == 0) return num;
        var b = T(radicand);
        var dPoly = Constant(b.Cden);
        foreach (var kv in b.Den) dPoly = Multiply(dPoly, BasePower(kv.Key, kv.Value));
        var byJ = new Dictionary<(int J, int Eps), Poly>();
        foreach (var kv in num)
        {
            int e = kv.Key.Exponent(radical);
            var w = (ulong[])kv.Key.Words.Clone();
            w[radical >> 3] &= ~(0xFFUL << ((radical & 7) * 8));
            w[radical >> 3] |= (ulong)(e & 1) << ((radical & 7) * 8);
            if (!byJ.TryGetValue((e / 2, e & 1), out var g)) byJ[(e / 2, e & 1)] = g = [];
            g[new Mono(w)] = kv.Value;
        }
        var result = new Poly();
        foreach (var ((j, _), c) in byJ)
            AddScaled(result, Multiply(Multiply(c, Pow(b.Num, j)), Pow(dPoly, maxJ - j)), 1);
        return Clean(result);
    }
}

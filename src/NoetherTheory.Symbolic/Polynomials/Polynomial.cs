using System.Collections.Immutable;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>An immutable sparse multivariate polynomial with exact rational coefficients over numbered variables
/// (an <see cref="AtomTable"/> says which expression each number stands for).</summary>
/// <remarks>Stored as (integer polynomial) / (positive integer denominator), the two without a common factor. The integer
/// coefficients are <see cref="Int128"/> while they fit (checked arithmetic) and <see cref="BigInteger"/> from the first
/// overflow on, so results never depend on which path ran.</remarks>
public sealed class Polynomial : IEquatable<Polynomial>
{
    private readonly SparsePolynomial<Int128>? _small;
    private readonly SparsePolynomial<BigInteger>? _big;
    private readonly BigInteger _denominator;

    private Polynomial(SparsePolynomial<Int128>? small, SparsePolynomial<BigInteger>? big, BigInteger denominator)
    {
        _small = small;
        _big = big;
        _denominator = denominator;
    }

    /// <summary>0.</summary>
    public static Polynomial Zero { get; } = new(new SparsePolynomial<Int128>(), null, BigInteger.One);

    /// <summary>1.</summary>
    public static Polynomial One { get; } = Constant(Rational.One);

    /// <summary>The constant c.</summary>
    public static Polynomial Constant(Rational c) => Term(Monomial.One, c);

    /// <summary>x_variable^exponent.</summary>
    public static Polynomial Variable(int variable, int exponent = 1) => Term(Monomial.Variable(variable, exponent), Rational.One);

    /// <summary>c·m.</summary>
    public static Polynomial Term(Monomial monomial, Rational coefficient) => FromTerms([(monomial, coefficient)]);

    /// <summary>Σ cᵢ·mᵢ (equal monomials add).</summary>
    public static Polynomial FromTerms(IEnumerable<(Monomial Monomial, Rational Coefficient)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var list = terms.ToList();
        BigInteger den = BigInteger.One;
        foreach (var (_, c) in list) den = den / BigInteger.GreatestCommonDivisor(den, c.Denominator) * c.Denominator;
        var big = new SparsePolynomial<BigInteger>();
        foreach (var (m, c) in list)
            SparsePolynomial<BigInteger>.AddScaled(big, SparsePolynomial<BigInteger>.Term(m, c.Numerator), den / c.Denominator);
        return Normalised(null, big.Clean(), den);
    }

    /// <summary>Whether the integer coefficients currently use the 128-bit fast path (for tests and diagnostics).</summary>
    internal bool IsSmall => _small is not null;

    /// <summary>Forces the <see cref="BigInteger"/> representation (tests compare the two paths).</summary>
    internal Polynomial ToBig() => _big is not null ? this : new(null, _small!.Convert<BigInteger>(), _denominator);

    private SparsePolynomial<BigInteger> Big => _big ?? _small!.Convert<BigInteger>();

    private static Polynomial Normalised(SparsePolynomial<Int128>? small, SparsePolynomial<BigInteger>? big, BigInteger den)
    {
        if (big is not null && small is null && FitsSmall(big)) small = big.Convert<Int128>();
        if (small is not null)
        {
            if (small.Count == 0) return Zero;
            var g = BigInteger.GreatestCommonDivisor((BigInteger)small.Content(), den);
            if (!g.IsOne)
            {
                var gi = (Int128)g;
                var r = new SparsePolynomial<Int128>(small.Count);
                foreach (var kv in small) r[kv.Key] = kv.Value / gi;
                small = r;
                den /= g;
            }
            return new Polynomial(small, null, den);
        }
        if (big!.Count == 0) return Zero;
        var gb = BigInteger.GreatestCommonDivisor(big.Content(), den);
        if (!gb.IsOne)
        {
            var r = new SparsePolynomial<BigInteger>(big.Count);
            foreach (var kv in big) r[kv.Key] = kv.Value / gb;
            big = r;
            den /= gb;
        }
        return new Polynomial(null, big, den);
    }

    private static bool FitsSmall(SparsePolynomial<BigInteger> p)
    {
        foreach (var c in p.Values)
            if (c < (BigInteger)Int128.MinValue || c > (BigInteger)Int128.MaxValue) return false;
        return true;
    }

    /// <summary>Runs the 128-bit version when both operands are small, else (or after an overflow) the BigInteger one.</summary>
    private static Polynomial Combine(Polynomial a, Polynomial b,
        Func<SparsePolynomial<Int128>, SparsePolynomial<Int128>, SparsePolynomial<Int128>> small,
        Func<SparsePolynomial<BigInteger>, SparsePolynomial<BigInteger>, SparsePolynomial<BigInteger>> big, BigInteger den)
    {
        if (a._small is not null && b._small is not null)
        {
            try
            {
                return Normalised(small(a._small, b._small), null, den);
            }
            catch (OverflowException)
            {
                // fall through to the BigInteger path
            }
        }
        return Normalised(null, big(a.Big, b.Big), den);
    }

    /// <summary>Whether this is 0.</summary>
    public bool IsZero => TermCount == 0;

    /// <summary>Number of non-zero terms.</summary>
    public int TermCount => _small?.Count ?? _big!.Count;

    /// <summary>The terms, largest monomial first (graded lexicographic order).</summary>
    public ImmutableArray<(Monomial Monomial, Rational Coefficient)> Terms =>
        [.. (_small is not null ? _small.Select(kv => (kv.Key, new Rational((BigInteger)kv.Value, _denominator)))
                : _big!.Select(kv => (kv.Key, new Rational(kv.Value, _denominator))))
            .OrderByDescending(t => t.Key)];

    /// <summary>The coefficient of one monomial (0 when absent).</summary>
    public Rational Coefficient(Monomial monomial) =>
        _small is not null
            ? (_small.TryGetValue(monomial, out var s) ? new Rational((BigInteger)s, _denominator) : Rational.Zero)
            : (_big!.TryGetValue(monomial, out var b) ? new Rational(b, _denominator) : Rational.Zero);

    /// <summary>The variables that occur, ascending.</summary>
    public ImmutableArray<int> Variables => [.. Monomials.SelectMany(m => m.Factors.Select(f => f.Variable)).Distinct().Order()];

    private IEnumerable<Monomial> Monomials => _small is not null ? _small.Keys : _big!.Keys;

    /// <summary>The largest exponent of one variable (0 when absent; −1 for the zero polynomial).</summary>
    public int Degree(int variable) => IsZero ? -1 : Monomials.Max(m => m.Exponent(variable));

    /// <summary>The total degree (−1 for the zero polynomial).</summary>
    public int TotalDegree => IsZero ? -1 : Monomials.Max(m => m.Degree);

    /// <summary>The leading term in the monomial order (the zero polynomial has none).</summary>
    /// <exception cref="InvalidOperationException">The polynomial is zero.</exception>
    public (Monomial Monomial, Rational Coefficient) LeadingTerm =>
        IsZero ? throw new InvalidOperationException("The zero polynomial has no leading term.") : Terms[0];

    /// <summary>Sum.</summary>
    public static Polynomial operator +(Polynomial a, Polynomial b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var lcm = a._denominator / BigInteger.GreatestCommonDivisor(a._denominator, b._denominator) * b._denominator;
        BigInteger fa = lcm / a._denominator, fb = lcm / b._denominator;
        return Combine(a, b,
            (x, y) => AddScaled(x, y, (Int128)fa, (Int128)fb),
            (x, y) => AddScaled(x, y, fa, fb), lcm);
    }

    private static SparsePolynomial<T> AddScaled<T>(SparsePolynomial<T> x, SparsePolynomial<T> y, T fx, T fy) where T : struct, IBinaryInteger<T>
    {
        var r = new SparsePolynomial<T>(x.Count + y.Count);
        SparsePolynomial<T>.AddScaled(r, x, fx);
        SparsePolynomial<T>.AddScaled(r, y, fy);
        return r.Clean();
    }

    /// <summary>Difference.</summary>
    public static Polynomial operator -(Polynomial a, Polynomial b) => a + (-b);

    /// <summary>Negation.</summary>
    public static Polynomial operator -(Polynomial a) => Scale(a, Rational.MinusOne);

    /// <summary>Product.</summary>
    public static Polynomial operator *(Polynomial a, Polynomial b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Combine(a, b, SparsePolynomial<Int128>.Multiply, SparsePolynomial<BigInteger>.Multiply, a._denominator * b._denominator);
    }

    /// <summary>c·p.</summary>
    public static Polynomial Scale(Polynomial p, Rational c)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p * Constant(c);
    }

    /// <summary>p^k (k ≥ 0).</summary>
    public Polynomial Pow(int k) => SparsePolynomial<Int128>.Power(this, k, One, (x, y) => x * y);

    /// <summary>Multivariate division by one divisor in the monomial order: this = Quotient·divisor + Remainder, where no
    /// monomial of Remainder is divisible by the leading monomial of the divisor. Remainder is 0 exactly when the divisor
    /// divides this polynomial.</summary>
    /// <exception cref="DivideByZeroException">The divisor is 0.</exception>
    public (Polynomial Quotient, Polynomial Remainder) DivideWithRemainder(Polynomial divisor)
    {
        ArgumentNullException.ThrowIfNull(divisor);
        if (divisor.IsZero) throw new DivideByZeroException("Polynomial division by the zero polynomial.");
        // Over Q every coefficient is divisible by the leading coefficient, so only monomials decide the remainder.
        var (lead, lc) = divisor.LeadingTerm;
        var quotient = new Dictionary<Monomial, Rational>();
        var remainder = new Dictionary<Monomial, Rational>();
        MultivariateDivision.Divide(Terms.ToDictionary(t => t.Monomial, t => t.Coefficient),
            divisor.Terms.Select(t => KeyValuePair.Create(t.Monomial, t.Coefficient)), lead,
            (Rational c, out Rational q) =>
            {
                q = c / lc;
                return true;
            },
            (slot, q, c) => slot - (q * c), c => c.IsZero, exactOnly: false, quotient, remainder);
        return (FromTerms(quotient.Select(kv => (kv.Key, kv.Value))), FromTerms(remainder.Select(kv => (kv.Key, kv.Value))));
    }

    /// <summary>this / divisor when the division is exact.</summary>
    public bool TryDivideExact(Polynomial divisor, out Polynomial quotient)
    {
        var (q, r) = DivideWithRemainder(divisor);
        quotient = r.IsZero ? q : Zero;
        return r.IsZero;
    }

    /// <summary>Division by the linear factor x − root (root free of x) by synthetic division on the coefficients in x:
    /// this = (x − root)·Quotient + Remainder, Remainder = this at x = root (free of x).</summary>
    /// <exception cref="ArgumentException">root contains x.</exception>
    public (Polynomial Quotient, Polynomial Remainder) DivideLinear(int variable, Polynomial root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Degree(variable) > 0) throw new ArgumentException("The root must not contain the variable it is a root in.", nameof(root));
        var coefficients = CoefficientsIn(variable);
        var (quotient, remainder) = SyntheticDivision.Divide(coefficients, root, (a, b) => a + b, (a, b) => a * b, Zero, withRemainder: true);
        var q = Zero;
        for (int i = 0; i < quotient.Length; i++) q += quotient[i] * Variable(variable, i);
        return (q, remainder);
    }

    /// <summary>The coefficients of this polynomial in one variable, c₀ … c_deg (each free of it).</summary>
    public ImmutableArray<Polynomial> CoefficientsIn(int variable)
    {
        int degree = Math.Max(Degree(variable), 0);
        var parts = new List<(Monomial, Rational)>[degree + 1];
        for (int i = 0; i <= degree; i++) parts[i] = [];
        foreach (var (m, c) in Terms)
            parts[m.Exponent(variable)].Add((m.WithExponent(variable, 0), c));
        return [.. parts.Select(FromTerms)];
    }

    /// <summary>Coefficient extraction with respect to chosen variables: this = Σ key·value, each key a monomial in the
    /// chosen variables only and each value a polynomial free of them.</summary>
    public IReadOnlyDictionary<Monomial, Polynomial> CoefficientsIn(IReadOnlyCollection<int> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var chosen = variables.ToHashSet();
        var groups = new Dictionary<Monomial, List<(Monomial, Rational)>>();
        foreach (var (m, c) in Terms)
        {
            var key = m.Restrict(chosen.Contains);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add((m.Restrict(v => !chosen.Contains(v)), c));
        }
        return groups.ToDictionary(kv => kv.Key, kv => FromTerms(kv.Value));
    }

    /// <summary>The generic polynomial of degree ≤ <paramref name="degree"/> in <paramref name="variables"/>: Σ u_m·m over
    /// all monomials m of total degree ≤ degree, each with its own unknown coefficient variable u_m numbered from
    /// <paramref name="firstUnknown"/> on (in the order of <c>Monomials</c>).</summary>
    public static (Polynomial Polynomial, ImmutableArray<int> Unknowns, ImmutableArray<Monomial> Monomials) Ansatz(
        IReadOnlyList<int> variables, int degree, int firstUnknown)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentOutOfRangeException.ThrowIfNegative(degree);
        var monomials = new List<Monomial> { Monomial.One };
        var frontier = new List<Monomial> { Monomial.One };
        for (int d = 1; d <= degree; d++)
        {
            var next = new HashSet<Monomial>();
            foreach (var m in frontier)
                foreach (var v in variables) next.Add(m.Multiply(Monomial.Variable(v)));
            frontier = [.. next.OrderByDescending(m => m)];
            monomials.AddRange(frontier);
        }
        if (monomials.Any(m => m.Factors.Any(f => f.Variable >= firstUnknown && f.Variable < firstUnknown + monomials.Count)))
            throw new ArgumentException("The unknowns' numbers overlap the ansatz variables.", nameof(firstUnknown));
        var unknowns = Enumerable.Range(firstUnknown, monomials.Count).ToImmutableArray();
        var p = FromTerms(monomials.Select((m, i) => (m.Multiply(Monomial.Variable(unknowns[i])), Rational.One)));
        return (p, unknowns, [.. monomials]);
    }

    /// <summary>The exact value at a rational point (every variable that occurs must have a value).</summary>
    /// <exception cref="KeyNotFoundException">A variable has no value.</exception>
    public Rational Evaluate(IReadOnlyDictionary<int, Rational> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sum = Rational.Zero;
        foreach (var (m, c) in Terms)
        {
            var t = c;
            foreach (var (v, e) in m.Factors) t *= values[v].Pow(e);
            sum += t;
        }
        return sum;
    }

    /// <summary>The value with some variables replaced by polynomials.</summary>
    public Polynomial Substitute(IReadOnlyDictionary<int, Polynomial> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sum = Zero;
        foreach (var (m, c) in Terms)
        {
            var t = Constant(c);
            foreach (var (v, e) in m.Factors)
                t *= values.TryGetValue(v, out var value) ? value.Pow(e) : Variable(v, e);
            sum += t;
        }
        return sum;
    }

    /// <inheritdoc/>
    public bool Equals(Polynomial? other) =>
        other is not null && _denominator == other._denominator && Big.Equals(other.Big);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Polynomial);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Big.GetHashCode(), _denominator);

    /// <summary>Terms, largest first: <c>3/2*x0^2*x1 - x2 + 1</c>.</summary>
    public override string ToString() => IsZero ? "0" : string.Join(" + ", Terms.Select(t => t.Monomial.IsOne ? t.Coefficient.ToString() : t.Coefficient + "*" + t.Monomial));
}

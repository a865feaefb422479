using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>The verdict of a <see cref="ZeroTest"/>.</summary>
public enum ZeroTestKind
{
    /// <summary>Exact symbolic reduction to 0 (canonical form, or the numerator over a common denominator expands to 0).</summary>
    Proven,
    /// <summary>Exact rational evaluation at random points was 0 every time; the Schwartz–Zippel bound is stated.</summary>
    ProbablyZero,
    /// <summary>Float evaluation at random points was 0 within tolerance relative to the size of the cancelling terms.</summary>
    NumericallyZero,
    /// <summary>A point where the value is not zero (the witness).</summary>
    NonZero,
    /// <summary>No method could decide (e.g. undefined functions that cannot be evaluated); the evidence says why.</summary>
    Inconclusive,
}

/// <summary>Options for <see cref="ZeroTest.Run"/>.</summary>
public sealed record ZeroTestOptions
{
    /// <summary>Defaults: seed 20211206, 4 exact points from integers in [−2²⁰, 2²⁰], 6 float points, relative tolerance 1e−9.</summary>
    public static ZeroTestOptions Default { get; } = new();

    /// <summary>Seed of the point generator (results are deterministic for a seed).</summary>
    public int Seed { get; init; } = 20211206;

    /// <summary>Whether to attempt a symbolic proof (common denominator + expansion) first.</summary>
    public bool TryProof { get; init; } = true;

    /// <summary>Term budget of any polynomial in the sparse expansion proof; beyond it the test moves on to evaluation.</summary>
    public int MaxProofTerms { get; init; } = 400_000;

    /// <summary>Work budget of the sparse expansion proof, in monomial products (the n = 128 core-derivation proof fits);
    /// beyond it the test moves on to evaluation.</summary>
    public long MaxProofWork { get; init; } = 20_000_000;

    /// <summary>The proof attempt is skipped for expressions with more nodes (counted as a tree) than this; the proof walks
    /// each distinct node once, so the n = 128 core derivation (1.9·10⁷ tree nodes) is attempted.</summary>
    public int MaxProofNodeCount { get; init; } = 100_000_000;

    /// <summary>Number of exact random points (k in the bound (d/|S|)^k).</summary>
    public int ExactPoints { get; init; } = 4;

    /// <summary>Sample set S = integers in [−SampleRadius, SampleRadius].</summary>
    public int SampleRadius { get; init; } = 1 << 20;

    /// <summary>Number of float points when exact evaluation cannot decide.</summary>
    public int NumericPoints { get; init; } = 6;

    /// <summary>|value| ≤ RelativeTolerance·scale counts as zero, where scale is the value of the expression with every
    /// sum replaced by the sum of absolute values (the size of what cancels).</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Declared domains of symbols (e.g. 0 ≤ β &lt; 1): exact and float sample points, and so a NonZero witness, lie
    /// inside them. Each domain gets its own injective image of the integer sample set (<see cref="SymbolDomain.Point(long, long)"/>),
    /// so the Schwartz–Zippel bound is the same. Empty by default (integers in [−R, R]).</summary>
    public IReadOnlyDictionary<Symbol, SymbolDomain> Domains { get; init; } = new Dictionary<Symbol, SymbolDomain>();
}

/// <summary>The outcome of a zero test, with its evidence. Never a bare bool.</summary>
/// <param name="Kind">The verdict.</param>
/// <param name="Evidence">Human-readable account of what was done and found.</param>
/// <param name="FailureProbabilityBound">For ProbablyZero: the Schwartz–Zippel bound (d/|S|)^k on a false "zero".</param>
/// <param name="DegreeBound">For ProbablyZero: the degree bound d used.</param>
/// <param name="MaxAbsValue">For NumericallyZero/NonZero (float): the largest |value| seen.</param>
/// <param name="Scale">For float evaluation: the cancellation scale at that point.</param>
/// <param name="Witness">For NonZero: symbol values at which the expression is not zero.</param>
/// <param name="WitnessValue">For NonZero: the value there.</param>
/// <param name="Options">The effective options.</param>
public sealed record ZeroTestResult(
    ZeroTestKind Kind,
    string Evidence,
    double? FailureProbabilityBound,
    int? DegreeBound,
    double? MaxAbsValue,
    double? Scale,
    IReadOnlyDictionary<Symbol, double>? Witness,
    double? WitnessValue,
    ZeroTestOptions Options)
{
    /// <summary>True for Proven, ProbablyZero and NumericallyZero.</summary>
    public bool IsZero => Kind is ZeroTestKind.Proven or ZeroTestKind.ProbablyZero or ZeroTestKind.NumericallyZero;

    /// <summary><c>Kind: evidence</c>.</summary>
    public override string ToString() => $"{Kind}: {Evidence}";
}

/// <summary>Decides whether an expression is identically zero, with evidence (cf. SymPy's verify_numerically, but
/// exact first).</summary>
/// <remarks>
/// Order: (1) canonical form is 0 → Proven; (2) numerator over a common denominator, expanded as a sparse polynomial in
/// the atoms (and reduced modulo r² = b for square-root radicals), is 0 within the term and work budgets → Proven; (3) exact rational evaluation at k random integer points, with sub-terms that are not rational
/// (transcendental calls, irrational powers, undefined functions) replaced by independent random values: all zero →
/// ProbablyZero with the Schwartz–Zippel bound (d/|S|)^k (an identity that holds with independent values holds for the
/// true values); a non-zero value without such replacements → NonZero with an exact witness; (4) otherwise double
/// evaluation at random points → NumericallyZero or NonZero; undefined functions make (4) impossible → Inconclusive.
/// </remarks>
public static class ZeroTest
{
    /// <summary>Runs the test.</summary>
    public static ZeroTestResult Run(Expr e, ZeroTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        options ??= ZeroTestOptions.Default;
        if (options.ExactPoints < 1 || options.NumericPoints < 1 || options.SampleRadius < 2 || !(options.RelativeTolerance >= 0))
            throw new ArgumentException("ZeroTestOptions: ExactPoints and NumericPoints must be ≥ 1, SampleRadius ≥ 2, RelativeTolerance ≥ 0.", nameof(options));

        if (e is Number { Value.IsZero: true })
            return Result(ZeroTestKind.Proven, "the canonical form is 0", options);
        if (e is Number n)
            return new ZeroTestResult(ZeroTestKind.NonZero, $"the canonical form is the non-zero constant {n}", null, null,
                Math.Abs(n.Value.ToDouble()), null, new Dictionary<Symbol, double>(), n.Value.ToDouble(), options);

        bool hasFloat = ContainsNode(e, x => x is Float);
        var symbols = e.FreeSymbols();
        var radicals = hasFloat ? null : Radicals.Find(e);
        string? proofNote = null;
        if (options.TryProof && !hasFloat && e.NodeCount <= options.MaxProofNodeCount)
        {
            var sparse = SparseProof.Run(e, radicals, options.MaxProofTerms, options.MaxProofWork);
            if (sparse.Zero)
            {
                string absNote = sparse.AbsAtoms == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"with each |u| of a real u an atom a with a² = u² ({sparse.AbsAtoms} abs atom{(sparse.AbsAtoms == 1 ? "" : "s")}), ");
                return Result(ZeroTestKind.Proven, radicals is null
                    ? (sparse.AbsAtoms == 0
                        ? "the numerator over a common denominator expands to 0 (sparse polynomial expansion)"
                        : absNote + "the numerator over a common denominator reduces to 0 modulo the relations (sparse polynomial expansion)")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{absNote}with each half-integer power b^(k/2) written as r^k, r² = b ({RadicalList(radicals)}), the numerator over a common denominator reduces to 0 modulo the relations (sparse polynomial expansion)"),
                    options);
            }
            if (sparse.Abandoned is { } why)
            {
                proofNote = "expansion proof abandoned: " + why;
            }
            else
                proofNote = string.Create(CultureInfo.InvariantCulture, $"the expanded numerator over a common denominator has {sparse.NumeratorTerms} terms, which does not decide when atoms are dependent");
        }

        var rng = new Random(options.Seed);
        string? exactNote = null;
        if (!hasFloat)
        {
            var exact = radicals is null ? ExactTest(e, symbols, options, rng) : RadicalExactTest(e, symbols, radicals, options, rng);
            if (exact.Result is { } r) return WithNote(r, proofNote);
            exactNote = exact.Note;
        }
        return WithNote(NumericTest(e, symbols, options, rng, exactNote), proofNote);
    }

    /// <summary>Prefixes why the expansion proof did not decide to the evidence of a zero verdict.</summary>
    private static ZeroTestResult WithNote(ZeroTestResult r, string? proofNote) =>
        proofNote is null || r.Kind == ZeroTestKind.NonZero ? r : r with { Evidence = proofNote + "; " + r.Evidence };

    private static ZeroTestResult Result(ZeroTestKind kind, string evidence, ZeroTestOptions options) =>
        new(kind, evidence, null, null, null, null, null, null, options);

    /// <summary>A random integer point in [−R, R] per symbol (positive symbols in [1, R + 1]): the Schwartz–Zippel sample set.</summary>
    private static Dictionary<Symbol, Rational> RandomIntegerPoint(ImmutableArray<Symbol> symbols, ZeroTestOptions options, Random rng)
    {
        var values = new Dictionary<Symbol, Rational>();
        foreach (var s in symbols)
        {
            int v = rng.Next(-options.SampleRadius, options.SampleRadius + 1);
            if (options.Domains.TryGetValue(s, out var domain))
            {
                values[s] = domain.Point(v + (long)options.SampleRadius, (2L * options.SampleRadius) + 1);
                continue;
            }
            if (s.Assumptions == SymbolAssumptions.Positive) v = Math.Abs(v) + 1;
            values[s] = v;
        }
        return values;
    }

    /// <summary>The size s of the Schwartz–Zippel sample set: every coordinate takes each of its values with probability at most
    /// 1/s, so a non-zero polynomial of degree d vanishes at a random point with probability at most d/s. Plain symbols (and
    /// symbols with a domain, an injective image) are uniform on the 2R + 1 integers in [−R, R]; a positive symbol takes
    /// |v| + 1, i.e. each of 2…R + 1 with probability 2/(2R + 1) (at most 1/R); a non-rational sub-term is uniform on the R
    /// integers in [1, R]. s is the smallest of these over the coordinates present.</summary>
    private static (long Size, string Description) SampleSet(ImmutableArray<Symbol> symbols, ZeroTestOptions options, bool opaque)
    {
        int r = options.SampleRadius;
        bool positive = symbols.Any(x => !options.Domains.ContainsKey(x) && x.Assumptions == SymbolAssumptions.Positive);
        long full = (2L * r) + 1;
        if (!positive && !opaque)
            return (full, string.Create(CultureInfo.InvariantCulture, $"coordinates from the {full} integers in [-{r}, {r}]"));
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"coordinates from the {full} integers in [-{r}, {r}]") };
        if (positive) parts.Add(string.Create(CultureInfo.InvariantCulture, $"positive symbols |v| + 1 in [1, {r + 1}]"));
        if (opaque) parts.Add(string.Create(CultureInfo.InvariantCulture, $"non-rational sub-terms from the {r} integers in [1, {r}]"));
        return (r, string.Join(", ", parts) + string.Create(CultureInfo.InvariantCulture, $" (each value drawn with probability ≤ 1/{r})"));
    }

    private static (ZeroTestResult? Result, string? Note) ExactTest(Expr e, ImmutableArray<Symbol> symbols, ZeroTestOptions options, Random rng)
    {
        int degree = DegreeBound.Of(e);
        int points = 0, retries = 0;
        int opaqueCount = 0;
        while (points < options.ExactPoints)
        {
            if (retries > 10 * options.ExactPoints)
                return (null, "exact evaluation kept hitting singular points");
            var values = RandomIntegerPoint(symbols, options, rng);
            var opaque = new Dictionary<Expr, Rational>();
            var ev = new ExactEvaluator(values, node =>
            {
                if (!opaque.TryGetValue(node, out var val))
                {
                    val = rng.Next(1, options.SampleRadius + 1);
                    opaque[node] = val;
                }
                return val;
            });
            var value = ev.Eval(e);
            if (value is null)
            {
                if (ev.DivisionByZero) { retries++; continue; }
                return (null, "exact evaluation failed: " + ev.FailureReason);
            }
            opaqueCount = Math.Max(opaqueCount, opaque.Count);
            if (!value.Value.IsZero)
            {
                if (opaque.Count == 0)
                {
                    var witness = values.ToDictionary(kv => kv.Key, kv => kv.Value.ToDouble());
                    return (new ZeroTestResult(ZeroTestKind.NonZero,
                        $"exact evaluation at {Describe(values)} gives {Short(value.Value)}", null, null,
                        Math.Abs(value.Value.ToDouble()), null, witness, value.Value.ToDouble(), options), null);
                }
                return (null, $"with {opaque.Count} non-rational sub-terms treated as independent the value is non-zero, which does not decide");
            }
            points++;
        }
        var (setSize, sample) = SampleSet(symbols, options, opaqueCount > 0);
        double perPoint = Math.Min(1.0, degree / (double)setSize);
        double bound = Math.Pow(perPoint, options.ExactPoints);
        string atoms = opaqueCount > 0
            ? string.Create(CultureInfo.InvariantCulture, $", with {opaqueCount} non-rational sub-terms (transcendental calls, irrational powers, undefined functions) treated as independent variables")
            : "";
        return (new ZeroTestResult(ZeroTestKind.ProbablyZero,
            string.Create(CultureInfo.InvariantCulture,
                $"exact rational evaluation at {options.ExactPoints} random points with {sample} gave 0{atoms}; numerator degree ≤ {degree}, so P(false zero) ≤ ({degree}/{setSize})^{options.ExactPoints} = {bound:G3} (Schwartz–Zippel)"),
            bound, degree, null, null, null, null, options), null);
    }

    private static string RadicalList(Radicals radicals)
    {
        var names = radicals.Bases.Select(b => { var t = b.ToString(); return "√(" + (t.Length <= 40 ? t : t[..37] + "…") + ")"; });
        return radicals.Count == 1 ? "1 radical " + names.First() : radicals.Count + " radicals " + string.Join(", ", names);
    }

    /// <summary>Exact evaluation in Q[r₁…r_m]/(rᵢ² − bᵢ(point)) at random integer points: all components 0 at every point →
    /// ProbablyZero. A non-zero value does not decide (the radicals may be dependent), so the float test follows.</summary>
    private static (ZeroTestResult? Result, string? Note) RadicalExactTest(Expr e, ImmutableArray<Symbol> symbols, Radicals radicals, ZeroTestOptions options, Random rng)
    {
        // Degree bound: r^k counts as b^((|k|+1)/2); rationalising each radical at most doubles the degree of the numerator.
        var integerForm = radicals.ToIntegerPowers(e);
        long degree = Math.Min(int.MaxValue / 2, (long)DegreeBound.Of(integerForm) + DegreeBound.DenominatorOf(integerForm)) << radicals.Count;
        degree = Math.Min(degree, int.MaxValue);
        int points = 0, retries = 0, opaqueCount = 0;
        while (points < options.ExactPoints)
        {
            if (retries > 10 * options.ExactPoints)
                return (null, "exact evaluation with radicals kept hitting singular points");
            var values = RandomIntegerPoint(symbols, options, rng);
            var opaque = new Dictionary<Expr, Rational>();
            var ev = new RadicalEvaluator(values, radicals, node =>
            {
                if (!opaque.TryGetValue(node, out var val))
                {
                    val = rng.Next(1, options.SampleRadius + 1);
                    opaque[node] = val;
                }
                return val;
            });
            var value = ev.Ready ? ev.Eval(e) : null;
            if (value is null)
            {
                if (ev.DivisionByZero) { retries++; continue; }
                return (null, "exact evaluation with radicals failed: " + ev.FailureReason);
            }
            opaqueCount = Math.Max(opaqueCount, opaque.Count);
            if (!RadicalEvaluator.IsZero(value))
                return (null, $"exact evaluation with {RadicalList(radicals)} reduced modulo r² = b is non-zero, which does not decide (radicals may be dependent)");
            points++;
        }
        var (setSize, sample) = SampleSet(symbols, options, opaqueCount > 0);
        double perPoint = Math.Min(1.0, degree / (double)setSize);
        double bound = Math.Pow(perPoint, options.ExactPoints);
        string atoms = opaqueCount > 0
            ? string.Create(CultureInfo.InvariantCulture, $", with {opaqueCount} other non-rational sub-terms treated as independent variables")
            : "";
        return (new ZeroTestResult(ZeroTestKind.ProbablyZero,
            string.Create(CultureInfo.InvariantCulture,
                $"exact evaluation in Q[r]/(r² − b) for {RadicalList(radicals)} at {options.ExactPoints} random points with {sample} gave 0 in every component{atoms}; degree ≤ {degree}, so P(false zero) ≤ ({degree}/{setSize})^{options.ExactPoints} = {bound:G3} (Schwartz–Zippel)"),
            bound, (int)degree, null, null, null, null, options), null);
    }

    private static ZeroTestResult NumericTest(Expr e, ImmutableArray<Symbol> symbols, ZeroTestOptions options, Random rng, string? exactNote)
    {
        string prefix = exactNote is null ? "" : exactNote + "; ";
        if (ContainsNode(e, x => x is Apply))
            return Result(ZeroTestKind.Inconclusive,
                prefix + "the expression contains undefined functions, which cannot be evaluated numerically; substitute concrete functions or expand the identity",
                options);
        double maxAbs = 0, maxScale = 0;
        int used = 0;
        for (int attempt = 0; used < options.NumericPoints && attempt < 20 * options.NumericPoints; attempt++)
        {
            var values = new Dictionary<Symbol, double>();
            bool positiveOnly = attempt >= options.NumericPoints; // fall back to positive points if the domain bites
            foreach (var s in symbols)
            {
                double v = 0.2 + 1.6 * rng.NextDouble();
                if (options.Domains.TryGetValue(s, out var domain)) v = domain.Point(rng.NextDouble());
                else if (!positiveOnly && s.Assumptions != SymbolAssumptions.Positive && rng.Next(2) == 0) v = -v;
                values[s] = v;
            }
            double value = e.Evaluate(values);
            double scale = ScaleEvaluator.Scale(e, values);
            if (!double.IsFinite(value) || !double.IsFinite(scale)) continue;
            used++;
            if (Math.Abs(value) > options.RelativeTolerance * scale)
                return new ZeroTestResult(ZeroTestKind.NonZero,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{prefix}float evaluation at {Describe(values)} gives {value:G6}, beyond {options.RelativeTolerance:G2} × scale {scale:G3}"),
                    null, null, Math.Abs(value), scale, values, value, options);
            maxAbs = Math.Max(maxAbs, Math.Abs(value));
            maxScale = Math.Max(maxScale, scale);
        }
        if (used == 0)
            return Result(ZeroTestKind.Inconclusive, prefix + "float evaluation gave no finite value at any sampled point", options);
        return new ZeroTestResult(ZeroTestKind.NumericallyZero,
            string.Create(CultureInfo.InvariantCulture,
                $"{prefix}float evaluation at {used} random points: max |value| = {maxAbs:G3} ≤ {options.RelativeTolerance:G2} × scale (max scale {maxScale:G3})"),
            null, null, maxAbs, maxScale, null, null, options);
    }

    private static bool ContainsNode(Expr e, Func<Expr, bool> predicate) => e.Nodes().Any(predicate);

    private static string Describe<T>(Dictionary<Symbol, T> values) where T : IFormattable =>
        values.Count == 0 ? "(no symbols)"
            : string.Join(", ", values.OrderBy(kv => kv.Key, CanonicalOrder.Comparer).Take(8)
                .Select(kv => kv.Key.DisplayName + "=" + kv.Value.ToString(null, CultureInfo.InvariantCulture)))
              + (values.Count > 8 ? ", …" : "");

    private static string Describe(Dictionary<Symbol, Rational> values) =>
        values.Count == 0 ? "(no symbols)"
            : string.Join(", ", values.OrderBy(kv => kv.Key, CanonicalOrder.Comparer).Take(8).Select(kv => kv.Key.DisplayName + "=" + kv.Value))
              + (values.Count > 8 ? ", …" : "");

    private static string Short(Rational r)
    {
        var s = r.ToString();
        return s.Length <= 60 ? s : r.ToDouble().ToString("G6", CultureInfo.InvariantCulture) + " (exact value has " + s.Length + " characters)";
    }

    /// <summary>Total-degree bound for the numerator of the rational-function form, treating non-polynomial sub-terms
    /// as fresh variables of degree 1.</summary>
    private static class DegreeBound
    {
        public static int Of(Expr e)
        {
            var memo = new Dictionary<Expr, (long Num, Dictionary<Expr, long> Den)>();
            var (num, _) = D(e, memo); // the numerator degree already includes the cross-multiplied denominators
            return (int)Math.Clamp(num, 1, int.MaxValue);
        }

        /// <summary>Total-degree bound of the common denominator.</summary>
        public static int DenominatorOf(Expr e)
        {
            var memo = new Dictionary<Expr, (long Num, Dictionary<Expr, long> Den)>();
            var (_, den) = D(e, memo);
            return (int)Math.Clamp(den.Values.Sum(), 0, int.MaxValue);
        }

        // Returns (numerator degree, denominator as base → (exponent·deg(base))) with LCM over structurally equal bases.
        private static (long, Dictionary<Expr, long>) D(Expr e, Dictionary<Expr, (long, Dictionary<Expr, long>)> memo)
        {
            if (memo.TryGetValue(e, out var cached)) return cached;
            (long, Dictionary<Expr, long>) r;
            switch (e)
            {
                case Number or Float: r = (0, []); break;
                case Symbol or Call or Apply: r = (1, []); break;
                case Power { Exponent: Number { Value: { IsInteger: true } k } } p when BigInteger.Abs(k.Numerator) < 1_000_000:
                {
                    var (nb, db) = D(p.Base, memo);
                    long m = (long)BigInteger.Abs(k.Numerator);
                    if (k.Sign > 0) r = (nb * m, db.ToDictionary(kv => kv.Key, kv => kv.Value * m));
                    else r = (db.Values.Sum() * m, new() { [p.Base] = nb * m });
                    break;
                }
                case Power p:
                    r = Canonical.LooksNegative(p.Exponent) ? (0, new() { [p] = 1 }) : (1, []);
                    break;
                case Product p:
                {
                    long num = 0;
                    var den = new Dictionary<Expr, long>();
                    foreach (var f in p.Factors)
                    {
                        var (nf, df) = D(f, memo);
                        num += nf;
                        foreach (var kv in df) den[kv.Key] = den.GetValueOrDefault(kv.Key) + kv.Value;
                    }
                    r = (num, den);
                    break;
                }
                case Sum s:
                {
                    var parts = s.Terms.Select(t => D(t, memo)).ToList();
                    var lcm = new Dictionary<Expr, long>();
                    foreach (var (_, d) in parts)
                        foreach (var kv in d)
                            lcm[kv.Key] = Math.Max(lcm.GetValueOrDefault(kv.Key), kv.Value);
                    long lcmDeg = lcm.Values.Sum();
                    long num = lcmDeg; // the constant term times the full denominator
                    foreach (var (n, d) in parts) num = Math.Max(num, n + lcmDeg - d.Values.Sum());
                    r = (num, lcm);
                    break;
                }
                default:
                    throw new System.Diagnostics.UnreachableException($"{nameof(DegreeBound)}: unhandled node {e.GetType().Name}");
            }
            memo[e] = r;
            return r;
        }
    }
}

/// <summary>Evaluates the "size" of an expression: every sum becomes the sum of the absolute values of its terms, so
/// the result measures the magnitude of what cancels (used as the scale of float zero tests).</summary>
internal static class ScaleEvaluator
{
    public static double Scale(Expr e, IReadOnlyDictionary<Symbol, double> values)
    {
        var memo = new Dictionary<Expr, double>();
        return S(e);

        double S(Expr x)
        {
            if (memo.TryGetValue(x, out var c)) return c;
            double r = x switch
            {
                Number n => Math.Abs(n.Value.ToDouble()),
                Float f => Math.Abs(f.Value),
                Symbol s => Math.Abs(values[s]),
                Sum s => Math.Abs(s.Constant.ToDouble()) + s.Terms.Sum(S),
                Product p => p.Factors.Aggregate(Math.Abs(p.Coefficient.ToDouble()), (acc, f) => acc * S(f)),
                _ => Math.Abs(x.Evaluate(values)),
            };
            memo[x] = r;
            return r;
        }
    }
}

using System.Collections.Immutable;
using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>
/// The canonicalising constructors behind the public <c>Expr.*</c> factories. Each runs in time linear (plus a sort)
/// in the size of its arguments and never simplifies beyond the documented rules.
/// </summary>
internal static class Canonical
{
    /// <summary>Integer exponents above this stay symbolic (2^100000 is not worth materialising).</summary>
    private const int MaxExactIntegerExponent = 4096;

    public static readonly Number ZeroNode = new(Rational.Zero);
    public static readonly Number OneNode = new(Rational.One);
    public static readonly Number MinusOneNode = new(Rational.MinusOne);
    public static readonly Number HalfNode = new(new Rational(1, 2));

    public static Expr Num(Rational r) => r.IsZero ? ZeroNode : r.IsOne ? OneNode : r == Rational.MinusOne ? MinusOneNode : new Number(r);

    // ---------------------------------------------------------------- sums

    public static Expr Add(Rational constant, IEnumerable<Expr> args)
    {
        var acc = new SumAccumulator { Constant = constant };
        foreach (var a in args) acc.Add(a, Rational.One);
        return acc.Build();
    }

    public static Expr Add(ReadOnlySpan<Expr> args)
    {
        if (args.Length == 2)
        {
            if (args[0] is Number n0 && n0.Value.IsZero) return args[1];
            if (args[1] is Number n1 && n1.Value.IsZero) return args[0];
        }
        if (args.Length == 1) return args[0];
        var acc = new SumAccumulator();
        foreach (var a in args) acc.Add(a, Rational.One);
        return acc.Build();
    }

    /// <summary>Collects c + Σ kᵢ·tᵢ with like terms merged; build sorts once.</summary>
    internal sealed class SumAccumulator
    {
        private readonly Dictionary<Expr, Rational> _terms = [];
        private readonly List<Expr> _order = [];
        private double? _float;

        public Rational Constant { get; set; }

        public void Add(Expr e, Rational scale)
        {
            ArgumentNullException.ThrowIfNull(e);
            switch (e)
            {
                case Number n: Constant += scale * n.Value; break;
                case Float f: _float = (_float ?? 0) + scale.ToDouble() * f.Value; break;
                case Sum s:
                    Constant += scale * s.Constant;
                    foreach (var t in s.Terms) AddTerm(t, scale);
                    break;
                default: AddTerm(e, scale); break;
            }
        }

        private void AddTerm(Expr t, Rational scale)
        {
            var (c, rest) = SplitCoefficient(t);
            if (rest is Float f) { _float = (_float ?? 0) + (scale * c).ToDouble() * f.Value; return; }
            if (_terms.TryGetValue(rest, out var old)) _terms[rest] = old + scale * c;
            else { _terms.Add(rest, scale * c); _order.Add(rest); }
        }

        public Expr Build()
        {
            var list = new List<Expr>(_order.Count);
            foreach (var rest in _order)
                if (!_terms[rest].IsZero) list.Add(rest);
            list.Sort(CanonicalOrder.Comparer);
            var constant = Constant;
            var terms = ImmutableArray.CreateBuilder<Expr>(list.Count + 1);
            foreach (var rest in list) terms.Add(Scale(_terms[rest], rest));
            if (_float is { } fl)
            {
                terms.Insert(0, new Float(fl + constant.ToDouble()));
                constant = Rational.Zero;
            }
            if (terms.Count == 0) return Num(constant);
            if (terms.Count == 1 && constant.IsZero) return terms[0];
            return new Sum(constant, terms.ToImmutable());
        }
    }

    /// <summary>Splits c·rest with rational c (rest has coefficient 1).</summary>
    public static (Rational Coefficient, Expr Term) SplitCoefficient(Expr t)
    {
        if (t is Product p && !p.Coefficient.IsOne)
            return (p.Coefficient, p.Factors.Length == 1 ? p.Factors[0] : new Product(Rational.One, p.Factors));
        return (Rational.One, t);
    }

    /// <summary>c·rest for a canonical rest that is not a number or sum with coefficient 1.</summary>
    private static Expr Scale(Rational c, Expr rest)
    {
        if (c.IsOne) return rest;
        if (rest is Product p) return MakeProduct(c, p.Factors);
        return new Product(c, [rest]);
    }

    /// <summary>c·Π factors for canonical factors; a float factor absorbs the coefficient, so products with a float always
    /// have coefficient 1. The float is not always first: a power of a number, such as (17/4)^(1/2), sorts before it.</summary>
    private static Expr MakeProduct(Rational c, ImmutableArray<Expr> factors)
    {
        int fi = c.IsOne ? -1 : factors.IndexOf(factors.FirstOrDefault(x => x is Float)!);
        if (fi >= 0 && factors[fi] is Float f)
            return factors.Length == 1 ? new Float(c.ToDouble() * f.Value) : new Product(Rational.One, factors.SetItem(fi, new Float(c.ToDouble() * f.Value)));
        if (factors.Length == 1 && c.IsOne) return factors[0];
        return new Product(c, factors);
    }

    // ---------------------------------------------------------------- products

    public static Expr Multiply(Rational coefficient, IEnumerable<Expr> args)
    {
        var acc = new ProductAccumulator { Coefficient = coefficient };
        foreach (var a in args)
            if (!acc.Add(a)) return ZeroNode;
        return acc.Coefficient.IsZero ? ZeroNode : acc.Build();
    }

    public static Expr Multiply(ReadOnlySpan<Expr> args)
    {
        if (args.Length == 1) return args[0];
        if (args.Length == 2)
        {
            if (args[0] is Number n0) return n0.Value.IsOne ? args[1] : ScaleExpr(n0.Value, args[1]);
            if (args[1] is Number n1) return n1.Value.IsOne ? args[0] : ScaleExpr(n1.Value, args[0]);
        }
        var acc = new ProductAccumulator { Coefficient = Rational.One };
        foreach (var a in args)
            if (!acc.Add(a)) return ZeroNode;
        return acc.Coefficient.IsZero ? ZeroNode : acc.Build();
    }

    /// <summary>c·e, distributing over a sum (as SymPy does for numbers) so that c(x+y) − cx = cy on construction.</summary>
    public static Expr ScaleExpr(Rational c, Expr e)
    {
        if (c.IsZero) return ZeroNode;
        if (c.IsOne) return e;
        switch (e)
        {
            case Number n: return Num(c * n.Value);
            case Float f: return new Float(c.ToDouble() * f.Value);
            case Product p:
                return MakeProduct(c * p.Coefficient, p.Factors);
            case Sum s:
            {
                var b = ImmutableArray.CreateBuilder<Expr>(s.Terms.Length);
                foreach (var t in s.Terms) b.Add(ScaleExpr(c, t));
                // Scaling by a non-zero constant keeps the terms unlike and sorted (the order ignores coefficients).
                return new Sum(c * s.Constant, b.MoveToImmutable());
            }
            default:
                return new Product(c, [e]);
        }
    }

    internal sealed class ProductAccumulator
    {
        private readonly Dictionary<Expr, Expr> _exponents = [];
        private readonly List<Expr> _order = [];
        private List<Expr>? _expArguments;
        private double? _float;

        public Rational Coefficient { get; set; }

        /// <summary>Adds a factor; false when it is exactly zero.</summary>
        public bool Add(Expr e)
        {
            ArgumentNullException.ThrowIfNull(e);
            switch (e)
            {
                case Number n:
                    if (n.Value.IsZero) return false;
                    Coefficient *= n.Value;
                    return true;
                case Float f: _float = (_float ?? 1) * f.Value; return true;
                case Product p:
                    Coefficient *= p.Coefficient;
                    foreach (var f in p.Factors) AddFactor(f);
                    return true;
                default: AddFactor(e); return true;
            }
        }

        private void AddFactor(Expr f)
        {
            if (f is Call { Kind: FunctionKind.Exp } exp)
            {
                // exp a · exp b = exp(a + b): one exponential per product, so e^{t/τ}·e^{−t/τ} = 1 on construction.
                (_expArguments ??= []).Add(exp.Argument);
                return;
            }
            var (b, x) = f is Power pw ? (pw.Base, pw.Exponent) : (f, (Expr)OneNode);
            if (_exponents.TryGetValue(b, out var old)) _exponents[b] = Canonical.Add([old, x]);
            else { _exponents.Add(b, x); _order.Add(b); }
        }

        public Expr Build()
        {
            if (_expArguments is { } expArgs)
            {
                var merged = expArgs.Count == 1 ? Call(FunctionKind.Exp, expArgs[0]) : Call(FunctionKind.Exp, Canonical.Add(Rational.Zero, expArgs));
                _expArguments = null;
                if (merged is Call { Kind: FunctionKind.Exp } single)
                {
                    if (_exponents.TryGetValue(single, out var old)) _exponents[single] = Canonical.Add([old, OneNode]);
                    else { _exponents.Add(single, OneNode); _order.Add(single); }
                }
                else if (!Add(merged)) return ZeroNode;
            }
            var factors = new List<Expr>(_order.Count);
            var coefficient = Coefficient;
            bool remerge = false;
            foreach (var b in _order)
            {
                var x = _exponents[b];
                var r = x is Number xn && xn.Value.IsOne ? b : Pow(b, x);
                switch (r)
                {
                    case Number n:
                        if (n.Value.IsZero) return ZeroNode;
                        coefficient *= n.Value;
                        break;
                    case Product p:
                        coefficient *= p.Coefficient;
                        factors.AddRange(p.Factors);
                        remerge = true;
                        break;
                    case Float fl:
                        _float = (_float ?? 1) * fl.Value;
                        break;
                    default:
                        factors.Add(r);
                        break;
                }
            }
            if (remerge && HasDuplicateBases(factors))
            {
                if (_float is { } fv) factors.Add(new Float(fv));
                return Multiply(coefficient, factors);
            }
            if (_float is { } fval)
            {
                factors.Add(new Float(fval * coefficient.ToDouble()));
                coefficient = Rational.One;
            }
            if (factors.Count == 0) return Num(coefficient);
            factors.Sort(CanonicalOrder.Comparer);
            if (factors.Count == 1)
                return coefficient.IsOne ? factors[0] : ScaleExpr(coefficient, factors[0]);
            return new Product(coefficient, [.. factors]);
        }

        private static bool HasDuplicateBases(List<Expr> factors)
        {
            var seen = new HashSet<Expr>();
            foreach (var f in factors)
                if (!seen.Add(f is Power p ? p.Base : f)) return true;
            return false;
        }
    }

    // ---------------------------------------------------------------- powers

    public static Expr Pow(Expr b, Expr e)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(e);
        if (e is Number en)
        {
            var x = en.Value;
            if (x.IsZero) return OneNode;
            if (x.IsOne) return b;
            switch (b)
            {
                case Number bn: return NumericPow(bn.Value, x);
                case Float bf: return new Float(Math.Pow(bf.Value, x.ToDouble()));
                case Power p when x.IsInteger || IsPositive(p.Base):
                    return Pow(p.Base, Multiply([p.Exponent, e]));
                case Product p when x.IsInteger:
                    return DistributePower(p, e);
                case Product p when p.Coefficient.Sign > 0 && p.Factors.All(IsPositive):
                    return DistributePower(p, e);
                case Call { Kind: FunctionKind.Exp } c when x.IsInteger:
                    return Call(FunctionKind.Exp, Multiply([e, c.Argument]));
            }
            return new Power(b, e);
        }
        if (b is Number bn1 && (bn1.Value.IsOne)) return OneNode;
        if (e is Float ef && b is Float bf2) return new Float(Math.Pow(bf2.Value, ef.Value));
        if (b is Power p2 && IsPositive(p2.Base)) return Pow(p2.Base, Multiply([p2.Exponent, e]));
        return new Power(b, e);
    }

    private static Expr DistributePower(Product p, Expr e)
    {
        var parts = new List<Expr>(p.Factors.Length + 1) { Pow(Num(p.Coefficient), e) };
        foreach (var f in p.Factors) parts.Add(Pow(f, e));
        return Multiply(Rational.One, parts);
    }

    private static Expr NumericPow(Rational b, Rational x)
    {
        if (b.IsZero)
        {
            if (x.Sign < 0) throw new DivideByZeroException($"0 raised to the negative power {x} is undefined.");
            return ZeroNode;
        }
        if (b.IsOne) return OneNode;
        if (x.IsInteger)
        {
            if (BigInteger.Abs(x.Numerator) <= MaxExactIntegerExponent) return Num(b.Pow((int)x.Numerator));
            return new Power(Num(b), Num(x));
        }
        // b^(k + f) = b^k · b^f with k = ⌊x⌋, 0 < f < 1 (valid on the principal branch for any b ≠ 0).
        var k = x.Floor();
        var frac = x - k;
        if (!k.IsZero)
        {
            if (BigInteger.Abs(k) > MaxExactIntegerExponent) return new Power(Num(b), Num(x));
            var integerPart = b.Pow((int)k);
            var rest = NumericPow(b, frac);
            return ScaleExpr(integerPart, rest);
        }
        if (b.Sign > 0 && frac.Denominator <= 64 && b.TryRoot((int)frac.Denominator, out var root))
            return Num(root.Pow((int)frac.Numerator));
        return new Power(Num(b), Num(frac));
    }

    // ---------------------------------------------------------------- functions

    public static Expr Call(FunctionKind kind, Expr arg)
    {
        ArgumentNullException.ThrowIfNull(arg);
        var info = FunctionTable.Get(kind);
        switch (arg)
        {
            case Number n when info.ExactValue(n.Value) is { } exact: return exact;
            case Float f: return new Float(info.Numeric(f.Value));
        }
        if (info.Parity != Parity.None && LooksNegative(arg))
        {
            var flipped = Call(kind, ScaleExpr(Rational.MinusOne, arg));
            return info.Parity == Parity.Odd ? ScaleExpr(Rational.MinusOne, flipped) : flipped;
        }
        if (kind == FunctionKind.Exp && arg is Call { Kind: FunctionKind.Log } log) return log.Argument;
        if (kind == FunctionKind.Abs)
        {
            if (IsPositive(arg)) return arg;
            if (arg is Call { Kind: FunctionKind.Abs }) return arg;
        }
        return new Call(kind, arg);
    }

    /// <summary>A number &lt; 0 or a product with negative coefficient (sign can be pulled out canonically).</summary>
    public static bool LooksNegative(Expr e) => e switch
    {
        Number n => n.Value.Sign < 0,
        Float f => f.Value < 0,
        Product p => p.Coefficient.Sign < 0,
        _ => false,
    };

    public static Expr Apply(string name, ImmutableArray<Expr> args, ImmutableArray<int> orders)
    {
        Names.ValidateFunctionName(name);
        if (orders.IsDefault) orders = ImmutableArray.CreateRange(Enumerable.Repeat(0, args.Length));
        if (orders.Length != args.Length)
            throw new ArgumentException($"Apply '{name}': {orders.Length} derivative orders for {args.Length} arguments; give one order per argument.", nameof(orders));
        foreach (var o in orders)
            if (o < 0) throw new ArgumentOutOfRangeException(nameof(orders), o, $"Apply '{name}': derivative orders must be ≥ 0.");
        foreach (var a in args) ArgumentNullException.ThrowIfNull(a);
        return new Apply(name, args, orders);
    }

    // ---------------------------------------------------------------- facts

    /// <summary>Conservatively decides x &gt; 0 (true only when certain).</summary>
    public static bool IsPositive(Expr e) => e switch
    {
        Number n => n.Value.Sign > 0,
        Float f => f.Value > 0,
        Symbol s => s.Assumptions == SymbolAssumptions.Positive,
        Call { Kind: FunctionKind.Exp } c => IsReal(c.Argument),
        Call { Kind: FunctionKind.Cosh } c => IsReal(c.Argument),
        Power p => IsPositive(p.Base) && IsReal(p.Exponent),
        Product p => p.Coefficient.Sign > 0 && p.Factors.All(IsPositive),
        Sum s => s.Constant.Sign >= 0 && s.Terms.All(IsPositive),
        _ => false,
    };

    /// <summary>Conservatively decides that x is real.</summary>
    public static bool IsReal(Expr e) => e switch
    {
        Number or Float => true,
        Symbol s => s.Assumptions != SymbolAssumptions.None,
        Call { Kind: FunctionKind.Log } c => IsPositive(c.Argument),
        Call c => IsReal(c.Argument),
        Power p => IsPositive(p.Base) && IsReal(p.Exponent) || IsReal(p.Base) && p.Exponent is Number { Value.IsInteger: true },
        Product p => p.Factors.All(IsReal),
        Sum s => s.Terms.All(IsReal),
        _ => false,
    };
}

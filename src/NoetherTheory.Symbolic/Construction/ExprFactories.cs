using System.Collections.Immutable;
using System.Numerics;

namespace NoetherTheory.Symbolic;

public abstract partial record Expr
{
    /// <summary>The number 0.</summary>
    public static Expr Zero => Canonical.ZeroNode;

    /// <summary>The number 1.</summary>
    public static Expr One => Canonical.OneNode;

    /// <summary>The number −1.</summary>
    public static Expr MinusOne => Canonical.MinusOneNode;

    /// <summary>The number 1/2.</summary>
    public static Expr Half => Canonical.HalfNode;

    /// <summary>An exact integer.</summary>
    public static Expr Number(int value) => Canonical.Num(value);

    /// <summary>An exact integer.</summary>
    public static Expr Number(long value) => Canonical.Num(value);

    /// <summary>An exact integer.</summary>
    public static Expr Number(BigInteger value) => Canonical.Num(value);

    /// <summary>An exact rational.</summary>
    public static Expr Number(Rational value) => Canonical.Num(value);

    /// <summary>An exact rational n/d.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="denominator"/> is 0.</exception>
    public static Expr Number(long numerator, long denominator) => Canonical.Num(new Rational(numerator, denominator));

    /// <summary>An explicitly inexact constant. Use exact numbers wherever the value is known exactly.</summary>
    public static Expr Float(double value) => new Float(value);

    /// <summary>A symbol <c>name</c> or <c>name[index]</c>; real-valued unless told otherwise.</summary>
    /// <exception cref="ArgumentException">The name is not an identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public static Symbol Symbol(string name, int? index = null, SymbolAssumptions assumptions = SymbolAssumptions.Real)
    {
        Names.ValidateSymbolName(name);
        if (index is < 0) throw new ArgumentOutOfRangeException(nameof(index), index, $"Symbol '{name}': the index must be ≥ 0.");
        return new Symbol(name, index, assumptions);
    }

    /// <summary>A family <c>name[0] … name[count−1]</c>.</summary>
    public static ImmutableArray<Symbol> Symbols(string name, int count, SymbolAssumptions assumptions = SymbolAssumptions.Real)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var b = ImmutableArray.CreateBuilder<Symbol>(count);
        for (int i = 0; i < count; i++) b.Add(Symbol(name, i, assumptions));
        return b.MoveToImmutable();
    }

    /// <summary>Canonical sum of the arguments.</summary>
    public static Expr Add(params ReadOnlySpan<Expr> terms) => Canonical.Add(terms);

    /// <summary>Canonical sum of the arguments.</summary>
    public static Expr Add(IEnumerable<Expr> terms) => Canonical.Add(Rational.Zero, terms);

    /// <summary>Canonical product of the arguments.</summary>
    public static Expr Multiply(params ReadOnlySpan<Expr> factors) => Canonical.Multiply(factors);

    /// <summary>Canonical product of the arguments.</summary>
    public static Expr Multiply(IEnumerable<Expr> factors) => Canonical.Multiply(Rational.One, factors);

    /// <summary>a − b.</summary>
    public static Expr Subtract(Expr a, Expr b) => Canonical.Add([a, Canonical.ScaleExpr(Rational.MinusOne, b)]);

    /// <summary>−a.</summary>
    public static Expr Negate(Expr a) => Canonical.ScaleExpr(Rational.MinusOne, a);

    /// <summary>a / b = a·b⁻¹.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is the number 0.</exception>
    public static Expr Divide(Expr a, Expr b) => Canonical.Multiply([a, Canonical.Pow(b, MinusOne)]);

    /// <summary>Canonical power b^e (exact where rational: 4^(1/2) = 2; 2^(1/2) stays).</summary>
    /// <exception cref="DivideByZeroException">0 raised to a negative number.</exception>
    public static Expr Pow(Expr @base, Expr exponent) => Canonical.Pow(@base, exponent);

    /// <summary>b^n.</summary>
    public static Expr Pow(Expr @base, int exponent) => Canonical.Pow(@base, Canonical.Num(exponent));

    /// <summary>√x = x^(1/2).</summary>
    public static Expr Sqrt(Expr x) => Canonical.Pow(x, Half);

    /// <summary>An elementary function of one argument.</summary>
    public static Expr Call(FunctionKind kind, Expr argument) => Canonical.Call(kind, argument);

    /// <summary>eˣ.</summary>
    public static Expr Exp(Expr x) => Canonical.Call(FunctionKind.Exp, x);

    /// <summary>ln x.</summary>
    public static Expr Log(Expr x) => Canonical.Call(FunctionKind.Log, x);

    /// <summary>sin x.</summary>
    public static Expr Sin(Expr x) => Canonical.Call(FunctionKind.Sin, x);

    /// <summary>cos x.</summary>
    public static Expr Cos(Expr x) => Canonical.Call(FunctionKind.Cos, x);

    /// <summary>tan x.</summary>
    public static Expr Tan(Expr x) => Canonical.Call(FunctionKind.Tan, x);

    /// <summary>tanh x.</summary>
    public static Expr Tanh(Expr x) => Canonical.Call(FunctionKind.Tanh, x);

    /// <summary>sinh x.</summary>
    public static Expr Sinh(Expr x) => Canonical.Call(FunctionKind.Sinh, x);

    /// <summary>cosh x.</summary>
    public static Expr Cosh(Expr x) => Canonical.Call(FunctionKind.Cosh, x);

    /// <summary>|x|.</summary>
    public static Expr Abs(Expr x) => Canonical.Call(FunctionKind.Abs, x);

    /// <summary>An undefined function <c>name(args…)</c>, not differentiated.</summary>
    /// <exception cref="ArgumentException">The name is not an identifier or is a built-in name.</exception>
    public static Expr Apply(string name, params ReadOnlySpan<Expr> arguments) => Canonical.Apply(name, [.. arguments], default);

    /// <summary>An undefined function <c>name(args…)</c>, not differentiated.</summary>
    public static Expr Apply(string name, IEnumerable<Expr> arguments) => Canonical.Apply(name, [.. arguments], default);

    /// <summary>∂^|k| name / ∂arg^k evaluated at the arguments (one order per argument).</summary>
    public static Expr Apply(string name, ImmutableArray<Expr> arguments, ImmutableArray<int> derivativeOrders) =>
        Canonical.Apply(name, arguments, derivativeOrders);

#pragma warning disable CS1591 // operators are self-describing
    public static implicit operator Expr(int value) => Canonical.Num(value);
    public static implicit operator Expr(Rational value) => Canonical.Num(value);
    public static Expr operator +(Expr a, Expr b) => Canonical.Add([a, b]);
    public static Expr operator -(Expr a, Expr b) => Subtract(a, b);
    public static Expr operator *(Expr a, Expr b) => Canonical.Multiply([a, b]);
    public static Expr operator /(Expr a, Expr b) => Divide(a, b);
    public static Expr operator -(Expr a) => Negate(a);
#pragma warning restore CS1591
}

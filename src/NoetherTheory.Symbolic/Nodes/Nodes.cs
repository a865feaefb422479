using System.Collections.Immutable;
using System.Globalization;

namespace NoetherTheory.Symbolic;

/// <summary>An exact rational constant.</summary>
public sealed record Number : Expr
{
    internal Number(Rational value) : base(HashCode.Combine(1, value), 0) => Value = value;

    /// <summary>The exact value.</summary>
    public Rational Value { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => [];

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) => this;

    private protected override int NodeCountCache => 1;

    /// <summary>Structural equality.</summary>
    public bool Equals(Number? other) => other is not null && Value == other.Value;

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>An explicitly inexact floating-point constant (created only by <see cref="Expr.Float(double)"/> or
/// <c>float(…)</c> in text). Floats fold only with other numbers; they never become exact.</summary>
public sealed record Float : Expr
{
    internal Float(double value) : base(HashCode.Combine(2, value), 0) => Value = value;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => [];

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) => this;

    private protected override int NodeCountCache => 1;

    /// <summary>Structural equality (bitwise value equality; NaN equals NaN).</summary>
    public bool Equals(Float? other) => other is not null && Value.Equals(other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>A named variable, optionally a member <c>name[index]</c> of an indexed family, with assumptions.
/// Name, index and assumptions together are its identity.</summary>
public sealed record Symbol : Expr
{
    internal Symbol(string name, int? index, SymbolAssumptions assumptions)
        : base(HashCode.Combine(3, name, index, assumptions), MaskOf(name, index)) => (Name, Index, Assumptions) = (name, index, assumptions);

    /// <summary>The identifier.</summary>
    public string Name { get; }

    /// <summary>Index within a family (<c>q[3]</c>), or null.</summary>
    public int? Index { get; }

    /// <summary>What is assumed about its values.</summary>
    public SymbolAssumptions Assumptions { get; }

    // Deterministic (string.GetHashCode is randomised per process): FNV-1a over the name, mixed with the index.
    private static ulong MaskOf(string name, int? index)
    {
        uint h = 2166136261;
        foreach (char c in name) h = (h ^ c) * 16777619;
        h = (h ^ (uint)(index ?? -1)) * 16777619;
        h ^= h >> 15;
        return 1UL << (int)(h & 63);
    }

    /// <summary><c>name</c> or <c>name[index]</c>.</summary>
    public string DisplayName => Index is { } i ? Name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]" : Name;

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => [];

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) => this;

    private protected override int NodeCountCache => 1;

    /// <summary>Structural equality.</summary>
    public bool Equals(Symbol? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Hash == other.Hash && Index == other.Index && Assumptions == other.Assumptions && string.Equals(Name, other.Name, StringComparison.Ordinal)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>Canonical n-ary sum <c>Constant + Σ Terms</c>: at least one term; terms are not numbers or sums, are
/// pairwise unlike (each term's rational coefficient is folded into it), and sorted by <see cref="CanonicalOrder"/>.</summary>
public sealed record Sum : Expr
{
    private readonly int _count;

    internal Sum(Rational constant, ImmutableArray<Expr> terms)
        : base(HashCode.Combine(4, constant, StructuralHash.Of(terms)), StructuralHash.Mask(terms))
        => (Constant, Terms, _count) = (constant, terms, StructuralHash.Count(terms));

    /// <summary>The rational constant term (may be 0).</summary>
    public Rational Constant { get; }

    /// <summary>The non-constant terms.</summary>
    public ImmutableArray<Expr> Terms { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => Terms;

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) =>
        StructuralHash.SequenceReferenceEqual(children, Terms) ? this : Canonical.Add(Constant, children);

    private protected override int NodeCountCache => _count;

    /// <summary>Structural equality.</summary>
    public bool Equals(Sum? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Hash == other.Hash && Constant == other.Constant && StructuralHash.SequenceEqual(Terms, other.Terms)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>Canonical n-ary product <c>Coefficient · Π Factors</c>: factors are not numbers or products, have
/// pairwise distinct bases (x·x² is stored as x³), and are sorted; the coefficient is never 0, and never 1 when there
/// is a single factor.</summary>
public sealed record Product : Expr
{
    private readonly int _count;

    internal Product(Rational coefficient, ImmutableArray<Expr> factors)
        : base(HashCode.Combine(5, coefficient, StructuralHash.Of(factors)), StructuralHash.Mask(factors))
        => (Coefficient, Factors, _count) = (coefficient, factors, StructuralHash.Count(factors));

    /// <summary>The rational coefficient.</summary>
    public Rational Coefficient { get; }

    /// <summary>The non-numeric factors (powers have been merged by base).</summary>
    public ImmutableArray<Expr> Factors { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => Factors;

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) =>
        StructuralHash.SequenceReferenceEqual(children, Factors) ? this : Canonical.Multiply(Coefficient, children);

    private protected override int NodeCountCache => _count;

    /// <summary>Structural equality.</summary>
    public bool Equals(Product? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Hash == other.Hash && Coefficient == other.Coefficient && StructuralHash.SequenceEqual(Factors, other.Factors)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary><c>Base ^ Exponent</c>. √x is <c>x^(1/2)</c>; 1/x is <c>x^(-1)</c>.</summary>
public sealed record Power : Expr
{
    private readonly int _count;

    internal Power(Expr @base, Expr exponent)
        : base(HashCode.Combine(6, @base.Hash, exponent.Hash), @base.SymbolMask | exponent.SymbolMask)
        => (Base, Exponent, _count) = (@base, exponent, 1 + @base.NodeCount + exponent.NodeCount);

    /// <summary>The base.</summary>
    public Expr Base { get; }

    /// <summary>The exponent.</summary>
    public Expr Exponent { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => [Base, Exponent];

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children)
    {
        if (children.Length != 2) throw new ArgumentException($"A Power has 2 children, got {children.Length}.", nameof(children));
        return ReferenceEquals(children[0], Base) && ReferenceEquals(children[1], Exponent) ? this : Canonical.Pow(children[0], children[1]);
    }

    private protected override int NodeCountCache => _count;

    /// <summary>Structural equality.</summary>
    public bool Equals(Power? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Hash == other.Hash && Base.Equals(other.Base) && Exponent.Equals(other.Exponent)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>An elementary function applied to one argument, e.g. <c>exp(t/tau)</c>.</summary>
public sealed record Call : Expr
{
    internal Call(FunctionKind kind, Expr argument)
        : base(HashCode.Combine(7, kind, argument.Hash), argument.SymbolMask) => (Kind, Argument) = (kind, argument);

    /// <summary>Which function.</summary>
    public FunctionKind Kind { get; }

    /// <summary>The argument.</summary>
    public Expr Argument { get; }

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => [Argument];

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children)
    {
        if (children.Length != 1) throw new ArgumentException($"A Call has 1 child, got {children.Length}.", nameof(children));
        return ReferenceEquals(children[0], Argument) ? this : Canonical.Call(Kind, children[0]);
    }

    private protected override int NodeCountCache => 1 + Argument.NodeCount;

    /// <summary>Structural equality.</summary>
    public bool Equals(Call? other) =>
        other is not null && (ReferenceEquals(this, other) || (Hash == other.Hash && Kind == other.Kind && Argument.Equals(other.Argument)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;
}

/// <summary>
/// An undefined function applied to arguments, possibly differentiated: <c>V(q[0], q[1])</c>, or
/// ∂²V/∂arg₀∂arg₁ = <c>Derivative[1,1](V)(q[0], q[1])</c>. <see cref="DerivativeOrders"/>[i] counts derivatives
/// with respect to argument i, so the chain rule goes through it.
/// </summary>
public sealed record Apply : Expr
{
    private readonly int _count;

    internal Apply(string name, ImmutableArray<Expr> arguments, ImmutableArray<int> derivativeOrders)
        : base(HashCode.Combine(8, name, StructuralHash.Of(arguments), OrdersHash(derivativeOrders)), StructuralHash.Mask(arguments))
        => (Name, Arguments, DerivativeOrders, _count) = (name, arguments, derivativeOrders, StructuralHash.Count(arguments));

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>The arguments.</summary>
    public ImmutableArray<Expr> Arguments { get; }

    /// <summary>How many times it has been differentiated with respect to each argument (all zero: not differentiated).</summary>
    public ImmutableArray<int> DerivativeOrders { get; }

    /// <summary>Whether any derivative order is non-zero.</summary>
    public bool IsDerivative => DerivativeOrders.Any(o => o != 0);

    /// <inheritdoc/>
    public override ImmutableArray<Expr> Children => Arguments;

    /// <inheritdoc/>
    public override Expr WithChildren(ImmutableArray<Expr> children) =>
        StructuralHash.SequenceReferenceEqual(children, Arguments) ? this : Canonical.Apply(Name, children, DerivativeOrders);

    private protected override int NodeCountCache => _count;

    /// <summary>Structural equality.</summary>
    public bool Equals(Apply? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Hash == other.Hash && string.Equals(Name, other.Name, StringComparison.Ordinal)
             && DerivativeOrders.SequenceEqual(other.DerivativeOrders) && StructuralHash.SequenceEqual(Arguments, other.Arguments)));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;

    private static int OrdersHash(ImmutableArray<int> orders)
    {
        var h = new HashCode();
        foreach (int o in orders) h.Add(o);
        return h.ToHashCode();
    }
}

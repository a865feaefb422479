using System.Numerics;

namespace NoetherTheory.Symbolic;

/// <summary>The one place where the non-polynomial parts of an expression (function calls, undefined functions,
/// powers with a non-integer exponent) are replaced by placeholders, once per distinct part, and put back.</summary>
/// <remarks>Two uses. <see cref="Atomize"/>/<see cref="Restore"/> work on expressions: each non-polynomial node becomes a
/// placeholder symbol <c>name[k]</c> (k counts placeholders), so polynomial algorithms on <see cref="Expr"/> see a
/// polynomial. <see cref="ToPolynomial"/>/<see cref="ToExpr"/> work on <see cref="Polynomial"/>: every symbol and every
/// non-polynomial node gets a variable number.</remarks>
/// <param name="placeholderName">The name of the placeholder symbols.</param>
/// <param name="placeholderAssumptions">Their assumptions.</param>
public sealed class AtomTable(string placeholderName = "atom_", SymbolAssumptions placeholderAssumptions = SymbolAssumptions.Real)
{
    private readonly Dictionary<Expr, Symbol> _placeholders = [];
    private readonly Dictionary<Expr, int> _variableOf = [];
    private readonly List<Expr> _variables = [];
    private readonly Dictionary<Expr, Expr> _proofKeys = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether a node is not polynomial in its children: a call, an undefined function, or a power whose exponent
    /// is not an integer.</summary>
    public static bool IsNonPolynomial(Expr e) => e is Call or Apply or Power { Exponent: not Number { Value.IsInteger: true } };

    /// <summary>Number of placeholders made by <see cref="Atomize"/>.</summary>
    public int PlaceholderCount => _placeholders.Count;

    /// <summary>Replaces every non-polynomial node (outermost first) by its placeholder; equal nodes share one.</summary>
    /// <param name="e">The expression.</param>
    /// <param name="prepare">Applied to a node before it is looked up (e.g. to simplify inside it); null: none.</param>
    public Expr Atomize(Expr e, Func<Expr, Expr>? prepare = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Replace(x =>
        {
            if (!IsNonPolynomial(x)) return null;
            var key = prepare is null ? x : prepare(x);
            if (!_placeholders.TryGetValue(key, out var s))
                _placeholders[key] = s = new Symbol(placeholderName, _placeholders.Count, placeholderAssumptions);
            return s;
        });
    }

    /// <summary>Puts the nodes that <see cref="Atomize"/> replaced back.</summary>
    public Expr Restore(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _placeholders.Count == 0 ? e : e.Substitute(_placeholders.ToDictionary(kv => (Expr)kv.Value, kv => kv.Key));
    }

    /// <summary>Whether a symbol is one of this table's placeholders.</summary>
    public bool IsPlaceholder(Symbol s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Name == placeholderName && s.Index is { } i && i < _placeholders.Count;
    }

    /// <summary>Number of polynomial variables.</summary>
    public int Count => _variables.Count;

    /// <summary>The expression that variable number <paramref name="variable"/> stands for.</summary>
    public Expr this[int variable] => _variables[variable];

    /// <summary>The variable number of an atom (a symbol or a non-polynomial node), registering it when new.</summary>
    public int VariableOf(Expr atom)
    {
        ArgumentNullException.ThrowIfNull(atom);
        if (_variableOf.TryGetValue(atom, out var v)) return v;
        v = _variables.Count;
        _variableOf[atom] = v;
        _variables.Add(atom);
        return v;
    }

    /// <summary>The variable number of an atom already registered.</summary>
    public bool TryGetVariable(Expr atom, out int variable) => _variableOf.TryGetValue(atom, out variable);

    /// <summary>The polynomial of an expression in its symbols and non-polynomial parts (negative integer powers of
    /// non-atoms are non-polynomial parts too).</summary>
    /// <exception cref="ArgumentException">The expression contains a floating-point number.</exception>
    public Polynomial ToPolynomial(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var memo = new Dictionary<Expr, Polynomial>(ReferenceEqualityComparer.Instance);
        return Convert(e);

        Polynomial Convert(Expr x)
        {
            if (memo.TryGetValue(x, out var done)) return done;
            var r = x switch
            {
                Number n => Polynomial.Constant(n.Value),
                Float => throw new ArgumentException("A floating-point number has no exact polynomial.", nameof(e)),
                Sum s => s.Terms.Aggregate(Polynomial.Constant(s.Constant), (acc, t) => acc + Convert(t)),
                Product p => p.Factors.Aggregate(Polynomial.Constant(p.Coefficient), (acc, f) => acc * Convert(f)),
                Power { Exponent: Number { Value: { IsInteger: true, Sign: >= 0 } k } } pw when k.Numerator <= int.MaxValue =>
                    Convert(pw.Base).Pow((int)k.Numerator),
                _ => Polynomial.Variable(VariableOf(x)),
            };
            memo[x] = r;
            return r;
        }
    }

    /// <summary>The canonical expression of a polynomial over this table's variables.</summary>
    public Expr ToExpr(Polynomial p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Expr.Add(p.Terms.Select(t => Canonical.Multiply(t.Coefficient, t.Monomial.Factors.Select(f => Expr.Pow(_variables[f.Variable], f.Exponent)))));
    }

    /// <summary>The key under which the exact zero proof treats a non-polynomial node: function arguments brought to a
    /// canonical rational form (so equal calls written differently coincide); a power with a negative-looking exponent is
    /// keyed by its reciprocal.</summary>
    internal Expr ProofKey(Expr x)
    {
        if (_proofKeys.TryGetValue(x, out var k)) return k;
        k = x switch
        {
            Symbol => x,
            Call or Apply => x.WithChildren([.. x.Children.Select(CanonicalArgument)]),
            Power pw when Canonical.LooksNegative(pw.Exponent) =>
                Expr.Pow(CanonicalArgument(pw.Base), Canonical.ScaleExpr(Rational.MinusOne, pw.Exponent)),
            Power pw => Expr.Pow(CanonicalArgument(pw.Base), pw.Exponent),
            _ => throw new System.Diagnostics.UnreachableException($"{nameof(AtomTable)}: {x.GetType().Name} is not an atom"),
        };
        _proofKeys[x] = k;
        return k;
    }

    private static Expr CanonicalArgument(Expr c) =>
        c.Children.Length == 0 ? c : Algebra.TryTogether(c, 2000)?.ToExpr() ?? c;

    /// <summary>|n| ≤ 2^127 − 1 as an <see cref="Int128"/>, else an overflow.</summary>
    internal static Int128 ToInt128(BigInteger b) =>
        b >= (BigInteger)Int128.MinValue && b <= (BigInteger)Int128.MaxValue ? (Int128)b : throw new OverflowException();
}

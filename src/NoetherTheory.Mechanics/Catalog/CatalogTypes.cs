using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>A problem found in a catalog file: where it is and what to change.</summary>
/// <param name="File">The file path as given to the loader (relative to the catalog directory).</param>
/// <param name="Line">1-based line (0 when the problem concerns the whole file or directory).</param>
/// <param name="Column">1-based column (0 when unknown).</param>
/// <param name="Field">The YAML field, e.g. <c>update.q_next</c>.</param>
/// <param name="Message">What was wrong and how to fix it.</param>
public sealed record CatalogError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary><c>file:line:column: field: message</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Field}: {Message}");
}

/// <summary>Thrown by <see cref="Catalog.Load(string, int)"/> when any catalog file is invalid; lists every error.</summary>
public sealed class CatalogException : NoetherTheoryException
{
    /// <summary>Creates the exception from the errors found.</summary>
    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base("The catalog has errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors ?? throw new ArgumentNullException(nameof(errors))))
        => Errors = [.. errors];

    /// <summary>Every error found, in file order.</summary>
    public ImmutableArray<CatalogError> Errors { get; }
}

/// <summary>How a learning rule enters the mechanics.</summary>
public enum RuleKind
{
    /// <summary>A rule that moves the parameters (GD, heavy ball, …): it has a modified equation and a Lagrangian.</summary>
    Position,

    /// <summary>An accumulator rule (scalar RMSProp): only the accumulator's modified equation is derived.</summary>
    Accumulator,

    /// <summary>
    /// An adaptive rule with several buffers and a step count (Adam, AdamW): the update divides by the square root of a
    /// second-moment buffer, so no modified equation or Lagrangian is derived; its rotational equilibrium is derived by
    /// <see cref="Equilibrium"/> after linearisation about the stationary second moment.
    /// </summary>
    Adaptive,
}

/// <summary>A hyperparameter of a learning rule and what it means.</summary>
/// <param name="Name">The symbol name (eta, beta, …).</param>
/// <param name="Meaning">What it is, in words.</param>
public sealed record Hyperparameter(string Name, string Meaning)
{
    /// <summary>The declared interval (rule file's optional <c>domains</c> field), or null when none is declared (then the
    /// whole real line: zero-test points and display signs make no assumption).</summary>
    public SymbolDomain? Domain { get; init; }
}

/// <summary>One assignment of a discrete update, e.g. <c>v_next = beta*v + g(q) + k*q</c>.</summary>
public sealed record UpdateStep(string Target, Expr Value);

/// <summary>A discrete learning rule loaded from <c>theory/catalog/rules/*.yaml</c>.</summary>
/// <remarks>
/// Rules act componentwise with a common gradient map: <c>g(x)</c> is the loss gradient (an undefined function), <c>q</c>
/// the current iterate, <c>q_next</c> the next one and an optional buffer <c>b</c>/<c>b_next</c>. See
/// theory/01-learning-lagrangian.md#eq-1-1 and theory/01-learning-lagrangian.md#eq-1-2.
/// </remarks>
public sealed record LearningRule(
    string Id,
    string Name,
    string Description,
    RuleKind Kind,
    ImmutableArray<Hyperparameter> Hyperparameters,
    Expr TimeStep,
    string? Buffer,
    ImmutableArray<UpdateStep> Update,
    string? Anchor,
    string File)
{
    /// <summary>The declared domains of the hyperparameters by symbol (those without one are left out).</summary>
    public IReadOnlyDictionary<Symbol, SymbolDomain> Domains =>
        Hyperparameters.Where(h => h.Domain is not null).ToDictionary(h => Expr.Symbol(h.Name), h => h.Domain!);
    /// <summary>Every state buffer in the order declared: the one <see cref="Buffer"/> of a position or accumulator
    /// rule, or the <c>buffers</c> list of an adaptive rule (<see cref="Buffer"/> is then the first).</summary>
    public ImmutableArray<string> Buffers { get; init; } = Buffer is null ? [] : [Buffer];
}

/// <summary>Built-in families of symmetries (theory/03-noether.md#eq-3-1).</summary>
public enum SymmetryKind
{
    /// <summary><c>q + s·1_A</c>; generator <c>1_A</c>.</summary>
    Translation,

    /// <summary><c>(1+s)·q_A</c>; generator <c>q_A</c>.</summary>
    Scale,

    /// <summary><c>(e^s q_A1, e^-s q_A2)</c>; generator <c>D q</c>.</summary>
    Rescale,

    /// <summary><c>e^{sK} q</c> with skew <c>K</c>; generator <c>K q</c>.</summary>
    Rotation,

    /// <summary>A user-given generator <c>ξ(q)</c> (linear or nonlinear).</summary>
    Custom,
}

/// <summary>A one-parameter symmetry loaded from <c>theory/catalog/symmetries/*.yaml</c>.</summary>
/// <param name="Id">Identifier used on the command line.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Description">What it is and where it arises.</param>
/// <param name="Kind">The family.</param>
/// <param name="Dimension">Number of coordinates used when the symmetry is derived against an abstract potential.</param>
/// <param name="Sets">Index sets by name (<c>A</c>; <c>A1</c>, <c>A2</c>).</param>
/// <param name="Planes">Rotation planes (i, j): <c>(Kq)_i = −q_j</c>, <c>(Kq)_j = q_i</c>.</param>
/// <param name="Generator">Custom generator components (empty for built-in kinds).</param>
/// <param name="File">Source file.</param>
public sealed record SymmetryDefinition(
    string Id,
    string Name,
    string Description,
    SymmetryKind Kind,
    int Dimension,
    ImmutableDictionary<string, ImmutableArray<int>> Sets,
    ImmutableArray<(int I, int J)> Planes,
    ImmutableArray<Expr> Generator,
    string File)
{
    /// <summary>The generator ξ(q) on <paramref name="dimension"/> coordinates <c>q[0..n-1]</c>.</summary>
    /// <param name="dimension">Number of coordinates.</param>
    /// <param name="sets">Index sets overriding <see cref="Sets"/> (a model's binding), or null.</param>
    /// <param name="planes">Rotation planes overriding <see cref="Planes"/>, or null.</param>
    /// <exception cref="NoetherTheoryException">An index is outside the coordinates, or a set is missing.</exception>
    /// <remarks>theory/03-noether.md#eq-3-1.</remarks>
    public ImmutableArray<Expr> GeneratorFor(int dimension, IReadOnlyDictionary<string, ImmutableArray<int>>? sets = null,
        IReadOnlyList<(int I, int J)>? planes = null)
    {
        var s = sets ?? Sets;
        var xi = new Expr[dimension];
        Array.Fill(xi, Expr.Zero);
        var q = Coordinates.Q(dimension);
        ImmutableArray<int> Set(string name)
        {
            if (!s.TryGetValue(name, out var set))
                throw new NoetherTheoryException($"Symmetry '{Id}' ({File}) needs the index set '{name}'; add it under 'sets'.");
            foreach (int i in set)
                if (i < 0 || i >= dimension)
                    throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                        $"Symmetry '{Id}' acts on index {i} of set '{name}', but the model has {dimension} coordinates (q[0]..q[{dimension - 1}]); bind other indices in the model's 'symmetries' entry."));
            return set;
        }
        switch (Kind)
        {
            case SymmetryKind.Translation:
                foreach (int i in Set("A")) xi[i] = Expr.One;
                break;
            case SymmetryKind.Scale:
                foreach (int i in Set("A")) xi[i] = q[i];
                break;
            case SymmetryKind.Rescale:
                foreach (int i in Set("A1")) xi[i] = q[i];
                foreach (int i in Set("A2")) xi[i] = -q[i];
                break;
            case SymmetryKind.Rotation:
                foreach (var (i, j) in planes ?? Planes)
                {
                    if (i < 0 || i >= dimension || j < 0 || j >= dimension)
                        throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                            $"Symmetry '{Id}': rotation plane ({i}, {j}) is outside the {dimension} coordinates."));
                    xi[i] -= q[j];
                    xi[j] += q[i];
                }
                break;
            case SymmetryKind.Custom:
                if (Generator.Length != dimension)
                    throw new NoetherTheoryException(string.Create(CultureInfo.InvariantCulture,
                        $"Symmetry '{Id}' has a {Generator.Length}-component generator but the model has {dimension} coordinates; a custom generator fixes the dimension."));
                return Generator;
            default:
                throw new System.Diagnostics.UnreachableException(Kind.ToString());
        }
        return [.. xi];
    }
}

/// <summary>A model's claim that its loss is invariant under a catalog symmetry, with the index sets it binds.</summary>
public sealed record SymmetryBinding(
    string SymmetryId,
    ImmutableDictionary<string, ImmutableArray<int>>? Sets,
    ImmutableArray<(int I, int J)>? Planes,
    int Line,
    int Column);

/// <summary>A matrix block of the parameter vector (row-major), used by the Głuch–Urbanke derivations.</summary>
public sealed record MatrixBlock(string Name, int Rows, int Columns, int Offset)
{
    /// <summary>The coordinate index of entry (r, c).</summary>
    public int Index(int r, int c) => Offset + (r * Columns) + c;
}

/// <summary>A toy model (concrete potential) or an abstract potential, from <c>theory/catalog/models/*.yaml</c>.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Description">What it is.</param>
/// <param name="Dimension">Number of coordinates <c>q[0..n-1]</c>.</param>
/// <param name="Potential">The loss f(q) for a concrete model; null for an abstract one.</param>
/// <param name="FunctionName">Name of the undefined loss function of an abstract model (default <c>f</c>).</param>
/// <param name="Symmetries">Symmetries the loss is claimed (concrete: checked) or declared (abstract) to respect.</param>
/// <param name="Matrices">Matrix blocks of q, by name.</param>
/// <param name="Balance">Names of two consecutive linear layers (W1, W2) whose balance matrix is derived.</param>
/// <param name="Augmentation">Name of a first-layer matrix W with a loss invariant under W → W R (data augmentation).</param>
/// <param name="File">Source file.</param>
public sealed record ModelDefinition(
    string Id,
    string Name,
    string Description,
    int Dimension,
    Expr? Potential,
    string FunctionName,
    ImmutableArray<SymmetryBinding> Symmetries,
    ImmutableDictionary<string, MatrixBlock> Matrices,
    ImmutableArray<string> Balance,
    string? Augmentation,
    string File)
{
    /// <summary>True when the loss is an undefined function with declared invariances.</summary>
    public bool IsAbstract => Potential is null;

    /// <summary>The loss f(q): the concrete expression, or <c>f(q[0], …, q[n-1])</c>.</summary>
    public Expr Loss => Potential ?? Expr.Apply(FunctionName, Coordinates.Q(Dimension).Select(s => (Expr)s));
}

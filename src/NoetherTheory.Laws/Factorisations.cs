using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws;

/// <summary>Builds the factorisation φ of a model's loss (theory/06-conservation-laws.md#eq-6-1).</summary>
public static class Factorisations
{
    /// <summary>Largest number of components of a path lifting built here (a ReLU network has Πᵢ nᵢ paths).</summary>
    public const int MaxComponents = 100_000;

    /// <summary>Largest number of parameters D of a network built here.</summary>
    public const int MaxParameters = 5_000;

    /// <summary>A linear network x ↦ U_L ⋯ U₁ x with widths n₀ (input), n₁, …, n_L (output); U_l is n_l × n_{l−1}.
    /// φ = the n_L·n₀ entries of the product U_L ⋯ U₁: every loss of the network is a function of them.</summary>
    /// <remarks>Parameters <c>U1[i,j]</c>, …, <c>UL[i,j]</c> (0-based row i, column j), layer by layer, row-major.</remarks>
    /// <exception cref="FactorisationException">Fewer than two widths, or a width below 1.</exception>
    public static Factorisation Linear(IReadOnlyList<int> widths)
    {
        var layers = Layers(widths, bias: false, rectified: false);
        var product = Matrix(layers.Weights[0]);
        for (int l = 1; l < layers.Weights.Length; l++)
        {
            var u = Matrix(layers.Weights[l]);
            var next = new Polynomial[u.GetLength(0), product.GetLength(1)];
            for (int i = 0; i < next.GetLength(0); i++)
                for (int j = 0; j < next.GetLength(1); j++)
                {
                    var s = Polynomial.Zero;
                    for (int k = 0; k < u.GetLength(1); k++) s += u[i, k] * product[k, j];
                    next[i, j] = s;
                }
            product = next;
        }
        var components = new List<Polynomial>();
        for (int i = 0; i < product.GetLength(0); i++)
            for (int j = 0; j < product.GetLength(1); j++) components.Add(product[i, j]);
        return new Factorisation("linear:" + string.Join(",", widths), layers.Names, components) { Layout = layers };
    }

    /// <summary>A ReLU network x ↦ U_L σ(⋯ σ(U₁x + b₁) ⋯) + b_L with widths n₀, …, n_L, with or without biases.
    /// φ = the path lifting: one component per path through the network, the product of the weights along it — a path
    /// from input j through units i₁, …, i_{L−1} to output i_L gives U_L[i_L,i_{L−1}] ⋯ U₁[i₁,j]; with biases, a path may also
    /// start at the bias b_l[i] of a unit of layer l and gives b_l[i]·U_{l+1}[…,i] ⋯ (an output bias alone is a path).</summary>
    /// <remarks>Why this φ: on each activation region the network is a linear map whose entries are sums of path products
    /// over the paths whose units are all active, plus the bias paths; so the loss on any data set is a function of the path
    /// products. The region where every unit is active alone would give only the sums U_L ⋯ U₁ (the linear network's φ,
    /// with its r(r+1)/2 laws per inner width); data in other regions separates the paths, and a law of every ReLU loss must
    /// be a law of the whole lifting. This is the lifting of Marcotte, Gribonval &amp; Peyré (2023), whose count is one law per
    /// hidden unit, |incoming weights|² (+ bias²) − |outgoing weights|². Parameters <c>U1[i,j]</c> …, then (with biases)
    /// <c>b1[i]</c> … <c>bL[i]</c>, layer by layer.</remarks>
    /// <exception cref="FactorisationException">Fewer than two widths, a width below 1, or more than <see cref="MaxComponents"/> paths.</exception>
    public static Factorisation Relu(IReadOnlyList<int> widths, bool bias)
    {
        var layers = Layers(widths, bias, rectified: true);
        double paths = 1;
        for (int l = 0; l < widths.Count; l++) paths *= widths[l];
        if (bias)
            for (int l = 1; l < widths.Count; l++)
            {
                double p = 1;
                for (int m = l; m < widths.Count; m++) p *= widths[m];
                paths += p;
            }
        if (paths > MaxComponents)
            throw new FactorisationException(FormattableString.Invariant($"relu:{string.Join(",", widths)} has {paths:G4} paths; at most {MaxComponents} are supported."));

        var components = new List<Polynomial>();
        // Paths starting at input j (layer 0) or at the bias of a unit of layer s ≥ 1, each as a list of polynomials
        // indexed by the unit it currently ends at.
        for (int start = 0; start < widths.Count - 1 + (bias ? 1 : 0) && start < widths.Count; start++)
        {
            if (start > 0 && !bias) break;
            var ends = new List<(int Unit, Polynomial Product)>();
            if (start == 0)
                for (int j = 0; j < widths[0]; j++) ends.Add((j, Polynomial.One));
            else
                for (int i = 0; i < widths[start]; i++) ends.Add((i, Polynomial.Variable(layers.Biases[start - 1][i])));
            for (int l = start + 1; l < widths.Count; l++)
            {
                var next = new List<(int, Polynomial)>();
                foreach (var (unit, product) in ends)
                    for (int i = 0; i < widths[l]; i++)
                        next.Add((i, Polynomial.Variable(layers.Weights[l - 1][i, unit]) * product));
                ends = next;
            }
            components.AddRange(ends.Select(e => e.Product));
        }
        return new Factorisation("relu:" + string.Join(",", widths) + (bias ? ",bias" : ""), layers.Names, components) { Layout = layers };
    }

    /// <summary>φ given as expressions: every free symbol is a parameter, ordered by name and then index.</summary>
    /// <param name="name">What the model is.</param>
    /// <param name="components">The components φᵢ, each a polynomial in its symbols.</param>
    /// <exception cref="FactorisationException">A component is not a polynomial with rational coefficients (e.g. it divides by
    /// a parameter, takes abs/exp/… of one, or holds a decimal).</exception>
    public static Factorisation FromExpressions(string name, IReadOnlyList<Expr> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var table = new AtomTable();
        foreach (var s in components.SelectMany(c => c.FreeSymbols()).Distinct().Order(Comparer<Symbol>.Create(CompareSymbols)))
            table.VariableOf(s);
        var polys = new List<Polynomial>();
        for (int i = 0; i < components.Count; i++)
            polys.Add(ToPolynomial(table, components[i], $"component {i + 1}"));
        var names = Enumerable.Range(0, table.Count).Select(v => table[v].ToString()).ToList();
        return new Factorisation(name, names, polys);
    }

    /// <summary>φ for a catalog model with a polynomial potential f(q): the coefficients of f as a polynomial in its data
    /// symbols (every symbol other than q[0..n−1], e.g. x[0], y). For every value of the data, ∇f = Σ m(data)·∇c_m(q), so a
    /// law of every such loss is a law of all the c_m; with no data symbol this is f itself as one component — the honest
    /// fallback: the laws of that one loss, not of a family (D − 1 of them locally wherever ∇f ≠ 0).</summary>
    /// <exception cref="FactorisationException">The model is abstract, or f is not polynomial in q.</exception>
    public static Factorisation FromCatalogModel(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Potential is null)
            throw new FactorisationException($"Model '{model.Id}' is abstract (an undefined loss {model.FunctionName}(q)); conservation laws need a concrete polynomial potential.");
        var table = new AtomTable();
        var q = Coordinates.Q(model.Dimension);
        foreach (var s in q) table.VariableOf(s);
        var f = ToPolynomial(table, model.Potential, $"the potential of model '{model.Id}'");
        var data = Enumerable.Range(model.Dimension, table.Count - model.Dimension).ToArray();
        foreach (int v in data)
            if (table[v].FreeSymbols().Any(s => s.Name == Coordinates.QName))
                throw new FactorisationException($"The potential of model '{model.Id}' is not polynomial in q: it contains {table[v]}. Conservation-law discovery needs a polynomial potential (or pass --components).");
        var components = data.Length == 0
            ? [f]
            : f.CoefficientsIn(data).OrderBy(kv => kv.Key).Select(kv => kv.Value).Where(p => p.TotalDegree > 0).ToList();
        var names = q.Select(s => s.ToString()).ToList();
        return new Factorisation(model.Id, names, components);
    }

    private static int CompareSymbols(Symbol a, Symbol b)
    {
        int c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : (a.Index ?? -1).CompareTo(b.Index ?? -1);
    }

    private static Polynomial ToPolynomial(AtomTable table, Expr e, string where)
    {
        Polynomial p;
        try
        {
            p = table.ToPolynomial(e);
        }
        catch (ArgumentException ex)
        {
            throw new FactorisationException($"{where} is not a polynomial with exact coefficients: {ex.Message}", ex);
        }
        foreach (int v in p.Variables)
            if (table[v] is not Symbol)
                throw new FactorisationException($"{where} is not a polynomial: it contains {table[v]}. Write it with +, −, × and non-negative integer powers only.");
        return p;
    }

    private static Polynomial[,] Matrix(int[,] indices)
    {
        var m = new Polynomial[indices.GetLength(0), indices.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++) m[i, j] = Polynomial.Variable(indices[i, j]);
        return m;
    }

    private static NetworkLayout Layers(IReadOnlyList<int> widths, bool bias, bool rectified)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2) throw new FactorisationException("A network needs at least two widths (input and output).");
        if (widths.Any(w => w < 1)) throw new FactorisationException("Every width must be ≥ 1.");
        double parameters = 0;
        for (int l = 1; l < widths.Count; l++) parameters += ((double)widths[l] * widths[l - 1]) + (bias ? widths[l] : 0);
        if (parameters > MaxParameters)
            throw new FactorisationException(FormattableString.Invariant($"The network {string.Join(",", widths)} has {parameters:G4} parameters; at most {MaxParameters} are supported."));
        var names = new List<string>();
        var weights = new int[widths.Count - 1][,];
        for (int l = 1; l < widths.Count; l++)
        {
            weights[l - 1] = new int[widths[l], widths[l - 1]];
            for (int i = 0; i < widths[l]; i++)
                for (int j = 0; j < widths[l - 1]; j++)
                {
                    weights[l - 1][i, j] = names.Count;
                    names.Add(string.Create(CultureInfo.InvariantCulture, $"U{l}[{i},{j}]"));
                }
        }
        var biases = new int[bias ? widths.Count - 1 : 0][];
        for (int l = 1; l <= biases.Length; l++)
        {
            biases[l - 1] = new int[widths[l]];
            for (int i = 0; i < widths[l]; i++)
            {
                biases[l - 1][i] = names.Count;
                names.Add(string.Create(CultureInfo.InvariantCulture, $"b{l}[{i}]"));
            }
        }
        return new NetworkLayout([.. widths], weights, biases, [.. names], rectified);
    }
}

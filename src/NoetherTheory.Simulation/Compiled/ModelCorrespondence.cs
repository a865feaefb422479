using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>
/// One potential in its two forms: a catalog model (symbolic, <c>theory/catalog/models/*.yaml</c>) and a Numerics toy
/// model (hand-written gradient), with the constants that make them the same function and a common initial point.
/// </summary>
/// <param name="CatalogId">The catalog model id.</param>
/// <param name="ToyId">The <see cref="ToyModels"/> id.</param>
/// <param name="Toy">The toy model, built with the matching parameters.</param>
/// <param name="CatalogParameters">Values of the catalog potential's constants, by printed name (<c>a[0]</c>, <c>y</c>, …).</param>
/// <param name="InitialPoint">q₀ (the toy model's initial point).</param>
/// <param name="Note">How the two are matched.</param>
public sealed record ModelPair(string CatalogId, string ToyId, IToyModel Toy, ImmutableDictionary<string, double> CatalogParameters,
    ImmutableArray<double> InitialPoint, string Note);

/// <summary>
/// The correspondence between catalog models and Numerics toy models, so that one potential runs through both the
/// discrete optimizer and the compiled modified equation.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>cosine</c> ↔ <c>scale-cosine</c>: f = −⟨a, q/|q|⟩ in 3-D; the toy gets a = (a[0], a[1], a[2]) and starts at
/// r₀(cos θ₀, sin θ₀, 0).</item>
/// <item><c>linear-scalar</c> ↔ <c>linear2-scalar</c>: f = ½(q₁q₀ − y)² with y = 1 (the toy's target), c = 0.</item>
/// <item><c>rayleigh</c> ↔ <c>rayleigh</c>: the catalog's symmetric A = (A[0], A[1]; A[1], A[2]) is the toy's diagonal
/// diag(a₀, a₁), so A[1] = 0.</item>
/// <item><c>rotation-factor</c> ↔ <c>rotation</c> (n = p = 2): f = ¼‖WWᵀ − M‖²; the toy draws M from its seed and does
/// not expose it, so M is read back exactly from the gradient at W = I: ∇f(I) = (I − M)·I, hence M = I − ∇f(I).</item>
/// </list>
/// A test checks at random points that the compiled catalog gradient equals the toy's hand-written one to round-off,
/// which is what makes a pair trustworthy.
/// </remarks>
public static class ModelCorrespondence
{
    private static readonly ImmutableDictionary<string, Func<int, ModelPair>> Pairs = new Dictionary<string, Func<int, ModelPair>>(StringComparer.Ordinal)
    {
        ["cosine"] = _ =>
        {
            double[] a = [1.0, 0.5, -0.25];
            var toy = ToyModels.Create("scale-cosine", ParameterSet.Empty.With("a", a).With("theta0", 2.5).With("r0", 1.0));
            return Pair("cosine", toy, Vector("a", a), "a = (1, 0.5, -0.25), q0 = (cos 2.5, sin 2.5, 0)");
        },
        ["linear-scalar"] = _ =>
        {
            var toy = ToyModels.Create("linear2-scalar", ParameterSet.Empty.With("c", 0.0).With("q0", 0.5, 1.5));
            return Pair("linear-scalar", toy, new Dictionary<string, double> { ["y"] = 1.0 }, "y = 1, q0 = (0.5, 1.5)");
        },
        ["rayleigh"] = _ =>
        {
            var toy = ToyModels.Create("rayleigh", ParameterSet.Empty.With("a", 1.0, 3.0).With("q0", 1.0, 0.5));
            return Pair("rayleigh", toy, new Dictionary<string, double> { ["A[0]"] = 1.0, ["A[1]"] = 0.0, ["A[2]"] = 3.0 },
                "A = diag(1, 3), q0 = (1, 0.5)");
        },
        ["rotation-factor"] = seed =>
        {
            var toy = ToyModels.Create("rotation", ParameterSet.Empty.With("n", 2).With("p", 2), seed);
            Span<double> g = stackalloc double[4];
            toy.Gradient([1, 0, 0, 1], g, GradientContext.FullBatch);
            return Pair("rotation-factor", toy,
                new Dictionary<string, double> { ["M[0]"] = 1 - g[0], ["M[1]"] = -g[1], ["M[2]"] = 1 - g[3] },
                string.Create(CultureInfo.InvariantCulture, $"n = p = 2, seed {seed}; M = I − ∇f(I) read from the toy"));
        },
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Catalog model ids that have a toy counterpart, sorted.</summary>
    public static ImmutableArray<string> CatalogIds { get; } = [.. Pairs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The pair for a catalog model id.</summary>
    /// <param name="catalogModelId">A catalog model id from <see cref="CatalogIds"/>.</param>
    /// <param name="seed">Seed of toy models that draw data (rotation-factor).</param>
    /// <exception cref="NoetherTheoryException">No toy counterpart (the message lists the ids that have one).</exception>
    public static ModelPair For(string catalogModelId, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalogModelId);
        if (!Pairs.TryGetValue(catalogModelId, out var make))
            throw new NoetherTheoryException(
                $"Catalog model '{catalogModelId}' has no Numerics toy counterpart; models that run through both the optimizer and the compiled flow: {string.Join(", ", CatalogIds)}.");
        return make(seed);
    }

    private static Dictionary<string, double> Vector(string name, double[] values) =>
        values.Select((v, i) => (Key: string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), v)).ToDictionary(p => p.Key, p => p.v, StringComparer.Ordinal);

    private static ModelPair Pair(string catalogId, IToyModel toy, Dictionary<string, double> values, string note) =>
        new(catalogId, toy.Id, toy, values.ToImmutableDictionary(StringComparer.Ordinal), [.. toy.InitialPoint()], note);
}

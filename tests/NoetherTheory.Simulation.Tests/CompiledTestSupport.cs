using NoetherTheory.Mechanics;
using NoetherTheory.Simulation.Compiled;
using NoetherTheory.Testing;

namespace NoetherTheory.Simulation.Tests;

/// <summary>The shipped catalog (loaded once) and parameter dictionaries for the compiled-system tests.</summary>
internal static class CompiledTestSupport
{
    private static readonly Lazy<Catalog> Shipped = new(() => Catalog.Load(RepositoryPaths.Combine("theory", "catalog")));

    public static Catalog Catalog => Shipped.Value;

    public static Dictionary<string, double> Values(ModelPair pair, double eta, double beta, double k) =>
        new(pair.CatalogParameters, StringComparer.Ordinal) { ["eta"] = eta, ["beta"] = beta, ["k"] = k, ["delta"] = 0 };

    public static DerivationResult Derive(string rule, string symmetry, string model) =>
        Derivation.Run(Catalog, rule, symmetry, ModelSpec.FromCatalog(model));
}

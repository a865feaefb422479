using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Validation.Cases;

namespace NoetherTheory.Cli;

/// <summary>
/// The environment variables that raise the input size limits for a legitimate large input (issue 13): the case-file
/// step and model-size limits and the catalog's coordinate limit. Only the CLI reads the environment; the libraries take
/// the limits as arguments.
/// </summary>
internal static class LimitOverrides
{
    /// <summary>Raises <see cref="CaseLimits.MaxSteps"/> (default <see cref="CaseLoader.MaxSteps"/>).</summary>
    public const string CaseSteps = "NOETHER_MAX_CASE_STEPS";

    /// <summary>Raises <see cref="CaseLimits.MaxModelSize"/> (default <see cref="CaseLoader.MaxModelSize"/>).</summary>
    public const string ModelSize = "NOETHER_MAX_MODEL_SIZE";

    /// <summary>Raises the catalog's coordinate limit (default <see cref="Catalog.MaxDimension"/>, at most <see cref="Catalog.MaxDimensionCeiling"/>).</summary>
    public const string CatalogDimension = "NOETHER_MAX_CATALOG_DIMENSION";

    /// <summary>The case limits, from the environment.</summary>
    /// <exception cref="UsageException">A variable is set to something other than a whole number in range.</exception>
    public static CaseLimits Cases() => new()
    {
        MaxSteps = Parse(CaseSteps, Environment.GetEnvironmentVariable(CaseSteps), CaseLoader.MaxSteps, int.MaxValue),
        MaxModelSize = Parse(ModelSize, Environment.GetEnvironmentVariable(ModelSize), CaseLoader.MaxModelSize, int.MaxValue),
    };

    /// <summary>The catalog's coordinate limit, from the environment.</summary>
    /// <exception cref="UsageException">The variable is set to something other than a whole number in range.</exception>
    public static int CatalogMaxDimension() =>
        Parse(CatalogDimension, Environment.GetEnvironmentVariable(CatalogDimension), Catalog.MaxDimension, Catalog.MaxDimensionCeiling);

    /// <summary>The value of variable <paramref name="name"/> given as <paramref name="text"/> (unset or blank: the default).</summary>
    /// <exception cref="UsageException">Not a whole number in 1..<paramref name="ceiling"/>.</exception>
    internal static int Parse(string name, string? text, int fallback, int ceiling)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > ceiling)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"environment variable {name}='{text}': must be a whole number in 1..{ceiling} (the default is {fallback}); unset it to use the default."));
        return value;
    }

    /// <summary>A sentence naming the variable that raises the limit a loader message mentions, or "" when it names none.</summary>
    public static string Hint(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Contains("CaseLimits.MaxSteps", StringComparison.Ordinal))
            return $" To allow a longer case, set the environment variable {CaseSteps} (default {CaseLoader.MaxSteps}).";
        if (message.Contains("CaseLimits.MaxModelSize", StringComparison.Ordinal))
            return $" To allow a larger model, set the environment variable {ModelSize} (default {CaseLoader.MaxModelSize}).";
        if (message.Contains("Catalog.MaxDimension", StringComparison.Ordinal))
            return $" To allow more coordinates, set the environment variable {CatalogDimension} (default {Catalog.MaxDimension}, at most {Catalog.MaxDimensionCeiling}).";
        return "";
    }
}

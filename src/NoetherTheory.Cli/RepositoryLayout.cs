namespace NoetherTheory.Cli;

/// <summary>Where the CLI finds the repository's data folders (theory/catalog, validation/…).</summary>
/// <remarks>
/// Order: the environment variable <c>NOETHER_HOME</c>, then the first folder at or above the current directory,
/// then at or above the executable, that holds <c>theory/catalog</c> and <c>validation</c>. Only the CLI reads the
/// environment (house-style §3.2).
/// </remarks>
public static class RepositoryLayout
{
    /// <summary>The repository (or installed data) root.</summary>
    public static string Root()
    {
        var home = Environment.GetEnvironmentVariable("NOETHER_HOME");
        if (!string.IsNullOrEmpty(home))
        {
            if (!IsRoot(home))
                throw new UsageException($"NOETHER_HOME='{home}' does not hold theory/catalog and validation/; point it at the NoetherTheory checkout or bundle.");
            return Path.GetFullPath(home);
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (IsRoot(dir.FullName))
                    return dir.FullName;
        throw new UsageException(
            "cannot find the NoetherTheory data folders (theory/catalog and validation/): run from inside the checkout or set NOETHER_HOME.");
    }

    /// <summary>The validation cases folder.</summary>
    public static string ValidationCases() => Path.Combine(Root(), "validation", "cases");

    /// <summary>The catalog folder.</summary>
    public static string Catalog() => Path.Combine(Root(), "theory", "catalog");

    /// <summary>A report template (reports/templates/<paramref name="name"/>), or null when there is no checkout or no such file.</summary>
    public static string? ReportTemplate(string name)
    {
        try
        {
            var path = Path.Combine(Root(), "reports", "templates", name);
            return File.Exists(path) ? path : null;
        }
        catch (UsageException)
        {
            return null;
        }
    }

    private static bool IsRoot(string dir) =>
        Directory.Exists(Path.Combine(dir, "theory", "catalog")) && Directory.Exists(Path.Combine(dir, "validation"));
}

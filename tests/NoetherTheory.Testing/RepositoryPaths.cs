namespace NoetherTheory.Testing;

/// <summary>Locates the repository root (the folder holding NoetherTheory.sln) from a test's working directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NoetherTheory.sln")))
                return dir.FullName;
        throw new InvalidOperationException(
            $"NoetherTheory.sln not found above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}

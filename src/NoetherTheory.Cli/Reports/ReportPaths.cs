namespace NoetherTheory.Cli.Reports;

/// <summary>How a report names the files it was made from: relative to the repository when they lie inside it, so a kept
/// report reads the same on every machine; absolute only for files outside it (a temporary folder, another disk), where
/// a relative name would point nowhere.</summary>
internal static class ReportPaths
{
    /// <summary><paramref name="path"/> relative to <paramref name="repositoryRoot"/> with '/' separators when it is
    /// inside the repository; otherwise its absolute form. A relative path is kept as given: it names the file relative
    /// to the folder the producing command ran in, which this process cannot know.</summary>
    public static string Display(string path, string? repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || !Path.IsPathFullyQualified(path))
            return path;
        string full = Path.GetFullPath(path);
        if (repositoryRoot is null || !Path.IsPathFullyQualified(repositoryRoot))
            return full;
        string relative = Path.GetRelativePath(Path.GetFullPath(repositoryRoot), full);
        bool outside = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative);
        if (outside)
            return full;
        return relative == "." ? "." : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}

using System.Text.RegularExpressions;
using NoetherTheory.Testing;

namespace NoetherTheory.Architecture.Tests;

/// <summary>Every <c>theory/&lt;file&gt;.md#eq-…</c> citation in code, tests and validation data names an anchor that exists.</summary>
[TestFixture]
public sealed partial class TheoryAnchorTests
{
    [GeneratedRegex(@"theory/(?<file>[0-9A-Za-z_\-]+\.md)#(?<anchor>eq-[0-9]+-[0-9]+)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"<a id=""(?<anchor>eq-[0-9]+-[0-9]+)""></a>")]
    private static partial Regex AnchorDefinition();

    [Test]
    public void EveryCitedAnchor_ExistsInTheory()
    {
        var defined = Directory.EnumerateFiles(RepositoryPaths.Combine("theory"), "*.md")
            .ToDictionary(f => Path.GetFileName(f), f => AnchorDefinition().Matches(File.ReadAllText(f)).Select(m => m.Groups["anchor"].Value).ToHashSet());
        var sources = new[] { "src", "tests", "validation", "theory" }
            .SelectMany(d => Directory.EnumerateFiles(RepositoryPaths.Combine(d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)
                        || f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal))
            .Where(f => !f.Contains("/artifacts/", StringComparison.Ordinal));
        var missing = new List<string>();
        int citations = 0;
        foreach (var file in sources)
        {
            foreach (Match m in Citation().Matches(File.ReadAllText(file)))
            {
                citations++;
                string name = m.Groups["file"].Value, anchor = m.Groups["anchor"].Value;
                if (!defined.TryGetValue(name, out var anchors) || !anchors.Contains(anchor))
                    missing.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: theory/{name}#{anchor}");
            }
        }
        Assert.That(missing, Is.Empty, "citations of theory anchors that do not exist");
        Assert.That(defined.Values.Sum(a => a.Count), Is.GreaterThan(30), "theory/ defines its equation anchors");
    }
}

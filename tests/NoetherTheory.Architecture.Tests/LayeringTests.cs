using System.Reflection;
using NoetherTheory.Testing;

namespace NoetherTheory.Architecture.Tests;

/// <summary>The dependency rules of house-style §3.2, checked on the compiled assemblies.</summary>
[TestFixture]
public sealed class LayeringTests
{
    // What each assembly may reference among ours and among third-party packages (BCL always allowed).
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["NoetherTheory.Core"] = [],
        ["NoetherTheory.Core.Yaml"] = ["NoetherTheory.Core", "YamlDotNet"],
        ["NoetherTheory.Symbolic"] = ["NoetherTheory.Core"],
        ["NoetherTheory.Mechanics"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "NoetherTheory.Symbolic"],
        ["NoetherTheory.Numerics"] = ["NoetherTheory.Core", "MathNet.Numerics"],
        ["NoetherTheory.Simulation"] = ["NoetherTheory.Core", "NoetherTheory.Mechanics", "NoetherTheory.Numerics", "NoetherTheory.Symbolic", "MathNet.Numerics"],
        // Conservation laws discovered from a model's factorisation φ (Lie algebra rank, polynomial kernels).
        ["NoetherTheory.Laws"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "NoetherTheory.Symbolic", "NoetherTheory.Mechanics"],
        ["NoetherTheory.Validation"] = ["NoetherTheory.Core", "NoetherTheory.Numerics", "NoetherTheory.Mechanics", "NoetherTheory.Symbolic", "NoetherTheory.Simulation", "NoetherTheory.Torch", "MathNet.Numerics"],
        ["NoetherTheory.Torch"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "TorchSharp", "SkiaSharp"],
        ["NoetherTheory.Reporting"] = ["NoetherTheory.Core", "OxyPlot", "OxyPlot.SkiaSharp", "SkiaSharp", "SkiaSharp.HarfBuzz", "HarfBuzzSharp"],
        // Benchmarks drive Torch through plain managed types (Torch/Benchmarks/): TorchSharp itself stays out. Core.Yaml for
        // the located error of a declared group that does not fit a benched network.
        ["NoetherTheory.Benchmarks"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "NoetherTheory.Symbolic", "NoetherTheory.Mechanics", "NoetherTheory.Numerics", "NoetherTheory.Torch", "NoetherTheory.Laws"],
        // The CLI (assembly "noether") dispatches and prints: every layer, the command-line and console packages, OxyPlot's
        // line styles (Reporting's SeriesStyle exposes them), no TorchSharp.
        ["noether"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "NoetherTheory.Symbolic", "NoetherTheory.Mechanics", "NoetherTheory.Numerics",
            "NoetherTheory.Simulation", "NoetherTheory.Validation", "NoetherTheory.Laws", "NoetherTheory.Torch", "NoetherTheory.Reporting", "NoetherTheory.Benchmarks",
            "System.CommandLine", "Spectre.Console", "Spectre.Console.Ansi", "OxyPlot"],
    };

    /// <summary>The one assembly that may use TorchSharp (house-style §3.2).</summary>
    private const string TorchAssembly = "NoetherTheory.Torch";

    private static IEnumerable<string> Projects => Allowed.Keys;

    [TestCaseSource(nameof(Projects))]
    public void References_FollowLayeringRules(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var offending = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !IsFramework(n) && !Allowed[assemblyName].Contains(n))
            .ToList();
        Assert.That(offending, Is.Empty, $"{assemblyName} references assemblies its layer may not use");
    }

    [TestCaseSource(nameof(Projects))]
    public void PublicTypes_HaveNoPublicStaticMutableState(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var types = assembly.GetExportedTypes();
        var mutable = types
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsInitOnly && !f.IsLiteral)
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .Concat(types
                .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(p => p.SetMethod is { IsPublic: true })
                .Select(p => $"{p.DeclaringType!.FullName}.{p.Name} (settable property)"))
            .ToList();
        Assert.That(mutable, Is.Empty, "public static fields must be readonly or const, and public static properties must not have a public setter");
    }

    [Test]
    public void EveryProjectUnderSrc_HasALayeringRow()
    {
        var assemblies = Directory.GetFiles(RepositoryPaths.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(AssemblyNameOf).ToList();
        Assert.That(assemblies, Has.Count.GreaterThanOrEqualTo(10), "the scan found the projects");
        Assert.That(assemblies.Where(a => !Allowed.ContainsKey(a)).ToList(), Is.Empty,
            "every src/ project needs a row in LayeringTests.Allowed, so a new project cannot bypass the layering rules");
    }

    [TestCaseSource(nameof(Projects))]
    public void OnlyTorch_ReferencesTorchSharp(string assemblyName)
    {
        bool usesTorchSharp = Assembly.Load(assemblyName).GetReferencedAssemblies().Any(a => a.Name == "TorchSharp");
        if (assemblyName == TorchAssembly)
            Assert.That(usesTorchSharp, Is.True, "sanity: the reference scan sees TorchSharp where it is used");
        else
            Assert.That(usesTorchSharp, Is.False, $"{assemblyName} uses TorchSharp; move that code into {TorchAssembly} behind managed types");
    }

    [Test]
    public void NoFolderUnderSrc_HoldsPython()
    {
        var python = Directory.GetFiles(RepositoryPaths.Combine("src"), "*.py", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f)).ToList();
        Assert.That(python, Is.Empty, "reference scripts live in bench/reference/, not in src/");
        Assert.That(Directory.GetFiles(RepositoryPaths.Combine("bench", "reference"), "*.py"), Is.Not.Empty,
            "sanity: the reference scripts are where the rule sends them");
    }

    private static string AssemblyNameOf(string csproj)
    {
        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(csproj), "<AssemblyName>([^<]+)</AssemblyName>");
        return match.Success ? match.Groups[1].Value : Path.GetFileNameWithoutExtension(csproj);
    }

    private static bool IsFramework(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}

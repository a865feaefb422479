using System.Reflection;

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
        ["NoetherTheory.Validation"] = ["NoetherTheory.Core", "NoetherTheory.Numerics", "NoetherTheory.Mechanics", "NoetherTheory.Symbolic", "NoetherTheory.Simulation", "NoetherTheory.Torch", "MathNet.Numerics"],
        ["NoetherTheory.Torch"] = ["NoetherTheory.Core", "NoetherTheory.Core.Yaml", "TorchSharp", "SkiaSharp"],
        ["NoetherTheory.Reporting"] = ["NoetherTheory.Core", "OxyPlot", "OxyPlot.SkiaSharp", "SkiaSharp", "SkiaSharp.HarfBuzz", "HarfBuzzSharp"],
    };

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

    private static bool IsFramework(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}

using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Torch.Tests;

/// <summary>Symmetry discovery on every network kind: candidates from the structure, verdicts from evidence.</summary>
[TestFixture, Category("Native")]
public sealed class SymmetryDiscoveryTests
{
    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    internal static NetworkConfig Tiny(ModelKind kind) => kind switch
    {
        ModelKind.Vgg11Bn => new NetworkConfig(kind, 3, 8, 4, new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear)),
        ModelKind.ResNet18 => new NetworkConfig(kind, 3, 8, 4, WidthMultiplier: 1.0 / 16),
        _ => new NetworkConfig(kind, 1, 4, 3, Hidden: 6, Depth: 2),
    };

    [TestCase(ModelKind.Vgg11Bn)]
    [TestCase(ModelKind.ResNet18)]
    [TestCase(ModelKind.Mlp)]
    [TestCase(ModelKind.LayerNormNet)]
    public void Print(ModelKind kind)
    {
        var r = SymmetryDiscovery.Run(Tiny(kind));
        foreach (var g in r.Groups)
            TestContext.Out.WriteLine($"{g.Group.Name} {g.Verdict} {g.Cause} 32:{g.Float32.Invariance:E1}/{g.Float32.Gradient:E1} 64:{g.Float64.Invariance:E1}/{g.Float64.Gradient:E1} cf:{g.Counterfactual?.Invariance:E1}/{g.Counterfactual?.Gradient:E1}");
        Assert.That(r.Groups, Is.Not.Empty);
    }
}

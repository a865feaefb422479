using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Torch.Tests;

/// <summary>Symmetry discovery on every network kind: candidates from the structure, verdicts from evidence.</summary>
/// <remarks>Two points with batches of four keep these CPU runs short; the verdict tolerances are the engine's own.</remarks>
[TestFixture, Category("Native")]
public sealed class SymmetryDiscoveryTests
{
    private static readonly DiscoveryOptions Quick = new(Points: 2, BatchSize: 4, Seed: 3);

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    internal static NetworkConfig Tiny(ModelKind kind, double epsilon = 1e-5) => kind switch
    {
        ModelKind.Vgg11Bn => new NetworkConfig(kind, 3, 8, 4, new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear, BatchNormEpsilon: epsilon)),
        ModelKind.ResNet18 => new NetworkConfig(kind, 3, 8, 4, WidthMultiplier: 1.0 / 16, NormEpsilon: epsilon),
        _ => new NetworkConfig(kind, 1, 4, 3, Hidden: 6, Depth: 2, NormEpsilon: epsilon),
    };

    private static Dictionary<string, GroupVerdict> ByName(DiscoveryResult r) => r.Groups.ToDictionary(g => g.Group.Name);

    private static string Show(DiscoveryResult r) => string.Join(Environment.NewLine, r.Groups.Select(g => $"{g.Group.Name}: {g.Verdict} {g.Cause} — {g.Explanation}"));

    [Test]
    public void Vgg11Bn_FindsExactlyTheGroupsTheEngineMeasures_ScaleBrokenByEpsilon_TranslationHolds()
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.Vgg11Bn), Quick);
        using var net = Network.Create(Tiny(ModelKind.Vgg11Bn));
        var measured = ((Vgg11Bn)net.Module).ConvLayers.Select(l => "scale:" + l.Name + ".weight").ToList();   // what FilterMeasurement measures
        var scale = r.Groups.Where(g => g.Group.Kind == GroupKind.Scale && g.Verdict != SymmetryVerdict.Refuted).ToList();
        Assert.That(scale.Select(g => g.Group.Name), Is.EqualTo(measured), Show(r));
        Assert.That(scale.Select(g => (g.Verdict, g.Cause)), Is.All.EqualTo((SymmetryVerdict.Broken, BreakingCause.Epsilon)), Show(r));
        Assert.That(scale.Select(g => g.Group.Dimension), Is.EqualTo(((Vgg11Bn)net.Module).ConvLayers.Select(l => l.Filters)), "one generator per filter");
        var translations = r.Groups.Where(g => g.Group.Kind == GroupKind.Translation).ToList();
        Assert.That(translations.Select(g => (g.Group.Name, g.Verdict)), Is.EqualTo(new[] { ("translation:output", SymmetryVerdict.Holds) }), Show(r));
        // Beyond what is measured today: BN γ, β → ReLU (→ max-pool) → next conv's input channels is an exact rescale.
        var rescale = r.Groups.Where(g => g.Group.Kind == GroupKind.Rescale).ToList();
        Assert.That(rescale, Has.Count.EqualTo(measured.Count));
        Assert.That(rescale.Select(g => g.Verdict), Is.All.EqualTo(SymmetryVerdict.Holds), Show(r));
        Assert.That(r.Groups, Has.Count.EqualTo(2 * measured.Count + 1), "nothing else is proposed");
    }

    [Test]
    public void Vgg11Bn_WithoutEpsilon_EveryScaleGroupHolds_AtFloat32RoundOff()
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.Vgg11Bn, epsilon: 0), Quick);
        var scale = r.Groups.Where(g => g.Group.Kind == GroupKind.Scale).ToList();
        Assert.That(scale, Has.Count.EqualTo(8));
        Assert.That(scale.Select(g => g.Verdict), Is.All.EqualTo(SymmetryVerdict.Holds), Show(r));
        Assert.That(scale.Max(g => g.Float32.Gradient), Is.LessThanOrEqualTo(SymmetryDiscovery.Float32Gradient));
    }

    [Test]
    public void ResNet18_ScaleBrokenByEpsilon_InnerRescaleHolds_RescaleAcrossSkipsBroken()
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.ResNet18), Quick);
        var g = ByName(r);
        // 1 stem + 8 blocks × 2 + 3 projection shortcuts = 20 conv → BN pairs.
        var scale = r.Groups.Where(x => x.Group.Kind == GroupKind.Scale).ToList();
        Assert.That(scale, Has.Count.EqualTo(20));
        Assert.That(scale.Select(x => (x.Verdict, x.Cause)), Is.All.EqualTo((SymmetryVerdict.Broken, BreakingCause.Epsilon)), Show(r));
        var inner = r.Groups.Where(x => x.Group.Name.EndsWith("relu1", StringComparison.Ordinal)).ToList();
        Assert.That(inner, Has.Count.EqualTo(8));
        Assert.That(inner.Select(x => x.Verdict), Is.All.EqualTo(SymmetryVerdict.Holds), Show(r));
        var across = r.Groups.Where(x => x.Group.Name.EndsWith("relu2", StringComparison.Ordinal) || x.Group.Name == "rescale:stem.relu").ToList();
        Assert.That(across, Has.Count.EqualTo(9));
        Assert.That(across.Select(x => (x.Verdict, x.Cause)), Is.All.EqualTo((SymmetryVerdict.Broken, BreakingCause.Skip)), Show(r));
        Assert.That(across.Min(x => x.Float64.Invariance), Is.GreaterThan(1e-3), "the skip breaks the group by far more than round-off");
        Assert.That(g["translation:output"].Verdict, Is.EqualTo(SymmetryVerdict.Holds));
        Assert.That(r.Groups, Has.Count.EqualTo(20 + 17 + 1));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Mlp_Relu_EveryUnitRescaleAndTheTranslationHold(bool bias)
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.Mlp) with { Bias = bias }, Quick);
        Assert.That(r.Groups.Select(g => g.Group.Name), Is.EqualTo(new[] { "rescale:layers.0.relu", "rescale:layers.1.relu", "translation:output" }));
        Assert.That(r.Groups.Select(g => g.Verdict), Is.All.EqualTo(SymmetryVerdict.Holds), Show(r));
        Assert.That(r.Groups[0].Group.Dimension, Is.EqualTo(6));
        Assert.That(r.Groups[0].ParameterCount, Is.EqualTo(6 * 16 + (bias ? 6 : 0) + 6 * 6), "rows, biases and the next layer's columns");
        Assert.That(r.Groups[2].Group.Dimension, Is.EqualTo(6 + (bias ? 1 : 0)), "a shift per feature column, and one for the bias");
    }

    [TestCase(ActivationKind.Tanh)]
    [TestCase(ActivationKind.Gelu)]
    public void Mlp_NonHomogeneousActivation_RescaleIsRefuted_WithItsSize(ActivationKind activation)
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.Mlp) with { Activation = activation }, Quick);
        var rescale = r.Groups.Where(g => g.Group.Kind == GroupKind.Rescale).ToList();
        Assert.That(rescale, Has.Count.EqualTo(2));
        Assert.That(rescale.Select(g => g.Verdict), Is.All.EqualTo(SymmetryVerdict.Refuted), Show(r));
        Assert.That(rescale.Min(g => g.Float64.Gradient), Is.GreaterThan(1e-3), "the violation is reported, far above round-off");
        Assert.That(rescale[0].Explanation, Does.StartWith("refuted: loss changes by up to"));
        Assert.That(ByName(r)["translation:output"].Verdict, Is.EqualTo(SymmetryVerdict.Holds), "the softmax translation does not care about the activation");
    }

    [Test]
    public void LayerNormNet_InvarianceIsPerLayer_NotPerChannel()
    {
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.LayerNormNet), Quick);
        var g = ByName(r);
        for (int i = 0; i < 2; i++)
        {
            string w = $"blocks.{i}.linear.weight";
            Assert.That((g["layer-scale:" + w].Verdict, g["layer-scale:" + w].Cause), Is.EqualTo((SymmetryVerdict.Broken, BreakingCause.Bias)), Show(r));
            Assert.That((g["layer-scale:" + w + "+bias"].Verdict, g["layer-scale:" + w + "+bias"].Cause), Is.EqualTo((SymmetryVerdict.Broken, BreakingCause.Epsilon)), Show(r));
            Assert.That(g["channel-scale:" + w].Verdict, Is.EqualTo(SymmetryVerdict.Refuted), Show(r));
            Assert.That(g[$"translation:blocks.{i}.norm"].Verdict, Is.EqualTo(SymmetryVerdict.Holds), "LayerNorm subtracts the feature mean exactly, ε or not");
            Assert.That(g[$"rescale:blocks.{i}.relu"].Verdict, Is.EqualTo(SymmetryVerdict.Holds));
        }
        var noEpsilon = ByName(SymmetryDiscovery.Run(Tiny(ModelKind.LayerNormNet, epsilon: 0) with { Bias = false }, Quick));
        Assert.That(noEpsilon["layer-scale:blocks.0.linear.weight"].Verdict, Is.EqualTo(SymmetryVerdict.Holds), "no bias, no ε: the per-layer scale is exact");
        Assert.That(noEpsilon["channel-scale:blocks.0.linear.weight"].Verdict, Is.EqualTo(SymmetryVerdict.Refuted), "per channel it never is");
    }

    [Test]
    public void DeclaredGroups_AreDecidedByEvidence_LikeDiscoveredOnes()
    {
        string file = Path.Combine(TestContext.CurrentContext.TestDirectory, "declared-mlp.yaml");
        File.Copy(Path.Combine(RepositoryRoot(), "validation", "models", "declared-mlp.yaml"), file, overwrite: true);
        var r = SymmetryDiscovery.Run(Tiny(ModelKind.Mlp), Quick, d => SymmetryDeclarations.Load(file, d));
        var g = ByName(r);
        Assert.That(g["declared:first-three-units"].Verdict, Is.EqualTo(SymmetryVerdict.Holds), Show(r));
        Assert.That(g["declared:first-three-units"].Group.Dimension, Is.EqualTo(3));
        Assert.That(g["declared:first-three-units"].Group.Origin, Does.Contain("declared-mlp.yaml:"));
        Assert.That((g["declared:rows-without-bias"].Verdict, g["declared:rows-without-bias"].Cause), Is.EqualTo((SymmetryVerdict.Broken, BreakingCause.Bias)), Show(r));
        Assert.That(g["declared:output-rows"].Verdict, Is.EqualTo(SymmetryVerdict.Refuted), Show(r));
    }

    [Test]
    public void Descriptions_MatchTheModules_WithRolesAndFacts()
    {
        using var resnet = Network.Create(Tiny(ModelKind.ResNet18));
        var d = resnet.Description;
        Assert.That(d.Parameters.Count(p => p.Role == ParameterRole.ConvWeight), Is.EqualTo(20));
        Assert.That(d.Parameters.Count(p => p.Role == ParameterRole.NormWeight), Is.EqualTo(20));
        Assert.That(d.Normalisations.Select(n => n.InputWeight), Is.EquivalentTo(d.Parameters.Where(p => p.Role == ParameterRole.ConvWeight).Select(p => p.Name)));
        Assert.That(d.Units.Count(u => u.Skip), Is.EqualTo(9));
        using var ln = Network.Create(Tiny(ModelKind.LayerNormNet));
        Assert.That(ln.Description.Normalisations.Select(n => n.Kind), Is.All.EqualTo(NormalisationKind.Layer));
        Assert.That(ln.Description.Parameters.Select(p => p.Name), Is.EqualTo(new[]
        {
            "blocks.0.linear.weight", "blocks.0.linear.bias", "blocks.0.norm.weight", "blocks.0.norm.bias",
            "blocks.1.linear.weight", "blocks.1.linear.bias", "blocks.1.norm.weight", "blocks.1.norm.bias", "output.weight", "output.bias",
        }));
        using var mlp = Network.Create(Tiny(ModelKind.Mlp) with { Bias = false });
        Assert.That(mlp.Description.Parameters.Select(p => p.Role), Is.All.EqualTo(ParameterRole.LinearWeight));
    }

    [Test]
    public void Slices_ThatDoNotFitTheModel_AreRefusedBeforeLibtorch()
    {
        using var mlp = Network.Create(Tiny(ModelKind.Mlp));
        var d = mlp.Description;
        var badAxis = new SymmetryGroup("bad", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily("layers.0.weight", 2, 1, 0, 1))]], "test");
        Assert.That(() => SymmetryDiscovery.Check(badAxis, d), Throws.ArgumentException.With.Message.Contains("axis 2 of layers.0.weight [6, 16] does not exist"));
        var tooMany = new SymmetryGroup("long", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily("layers.0.bias", 0, 1, 4, 3))]], "test");
        Assert.That(() => SymmetryDiscovery.Check(tooMany, d), Throws.ArgumentException.With.Message.Contains("do not fit layers.0.bias [6]"));
        Assert.That(() => SymmetryDiscovery.Run(Tiny(ModelKind.Mlp), Quick, _ => [tooMany]), Throws.ArgumentException);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NoetherTheory.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above the test directory");
    }
}

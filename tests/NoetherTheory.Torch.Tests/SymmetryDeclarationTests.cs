using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Torch.Tests;

/// <summary>The declaration schema and the model-file loader: every error is located (no libtorch needed).</summary>
[TestFixture]
public sealed class SymmetryDeclarationTests
{
    // A hand-written description of a 2-layer MLP (16 → 6 → 3 with biases), so these tests need no libtorch.
    private static readonly ModelDescription Model = new("mlp", [
            new("layers.0.weight", [6, 16], ParameterRole.LinearWeight), new("layers.0.bias", [6], ParameterRole.LinearBias),
            new("output.weight", [3, 6], ParameterRole.LinearWeight), new("output.bias", [3], ParameterRole.LinearBias)],
        [], [], "output.weight", "output.bias", [1, 4, 4], 3);

    [Test]
    public void Parse_ReadsActionSlicesAndPowers()
    {
        var groups = SymmetryDeclarations.Parse(
            "groups:\n  - name: r\n    action: scale\n    tensors:\n      - parameter: layers.0.weight\n        axis: 0\n        start: 1\n        count: 2\n" +
            "      - parameter: output.weight\n        axis: 1\n        start: 1\n        count: 2\n        power: -1\n" +
            "  - name: t\n    action: translate\n    tensors:\n      - parameter: output.bias\n", "d.yaml", Model);
        Assert.That(groups.Select(g => (g.Name, g.Kind, g.Dimension)), Is.EqualTo(new[] { ("declared:r", GroupKind.Rescale, 2L), ("declared:t", GroupKind.Translation, 1L) }));
        Assert.That(groups[0].Components[0][1].Slices, Is.EqualTo(new SliceFamily("output.weight", 1, 1, 1, 2)));
        Assert.That(groups[0].ParameterCount(Model), Is.EqualTo(2 * 16 + 2 * 3));
        Assert.That(groups[0].Origin, Is.EqualTo("declared in d.yaml:2"));
    }

    [TestCase("groups: []\n", "d.yaml:1:9", "at least one group")]
    [TestCase("group: []\n", "d.yaml:1:1", "missing field 'groups'")]
    [TestCase("groups:\n  - name: a\n    tensors:\n      - parameter: output.bias\n", "d.yaml:2:5", "groups[0].action")]
    [TestCase("groups:\n  - name: a\n    action: rotate\n    tensors:\n      - parameter: output.bias\n", "d.yaml:3:13", "groups[0].action")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: layers.9.weight\n", "d.yaml:5:20", "no parameter 'layers.9.weight'")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n        axis: 1\n", "d.yaml:6:15", "has axes 0…0")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n        axis: 0\n        count: 4\n", "d.yaml:5:9", "do not fit output.bias [3]")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n        axis: 0\n      - parameter: layers.0.bias\n        axis: 0\n", "d.yaml:7:9", "has 6 slice(s) but tensors[0] has 3")]
    [TestCase("groups:\n  - name: a\n    action: translate\n    tensors:\n      - parameter: output.bias\n        power: 2\n", "d.yaml:6:16", "no power")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n        power: 0\n", "d.yaml:5:9", "non-zero")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n        slice: 0\n", "d.yaml:6:9", "unknown field 'groups[0].tensors[0].slice'")]
    [TestCase("groups:\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n  - name: a\n    action: scale\n    tensors:\n      - parameter: output.bias\n", "d.yaml:6:11", "declared twice")]
    public void Parse_Errors_NameFileLineAndField(string yaml, string location, string what)
    {
        Assert.That(() => SymmetryDeclarations.Parse(yaml, "d.yaml", Model),
            Throws.TypeOf<YamlInputException>().With.Message.StartsWith(location).And.Message.Contains(what));
    }

    [Test]
    public void ModelFile_ReadsEachKind_AndATrainingConfigsModelSection()
    {
        var resnet = NetworkConfigLoader.Parse("kind: resnet18\ninput_size: 8\nclasses: 4\nwidth: 0.0625\ndepth: 1\n", "m.yaml");
        Assert.That(resnet, Is.EqualTo(new NetworkConfig(ModelKind.ResNet18, 3, 8, 4, WidthMultiplier: 0.0625, Depth: 1)));
        var mlp = NetworkConfigLoader.Parse("kind: mlp\nhidden: 5\nbias: false\nactivation: gelu\n", "m.yaml");
        Assert.That((mlp.Kind, mlp.Hidden, mlp.Bias, mlp.Activation), Is.EqualTo((ModelKind.Mlp, 5, false, ActivationKind.Gelu)));
        var train = NetworkConfigLoader.Parse("steps: 5\noptimizer:\n  lr: 0.1\ndataset:\n  kind: synthetic\n  synthetic:\n    size: 8\n    classes: 4\nmodel:\n  width: 0.125\n  head: gap\n", "t.yaml");
        Assert.That((train.Kind, train.InputChannels, train.InputSize, train.Classes, train.VggOptions.WidthMultiplier, train.VggOptions.Head),
            Is.EqualTo((ModelKind.Vgg11Bn, 3, 8, 4, 0.125, Vgg11BnHead.GapLinear)));
    }

    [TestCase("kind: vgg12\n", "m.yaml:1:7", "model.kind")]
    [TestCase("kind: mlp\nepsilon: 0.1\n", "m.yaml:2:1", "unknown field 'model.epsilon'")]
    [TestCase("kind: layernorm-net\ndepth: 0\n", "m.yaml:2:8", "model.depth")]
    [TestCase("kind: resnet18\nclasses: 1\n", "m.yaml:2:10", "model.classes")]
    public void ModelFile_Errors_AreLocated(string yaml, string location, string what)
    {
        Assert.That(() => NetworkConfigLoader.Parse(yaml, "m.yaml"), Throws.TypeOf<YamlInputException>().With.Message.StartsWith(location).And.Message.Contains(what));
    }
}

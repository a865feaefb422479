using System.Globalization;
using NoetherTheory.Core.Documents;
using NoetherTheory.Core.RunLogs;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>The BN-ε prediction per scale group (theory/08-group-laws.md#eq-8-4) over CPU training runs: it holds at
/// round-off on ResNet-18, a perturbed prediction (c + 1, a wrong ε) or a NaN is caught, a run without predictions keeps
/// its old outputs, and on VGG11-BN the numbers are the filter checks' on filters.csv.</summary>
[TestFixture, Category("Native")]
public sealed class GroupEpsilonLawsTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable on this machine:" + Environment.NewLine + info.Trace);
    }

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-groups-eps-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private const double Epsilon = 0.1;

    private static readonly GroupMeasurementConfig Auto = new(true, [], []);

    // Each predicted generator-step with its prediction replaced by f(prediction, c).
    private static GroupRun Perturbed(GroupRun run, Func<GeneratorPrediction, double> predicted) => run with
    {
        Predictions = run.Predictions.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IReadOnlyList<GeneratorPrediction>>)
            [.. kv.Value.Select(gen => (IReadOnlyList<GeneratorPrediction>)[.. gen.Select(p => p with { Predicted = predicted(p) })])], StringComparer.Ordinal),
    };

    [Test]
    public void ResNet18_PredictionHoldsAtRoundOff_AndEveryPerturbationIsCaught()
    {
        var config = GroupLawRunTests.Tiny(new NetworkConfig(ModelKind.ResNet18, WidthMultiplier: 1.0 / 16, Depth: 1, NormEpsilon: Epsilon), Auto);
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "resnet")));
        var run = GroupRun.Read(result.RunDirectory);
        var report = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config));
        foreach (var e in report.Epsilon)
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{e.Name}: residual median {e.Epsilon.Residual.Median:E2} max {e.Epsilon.Residual.Max:E2}; relative error median {e.Epsilon.RelativeError.Median:E2} max {e.Epsilon.RelativeError.Max:E2} (n = {e.Epsilon.ResolvedSamples} of {e.Epsilon.Samples})"));
        var scale = run.Groups.Where(g => g.Measured && g.Kind == "scale").Select(g => g.Name).ToList();
        Assert.That(report.Epsilon.Select(e => e.Name), Is.EqualTo(scale), "every measured BN scale group (stem, blocks, shortcuts), in discovery order");
        Assert.That(scale, Has.Some.Contains("shortcut"));
        Assert.That(report.Epsilon.Select(e => e.Verdict), Has.All.EqualTo("broken"));
        Assert.That(report.Epsilon.Select(e => e.Holds), Has.All.True);
        Assert.That(report.Epsilon.Select(e => e.Epsilon.ResolvedSamples), Has.All.GreaterThan(0), "ε = 0.1 resolves the violation");
        Assert.That(report.Passed, Is.True);
        var (text, document) = GroupCheckDocuments.Check(result.RunDirectory, config, "resnet");
        Assert.That(text, Does.Contain("BN-ε prediction per scale group").And.Contain("prediction holds").And.Not.Contain("FAILS"));
        Assert.That(document.EpsilonLaws!.Select(e => e.Group), Is.EqualTo(scale));
        Assert.That(document.EpsilonLaws!.Select(e => e.Holds), Has.All.True);

        // c + 1 in place of c, or ε = 0.2 in place of 0.1, moves every prediction by far more than round-off.
        var shifted = GroupChecks.Analyse(Perturbed(run, p => p.Predicted * (p.BatchVariance + Epsilon) / (p.BatchVariance + 1 + Epsilon)), GroupChecks.SettingsFor(config));
        Assert.That(shifted.Epsilon.Select(e => e.Holds), Has.All.False, "c + 1 is caught in every group");
        Assert.That(shifted.Passed, Is.False);
        var wrongEpsilon = GroupChecks.Analyse(Perturbed(run, p => p.Predicted * (0.2 / (p.BatchVariance + 0.2)) / (Epsilon / (p.BatchVariance + Epsilon))),
            GroupChecks.SettingsFor(config));
        Assert.That(wrongEpsilon.Epsilon.Select(e => e.Holds), Has.All.False, "a wrong ε is caught in every group");

        // One NaN prediction fails its group (the statistics would drop it) and the run.
        var first = run.Predictions.First();
        var withNaN = run with
        {
            Predictions = run.Predictions.ToDictionary(kv => kv.Key, kv => kv.Key != first.Key ? kv.Value
                : (IReadOnlyList<IReadOnlyList<GeneratorPrediction>>)[[kv.Value[0][0] with { Predicted = double.NaN }, .. kv.Value[0].Skip(1)], .. kv.Value.Skip(1)],
                StringComparer.Ordinal),
        };
        var nan = GroupChecks.Analyse(withNaN, GroupChecks.SettingsFor(config));
        var failed = nan.Epsilon.Single(e => !e.Holds);
        Assert.That(failed.Name, Is.EqualTo(first.Key));
        Assert.That(failed.FirstNonFinite, Does.Contain("wg_pred = NaN"));
        Assert.That(nan.Passed, Is.False);
        Assert.That(GroupCheckText.Format(nan), Does.Contain("PREDICTION FAILS").And.Contain("verdict: FAIL"));

        // A run folder without groups-bn.csv (written before the predictions were logged) reads and checks as before.
        File.Delete(Path.Combine(result.RunDirectory, GroupLogSchema.PredictionsFile));
        var (oldText, old) = GroupCheckDocuments.Check(result.RunDirectory, config, "resnet");
        Assert.That(old.EpsilonLaws, Is.Null);
        Assert.That(ResultDocuments.Serialize(old), Does.Not.Contain("epsilonLaws"));
        Assert.That(oldText, Does.Not.Contain("BN-ε"));
        Assert.That(ResultDocuments.Serialize(old), Is.EqualTo(ResultDocuments.Serialize(document with { EpsilonLaws = null })), "the other fields do not change");
    }

    [Test]
    public void Vgg_GroupEpsilonNumbers_AreTheFilterChecksEpsilonNumbers()
    {
        var tiny = GroupLawRunTests.Tiny(null, new GroupMeasurementConfig(false, [GroupKind.Scale], []));
        var config = tiny with { Model = tiny.Model with { BatchNormEpsilon = Epsilon } };
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "vgg")));
        var run = GroupRun.Read(result.RunDirectory);
        var filterReport = FilterChecks.Analyse(FilterCsv.Read(Path.Combine(result.RunDirectory, RunLogSchema.FiltersFile)), FilterCheckValidation.SettingsFor(config));
        var groups = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config)).Epsilon;
        Assert.That(groups.Select(g => g.Name), Is.EqualTo(filterReport.Layers.Select(l => "scale:" + l.Layer + ".weight")));
        Assert.That(filterReport.EpsilonIdentityHolds, Is.True);
        foreach (var layer in filterReport.Layers)
        {
            var g = groups.Single(x => x.Name == "scale:" + layer.Layer + ".weight");
            var (a, b) = (g.Epsilon, layer.Epsilon);
            Assert.That(a.Samples, Is.EqualTo(b.Samples).And.GreaterThan(0), layer.Layer);
            Assert.That(a.ResolvedSamples, Is.EqualTo(b.ResolvedSamples).And.GreaterThan(0), layer.Layer);
            Assert.That(new[] { a.Violation, a.Residual, a.RelativeError }, Is.EqualTo(new[] { b.Violation, b.Residual, b.RelativeError }), layer.Layer);
            Assert.That(g.Holds, Is.True, layer.Layer);
        }
    }
}

using System.Globalization;
using NoetherTheory.Core.RunLogs;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using NoetherTheory.Torch.Symmetries;
using NoetherTheory.Validation.DeepNet;

namespace NoetherTheory.Validation.Tests.DeepNet;

/// <summary>CPU training runs of every model with every discovered group measured at every step, checked against the exact
/// laws of theory/08-group-laws.md.</summary>
[TestFixture, Category("Native")]
public sealed class GroupLawRunTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable on this machine:" + Environment.NewLine + info.Trace);
    }

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-groups-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static readonly GroupMeasurementConfig Auto = new(true, [], []);

    internal static TrainingConfig Tiny(NetworkConfig? network, GroupMeasurementConfig? groups, long steps = 6) => new(
        Name: "groups", Seed: 3,
        Dataset: new DatasetConfig(DatasetKind.Synthetic, Synthetic: new SyntheticImageOptions(64, 32, 3, 8, 4, 9)),
        Augmentation: new AugmentationOptions(0, false),
        Model: new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear, HiddenWidth: 16),
        Optimizer: new HeavyBallOptions(0.9, 0, 5e-4),
        Schedule: new LearningRateSchedule(0.05, [4], 0.5),
        ConstrainFilterNorms: false, BatchSize: 16, Steps: steps, LogEvery: 1, MeasureEvery: 1, CheckpointEvery: 3,
        Network: network, Groups: groups);

    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData(new NetworkConfig(ModelKind.Mlp, Hidden: 8, Depth: 2)).SetArgDisplayNames("mlp");
        yield return new TestCaseData(new NetworkConfig(ModelKind.Mlp, Hidden: 8, Depth: 2, Bias: false)).SetArgDisplayNames("mlp-nobias");
        yield return new TestCaseData(new NetworkConfig(ModelKind.ResNet18, WidthMultiplier: 1.0 / 16, Depth: 1)).SetArgDisplayNames("resnet");
        yield return new TestCaseData(new NetworkConfig(ModelKind.LayerNormNet, Hidden: 8, Depth: 2)).SetArgDisplayNames("layernorm");
        yield return new TestCaseData(null).SetArgDisplayNames("vgg11-bn");
    }

    [TestCaseSource(nameof(Models))]
    public void Train_MeasureAuto_EveryExactLawHolds(NetworkConfig? network)
    {
        var config = Tiny(network, Auto);
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "run")));
        var run = GroupRun.Read(result.RunDirectory);
        var report = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config));
        string Describe() => string.Join(Environment.NewLine, report.Groups.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Name} [{g.Verdict}/{g.Cause}] pairs {g.Pairs} Q {g.ChargeRecursion.Max:E2} B {g.VelocityRecursion.Max:E2} identity median {g.Identity.Median:E2} max {g.Identity.Max:E2}")));
        TestContext.Out.WriteLine(Describe());
        Assert.That(run.Groups.Where(g => g.Measured), Is.Not.Empty);
        Assert.That(run.Groups.Where(g => g.Measured).Select(g => g.Verdict), Has.None.EqualTo("refuted"), "refuted groups are not measured");
        Assert.That(report.Groups.Select(g => g.Pairs), Has.All.GreaterThan(0));
        Assert.That(report.Passed, Is.True, Describe());
        Assert.That(report.Groups.Where(g => g.Verdict == "holds"), Is.Not.Empty, "every model has an exact group (at least the softmax translation)");
    }

    [Test]
    public void Train_Resume_ReproducesTheGroupLog()
    {
        var config = Tiny(new NetworkConfig(ModelKind.ResNet18, WidthMultiplier: 1.0 / 16, Depth: 1), Auto);
        Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "full")));
        string crashed = Path.Combine(_root, "crashed");
        using var cts = new CancellationTokenSource();
        var stop = new Progress(p => { if (p.Step >= 4) cts.Cancel(); });
        Assert.That(() => Trainer.Run(config, new TrainingRunOptions(crashed, CheckpointOnCancel: false), stop, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        var resumed = Trainer.Run(config, new TrainingRunOptions(crashed, Resume: true));
        Assert.That(resumed.ResumedFromStep, Is.EqualTo(3));
        foreach (string csv in new[] { RunLogSchema.MetricsFile, GroupLogSchema.GroupsFile, GroupLogSchema.SymmetriesFile, GroupLogSchema.PredictionsFile })
            Assert.That(File.ReadAllText(Path.Combine(crashed, csv)), Is.EqualTo(File.ReadAllText(Path.Combine(_root, "full", csv))), csv);
    }

    [Test]
    public void Train_Vgg_ScaleAndTranslation_AreTodaysGroups_WithTheNumbersOfFiltersCsv()
    {
        var config = Tiny(null, new GroupMeasurementConfig(false, [GroupKind.Scale, GroupKind.Translation], []));
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "vgg")));
        var run = GroupRun.Read(result.RunDirectory);
        using var vgg = new Vgg11Bn(config.Model with { InputChannels = 3, InputSize = 8, Classes = 4 });
        var today = vgg.ConvLayers.Select(l => "scale:" + l.Name + ".weight").Append("translation:output").ToList();
        Assert.That(run.Groups.Where(g => g.Measured).Select(g => g.Name), Is.EqualTo(today), "exactly the convs FilterMeasurement measures and the output translation");

        // Every filter's |w|², |g|², |v|², ⟨w,g⟩, ⟨w,v⟩ equal filters.csv's, bit for bit (the same float64 reductions).
        var filters = File.ReadLines(Path.Combine(result.RunDirectory, RunLogSchema.FiltersFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(filters, Is.Not.Empty);
        foreach (var f in filters)
        {
            long step = long.Parse(f[0], CultureInfo.InvariantCulture);
            var s = run.Samples["scale:" + f[1] + ".weight"][int.Parse(f[2], CultureInfo.InvariantCulture)].Single(x => x.Step == step);
            double P(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            Assert.That(new[] { s.Q, s.G2, s.V2, s.G, s.B }, Is.EqualTo(new[] { P(3), P(4), P(5), P(6), P(7) }), $"{f[1]} filter {f[2]} step {step}");
        }
        // The translation charge: Σ_j (Σ_c W_cj)² is metrics.csv's translation_w2. The group path sums the classes in float32
        // (GroupMeasurement's batched product; metrics.csv's sums are float64): each class sum rounds by ≤ 3·2⁻²⁴ of Σ_c|W_cj| over
        // the 4 classes, so w2 agrees to ~1e-7 relative at random weights (3e-8 measured); 1e-6 relative leaves a margin.
        foreach (var m in File.ReadLines(Path.Combine(result.RunDirectory, RunLogSchema.MetricsFile)).Skip(1).Select(l => l.Split(',')))
        {
            long step = long.Parse(m[0], CultureInfo.InvariantCulture);
            var columns = run.Samples["translation:output"];
            double w2 = columns.Take(columns.Count - 1).Sum(c => Math.Pow(c.Single(x => x.Step == step).Q, 2));
            double bias = columns[^1].Single(x => x.Step == step).Q;
            Assert.That(w2, Is.EqualTo(double.Parse(m[5], CultureInfo.InvariantCulture)).Within(1e-4).Percent, $"step {step} translation_w2");
            Assert.That(bias, Is.EqualTo(double.Parse(m[7], CultureInfo.InvariantCulture)).Within(1e-10).Percent, $"step {step} bias_sum");
        }

        // The recursion errors of the new path are those of the filter checks on the same run.
        var filterReport = FilterChecks.Analyse(FilterCsv.Read(Path.Combine(result.RunDirectory, RunLogSchema.FiltersFile)),
            new FilterCheckSettings(0.05, 0.9, 5e-4, 0, false, false, false, config.Model.BatchNormEpsilon, 4));
        var groupReport = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config));
        foreach (var layer in filterReport.Layers)
        {
            var g = groupReport.Groups.Single(x => x.Name == "scale:" + layer.Layer + ".weight");
            Assert.That(layer.RecursionWeightNorm.Max, Is.LessThanOrEqualTo(g.ChargeRecursion.Max), layer.Layer + ": the group path covers the filter checks' pairs (and more: past the milestone)");
            Assert.That(g.ChargeRecursion.Max, Is.LessThanOrEqualTo(GroupChecks.RecursionTolerance), layer.Layer);
        }

        // Green's law, Eq. 17 and the regime per scale group are the filter checks' numbers on the same run.
        var (settings, why) = GroupContinuousLaws.SettingsFor(config);
        Assert.That(why, Is.Null);
        var continuous = GroupContinuousLaws.Analyse(run, settings!);
        Assert.That(continuous.Select(c => c.Name), Is.EqualTo(filterReport.Layers.Select(l => "scale:" + l.Layer + ".weight")));
        foreach (var layer in filterReport.Layers)
        {
            var c = continuous.Single(x => x.Name == "scale:" + layer.Layer + ".weight");
            Assert.That(c.Generators, Is.EqualTo(layer.Filters), layer.Layer);
            Assert.That(new[] { c.GreenLaw.Median, c.GreenLaw.Max, c.Eq17.Median, c.Eq17.Max, c.PersistenceIndex },
                Is.EqualTo(new[] { layer.GreenLaw.Median, layer.GreenLaw.Max, layer.Eq17.Median, layer.Eq17.Max, layer.PersistenceIndex }), layer.Layer);
            Assert.That(c.GreenLaw.Count, Is.GreaterThan(0), layer.Layer + ": the law was evaluated");
        }
        var (text, document) = GroupCheckDocuments.Check(result.RunDirectory, config, "vgg");
        Assert.That(document.ContinuousLaws, Has.Count.EqualTo(filterReport.Layers.Count));
        Assert.That(text, Does.Contain("continuous laws per scale group").And.Contain("Eq. 17"));

        // A moved |v|² drive (the Green law's input) moves the Green error: the comparison reads the group's numbers.
        var moved = run with
        {
            Samples = run.Samples.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IReadOnlyList<GeneratorSample>>)
                [.. kv.Value.Select(gen => (IReadOnlyList<GeneratorSample>)[.. gen.Select(x => x with { V2 = x.V2 * 1.5 })])]),
        };
        var movedLaws = GroupContinuousLaws.Analyse(moved, settings!);
        Assert.That(movedLaws.Zip(continuous).Any(p => p.First.GreenLaw.Median != p.Second.GreenLaw.Median), Is.True,
            "the Green error depends on the measured |v|²");
    }

    [Test]
    public void ContinuousLaws_AreNotAnalysed_ForAdam_WithTheReason()
    {
        var config = Tiny(null, Auto) with { Adam = new AdamOptions(WeightDecay: 0.01, Decoupled: true) };
        var (settings, why) = GroupContinuousLaws.SettingsFor(config);
        Assert.That(settings, Is.Null);
        Assert.That(why, Does.Contain("Adam"));
        Assert.That(GroupContinuousLaws.Format([], why), Does.Contain("not analysed").And.Contain("Adam"));
    }

    [Test]
    public void Train_DeclaredGroups_AreDecidedMeasuredAndChecked_TheRefutedOneIsNotMeasured()
    {
        string declared = Path.Combine(_root, "declared.yaml");
        File.WriteAllText(declared, """
            groups:
              - name: first-two-units
                action: scale
                tensors:
                  - parameter: layers.0.weight
                    axis: 0
                    count: 2
                  - parameter: layers.0.bias
                    axis: 0
                    count: 2
                  - parameter: layers.1.weight
                    axis: 1
                    count: 2
                    power: -1
              - name: output-rows
                action: scale
                tensors:
                  - parameter: output.weight
                    axis: 0
            """);
        var config = Tiny(new NetworkConfig(ModelKind.Mlp, Hidden: 8, Depth: 2), new GroupMeasurementConfig(false, [GroupKind.Rescale, GroupKind.Scale], [declared]));
        var result = Trainer.Run(config, new TrainingRunOptions(Path.Combine(_root, "declared")));
        var run = GroupRun.Read(result.RunDirectory);
        var first = run.Groups.Single(g => g.Name == "declared:first-two-units");
        var output = run.Groups.Single(g => g.Name == "declared:output-rows");
        Assert.That((first.Verdict, first.Measured), Is.EqualTo(("holds", true)));
        Assert.That((output.Verdict, output.Measured), Is.EqualTo(("refuted", false)));
        Assert.That(run.Groups.Where(g => g.Kind == "translation").Select(g => g.Measured), Has.All.False, "translation not selected");
        var report = GroupChecks.Analyse(run, GroupChecks.SettingsFor(config));
        var check = report.Groups.Single(g => g.Name == first.Name);
        Assert.That(check.Generators, Is.EqualTo(2));
        Assert.That(report.RecursionHolds(check) && report.IdentityHolds(check) == true, Is.True);
        Assert.That(report.Passed, Is.True);
    }

    [Test]
    public void MeasuredRefutedGroup_FailsTheIdentity()
    {
        // The tanh rescales are refuted by discovery; measured anyway (the TrainingStep API measures what it is given) and
        // checked as if they held, the identity check must fail on them while the recursion (the optimizer's algebra) holds.
        var network = new NetworkConfig(ModelKind.Mlp, InputChannels: 3, InputSize: 8, Classes: 4, Hidden: 8, Depth: 2, Activation: ActivationKind.Tanh);
        var verdicts = SymmetryDiscovery.Run(network).Groups;
        var refuted = verdicts.Where(v => v.Verdict == SymmetryVerdict.Refuted).Select(v => v.Group).ToList();
        Assert.That(refuted, Is.Not.Empty);
        Assert.That(refuted.Select(g => g.Kind), Has.All.EqualTo(GroupKind.Rescale));
        TorchSharp.torch.manual_seed(1);
        using var net = Network.Create(network);
        using var hb = new HeavyBall(net.Module.parameters(), new HeavyBallOptions(0.9, 0, 5e-4));
        using var step = new TrainingStep(net, hb, new TrainingStepOptions(), groups: refuted);
        using var data = SyntheticImages.Create(new SyntheticImageOptions(64, 32, 3, 8, 4, 9));
        var samples = refuted.ToDictionary(g => g.Name, g => new List<List<GeneratorSample>>(), StringComparer.Ordinal);
        var rates = new Dictionary<long, double>();
        for (long n = 0; n < 5; n++)
        {
            using var idx = TorchSharp.torch.arange(n * 8, n * 8 + 16);
            var logged = step.Run(n, data.Train, idx, 0.05, StepLogging.LogAndMeasure)!;
            rates[n] = 0.05;
            foreach (var g in logged.Groups!.Groups)
                for (int i = 0; i < g.Generators.Count; i++)
                {
                    var list = samples[g.Group];
                    while (list.Count <= i) list.Add([]);
                    var x = g.Generators[i];
                    list[i].Add(new GeneratorSample(n, x.Charge, x.ChargeVelocity, x.ChargeGradient, x.VelocityCharge, x.WeightScale, x.GradientScale, x.VelocityScale));
                }
        }
        var run = new GroupRun([.. refuted.Select(g => new GroupEntry(g.Name, "rescale", "holds", "none", g.Dimension, true))],
            samples.ToDictionary(p => p.Key, p => (IReadOnlyList<IReadOnlyList<GeneratorSample>>)[.. p.Value], StringComparer.Ordinal), rates);
        var report = GroupChecks.Analyse(run, new GroupCheckSettings(0.9, 5e-4));
        foreach (var g in report.Groups)
        {
            Assert.That(report.RecursionHolds(g), Is.True, g.Name + ": the recursion is the optimizer's algebra");
            Assert.That(report.IdentityHolds(g), Is.False, string.Create(CultureInfo.InvariantCulture, $"{g.Name}: identity median {g.Identity.Median:E2}"));
        }
        Assert.That(report.Passed, Is.False);
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Measurement;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Symmetries;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Tests;

/// <summary>
/// <see cref="GroupMeasurement"/> against the definitions of its quantities (theory/08-group-laws.md#eq-8-1, #eq-8-2),
/// evaluated on the host in float64 from the parameters, gradients and momentum buffers: discovered groups of a LayerNorm
/// net and of VGG11-BN (whose conv scale groups reuse the filter measurement), and hand-made groups that slice along inner
/// axes, in blocks, from an offset and with powers other than ±1.
/// </summary>
[TestFixture, Category("Native")]
public sealed class GroupMeasurementTests
{
    /// <summary>
    /// Agreement of a measured value with its float64 definition, relative to its Cauchy–Schwarz scale. The libtorch path sums
    /// each index's K products in float32 (K ≤ 300 here; rows in float64), a relative rounding of about √K·2⁻²⁴ ≈ 1e-6 at
    /// worst in practice; the host kernel at most 32 per float32 lane (≤ 1.9e-6); a wrong power, slice or tensor changes a
    /// value by O(1) of its scale.
    /// </summary>
    private const double Float32Accumulation = 1e-5;

    [OneTimeSetUp]
    public void RequireTorch() => TorchTestEnvironment.RequireTorch();

    private static readonly NetworkConfig LayerNorm = new(ModelKind.LayerNormNet, 3, 8, 4, Hidden: 16, Depth: 2);
    private static readonly NetworkConfig Vgg = new(ModelKind.Vgg11Bn, 3, 8, 4, Vgg: new Vgg11BnOptions(WidthMultiplier: 1.0 / 16, Head: Vgg11BnHead.GapLinear));

    private static List<SymmetryGroup> Discovered(NetworkConfig config) =>
        [.. SymmetryDiscovery.Run(config, new DiscoveryOptions(Points: 1, Seed: 2)).Groups.Where(v => v.Verdict != SymmetryVerdict.Refuted).Select(v => v.Group)];

    // Groups that are no symmetry (the measurement does not care): inner axes, blocks, offsets, powers ±2, one tensor in
    // several tables, a translation and a scale sharing a table.
    private static List<SymmetryGroup> HandMade(Network network)
    {
        var d = network.Description;
        var linear = d.Parameters.Where(p => p.Role == ParameterRole.LinearWeight).ToList();
        var first = linear[0];
        var output = linear[^1];
        return
        [
            new("hand:blocks", GroupKind.Rescale, GroupAction.Scale,
            [
                [new GroupTensor(new SliceFamily(first.Name, 1, 3, 2, 4), 2), new GroupTensor(new SliceFamily(output.Name, 0, 1, 0, 4), -2)],
            ], "test"),
            new("hand:translate-columns", GroupKind.Translation, GroupAction.Translate,
            [
                [new GroupTensor(new SliceFamily(first.Name, 1, 1, 5, 7))],
                [new GroupTensor(new SliceFamily(output.Name, null, 1, 0, 1))],
            ], "test"),
            new("hand:scale-columns", GroupKind.Scale, GroupAction.Scale,
            [
                [new GroupTensor(new SliceFamily(first.Name, 1, 1, 5, 7))],
            ], "test"),
        ];
    }

    private static List<SymmetryGroup> ConvInnerAxis(Network network)
    {
        var conv = network.Description.Parameters.First(p => p.Role == ParameterRole.ConvWeight && p.Shape[1] > 3);
        return
        [
            new("hand:conv-axis1", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(conv.Name, 1, 1, 0, conv.Shape[1]), 1)]], "test"),
            new("hand:conv-axis2", GroupKind.Translation, GroupAction.Translate, [[new GroupTensor(new SliceFamily(conv.Name, 2, 1, 1, 2))]], "test"),
        ];
    }

    [TestCase(true, TestName = "{m}: host kernel")]
    [TestCase(false, TestName = "{m}: libtorch reductions")]
    public void Pack_LayerNormNet_DiscoveredAndHandMadeGroups_MatchTheFloat64Definitions(bool hostKernel)
    {
        using var scope = NewDisposeScope();
        var (network, optimizer) = Trained(LayerNorm);
        using var n = network;
        using var o = optimizer;
        var groups = Discovered(LayerNorm).Concat(HandMade(network)).ToList();
        using var measurement = new GroupMeasurement(groups, network.Module.named_parameters(), optimizer, hostKernel: hostKernel);
        var measured = measurement.Unpack(7, measurement.Pack().cpu().data<double>().ToArray());
        var host = Host(network, optimizer);
        Assert.That(measured.Step, Is.EqualTo(7));
        AssertMatches(measured, groups, host);
        Assert.That(measurement.TableCount, Is.LessThan(groups.Sum(g => g.Components.Sum(c => c.Count))), "groups share tables");
    }

    [TestCase(true, TestName = "{m}: host kernel")]
    [TestCase(false, TestName = "{m}: libtorch reductions")]
    public void Pack_Vgg_ReusesTheFilterGramMatrices_AndInnerConvAxesMatch(bool hostKernel)
    {
        using var scope = NewDisposeScope();
        var (network, optimizer) = Trained(Vgg);
        using var n = network;
        using var o = optimizer;
        var groups = Discovered(Vgg).Concat(ConvInnerAxis(network)).ToList();
        using var filters = new FilterMeasurement((Vgg11Bn)network.Module, optimizer);
        using var measurement = new GroupMeasurement(groups, network.Module.named_parameters(), optimizer, filters, hostKernel);
        var filterPack = filters.Pack();
        var shared = measurement.Unpack(3, measurement.Pack(filterPack).cpu().data<double>().ToArray());
        var own = measurement.Unpack(3, measurement.Pack().cpu().data<double>().ToArray());
        AssertMatches(shared, groups, Host(network, optimizer));
        var fm = filters.Unpack(3, filterPack.cpu().data<double>().ToArray());
        foreach (var layer in fm.Layers)
        {
            var g = shared.Groups.Single(x => x.Group == "scale:" + layer.Name + ".weight");
            Assert.That(g.Generators.Select(x => x.WeightScale), Is.EqualTo(layer.Filters.WeightNormSq), layer.Name + ": the filter measurement's |w|², bit for bit");
            Assert.That(g.Generators.Select(x => x.ChargeGradient), Is.EqualTo(layer.Filters.WeightDotGrad), layer.Name + ": its ⟨w,g⟩");
        }
        // Without the filter pack the same tables are computed here, in float32 accumulation.
        AssertMatches(own, groups, Host(network, optimizer));
    }

    [TestCase(true, TestName = "{m}: host kernel")]
    [TestCase(false, TestName = "{m}: libtorch reductions")]
    public void Pack_RowsLongerThanAChunk_AreSplitAndSummed(bool hostKernel)
    {
        // 5×13×13 inputs: the first layer's rows have K = 845 elements, cut into 5 sub-rows of 169 (the smallest divisor of
        // 845 leaving chunks of at most 512); its whole-tensor and column tables too.
        var config = new NetworkConfig(ModelKind.Mlp, 5, 13, 3, Hidden: 8, Depth: 2);
        using var scope = NewDisposeScope();
        var (network, optimizer) = Trained(config);
        using var n = network;
        using var o = optimizer;
        var first = network.Description.Parameters.First(p => p.Role == ParameterRole.LinearWeight);
        Assert.That(first.Shape, Is.EqualTo(new long[] { 8, 845 }));
        var groups = Discovered(config).Concat(
        [
            new SymmetryGroup("hand:whole", GroupKind.Scale, GroupAction.Scale, [[new GroupTensor(new SliceFamily(first.Name, null, 1, 0, 1))]], "test"),
        ]).ToList();
        using var measurement = new GroupMeasurement(groups, network.Module.named_parameters(), optimizer, hostKernel: hostKernel);
        AssertMatches(measurement.Unpack(1, measurement.Pack().cpu().data<double>().ToArray()), groups, Host(network, optimizer));
    }

    [TestCase(false, TestName = "{m}: before the step")]
    [TestCase(true, TestName = "{m}: fused into heavy ball's update")]
    public void HostMeasurement_IsTheUnpackedPack_BitForBit_OfThePreUpdatePoint(bool fused)
    {
        using var scope = NewDisposeScope();
        var (network, optimizer) = Trained(LayerNorm);
        using var n = network;
        using var o = optimizer;
        var groups = Discovered(LayerNorm).Concat(HandMade(network)).ToList();
        using var measurement = new GroupMeasurement(groups, network.Module.named_parameters(), optimizer);
        Assert.That(measurement.OnHost && measurement.CanFuse, Is.True, "float32 CPU parameters and heavy ball");
        var expected = measurement.Unpack(5, measurement.Pack().data<double>().ToArray());
        var host = Host(network, optimizer);
        GroupStepMeasurement got;
        if (fused)
        {
            measurement.BeginFused();
            optimizer.Step(0.05);
            got = measurement.EndFused(5);
            var first = network.Description.Parameters[0].Name;
            Assert.That(network.Module.named_parameters().Single(p => p.name == first).parameter.detach().to(ScalarType.Float64).data<double>().ToArray(),
                Is.Not.EqualTo(host[first].Theta), "the step updated the parameters");
        }
        else got = measurement.MeasureOnHost(5);
        Assert.That(got.Step, Is.EqualTo(5));
        Assert.That(got.Groups.Select(g => g.Group), Is.EqualTo(expected.Groups.Select(g => g.Group)));
        for (int g = 0; g < groups.Count; g++)
            Assert.That(got.Groups[g].Generators, Is.EqualTo(expected.Groups[g].Generators), groups[g].Name + ": the same bits as Unpack(Pack())");
        AssertMatches(got, groups, host);   // of θ, g, v before the update
    }

    [Test]
    public void Comparison_CatchesAPerturbedSlice()
    {
        using var scope = NewDisposeScope();
        var (network, optimizer) = Trained(LayerNorm);
        using var n = network;
        using var o = optimizer;
        var groups = HandMade(network);
        using var measurement = new GroupMeasurement(groups, network.Module.named_parameters(), optimizer);
        var measured = measurement.Unpack(0, measurement.Pack().cpu().data<double>().ToArray());
        var host = Host(network, optimizer);
        var slice = groups[0].Components[0][0].Slices;
        var theta = host[slice.Parameter].Theta;
        Assert.That(Mismatches(measured, groups, host), Is.Empty);
        double largest = theta.Max(Math.Abs);
        theta[1 * host[slice.Parameter].Shape[1] + slice.Start] += 0.01 * largest;   // element [1, start]: generator 0 of hand:blocks
        var failures = Mismatches(measured, groups, host);
        Assert.That(failures, Is.Not.Empty.And.All.StartsWith("hand:blocks generator 0 "), "one weight moved by 1 % of the largest is caught, and only where it lies");
    }

    private static (Network, HeavyBall) Trained(NetworkConfig config)
    {
        torch.manual_seed(4);
        var network = Network.Create(config);
        var optimizer = new HeavyBall(network.Module.parameters(), new HeavyBallOptions(0.9, WeightDecay: 5e-4));
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(16, 4, config.InputChannels, config.InputSize, config.Classes, 5));
        network.Module.train();
        for (int step = 0; step < 3; step++)
        {
            var idx = arange(4 * step, 4 * step + 4, dtype: ScalarType.Int64);
            var loss = nn.functional.cross_entropy(network.Module.call(pair.Train.Batch(idx)), pair.Train.Labels.index_select(0, idx));
            optimizer.ZeroGrad();
            loss.backward();
            if (step < 2) optimizer.Step(0.05);   // the third leaves the gradient of the measured point, the buffer non-zero
        }
        return (network, optimizer);
    }

    private sealed record HostTensor(long[] Shape, double[] Theta, double[] Grad, double[] Velocity);

    private static Dictionary<string, HostTensor> Host(Network network, HeavyBall optimizer)
    {
        var result = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        static double[] D(Tensor t) => t.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();
        foreach (var (name, p) in network.Module.named_parameters())
        {
            int index = optimizer.Parameters.Select((x, i) => (x, i)).Single(x => x.x.Handle == p.Handle).i;
            result[name] = new HostTensor(p.shape, D(p), D(p.grad!), D(optimizer.Velocity(index)!));
        }
        return result;
    }

    // theory/08-group-laws.md#eq-8-1 (scale, rescale) and #eq-8-2 (translation), summed element by element in float64.
    private static double[] Reference(SymmetryGroup group, int generator, Dictionary<string, HostTensor> host)
    {
        var x = new double[7];
        int c0 = 0;
        foreach (var component in group.Components)
        {
            long count = component[0].Slices.Count;
            if (generator >= c0 + count) { c0 += (int)count; continue; }
            long c = generator - c0;
            foreach (var t in component)
            {
                var s = t.Slices;
                var h = host[s.Parameter];
                long rows = s.Axis is { } a ? h.Shape[a] : 1, post = 1;
                if (s.Axis is { } axis) for (int d = axis + 1; d < h.Shape.Length; d++) post *= h.Shape[d];
                double ww = 0, wg = 0, wv = 0, gg = 0, vv = 0, sw = 0, sg = 0, sv = 0;
                long size = 0;
                for (long f = 0; f < h.Theta.Length; f++)
                {
                    if (s.Axis is not null)
                    {
                        long i = f / post % rows;
                        if (i < s.Start + c * s.Block || i >= s.Start + (c + 1) * s.Block) continue;
                    }
                    double w = h.Theta[f], g = h.Grad[f], v = h.Velocity[f];
                    ww += w * w; wg += w * g; wv += w * v; gg += g * g; vv += v * v; sw += w; sg += g; sv += v;
                    size++;
                }
                if (group.Action == GroupAction.Scale)
                {
                    double p = t.Power, ap = Math.Abs(p);
                    x[0] += p * ww; x[1] += p * wv; x[2] += p * wg; x[3] += p * vv; x[4] += ap * ww; x[5] += ap * gg; x[6] += ap * vv;
                }
                else
                {
                    x[0] += sw; x[1] += sv; x[2] += sg; x[4] += size * ww; x[5] += size * gg; x[6] += size * vv;
                }
            }
            return x;
        }
        throw new ArgumentOutOfRangeException(nameof(generator));
    }

    private static List<string> Mismatches(GroupStepMeasurement measured, IReadOnlyList<SymmetryGroup> groups, Dictionary<string, HostTensor> host)
    {
        var failures = new List<string>();
        for (int gi = 0; gi < groups.Count; gi++)
        {
            var group = groups[gi];
            var values = measured.Groups[gi];
            if (values.Group != group.Name || values.Generators.Count != group.Dimension)
            {
                failures.Add($"{group.Name}: measured as {values.Group} with {values.Generators.Count} generators");
                continue;
            }
            for (int i = 0; i < values.Generators.Count; i++)
            {
                var m = values.Generators[i];
                var r = Reference(group, i, host);
                double w2 = r[4], g2 = r[5], v2 = r[6];
                bool translation = group.Action == GroupAction.Translate;
                (string Name, double Measured, double Expected, double Scale)[] checks =
                [
                    ("Q", m.Charge, r[0], translation ? Math.Sqrt(w2) : w2), ("B", m.ChargeVelocity, r[1], translation ? Math.Sqrt(v2) : Math.Sqrt(w2 * v2)),
                    ("G", m.ChargeGradient, r[2], translation ? Math.Sqrt(g2) : Math.Sqrt(w2 * g2)), ("C", m.VelocityCharge, r[3], v2),
                    ("W2", m.WeightScale, w2, w2), ("G2", m.GradientScale, g2, g2), ("V2", m.VelocityScale, v2, v2),
                ];
                foreach (var (name, got, expected, scale) in checks)
                    if (!(Math.Abs(got - expected) <= Float32Accumulation * scale + double.Epsilon))
                        failures.Add($"{group.Name} generator {i} {name}: {got:R} vs {expected:R} (scale {scale:R})");
            }
        }
        return failures;
    }

    private static void AssertMatches(GroupStepMeasurement measured, IReadOnlyList<SymmetryGroup> groups, Dictionary<string, HostTensor> host)
    {
        Assert.That(measured.Groups, Has.Count.EqualTo(groups.Count));
        Assert.That(measured.Groups.Sum(g => g.Generators.Count), Is.GreaterThan(groups.Count));
        Assert.That(Mismatches(measured, groups, host), Is.Empty);
    }
}

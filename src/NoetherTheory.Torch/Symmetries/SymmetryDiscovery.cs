using System.Globalization;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>
/// Decides candidate groups of a network by evidence, the way the zero test decides an identity: the loss at random
/// points and batches before and after a random group element, and the gradient identity ⟨∇f, ξ_c(θ)⟩ = 0 for every
/// generator c, in float32 (training precision) and float64.
/// </summary>
/// <remarks>
/// <para>Points: every weight N(0, 2/fan-in), every conv/linear bias N(0, 0.5²), every normalisation γ 1 + N(0, 0.3²) and β
/// N(0, 0.3²) — biases and β are deliberately non-zero, so that a bias that breaks a group shows (at the usual zero
/// initialisation it would not). Each point has its own batch: N(0, 1) images and uniform labels. The loss is the mean
/// softmax cross-entropy in training mode (BN uses the batch statistics); dropout masks are fixed per call.</para>
/// <para>A group element: α_c = exp(u), u uniform in [−ln 2, ln 2] per generator (scale), t_c ~ N(0, rms(θ)²) per generator
/// (translation).</para>
/// <para>Verdict: holds when all four maxima are within their tolerances. Otherwise the cause is looked for in float64 at
/// the same points: the network with ε = 0 (<see cref="BreakingCause.Epsilon"/>); then with ε = 0 and every bias the group
/// does not move set to zero (<see cref="BreakingCause.Bias"/>); then an identity skip path that the description shows
/// (<see cref="BreakingCause.Skip"/>); otherwise refuted. A non-finite loss or gradient never holds.</para>
/// <para>Shapes: every slice a group names is checked against the description before libtorch sees it (a libtorch error
/// can end the process on some hosts; see <see cref="InputGuard"/>).</para>
/// </remarks>
public static class SymmetryDiscovery
{
    /// <summary>Float32 relative loss change allowed for an exact symmetry. The rescaled parameters are rounded to float32
    /// (2⁻²⁴ ≈ 6e-8 relative each) and every layer of the forward pass rounds again; on the tiny test networks the exact
    /// groups show ≤ 2e-6. 1e-4 is a margin of about 50, and still below the breakings we must see in float32 (a
    /// non-homogeneous activation: ≳ 1e-2).</summary>
    public const double Float32Invariance = 1e-4;

    /// <summary>Float32 residual of the gradient identity, |⟨g, ξ⟩| / Σ|g||ξ|: float32 back-propagation gives cosines of a
    /// few 1e-7 (BatchNormEpsilonTests sees ≤ 1.7e-7 on VGG filters); 1e-5 is a margin of about 50.</summary>
    public const double Float32Gradient = 1e-5;

    /// <summary>Float64 relative loss change allowed for an exact symmetry: float64 round-off of a forward pass is a few
    /// 1e-15 relative on these networks; 1e-10 leaves five orders of margin and resolves BN's ε = 1e-5 (a relative
    /// loss change of order ε/c ≈ 1e-6 … 1e-8 at unit batch variance c).</summary>
    public const double Float64Invariance = 1e-10;

    /// <summary>Float64 residual of the gradient identity: round-off ≈ 1e-15; 1e-10 resolves ε/(c+ε) ≈ 1e-5.</summary>
    public const double Float64Gradient = 1e-10;

    private const double WeightGain = 2.0, BiasScale = 0.5, NormScale = 0.3;

    /// <summary>Proposes the candidates of <paramref name="config"/>'s network, adds the groups <paramref name="declare"/> reads
    /// against its description (e.g. <see cref="SymmetryDeclarations.Load"/>), and decides each.</summary>
    /// <exception cref="ArgumentException">The config or options are out of range, or a declared group does not fit the network.</exception>
    /// <exception cref="TorchUnavailableException">libtorch is missing.</exception>
    public static DiscoveryResult Run(NetworkConfig config, DiscoveryOptions? options = null, Func<ModelDescription, IReadOnlyList<SymmetryGroup>>? declare = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new DiscoveryOptions();
        options.Validate();
        config.Validate();
        TorchRuntime.Require();
        using var scope = NewDisposeScope();
        using var net32 = Network.Create(config);
        using var net64 = Network.Create(config);
        net64.ConvertTo(ScalarType.Float64);
        var description = net32.Description;
        var groups = SymmetryProposals.Propose(description).Concat(declare?.Invoke(description) ?? []).ToList();
        foreach (var g in groups) Check(g, description);
        if (groups.Select(g => g.Name).Distinct(StringComparer.Ordinal).Count() != groups.Count)
            throw new ArgumentException("two groups share a name: " + string.Join(", ", groups.GroupBy(g => g.Name).Where(x => x.Count() > 1).Select(x => x.Key)), nameof(declare));

        var samples = Samples(description, options);
        var e32 = Evaluate(net32, samples, groups, _ => NoTensors, options.Seed);
        var e64 = Evaluate(net64, samples, groups, _ => NoTensors, options.Seed);
        // Counterfactuals, each evaluated once for all the groups that need it (they share the reference passes).
        bool Exact(SymmetryEvidence e) => Within(e, Float64Invariance, Float64Gradient);
        var failing = Enumerable.Range(0, groups.Count).Where(i => !Exact(e64[i])).ToList();
        var noEpsilon = new Dictionary<int, SymmetryEvidence>();
        var noBias = new Dictionary<int, SymmetryEvidence>();
        var biases = failing.ToDictionary(i => i, i => UnmovedBiases(groups[i], description));
        Network? withoutEpsilon = null;
        try
        {
            if (config.Epsilon > 0 && failing.Count > 0)
            {
                withoutEpsilon = Network.Create(config.WithoutEpsilon());
                withoutEpsilon.ConvertTo(ScalarType.Float64);
                var evidence = Evaluate(withoutEpsilon, samples, [.. failing.Select(i => groups[i])], _ => NoTensors, options.Seed);
                for (int k = 0; k < failing.Count; k++) noEpsilon[failing[k]] = evidence[k];
            }
            var biasCandidates = failing.Where(i => biases[i].Count > 0 && !(noEpsilon.TryGetValue(i, out var e) && Exact(e))).ToList();
            if (biasCandidates.Count > 0)
            {
                var byGroup = biasCandidates.ToDictionary(i => groups[i], i => (IReadOnlySet<string>)biases[i]);
                var evidence = Evaluate(withoutEpsilon ?? net64, samples, [.. biasCandidates.Select(i => groups[i])], g => byGroup[g], options.Seed);
                for (int k = 0; k < biasCandidates.Count; k++) noBias[biasCandidates[k]] = evidence[k];
            }
        }
        finally
        {
            withoutEpsilon?.Dispose();
        }

        var verdicts = new List<GroupVerdict>(groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            long count = g.ParameterCount(description);
            if (Within(e32[i], Float32Invariance, Float32Gradient) && Exact(e64[i]))
            {
                verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Holds, BreakingCause.None,
                    Inv($"holds: loss invariant to {e32[i].Invariance:E1} (float32) and {e64[i].Invariance:E1} (float64), ⟨g, ξ⟩ = 0 to {e32[i].Gradient:E1} / {e64[i].Gradient:E1}, at {options.Points} random points"),
                    e32[i], e64[i], null));
                continue;
            }
            if (Exact(e64[i]))
            {
                verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Refuted, BreakingCause.None,
                    Inv($"refuted at float32 only: float64 evidence holds ({e64[i].Invariance:E1}, {e64[i].Gradient:E1}) but float32 exceeds its tolerance ({e32[i].Invariance:E1}, {e32[i].Gradient:E1}): round-off larger than allowed"),
                    e32[i], e64[i], null));
                continue;
            }
            string size = Inv($"loss changes by up to {e64[i].Invariance:E2} relative, |⟨g, ξ⟩| up to {e64[i].Gradient:E2} of Σ|g||ξ| (float64; float32 {e32[i].Invariance:E2}, {e32[i].Gradient:E2})");
            if (noEpsilon.TryGetValue(i, out var withoutEps) && Exact(withoutEps))
            {
                verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Broken, BreakingCause.Epsilon,
                    Inv($"broken by the normalisation ε = {config.Epsilon:G3}: {size}; with ε = 0 the same points give {withoutEps.Invariance:E1}, {withoutEps.Gradient:E1}"),
                    e32[i], e64[i], withoutEps));
                continue;
            }
            if (noBias.TryGetValue(i, out var withoutBias) && Exact(withoutBias))
            {
                verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Broken, BreakingCause.Bias,
                    Inv($"broken by a bias the action does not move ({string.Join(", ", biases[i].Order(StringComparer.Ordinal))}): {size}; with those biases zero{(config.Epsilon > 0 ? " and ε = 0" : "")} the same points give {withoutBias.Invariance:E1}, {withoutBias.Gradient:E1}"),
                    e32[i], e64[i], withoutBias));
                continue;
            }
            var tried = noBias.GetValueOrDefault(i) ?? noEpsilon.GetValueOrDefault(i);
            if (g.SkipOnPath)
            {
                verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Broken, BreakingCause.Skip,
                    $"broken by a skip connection: an identity path adds into or reads these units without parameters to compensate; {size}",
                    e32[i], e64[i], tried));
                continue;
            }
            verdicts.Add(new GroupVerdict(g, count, SymmetryVerdict.Refuted, BreakingCause.None,
                $"refuted: {size}; no structural cause (ε, an unmoved bias, a skip connection) explains it",
                e32[i], e64[i], tried));
        }
        return new DiscoveryResult(config, description, options, verdicts);
    }

    /// <summary>Checks that every slice of <paramref name="group"/> fits the tensors of <paramref name="model"/> (names, axes,
    /// ranges, equal slice counts per component).</summary>
    /// <exception cref="ArgumentException">A slice does not fit; the message names the group, tensor and shape.</exception>
    public static void Check(SymmetryGroup group, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(model);
        if (group.Components.Count == 0 || group.Components.Any(c => c.Count == 0))
            throw new ArgumentException($"group {group.Name}: every component needs at least one tensor.", nameof(group));
        foreach (var component in group.Components)
        {
            foreach (var t in component)
            {
                var s = t.Slices;
                var p = model.Find(s.Parameter) ?? throw new ArgumentException(
                    $"group {group.Name}: model {model.Model} has no parameter '{s.Parameter}' (it has {string.Join(", ", model.Parameters.Select(x => x.Name))}).", nameof(group));
                string shape = "[" + string.Join(", ", p.Shape) + "]";
                if (s.Axis is { } a)
                {
                    if (a < 0 || a >= p.Shape.Count)
                        throw new ArgumentException(Inv($"group {group.Name}: axis {a} of {p.Name} {shape} does not exist (axes 0…{p.Shape.Count - 1})."), nameof(group));
                    if (s.Block < 1 || s.Count < 1 || s.Start < 0 || s.Start + s.Count * s.Block > p.Shape[a])
                        throw new ArgumentException(Inv($"group {group.Name}: {s.Count} slice(s) of {s.Block} from index {s.Start} along axis {a} do not fit {p.Name} {shape}."), nameof(group));
                }
                else if (s.Count != 1)
                    throw new ArgumentException($"group {group.Name}: a whole-tensor slice of {p.Name} is one slice.", nameof(group));
                if (group.Action == GroupAction.Scale && (!double.IsFinite(t.Power) || t.Power == 0))
                    throw new ArgumentException(Inv($"group {group.Name}: power {t.Power} of {p.Name} must be a non-zero number."), nameof(group));
            }
            if (component.Select(t => t.Slices.Count).Distinct().Count() != 1)
                throw new ArgumentException($"group {group.Name}: the tensors of a component must have equal slice counts ({string.Join(", ", component.Select(t => Inv($"{t.Slices.Parameter}: {t.Slices.Count}")))}).", nameof(group));
        }
    }

    private static readonly IReadOnlySet<string> NoTensors = new HashSet<string>();

    private sealed record Sample(Dictionary<string, Tensor> Point, Tensor Images, Tensor Labels);

    private static bool Within(SymmetryEvidence e, double invariance, double gradient) => e.Invariance <= invariance && e.Gradient <= gradient;

    // Conv/linear biases and normalisation shifts the group does not move.
    private static HashSet<string> UnmovedBiases(SymmetryGroup g, ModelDescription model)
    {
        var moved = g.Tensors.ToHashSet(StringComparer.Ordinal);
        return model.Parameters.Where(p => p.Role is ParameterRole.ConvBias or ParameterRole.LinearBias or ParameterRole.NormBias && !moved.Contains(p.Name))
            .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static List<Sample> Samples(ModelDescription model, DiscoveryOptions options)
    {
        using var generator = new Generator(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL + 7), CPU);
        var samples = new List<Sample>(options.Points);
        long[] imageShape = [options.BatchSize, .. model.InputShape];
        for (int i = 0; i < options.Points; i++)
        {
            var point = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var p in model.Parameters)
            {
                long[] shape = [.. p.Shape];
                var noise = randn(shape, dtype: ScalarType.Float64, generator: generator);
                point[p.Name] = (p.Role switch
                {
                    ParameterRole.ConvWeight or ParameterRole.LinearWeight => noise * Math.Sqrt(WeightGain / (p.Count / p.Shape[0])),
                    ParameterRole.ConvBias or ParameterRole.LinearBias => noise * BiasScale,
                    ParameterRole.NormWeight => noise * NormScale + 1,
                    ParameterRole.NormBias => noise * NormScale,
                    _ => throw new System.Diagnostics.UnreachableException($"role {p.Role}"),
                }).DetachFromDisposeScope();
            }
            var images = randn(imageShape, dtype: ScalarType.Float64, generator: generator).DetachFromDisposeScope();
            var labels = randint(0, model.Classes, [options.BatchSize], dtype: ScalarType.Int64, generator: generator).DetachFromDisposeScope();
            samples.Add(new Sample(point, images, labels));
        }
        return samples;
    }

    // The largest violations of each group over the samples, in the network's precision. zeroed(g) names tensors set to
    // zero at every point (the bias counterfactual).
    private static SymmetryEvidence[] Evaluate(Network net, List<Sample> samples, IReadOnlyList<SymmetryGroup> groups,
        Func<SymmetryGroup, IReadOnlySet<string>> zeroed, long seed)
    {
        var invariance = new double[groups.Count];
        var gradient = new double[groups.Count];
        using var generator = new Generator(unchecked((ulong)seed * 0xD1B54A32D192ED03UL + 11), CPU);
        var dtype = net.Parameter(net.Description.Parameters[0].Name).dtype;
        net.Module.train();
        // Groups sharing a zero set share the reference loss and gradient of each sample.
        foreach (var batch in Enumerable.Range(0, groups.Count).GroupBy(i => string.Join("|", zeroed(groups[i]).Order(StringComparer.Ordinal))))
        {
            var zero = zeroed(groups[batch.First()]);
            foreach (var sample in samples)
            {
                using var scope = NewDisposeScope();
                Load(net, sample.Point, zero, null);
                net.Module.zero_grad();
                var images = sample.Images.to(dtype);
                var loss = nn.functional.cross_entropy(net.Forward(images), sample.Labels);
                loss.backward();
                double reference = loss.ToDouble();
                foreach (int i in batch)
                {
                    var g = groups[i];
                    double residual = GradientResidual(net, g);
                    double changed;
                    using (no_grad())
                    {
                        Act(net, g, sample.Point, generator);
                        changed = nn.functional.cross_entropy(net.Forward(images), sample.Labels).ToDouble();
                        Load(net, sample.Point, zero, g.Tensors.ToHashSet(StringComparer.Ordinal));
                    }
                    double relative = Math.Abs(changed - reference) / Math.Max(Math.Abs(reference), double.Epsilon);
                    invariance[i] = Worst(invariance[i], double.IsFinite(reference) && double.IsFinite(changed) ? relative : double.NaN);
                    gradient[i] = Worst(gradient[i], residual);
                }
            }
        }
        return [.. Enumerable.Range(0, groups.Count).Select(i => new SymmetryEvidence(invariance[i], gradient[i]))];
    }

    private static double Worst(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    // Copies the point into the network (only the tensors in `only`, when given), zeroing the tensors in `zero`.
    private static void Load(Network net, Dictionary<string, Tensor> point, IReadOnlySet<string> zero, IReadOnlySet<string>? only)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in point)
        {
            if (only is not null && !only.Contains(name)) continue;
            var p = net.Parameter(name);
            if (zero.Contains(name)) p.zero_();
            else p.copy_(value);
        }
    }

    // max over generators c of |Σ_t power_t·⟨g, θ⟩_slice| / Σ_t |power_t|·|g_slice|·|θ_slice| (scale), or
    // |Σ_t Σ g_slice| / Σ_t |g_slice|·√(slice size) (translation). Generators whose denominator is 0 (all of g or θ zero on
    // the slice) are skipped; a non-finite gradient gives NaN.
    private static double GradientResidual(Network net, SymmetryGroup group)
    {
        using var scope = NewDisposeScope();
        double worst = 0;
        foreach (var component in group.Components)
        {
            Tensor? numerator = null, denominator = null;
            foreach (var t in component)
            {
                var p = net.Parameter(t.Slices.Parameter);
                var theta = p.detach().to(ScalarType.Float64);
                var grad = p.grad is { } pg ? pg.to(ScalarType.Float64) : zeros_like(theta);
                Tensor num, den;
                if (group.Action == GroupAction.Scale)
                {
                    num = PerSlice(grad * theta, t.Slices) * t.Power;
                    den = PerSlice(grad.square(), t.Slices).sqrt() * PerSlice(theta.square(), t.Slices).sqrt() * Math.Abs(t.Power);
                }
                else
                {
                    num = PerSlice(grad, t.Slices);
                    double size = theta.numel() / (t.Slices.Axis is { } a ? theta.shape[a] : 1) * t.Slices.Block;
                    den = PerSlice(grad.square(), t.Slices).sqrt() * Math.Sqrt(size);
                }
                numerator = numerator is null ? num : numerator + num;
                denominator = denominator is null ? den : denominator + den;
            }
            var values = stack([numerator!.abs(), denominator!]).cpu().data<double>().ToArray();
            int n = values.Length / 2;
            for (int c = 0; c < n; c++)
            {
                double num = values[c], den = values[n + c];
                if (!double.IsFinite(num) || !double.IsFinite(den)) return double.NaN;
                if (den > 0) worst = Math.Max(worst, num / den);
            }
        }
        return worst;
    }

    // Per-slice sums [Count] of a tensor shaped like the parameter.
    private static Tensor PerSlice(Tensor t, SliceFamily s)
    {
        if (s.Axis is not { } a) return t.sum().reshape(1);
        return t.narrow(a, s.Start, s.Count * s.Block).movedim([(long)a], [0L]).reshape(s.Count, -1).sum(1);
    }

    // Applies a random group element to the network's parameters (under no_grad).
    private static void Act(Network net, SymmetryGroup group, Dictionary<string, Tensor> point, Generator generator)
    {
        using var scope = NewDisposeScope();
        foreach (var component in group.Components)
        {
            long n = component[0].Slices.Count;
            Tensor parameter;
            if (group.Action == GroupAction.Scale)
                parameter = (rand([n], dtype: ScalarType.Float64, generator: generator) * 2 - 1).mul(Math.Log(2)).exp();
            else
            {
                var first = point[component[0].Slices.Parameter];
                double rms = Math.Max(first.square().mean().sqrt().ToDouble(), 1e-3);
                parameter = randn([n], dtype: ScalarType.Float64, generator: generator) * rms;
            }
            foreach (var t in component)
            {
                var p = net.Parameter(t.Slices.Parameter);
                var s = t.Slices;
                var factor = group.Action == GroupAction.Scale ? parameter.pow(t.Power) : parameter;
                if (s.Axis is not { } a)
                {
                    var scalar = factor.to(p.dtype).reshape([]);
                    if (group.Action == GroupAction.Scale) p.mul_(scalar);
                    else p.add_(scalar);
                    continue;
                }
                var shape = Enumerable.Repeat(1L, (int)p.dim()).ToArray();
                shape[a] = s.Count * s.Block;
                var expanded = factor.repeat_interleave(s.Block, 0L).to(p.dtype).view(shape);
                var view = p.narrow(a, s.Start, s.Count * s.Block);
                if (group.Action == GroupAction.Scale) view.mul_(expanded);
                else view.add_(expanded);
            }
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

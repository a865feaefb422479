using System.Globalization;
using NoetherTheory.Torch.Benchmarks;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Benchmarks;

/// <summary>Options of the groups suite.</summary>
/// <param name="Device">cpu, cuda or cuda:i.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="WarmUpSteps">Untimed steps per loop.</param>
/// <param name="Rounds">Timed interleaved rounds.</param>
/// <param name="StepsPerRound">Steps per loop per round.</param>
/// <param name="Networks">The networks to bench (null: <see cref="DefaultNetworks"/>), e.g. a researcher's own model files.</param>
/// <param name="Declarations">Files of groups declared as data (<see cref="SymmetryDeclarations"/>), measured on every
/// network beside the discovered ones (each must fit every network).</param>
internal sealed record GroupsBenchOptions(string Device, int BatchSize, int WarmUpSteps, int Rounds, int StepsPerRound,
    IReadOnlyList<NetworkConfig>? Networks = null, IReadOnlyList<string>? Declarations = null)
{
    /// <summary>CPU defaults: batch 64, 3 warm-up steps, 5 rounds of 10 steps (the train suite's schedule).</summary>
    public static GroupsBenchOptions Cpu(string device) => new(device, 64, 3, 5, 10);

    /// <summary>The networks measured by default, on 3×32×32 inputs with 10 classes: VGG11-BN at the train suite's setting
    /// (width 0.25, GAP head), ResNet-18 at width 0.25, an MLP and a LayerNorm net of three 256-unit hidden layers.</summary>
    public static IReadOnlyList<NetworkConfig> DefaultNetworks { get; } =
    [
        new(ModelKind.Vgg11Bn, 3, 32, 10, Vgg: new Vgg11BnOptions(WidthMultiplier: 0.25, Head: Vgg11BnHead.GapLinear)),
        new(ModelKind.ResNet18, 3, 32, 10, WidthMultiplier: 0.25),
        new(ModelKind.Mlp, 3, 32, 10, Hidden: 256, Depth: 3),
        new(ModelKind.LayerNormNet, 3, 32, 10, Hidden: 256, Depth: 3),
    ];
}

/// <summary>One model's row, as written to the JSON file.</summary>
/// <param name="Model">The model in words.</param>
/// <param name="Groups">Groups measured.</param>
/// <param name="Generators">Their generators.</param>
/// <param name="Unmeasured">Images/s, measure never.</param>
/// <param name="MeasuredEveryStep">Images/s, every group measured every step.</param>
/// <param name="Overhead">1 − measured/unmeasured.</param>
/// <param name="TargetMet">Overhead ≤ <see cref="Target"/>.</param>
/// <param name="PairedRatio">Median over the rounds of measured/unmeasured throughput within a round (robust to the machine's
/// speed drifting between rounds; reported beside the best-of ratio, which decides the target).</param>
internal sealed record GroupsRow(string Model, int Groups, long Generators, double Unmeasured, double MeasuredEveryStep, double Overhead, bool TargetMet,
    double PairedRatio)
{
    /// <summary>Target of issue #14: measuring every group every step costs at most this fraction of throughput.</summary>
    public const double Target = 0.10;
}

/// <summary>The groups suite's JSON record.</summary>
internal sealed record GroupsReport(string Device, int BatchSize, int TimedSteps, int TransferEvery, IReadOnlyList<GroupsRow> Rows);

/// <summary>
/// Issue #14's benchmark: training throughput of each model with every discovered group (holds or broken) measured at every
/// step, against the same training step unmeasured, side by side in one run (interleaved rounds, best of each), reported as a
/// ratio. The loops are <see cref="GroupMeasurementBenchmark"/> in the Torch assembly.
/// </summary>
internal static class GroupsSuite
{
    private const int TransferEvery = 10;

    public static GroupsReport Run(TextWriter progress, GroupsBenchOptions o)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(o);
        string device = BenchmarkRuntime.RequireDevice(o.Device);
        var rows = new List<GroupsRow>();
        var declarations = o.Declarations ?? [];
        foreach (var network in o.Networks ?? GroupsBenchOptions.DefaultNetworks)
        {
            progress.WriteLine(Inv($"bench groups: {network.Summary}, batch {o.BatchSize} on {device}…"));
            Func<ModelDescription, IReadOnlyList<SymmetryGroup>>? declare = declarations.Count == 0 ? null
                : description => [.. declarations.SelectMany(path => SymmetryDeclarations.Load(path, description))];
            var r = GroupMeasurementBenchmark.Run(new GroupBenchSettings(network, o.BatchSize, o.WarmUpSteps, o.Rounds, o.StepsPerRound, TransferEvery)
            {
                Declare = declare,
            }, o.Device);
            rows.Add(new GroupsRow(r.Model, r.Groups, r.Generators, r.Unmeasured, r.Measured, r.Overhead, r.Overhead <= GroupsRow.Target, r.PairedRatio));
        }
        return new GroupsReport(device, o.BatchSize, o.Rounds * o.StepsPerRound, TransferEvery, rows);
    }

    public static void Print(TextWriter w, GroupsReport r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteLine(Inv($"## Groups: training with every discovered or declared group (not refuted) measured every step vs unmeasured, batch {r.BatchSize}, device {r.Device}; images/s, best of interleaved rounds ({r.TimedSteps} timed steps per loop, 1 transfer/{r.TransferEvery} steps)"));
        w.WriteLine();
        var t = new TextTable("model", "groups", "generators", "unmeasured", "all groups every step", "measured / unmeasured", "overhead", "target", "median paired round ratio");
        foreach (var x in r.Rows)
            t.Add(x.Model, Inv($"{x.Groups}"), Inv($"{x.Generators}"), Fmt.Rate(x.Unmeasured), Fmt.Rate(x.MeasuredEveryStep), Fmt.Ratio(x.MeasuredEveryStep / x.Unmeasured),
                Inv($"{100 * x.Overhead:0.0}%"), Fmt.Target(x.TargetMet, Inv($"≤ {100 * GroupsRow.Target:0}%")), Fmt.Ratio(x.PairedRatio));
        w.Write(t);
        if (r.Rows.Any(x => x.Model.StartsWith("vgg11-bn", StringComparison.Ordinal)))
            w.WriteLine("VGG11-BN's measured loop also packs its per-filter statistics and angles (filters.csv), as a training run does.");
        w.WriteLine("On the CPU the measured loop forms each measured tensor's largest moment table in heavy ball's own update pass (the update " +
            "bit for bit the unmeasured loop's) and the other tables in one host pass each; the unmeasured loop is the trainer's step unchanged.");
        w.WriteLine();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Runtime.InteropServices;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Benchmarks;

/// <summary>Which suites to run and with what (null: the suite is not run).</summary>
/// <param name="Symbolic">The symbolic suite (ours vs SymPy and Maxima).</param>
/// <param name="Integrators">The integrators suite (compiled RHS, heavy ball vs NumPy).</param>
/// <param name="Train">The train suite (training-step loops vs TorchSharp's and PyTorch's).</param>
/// <param name="Cell">The cell suite (one protocol cell, ours vs PyTorch).</param>
/// <param name="Scripts">Where the reference scripts are.</param>
/// <param name="Laws">The laws suite (conservation-law discovery, ours vs SymPy).</param>
/// <param name="Groups">The groups suite (every symmetry group measured every step vs unmeasured training).</param>
internal sealed record BenchmarkPlan(SymbolicOptions? Symbolic, IntegratorOptions? Integrators, TrainOptions? Train, CellOptions? Cell,
    ReferenceScripts Scripts, LawsBenchOptions? Laws = null, GroupsBenchOptions? Groups = null);

/// <summary>The machine a run was measured on.</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="Dotnet">.NET runtime version.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="Architecture">Process architecture.</param>
internal sealed record BenchmarkMachine(int Cores, string Dotnet, string Os, string Architecture)
{
    /// <summary>This machine.</summary>
    public static BenchmarkMachine Current() => new(Environment.ProcessorCount, Environment.Version.ToString(),
        RuntimeInformation.OSDescription.Trim(), RuntimeInformation.ProcessArchitecture.ToString());
}

/// <summary>The speed targets the tables mark ✓ or ✗.</summary>
internal sealed record BenchmarkTargets(double SymbolicEndToEndSpeedupAtLeast, double CompiledOverLambdifySpeedupAtLeast,
    double CompiledOverHandWrittenAtMost, double HeavyBallOverNumpyAtLeast, double MeasurementCostAtMost)
{
    /// <summary>The targets of issues 2, 4 and 5.</summary>
    public static BenchmarkTargets Default { get; } = new(SymbolicSuite.EndToEndTarget, RhsRow.LambdifyTarget, RhsRow.HandWrittenTarget,
        HeavyBallRow.Target, TrainRow.MeasurementTarget);
}

/// <summary>Everything one run measured, as written to the JSON file.</summary>
internal sealed record BenchmarkReport(BenchmarkMachine Machine, bool ChecksPassed, BenchmarkTargets Targets, IReadOnlyList<SymbolicRow>? Symbolic,
    IntegratorReport? Integrators, TrainReport? Train, CellReport? Cell, IReadOnlyList<LawsRow>? Laws = null, GroupsReport? Groups = null);

/// <summary>
/// The benchmarks' facade: runs the suites a <see cref="BenchmarkPlan"/> names, in the order symbolic, integrators, train, cell,
/// printing each suite's Markdown tables (laws last) as soon as it finishes, and returns what they measured.
/// </summary>
/// <remarks>A failed correctness check that guards a benchmark (hand-written vs compiled RHS, ours vs SymPy or Maxima, ours vs
/// NumPy, the on-shell charge check) sets <see cref="BenchmarkReport.ChecksPassed"/> to false; missed speed targets are
/// reported (✗), not failed.</remarks>
internal static class BenchmarkRun
{
    /// <summary>The header line naming the machine.</summary>
    public static string Header(BenchmarkMachine m) =>
        string.Create(CultureInfo.InvariantCulture, $"# noether bench — {m.Cores} cores, .NET {m.Dotnet}, {m.Os} ({m.Architecture})");

    /// <summary>Runs the plan.</summary>
    /// <param name="plan">The suites to run.</param>
    /// <param name="output">Where the tables go.</param>
    /// <param name="progress">Where progress lines go.</param>
    /// <exception cref="BenchmarkException">A suite cannot run (libtorch, the device, the protocol's config or its data set
    /// are unavailable; <see cref="BenchmarkException.Suite"/> names it), or a reference script is missing.</exception>
    public static BenchmarkReport Run(BenchmarkPlan plan, TextWriter output, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(progress);
        var machine = BenchmarkMachine.Current();
        output.WriteLine(Header(machine));
        output.WriteLine();
        bool ok = true;
        IReadOnlyList<SymbolicRow>? symbolicRows = null;
        IntegratorReport? integratorReport = null;
        TrainReport? trainReport = null;
        CellReport? cellReport = null;
        if (plan.Symbolic is { } symbolic)
        {
            symbolicRows = SymbolicSuite.Run(progress, symbolic, plan.Scripts);
            SymbolicSuite.Print(output, symbolicRows, symbolic);
            ok &= symbolicRows.All(r => r.ChecksPass);
        }
        if (plan.Integrators is { } integrators)
        {
            integratorReport = IntegratorSuite.Run(progress, integrators, plan.Scripts);
            IntegratorSuite.Print(output, integratorReport);
            ok &= integratorReport.ChecksPass;
        }
        if (plan.Train is { } train)
        {
            try
            {
                trainReport = TrainSuite.Run(progress, train, plan.Scripts);
            }
            catch (TorchUnavailableException e)
            {
                throw new BenchmarkException("train", e.Message, e);
            }
            TrainSuite.Print(output, trainReport);
        }
        if (plan.Cell is { } cell)
        {
            try
            {
                cellReport = CellSuite.Run(progress, cell, plan.Scripts);
            }
            catch (Exception e) when (e is TorchUnavailableException or TrainingConfigException or DatasetUnavailableException)
            {
                throw new BenchmarkException("cell", e.Message, e);
            }
            CellSuite.Print(output, cellReport);
        }
        IReadOnlyList<LawsRow>? lawsRows = null;
        if (plan.Laws is { } laws)
        {
            lawsRows = LawsSuite.Run(progress, laws, plan.Scripts);
            LawsSuite.Print(output, lawsRows, laws);
            ok &= lawsRows.All(r => r.ChecksPass);
        }
        GroupsReport? groupsReport = null;
        if (plan.Groups is { } groups)
        {
            try
            {
                groupsReport = GroupsSuite.Run(progress, groups);
            }
            catch (TorchUnavailableException e)
            {
                throw new BenchmarkException("groups", e.Message, e);
            }
            catch (NoetherTheory.Core.Yaml.YamlInputException e)
            {
                throw new BenchmarkException("groups", e.Message, e);   // a declared group that does not fit a network
            }
            GroupsSuite.Print(output, groupsReport);
        }
        return new BenchmarkReport(machine, ok, BenchmarkTargets.Default, symbolicRows, integratorReport, trainReport, cellReport, lawsRows, groupsReport);
    }
}

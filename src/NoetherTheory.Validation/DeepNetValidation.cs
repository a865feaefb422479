using System.Globalization;
using System.Text;
using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Experiments;

namespace NoetherTheory.Validation;

/// <summary>
/// A deep-network protocol (validation/experiments) end to end: train its cells (<see cref="ExperimentRunner"/>), then
/// analyse the filter runs (<see cref="FilterCheckValidation"/>), the Fig. 4 grid (<see cref="Fig4GridValidation"/>) and the
/// symmetry groups of every run that measured them (<see cref="DeepNet.GroupCheckDocuments"/>)
/// into the <c>noether.validate/1</c> document (summary.json) and its two tables (grid.csv, filter-checks.csv).
/// </summary>
public static class DeepNetValidation
{
    /// <summary>The header of grid.csv (one row per cell).</summary>
    public const string GridCsvHeader = "id,kind,panel,variable,value,constrained,seed,test_accuracy,test_loss,train_loss,wall_seconds,device,dataset";

    /// <summary>Trains the protocol's cells (those of <see cref="ExperimentRunOptions.OnlyCells"/> when given); finished
    /// cells are reused and interrupted ones resume.</summary>
    /// <exception cref="ArgumentException">An unknown cell id (parameter name <c>options</c>).</exception>
    public static IReadOnlyList<CellOutcome> Train(ExperimentProtocol protocol, ExperimentRunOptions options,
        IProgress<CellProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ExperimentRunner.Run(protocol, options, progress, cancellationToken);

    /// <summary>Everything the protocol found, as the <c>noether.validate/1</c> document.</summary>
    public static ValidateDocument Summarise(ExperimentProtocol protocol, IReadOnlyList<CellOutcome> outcomes, string device,
        string precision = "float32")
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(outcomes);
        var cells = outcomes.Select(o => new CellEntry(o.Cell.Id, o.Cell.Kind == CellKind.Grid ? "grid" : "filters", o.Cell.Panel,
            o.Cell.Variable, o.Cell.Value, o.Cell.Constrained, o.Cell.Seed, o.TestAccuracy, o.TestLoss, o.TrainLoss, o.WallSeconds, o.Device,
            o.ResumedFromStep, o.RunDirectory, ExperimentProtocol.DescribeDataset(o.Cell.Config.Dataset))).ToList();
        var gridRuns = outcomes.Where(o => o.Cell.Kind == CellKind.Grid).Select(Fig4GridValidation.Read).ToList();
        var filters = outcomes.Where(o => o.Cell.Kind == CellKind.Filters).Select(FilterCheckValidation.Analyse).ToList();
        var groups = outcomes.Where(o => o.Cell.Config.Groups is not null)
            .Select(o => DeepNet.GroupCheckDocuments.Check(o.RunDirectory, o.Cell.Config, o.Cell.Id).Document).ToList();
        var models = outcomes.Select(o => (o.Cell.Config.Network ?? new NoetherTheory.Torch.Models.NetworkConfig(Vgg: o.Cell.Config.Model)).Architecture).Distinct().ToList();
        return new ValidateDocument(protocol.Name, protocol.Source, protocol.DatasetName, device, cells, gridRuns,
            gridRuns.Count > 0 ? Fig4GridValidation.Analyse(gridRuns) : null, filters, precision, groups.Count > 0 ? groups : null, models);
    }

    /// <summary>Whether the protocol found a bookkeeping error (the exact heavy-ball recursion broken on a filter run) or a
    /// failed symmetry-group law (a recursion or a holding group's identity, theory/08-group-laws.md). The Fig. 4 claims are
    /// empirical findings and never count as failures.</summary>
    public static bool Failed(ValidateDocument summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return FilterCheckValidation.AnyRecursionFails(summary.Filters) || (summary.Groups?.Any(g => !g.Passed) ?? false);
    }

    /// <summary>grid.csv: one row per cell (numbers round-trip).</summary>
    public static string GridCsv(ValidateDocument summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        var grid = new StringBuilder(GridCsvHeader).Append('\n');
        foreach (var c in summary.Cells)
            grid.Append(CultureInfo.InvariantCulture, $"{c.Id},{c.Kind},{c.Panel},{c.Variable},{R(c.Value)},{(c.Constrained ? "true" : "false")},{c.Seed},{R(c.TestAccuracy)},{R(c.TestLoss)},{R(c.TrainLoss)},{R(c.WallSeconds)},{c.Device},\"{c.Dataset}\"\n");
        return grid.ToString();
    }
}

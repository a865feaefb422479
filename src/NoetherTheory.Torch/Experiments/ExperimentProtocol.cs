using NoetherTheory.Torch.Runs;

namespace NoetherTheory.Torch.Experiments;

/// <summary>What a cell of a protocol is for.</summary>
public enum CellKind
{
    /// <summary>A Fig. 4 grid run (final accuracy and loss curve).</summary>
    Grid,

    /// <summary>A run whose per-filter measurements feed the filter checks.</summary>
    Filters,
}

/// <summary>One training run of a protocol.</summary>
/// <param name="Id">Unique, file-name-safe id (also the run folder's name).</param>
/// <param name="Kind">Grid or filter-check run.</param>
/// <param name="Panel">Grid panel "A", "B" or "C" (null for filter runs).</param>
/// <param name="Variable">The varied hyper-parameter: "lr", "momentum" or "weight_decay" (null for filter runs).</param>
/// <param name="Value">Its value in this cell (NaN for filter runs).</param>
/// <param name="Constrained">Filter norms held at their initial values.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Config">The complete training config.</param>
public sealed record ExperimentCell(string Id, CellKind Kind, string? Panel, string? Variable, double Value, bool Constrained, long Seed,
    TrainingConfig Config);

/// <summary>A deep-network validation protocol (validation/experiments/*.yaml): the Fig. 4 grid and/or filter-check runs.</summary>
/// <param name="Name">Protocol name.</param>
/// <param name="Description">What it is for (free text).</param>
/// <param name="Source">The file it was read from.</param>
/// <param name="Cells">Every run, grid cells first, in a stable order.</param>
public sealed record ExperimentProtocol(string Name, string Description, string Source, IReadOnlyList<ExperimentCell> Cells)
{
    /// <summary>The data set the protocol trains on, named plainly (every output states it).</summary>
    public string DatasetName => Cells.Count == 0 ? "none" : DescribeDataset(Cells[0].Config.Dataset);

    /// <summary>A plain name of a data set config ("Fashion-MNIST", "Tiny ImageNet", "synthetic …").</summary>
    public static string DescribeDataset(DatasetConfig dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Kind switch
        {
            DatasetKind.FashionMnist => "Fashion-MNIST",
            DatasetKind.TinyImageNet => "Tiny ImageNet",
            _ => dataset.Synthetic is { } s
                ? FormattableString.Invariant($"synthetic images ({s.Channels}×{s.Size}×{s.Size}, {s.Classes} classes, {s.TrainCount} train)")
                : "synthetic images",
        };
    }
}

namespace NoetherTheory.Core.RunLogs;

/// <summary>
/// The CSV files of a training run folder, written by the engine (NoetherTheory.Torch) and read by the analysis: their
/// file names and header lines. Rows follow the header's columns; numbers use the invariant culture ("R" format), and a
/// logged but unmeasured step leaves the measurement columns of metrics.csv empty.
/// </summary>
/// <remarks>Columns (theory/05-learning-dynamics.md#eq-5-6 and #eq-5-7): |w|² (w2), |g|² (g2), |v|² (v2), ⟨w,g⟩ (wg),
/// ⟨w,v⟩ (wv), the predicted ⟨w,g⟩ = ε/(c+ε)·γ·∂f/∂γ (wg_pred) and BN's batch variance c (bn_var). Run folders started
/// before wg_pred and bn_var were measured use the legacy layouts; a resumed run keeps its folder's layout and readers
/// accept both.</remarks>
public static class RunLogSchema
{
    /// <summary>File name of the per-step log.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>File name of the per-layer log.</summary>
    public const string LayersFile = "layers.csv";

    /// <summary>File name of the per-filter log.</summary>
    public const string FiltersFile = "filters.csv";

    /// <summary>metrics.csv: step, epoch, learning rate, training loss and accuracy since the previous logged step, and the
    /// translation sums of the measured step (empty when unmeasured).</summary>
    public const string MetricsHeader = "step,epoch,lr,train_loss,train_accuracy,translation_w2,translation_g2,bias_sum,bias_grad_sum";

    /// <summary>layers.csv: per BN-preceded conv layer, the filter count and the sums over its filters.</summary>
    public const string LayersHeader = LegacyLayersHeader + ",wg_pred";

    /// <summary>layers.csv in the layout written before the BN-ε prediction was measured (no wg_pred).</summary>
    public const string LegacyLayersHeader = "step,layer,filters,w2,g2,v2,wg,wv";

    /// <summary>filters.csv: per filter of each BN-preceded conv layer.</summary>
    public const string FiltersHeader = LegacyFiltersHeader + ",wg_pred,bn_var";

    /// <summary>filters.csv in the layout written before the BN-ε prediction was measured (no wg_pred, bn_var).</summary>
    public const string LegacyFiltersHeader = "step,layer,filter,w2,g2,v2,wg,wv";

    /// <summary>The number of comma-separated columns a header line names.</summary>
    public static int ColumnCount(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Count(c => c == ',') + 1;
    }
}

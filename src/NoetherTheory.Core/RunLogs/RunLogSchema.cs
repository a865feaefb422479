namespace NoetherTheory.Core.RunLogs;

/// <summary>
/// The CSV files of a training run folder, written by the engine (NoetherTheory.Torch) and read by the analysis: their
/// file names and header lines. Rows follow the header's columns; numbers use the invariant culture ("R" format), and a
/// logged but unmeasured step leaves the measurement columns of metrics.csv empty.
/// </summary>
/// <remarks>Columns (theory/05-learning-dynamics.md#eq-5-6 and #eq-5-7): |w|² (w2), |g|² (g2), |v|² (v2), ⟨w,g⟩ (wg),
/// ⟨w,v⟩ (wv), the predicted ⟨w,g⟩ = ε/(c+ε)·γ·∂f/∂γ (wg_pred), BN's batch variance c (bn_var) and the angle turned by
/// the step's update (angle, filters.csv only). Run folders started before wg_pred and bn_var, or before angle, were
/// measured use the older layouts; a resumed run keeps its folder's layout and readers accept every one.</remarks>
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

    /// <summary>filters.csv: per filter of each BN-preceded conv layer; <c>angle</c> is the angle (rad) between the filter
    /// before and after the step's update (theory/05-learning-dynamics.md#eq-5-8).</summary>
    public const string FiltersHeader = PreAngleFiltersHeader + ",angle";

    /// <summary>filters.csv in the layout written before the angular update was measured (no angle). Each older layout is
    /// a prefix of the newer one.</summary>
    public const string PreAngleFiltersHeader = LegacyFiltersHeader + ",wg_pred,bn_var";

    /// <summary>filters.csv in the layout written before the BN-ε prediction was measured (no wg_pred, bn_var).</summary>
    public const string LegacyFiltersHeader = "step,layer,filter,w2,g2,v2,wg,wv";

    /// <summary>The number of comma-separated columns a header line names.</summary>
    public static int ColumnCount(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Count(c => c == ',') + 1;
    }
}

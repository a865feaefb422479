namespace NoetherTheory.Core.RunLogs;

/// <summary>
/// The symmetry-group files of a training run folder that measures groups (<c>measure:</c> in its config): which groups
/// discovery proposed and decided (symmetries.csv) and, at every measured step, each measured generator's charge and the
/// quantities its exact laws consume (groups.csv). Numbers use the invariant culture ("R" format).
/// </summary>
/// <remarks>groups.csv columns (theory/08-group-laws.md#eq-8-1 and theory/08-group-laws.md#eq-8-2): for a scale or rescale generator with
/// powers p_t, q = Σp|θ|², b = Σp⟨θ,v⟩, wg = Σp⟨θ,g⟩, c = Σp|v|², w2 = Σ|p||θ|², g2 = Σ|p||g|², v2 = Σ|p||v|²; for a
/// translation generator q = Σθ, b = Σv, wg = Σg, c = 0 and w2, g2, v2 the slice-size-weighted squared norms.</remarks>
public static class GroupLogSchema
{
    /// <summary>File name of the discovery summary.</summary>
    public const string SymmetriesFile = "symmetries.csv";

    /// <summary>symmetries.csv: one row per candidate group; <c>measured</c> is true for the groups groups.csv holds;
    /// the gradient residuals are discovery's float32 and float64 evidence.</summary>
    public const string SymmetriesHeader = "group,kind,verdict,cause,generators,measured,gradient_f32,gradient_f64,invariance_f64";

    /// <summary>File name of the per-generator log.</summary>
    public const string GroupsFile = "groups.csv";

    /// <summary>groups.csv: per measured step, group and generator.</summary>
    public const string GroupsHeader = "step,group,generator,q,b,wg,c,w2,g2,v2";

    /// <summary>File name of the BN-ε prediction log: written only when a measured scale group feeds batch normalisations
    /// (theory/08-group-laws.md#eq-8-4), so runs without one keep exactly the files above.</summary>
    public const string PredictionsFile = "groups-bn.csv";

    /// <summary>groups-bn.csv: per measured step, predicted group and generator, the predicted wg = Σp·ε/(c+ε)·γ·∂f/∂γ over
    /// the generator's BN channels (NaN: c not captured) and c of its BN channel (NaN when it moves more than one).</summary>
    public const string PredictionsHeader = "step,group,generator,wg_pred,bn_var";
}

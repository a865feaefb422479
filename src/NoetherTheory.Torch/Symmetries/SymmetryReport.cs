using NoetherTheory.Core.Documents;
using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>A <see cref="DiscoveryResult"/> as the <c>noether.symmetries/1</c> document.</summary>
public static class SymmetryReport
{
    /// <summary>The document of a discovery.</summary>
    public static SymmetriesDocument ToDocument(DiscoveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var d = result.Description;
        return new SymmetriesDocument(d.Model, NetworkConfig.NameOf(result.Config.Kind), result.Options.Points, result.Options.BatchSize, result.Options.Seed,
            new SymmetryTolerances(SymmetryDiscovery.Float32Invariance, SymmetryDiscovery.Float32Gradient, SymmetryDiscovery.Float64Invariance, SymmetryDiscovery.Float64Gradient),
            [.. d.Parameters.Select(p => new ModelParameterEntry(p.Name, p.Shape, RoleName(p.Role)))],
            [.. result.Groups.Select(v => new SymmetryGroupEntry(v.Group.Name, KindName(v.Group.Kind), v.Group.Action == GroupAction.Scale ? "scale" : "translate",
                v.Group.Declared, v.Group.Origin, v.Group.DescribeAction(), [.. v.Group.Tensors], v.Group.Dimension, v.ParameterCount, VerdictName(v.Verdict),
                v.Cause == BreakingCause.None ? null : CauseName(v.Cause), v.Explanation, Entry(v.Float32)!, Entry(v.Float64)!, Entry(v.Counterfactual)))]);
    }

    /// <summary>holds, broken or refuted.</summary>
    public static string VerdictName(SymmetryVerdict verdict) => verdict switch
    {
        SymmetryVerdict.Holds => "holds",
        SymmetryVerdict.Broken => "broken",
        SymmetryVerdict.Refuted => "refuted",
        _ => throw new System.Diagnostics.UnreachableException($"verdict {verdict}"),
    };

    /// <summary>epsilon, bias, skip (or "-" for none).</summary>
    public static string CauseName(BreakingCause cause) => cause switch
    {
        BreakingCause.None => "-",
        BreakingCause.Epsilon => "epsilon",
        BreakingCause.Bias => "bias",
        BreakingCause.Skip => "skip",
        _ => throw new System.Diagnostics.UnreachableException($"cause {cause}"),
    };

    /// <summary>scale, rescale or translation.</summary>
    public static string KindName(GroupKind kind) => kind switch
    {
        GroupKind.Scale => "scale",
        GroupKind.Rescale => "rescale",
        GroupKind.Translation => "translation",
        _ => throw new System.Diagnostics.UnreachableException($"kind {kind}"),
    };

    private static string RoleName(ParameterRole role) => role switch
    {
        ParameterRole.ConvWeight => "conv-weight",
        ParameterRole.ConvBias => "conv-bias",
        ParameterRole.LinearWeight => "linear-weight",
        ParameterRole.LinearBias => "linear-bias",
        ParameterRole.NormWeight => "norm-weight",
        ParameterRole.NormBias => "norm-bias",
        _ => throw new System.Diagnostics.UnreachableException($"role {role}"),
    };

    private static SymmetryEvidenceEntry? Entry(SymmetryEvidence? e) => e is null ? null : new(e.Invariance, e.Gradient);
}

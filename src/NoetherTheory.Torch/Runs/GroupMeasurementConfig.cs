using NoetherTheory.Torch.Symmetries;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// Which symmetry groups a run measures at its measured steps (YAML <c>measure: auto</c> or <c>measure: [scale, rescale,
/// translation]</c>, with <c>declare: [groups.yaml, …]</c> for groups declared as data in the format of
/// <see cref="SymmetryDeclarations"/>). The groups are those <see cref="SymmetryDiscovery"/> finds in the run's network
/// (discovered and declared) whose verdict is holds or broken; refuted ones are not measured.
/// </summary>
/// <param name="Auto">Every group kind.</param>
/// <param name="Kinds">The kinds measured when not <paramref name="Auto"/>.</param>
/// <param name="Declarations">Declaration files (absolute paths), decided and measured like the discovered groups.</param>
public sealed record GroupMeasurementConfig(bool Auto, IReadOnlyList<GroupKind> Kinds, IReadOnlyList<string> Declarations)
{
    /// <summary>The YAML spelling of each group kind.</summary>
    public static IReadOnlyDictionary<string, GroupKind> KindNames { get; } = new Dictionary<string, GroupKind>(StringComparer.Ordinal)
    {
        ["scale"] = GroupKind.Scale, ["rescale"] = GroupKind.Rescale, ["translation"] = GroupKind.Translation,
    };

    /// <summary>The YAML name of a kind.</summary>
    public static string NameOf(GroupKind kind) => KindNames.First(p => p.Value == kind).Key;

    /// <summary>Whether groups of <paramref name="kind"/> are measured.</summary>
    public bool Selects(GroupKind kind) => Auto || Kinds.Contains(kind);

    /// <summary>Whether a group with this verdict and kind is measured: holds or broken, and a selected kind.</summary>
    public bool Measures(GroupVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Verdict != SymmetryVerdict.Refuted && Selects(verdict.Group.Kind);
    }
}

using System.Globalization;
using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>How a group element acts on the slices it touches.</summary>
public enum GroupAction
{
    /// <summary>θ_slice ← α_c^power · θ_slice with α_c &gt; 0 (generator ξ = power · θ_slice).</summary>
    Scale,

    /// <summary>θ_slice ← θ_slice + t_c (every element of the slice shifted by the same t_c; generator ξ = 1 on the slice).</summary>
    Translate,
}

/// <summary>The three group types the laws distinguish.</summary>
public enum GroupKind
{
    /// <summary>Every touched slice scaled by the same α (power +1): normalisation-induced scale invariance.</summary>
    Scale,

    /// <summary>Some slices up (α), some down (1/α): per-unit rescale through a homogeneous activation.</summary>
    Rescale,

    /// <summary>Slices shifted along the all-ones direction: softmax (or LayerNorm) translation.</summary>
    Translation,
}

/// <summary>One tensor's part in a group: the slices that group parameter c moves, and with which power.</summary>
/// <param name="Slices">The slice family (all tensors of one component have the same number of slices).</param>
/// <param name="Power">Scale action: the exponent of α (+1 up, −1 down); 1 for translations.</param>
public sealed record GroupTensor(SliceFamily Slices, double Power = 1)
{
    /// <summary>The tensor, axis and power in words (e.g. "layers.1.weight[:, c]^-1").</summary>
    public string Describe(GroupAction action)
    {
        var s = Slices;
        string where = s.Axis is not { } a ? "" : a == 0 ? "[c]" : "[" + string.Concat(Enumerable.Repeat(":, ", a)) + "c]";
        if (s.Block != 1 && s.Axis is not null) where = where.Replace("c]", string.Create(CultureInfo.InvariantCulture, $"c·{s.Block}…]"), StringComparison.Ordinal);
        if (s.Axis is not null && (s.Start != 0)) where += string.Create(CultureInfo.InvariantCulture, $" from {s.Start}");
        string power = action == GroupAction.Translate ? " + t" : Power == 1 ? " × α" : Power == -1 ? " × 1/α" : string.Create(CultureInfo.InvariantCulture, $" × α^{Power}");
        return s.Parameter + where + power;
    }
}

/// <summary>
/// A candidate symmetry group of a network: independent one-parameter subgroups (generators), grouped into components
/// whose tensors move together (one group parameter c acts on slice c of every tensor of its component).
/// </summary>
/// <param name="Name">A stable id (e.g. "scale:features.0.weight").</param>
/// <param name="Kind">Scale, rescale or translation.</param>
/// <param name="Action">How an element acts.</param>
/// <param name="Components">The components; each a list of tensors with equal slice counts.</param>
/// <param name="Origin">Where the candidate came from ("BN features.1 normalises features.0", "declared in file:line").</param>
/// <param name="Declared">True for a group a user declared as data.</param>
/// <param name="SkipOnPath">The description shows an identity (skip) path through the units the group rescales.</param>
public sealed record SymmetryGroup(string Name, GroupKind Kind, GroupAction Action, IReadOnlyList<IReadOnlyList<GroupTensor>> Components,
    string Origin, bool Declared = false, bool SkipOnPath = false)
{
    /// <summary>Dimension of the group: the number of one-parameter subgroups (α_c or t_c).</summary>
    public long Dimension => Components.Sum(c => c[0].Slices.Count);

    /// <summary>Every tensor the group moves.</summary>
    public IEnumerable<string> Tensors => Components.SelectMany(c => c.Select(t => t.Slices.Parameter)).Distinct();

    /// <summary>Number of scalars the group moves.</summary>
    public long ParameterCount(ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long n = 0;
        foreach (var t in Components.SelectMany(c => c))
        {
            var p = model.Get(t.Slices.Parameter);
            n += t.Slices.Axis is not { } a ? p.Count : p.Count / p.Shape[a] * t.Slices.Count * t.Slices.Block;
        }
        return n;
    }

    /// <summary>The action in words, component by component.</summary>
    public string DescribeAction() =>
        string.Join("; ", Components.Select(c => string.Join(", ", c.Select(t => t.Describe(Action)))));
}

using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>
/// Candidate groups from a network's structure (its <see cref="ModelDescription"/>). A candidate is a hypothesis: whether
/// it is a symmetry is decided by <see cref="SymmetryDiscovery"/> from forward passes and gradients, never from the names.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Batch normalisation fed by a conv or linear layer: per-output-channel scale of its weights (BN divides each
/// channel by its own batch standard deviation).</item>
/// <item>Layer normalisation fed by a linear layer: it divides each sample by the standard deviation over all features,
/// so the candidates are the per-layer scale of the weights, of weights and bias together, the per-channel scale (which
/// a LayerNorm does not have: proposed so the evidence can say so), and the shift along the all-ones vector (the same
/// vector added to every weight row, the same number to every bias: LayerNorm subtracts the feature mean).</item>
/// <item>Every activation between two parameterised layers: per-unit rescale, incoming rows, biases (or γ, β) × α,
/// outgoing columns × 1/α; through a positively homogeneous activation (ReLU, max-pool, dropout) this holds.</item>
/// <item>The logits layer under softmax cross-entropy: the same vector added to every class row, the same number to
/// every class bias.</item>
/// </list>
/// </remarks>
public static class SymmetryProposals
{
    /// <summary>Every candidate group of the network, in a stable order (normalisations, activations, output).</summary>
    public static IReadOnlyList<SymmetryGroup> Propose(ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var groups = new List<SymmetryGroup>();
        foreach (var norm in model.Normalisations)
        {
            var weight = model.Get(norm.InputWeight);
            var rows = new GroupTensor(new SliceFamily(weight.Name, 0, 1, 0, weight.Shape[0]));
            string origin = $"{(norm.Kind == NormalisationKind.Batch ? "BN" : "LayerNorm")} {norm.Name} normalises the output of {weight.Name}";
            if (norm.Kind == NormalisationKind.Batch)
            {
                groups.Add(new SymmetryGroup("scale:" + weight.Name, GroupKind.Scale, GroupAction.Scale, [[rows]], origin + " per channel"));
                continue;
            }
            var whole = new GroupTensor(new SliceFamily(weight.Name, null, 1, 0, 1));
            groups.Add(new SymmetryGroup("layer-scale:" + weight.Name, GroupKind.Scale, GroupAction.Scale, [[whole]], origin + " per sample over all features"));
            if (norm.InputBias is { } bias)
                groups.Add(new SymmetryGroup("layer-scale:" + weight.Name + "+bias", GroupKind.Scale, GroupAction.Scale,
                    [[whole, new GroupTensor(new SliceFamily(bias, null, 1, 0, 1))]], origin + " per sample over all features"));
            groups.Add(new SymmetryGroup("channel-scale:" + weight.Name, GroupKind.Scale, GroupAction.Scale, [[rows]], origin + " (per-channel candidate)"));
            var shift = new List<IReadOnlyList<GroupTensor>> { new[] { new GroupTensor(new SliceFamily(weight.Name, 1, 1, 0, weight.Shape[1])) } };
            if (norm.InputBias is { } b) shift.Add([new GroupTensor(new SliceFamily(b, null, 1, 0, 1))]);
            groups.Add(new SymmetryGroup("translation:" + norm.Name, GroupKind.Translation, GroupAction.Translate, shift, origin + ", minus the feature mean"));
        }
        foreach (var unit in model.Units)
        {
            var component = unit.Incoming.Select(s => new GroupTensor(s, 1)).Concat(unit.Outgoing.Select(s => new GroupTensor(s, -1))).ToList();
            if (component.Select(t => t.Slices.Count).Distinct().Count() != 1)
                throw new InvalidOperationException($"unit {unit.Name} of {model.Model}: incoming and outgoing slice counts differ ({string.Join(", ", component.Select(t => t.Slices.Parameter + ":" + t.Slices.Count))}).");
            string through = unit.Passes.Count == 0 ? unit.Activation : unit.Activation + " → " + string.Join(" → ", unit.Passes);
            groups.Add(new SymmetryGroup("rescale:" + unit.Name, GroupKind.Rescale, GroupAction.Scale, [component],
                $"units through {through}" + (unit.Skip ? " (an identity skip path also passes these units)" : ""), SkipOnPath: unit.Skip));
        }
        var output = model.Get(model.OutputWeight);
        var translation = new List<IReadOnlyList<GroupTensor>> { new[] { new GroupTensor(new SliceFamily(output.Name, 1, 1, 0, output.Shape[1])) } };
        if (model.OutputBias is { } outputBias) translation.Add([new GroupTensor(new SliceFamily(outputBias, null, 1, 0, 1))]);
        groups.Add(new SymmetryGroup("translation:" + OwnerOf(output.Name), GroupKind.Translation, GroupAction.Translate, translation,
            $"softmax cross-entropy reads the logits of {output.Name}"));
        return groups;
    }

    private static string OwnerOf(string parameter) => parameter.EndsWith(".weight", StringComparison.Ordinal) ? parameter[..^".weight".Length] : parameter;
}

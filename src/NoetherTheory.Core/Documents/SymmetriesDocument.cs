namespace NoetherTheory.Core.Documents;

// noether.symmetries/1: what `noether symmetries --model <config> --format json` prints.

/// <summary>The candidate symmetry groups of one network with their verdicts (<c>noether.symmetries/1</c>).</summary>
/// <param name="Model">The network in words (kind and size).</param>
/// <param name="ModelKind">vgg11-bn, resnet18, mlp or layernorm-net.</param>
/// <param name="Points">Random parameter points (each with its own batch).</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="Seed">Seed of points, batches and group elements.</param>
/// <param name="Tolerances">The tolerances the verdicts used.</param>
/// <param name="Parameters">The network's parameter tensors.</param>
/// <param name="Groups">One entry per candidate, in proposal order (discovered, then declared).</param>
public sealed record SymmetriesDocument(string Model, string ModelKind, int Points, int BatchSize, long Seed, SymmetryTolerances Tolerances,
    IReadOnlyList<ModelParameterEntry> Parameters, IReadOnlyList<SymmetryGroupEntry> Groups) : ResultDocument(KindTag)
{
    /// <summary>The kind tag of this document.</summary>
    public const string KindTag = "noether.symmetries/1";
}

/// <summary>The tolerances of a symmetry verdict.</summary>
/// <param name="Float32Invariance">Relative loss change allowed in float32.</param>
/// <param name="Float32Gradient">Gradient-identity residual allowed in float32.</param>
/// <param name="Float64Invariance">Relative loss change allowed in float64.</param>
/// <param name="Float64Gradient">Gradient-identity residual allowed in float64.</param>
public sealed record SymmetryTolerances(double Float32Invariance, double Float32Gradient, double Float64Invariance, double Float64Gradient);

/// <summary>One parameter tensor.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Role">conv-weight, conv-bias, linear-weight, linear-bias, norm-weight or norm-bias.</param>
public sealed record ModelParameterEntry(string Name, IReadOnlyList<long> Shape, string Role);

/// <summary>One candidate group.</summary>
/// <param name="Name">Its id.</param>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Action">scale or translate.</param>
/// <param name="Declared">True for a group declared as data.</param>
/// <param name="Origin">Where the candidate came from.</param>
/// <param name="Acts">The action in words.</param>
/// <param name="Tensors">The tensors it moves.</param>
/// <param name="Dimension">Number of one-parameter subgroups.</param>
/// <param name="ParameterCount">Scalars it moves.</param>
/// <param name="Verdict">holds, broken or refuted.</param>
/// <param name="Cause">For a broken group: epsilon, bias or skip.</param>
/// <param name="Explanation">The verdict in words with the numbers.</param>
/// <param name="Float32">Evidence in float32.</param>
/// <param name="Float64">Evidence in float64.</param>
/// <param name="Counterfactual">Float64 evidence without the cause (ε = 0, unmoved biases zero), when tried.</param>
public sealed record SymmetryGroupEntry(string Name, string Kind, string Action, bool Declared, string Origin, string Acts, IReadOnlyList<string> Tensors,
    long Dimension, long ParameterCount, string Verdict, string? Cause, string Explanation, SymmetryEvidenceEntry Float32, SymmetryEvidenceEntry Float64,
    SymmetryEvidenceEntry? Counterfactual);

/// <summary>The largest violations over the points.</summary>
/// <param name="Invariance">Relative loss change under a random group element.</param>
/// <param name="Gradient">|⟨g, ξ⟩| relative to Σ|g||ξ|, worst generator.</param>
public sealed record SymmetryEvidenceEntry(double Invariance, double Gradient);

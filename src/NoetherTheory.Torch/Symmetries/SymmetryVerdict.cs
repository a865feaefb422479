using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>What the evidence says about a candidate group.</summary>
public enum SymmetryVerdict
{
    /// <summary>The loss is invariant and ⟨g, ξ⟩ = 0 for every generator, at round-off in float32 and float64.</summary>
    Holds,

    /// <summary>Not a symmetry, but the network without one named structural feature has it (see <see cref="BreakingCause"/>).</summary>
    Broken,

    /// <summary>Not a symmetry, and no structural feature explains the violation (its size is in the evidence).</summary>
    Refuted,
}

/// <summary>The structural feature that breaks a <see cref="SymmetryVerdict.Broken"/> group.</summary>
public enum BreakingCause
{
    /// <summary>No cause (the group holds or is refuted).</summary>
    None,

    /// <summary>The normalisation's ε: the same parameters in the network with ε = 0 satisfy the group exactly.</summary>
    Epsilon,

    /// <summary>A bias the action does not move: with those biases zero (and ε = 0) the group holds exactly.</summary>
    Bias,

    /// <summary>An identity skip connection passes the rescaled units: a path without parameters that nothing compensates
    /// (read from the description; no counterfactual removes it).</summary>
    Skip,
}

/// <summary>The largest violations over the random points and batches.</summary>
/// <param name="Invariance">max |f(g·θ) − f(θ)| / |f(θ)| for a random group element g (NaN: a non-finite loss).</param>
/// <param name="Gradient">max over generators c of |⟨∇f, ξ_c⟩| / Σ|∇f_slice|·|ξ_slice| (the cosine-like residual of the
/// gradient identity; NaN: a non-finite gradient).</param>
public sealed record SymmetryEvidence(double Invariance, double Gradient);

/// <summary>One candidate with its evidence and verdict.</summary>
/// <param name="Group">The candidate.</param>
/// <param name="ParameterCount">Scalars the group moves.</param>
/// <param name="Verdict">Holds, broken or refuted.</param>
/// <param name="Cause">What breaks a broken group.</param>
/// <param name="Explanation">The verdict in words, with the numbers.</param>
/// <param name="Float32">Evidence at training precision.</param>
/// <param name="Float64">Evidence in float64 (round-off ≈ 1e-16, so a breaking as small as ε/c ≈ 1e-6 is resolved).</param>
/// <param name="Counterfactual">Float64 evidence in the network without the cause (ε = 0, biases zero), when one was tried.</param>
public sealed record GroupVerdict(SymmetryGroup Group, long ParameterCount, SymmetryVerdict Verdict, BreakingCause Cause, string Explanation,
    SymmetryEvidence Float32, SymmetryEvidence Float64, SymmetryEvidence? Counterfactual);

/// <summary>Options of <see cref="SymmetryDiscovery"/>.</summary>
/// <param name="Points">Random parameter points (each with its own random batch).</param>
/// <param name="BatchSize">Samples per batch (≥ 2: batch normalisation needs two).</param>
/// <param name="Seed">Seeds the points, batches and group elements.</param>
public sealed record DiscoveryOptions(int Points = 3, int BatchSize = 8, long Seed = 1)
{
    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Points, 1, nameof(Points));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Points, 64, nameof(Points));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 2, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, 1024, nameof(BatchSize));
    }
}

/// <summary>Every candidate group of a network with its verdict.</summary>
/// <param name="Config">The network.</param>
/// <param name="Description">Its description.</param>
/// <param name="Options">The effective options.</param>
/// <param name="Groups">One verdict per candidate, in proposal order (discovered, then declared).</param>
public sealed record DiscoveryResult(NetworkConfig Config, ModelDescription Description, DiscoveryOptions Options, IReadOnlyList<GroupVerdict> Groups);

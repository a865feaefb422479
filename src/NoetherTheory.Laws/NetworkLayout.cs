using System.Collections.Immutable;

namespace NoetherTheory.Laws;

/// <summary>Where a network's weights and biases sit among the parameters of its <see cref="Factorisation"/>.</summary>
/// <param name="Widths">n₀ (input), …, n_L (output).</param>
/// <param name="Weights">Weights[l−1][i, j] = parameter index of U_l[i, j].</param>
/// <param name="Biases">Biases[l−1][i] = parameter index of b_l[i]; empty without biases.</param>
/// <param name="Names">Parameter names.</param>
/// <param name="Rectified">True for a ReLU network (φ the path lifting), false for a linear one (φ the product).</param>
public sealed record NetworkLayout(ImmutableArray<int> Widths, int[][,] Weights, int[][] Biases, ImmutableArray<string> Names, bool Rectified)
{
    /// <summary>Whether the network has biases.</summary>
    public bool HasBias => Biases.Length > 0;
}

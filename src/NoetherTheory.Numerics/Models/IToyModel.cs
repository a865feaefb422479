namespace NoetherTheory.Numerics.Models;

/// <summary>What a gradient oracle may depend on besides the parameters: the step index and a seeded RNG.</summary>
/// <param name="Step">Index n of the optimizer step asking for g(q_n).</param>
/// <param name="Rng">Seeded generator for stochastic gradients (minibatches, synthetic noise); null = deterministic.</param>
/// <param name="BatchSize">Minibatch size for data models; 0 = full batch.</param>
public readonly record struct GradientContext(int Step, Random? Rng, int BatchSize)
{
    /// <summary>A deterministic, full-batch context.</summary>
    public static GradientContext FullBatch { get; } = new(0, null, 0);
}

/// <summary>
/// A toy model with a hand-written loss and gradient, and a declaration of its symmetries (which parameter blocks
/// are scale-, translation-, rescale-, balance- or rotation-symmetric) so that recorders and laws can measure the
/// Noether quantities generically.
/// </summary>
public interface IToyModel
{
    /// <summary>Catalog id (for example <c>scale-cosine</c>).</summary>
    string Id { get; }

    /// <summary>Number of parameters.</summary>
    int Dimension { get; }

    /// <summary>The symmetry blocks of the loss.</summary>
    ModelStructure Structure { get; }

    /// <summary>False for synthetic force fields that are not gradients of any loss.</summary>
    bool HasLoss { get; }

    /// <summary>Full-batch loss f(q) (NaN when <see cref="HasLoss"/> is false).</summary>
    double Loss(ReadOnlySpan<double> q);

    /// <summary>Writes the (possibly stochastic) gradient at q into <paramref name="g"/>.</summary>
    void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context);

    /// <summary>The model's initial point (deterministic given its parameters and seed).</summary>
    double[] InitialPoint();
}

/// <summary>A model with an exact Hessian-vector product of the full-batch loss.</summary>
public interface IHessianModel : IToyModel
{
    /// <summary>Writes H(q)·v into <paramref name="hv"/>.</summary>
    void HessianVector(ReadOnlySpan<double> q, ReadOnlySpan<double> v, Span<double> hv);
}

/// <summary>A model whose loss is (1/N) Σᵢ ℓ(fᵢ, yᵢ) over scalar outputs fᵢ = f(xᵢ; q): what the energy/NTK identity needs.</summary>
public interface ISampleOutputModel : IToyModel
{
    /// <summary>Number of samples N.</summary>
    int SampleCount { get; }

    /// <summary>Writes outputs fᵢ and loss derivatives ℓ′ᵢ = ∂ℓ/∂fᵢ for all samples.</summary>
    void Outputs(ReadOnlySpan<double> q, Span<double> outputs, Span<double> lossDerivatives);

    /// <summary>Writes ∇_q fᵢ for sample i.</summary>
    void OutputGradient(ReadOnlySpan<double> q, int sample, Span<double> gradient);
}

/// <summary>A named set of parameter indices.</summary>
/// <param name="Name">Label used in recorded column names.</param>
/// <param name="Indices">Parameter indices.</param>
public sealed record IndexBlock(string Name, int[] Indices);

/// <summary>Incoming (A₁) and outgoing (A₂) weights of one homogeneous unit: |q_A₁|² − |q_A₂|² is the rescale charge.</summary>
/// <param name="Name">Label.</param>
/// <param name="Incoming">A₁ indices.</param>
/// <param name="Outgoing">A₂ indices.</param>
public sealed record RescalePair(string Name, int[] Incoming, int[] Outgoing);

/// <summary>A row-major matrix stored in the parameter vector.</summary>
/// <param name="Name">Label.</param>
/// <param name="Offset">Index of element (0, 0).</param>
/// <param name="Rows">Rows.</param>
/// <param name="Cols">Columns.</param>
public sealed record MatrixBlock(string Name, int Offset, int Rows, int Cols)
{
    /// <summary>Copies the block out of a parameter-shaped vector.</summary>
    public MathNet.Numerics.LinearAlgebra.Matrix<double> Read(ReadOnlySpan<double> q)
    {
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(Rows, Cols);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                m[i, j] = q[Offset + i * Cols + j];
        return m;
    }
}

/// <summary>Two consecutive linear layers W₁ (h×d) and W₂ (o×h): D = W₁W₁ᵀ − W₂ᵀW₂ is the balance matrix
/// (theory/03-noether.md#eq-3-14).</summary>
/// <param name="Name">Label.</param>
/// <param name="First">W₁.</param>
/// <param name="Second">W₂.</param>
public sealed record BalancePair(string Name, MatrixBlock First, MatrixBlock Second);

/// <summary>The symmetry blocks of a model's loss.</summary>
public sealed record ModelStructure
{
    /// <summary>Blocks q_A with f((1+s)q_A) = f(q): ⟨g_A, q_A⟩ = 0.</summary>
    public IReadOnlyList<IndexBlock> Scale { get; init; } = [];

    /// <summary>Blocks with f(q + s·1_A) = f(q): ⟨g, 1_A⟩ = 0.</summary>
    public IReadOnlyList<IndexBlock> Translation { get; init; } = [];

    /// <summary>Rescale pairs: ⟨g_A₁, q_A₁⟩ = ⟨g_A₂, q_A₂⟩.</summary>
    public IReadOnlyList<RescalePair> Rescale { get; init; } = [];

    /// <summary>Linear layer pairs with GL(h) symmetry.</summary>
    public IReadOnlyList<BalancePair> Balance { get; init; } = [];

    /// <summary>Matrices W with f(WR) = f(W) for orthogonal R: WᵀG symmetric.</summary>
    public IReadOnlyList<MatrixBlock> Rotation { get; init; } = [];
}

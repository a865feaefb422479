namespace NoetherTheory.Torch.Models;

/// <summary>What a parameter tensor is in its network.</summary>
public enum ParameterRole
{
    /// <summary>A convolution's weight [out, in, kh, kw]: one filter per output channel (axis 0).</summary>
    ConvWeight,

    /// <summary>A convolution's bias [out].</summary>
    ConvBias,

    /// <summary>A linear layer's weight [out, in]: one row per output unit (axis 0).</summary>
    LinearWeight,

    /// <summary>A linear layer's bias [out].</summary>
    LinearBias,

    /// <summary>A normalisation's scale γ [features].</summary>
    NormWeight,

    /// <summary>A normalisation's shift β [features].</summary>
    NormBias,
}

/// <summary>One parameter tensor of a network.</summary>
/// <param name="Name">Its name in the module tree (as <c>named_parameters</c> spells it, e.g. "features.0.weight").</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Role">What it is.</param>
public sealed record ParameterDescription(string Name, IReadOnlyList<long> Shape, ParameterRole Role)
{
    /// <summary>Number of scalars.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>Which statistic a normalisation divides by.</summary>
public enum NormalisationKind
{
    /// <summary>Batch normalisation: per channel, mean and variance over (batch, height, width).</summary>
    Batch,

    /// <summary>Layer normalisation: per sample, mean and variance over all features of the layer.</summary>
    Layer,
}

/// <summary>A normalisation and the layer whose output it normalises directly (nothing in between).</summary>
/// <param name="Name">The normalisation's module name.</param>
/// <param name="Kind">Batch or layer normalisation.</param>
/// <param name="Epsilon">The ε added to the variance (it breaks exact scale invariance by ε/(c+ε)).</param>
/// <param name="InputWeight">The weight (rows = output channels or features, axis 0) of the layer that feeds it.</param>
/// <param name="InputBias">That layer's bias, if it has one.</param>
public sealed record NormalisationFact(string Name, NormalisationKind Kind, double Epsilon, string InputWeight, string? InputBias);

/// <summary>A slice family of one tensor: group parameter c acts on the indices [c·Block, (c+1)·Block) along
/// <see cref="Axis"/> (shifted by <see cref="Start"/>); a null axis makes the whole tensor one slice.</summary>
/// <param name="Parameter">Tensor name.</param>
/// <param name="Axis">The axis the group parameter indexes, or null (the whole tensor, one group parameter).</param>
/// <param name="Block">Consecutive indices per group parameter (a flatten after a c×h×w feature map gives h·w).</param>
/// <param name="Start">First index along the axis.</param>
/// <param name="Count">Number of group parameters (slices); for a null axis 1.</param>
public sealed record SliceFamily(string Parameter, int? Axis, long Block, long Start, long Count);

/// <summary>
/// Units between two layers: the producer's per-unit outputs (Incoming: rows and biases, or a normalisation's γ and β)
/// pass an elementwise activation (and possibly pooling or dropout) into the consumer's inputs (Outgoing: columns).
/// </summary>
/// <param name="Name">A label (the activation's module name).</param>
/// <param name="Activation">The activation's kind as the model builds it (relu, tanh, gelu). A label only: whether the
/// rescale through it is a symmetry is decided by evidence.</param>
/// <param name="Incoming">Per-unit slices feeding the activation (axis 0 of rows, biases, γ, β).</param>
/// <param name="Outgoing">Per-unit slices reading the activation's output (the consumer's input axis).</param>
/// <param name="Passes">What lies between the activation and the consumer (e.g. "max-pool", "dropout", "flatten").</param>
/// <param name="Skip">True when an identity (skip) path also adds into the activation's input or also reads its output:
/// a path without parameters that the rescale cannot compensate.</param>
public sealed record UnitLink(string Name, string Activation, IReadOnlyList<SliceFamily> Incoming, IReadOnlyList<SliceFamily> Outgoing,
    IReadOnlyList<string> Passes, bool Skip);

/// <summary>
/// A network described by its parameter tensors and the graph facts symmetry discovery needs: which layer feeds which
/// normalisation, which activation joins which layers, and which layer gives the logits of the softmax cross-entropy.
/// </summary>
/// <param name="Model">The model's kind and size in words.</param>
/// <param name="Parameters">Every trainable tensor, in <c>parameters()</c> order.</param>
/// <param name="Normalisations">Every normalisation fed directly by a conv or linear layer.</param>
/// <param name="Units">Every activation between two parameterised layers.</param>
/// <param name="OutputWeight">The logits layer's weight [classes, features].</param>
/// <param name="OutputBias">Its bias, if any.</param>
/// <param name="InputShape">Shape of one input sample (channels, height, width).</param>
/// <param name="Classes">Number of classes.</param>
public sealed record ModelDescription(string Model, IReadOnlyList<ParameterDescription> Parameters, IReadOnlyList<NormalisationFact> Normalisations,
    IReadOnlyList<UnitLink> Units, string OutputWeight, string? OutputBias, IReadOnlyList<long> InputShape, int Classes)
{
    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public ParameterDescription? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such tensor.</exception>
    public ParameterDescription Get(string name) =>
        Find(name) ?? throw new ArgumentException($"model {Model} has no parameter '{name}'.", nameof(name));
}

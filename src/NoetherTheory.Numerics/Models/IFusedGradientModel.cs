using System.Runtime.Intrinsics;

namespace NoetherTheory.Numerics.Models;

/// <summary>
/// Receives a gradient while it is being computed, a few components at a time, so that an optimizer can update those
/// components while they are still in registers (see <see cref="IFusedGradientModel"/>).
/// </summary>
public interface IGradientConsumer
{
    /// <summary>Takes g[index … index + 7].</summary>
    void Take(nuint index, Vector512<double> g);

    /// <summary>Takes g[index … index + 3].</summary>
    void Take(nuint index, Vector256<double> g);

    /// <summary>Takes g[index].</summary>
    void Take(nuint index, double g);
}

/// <summary>
/// A deterministic, full-batch model whose gradient pass can feed an <see cref="IGradientConsumer"/>: the optimizer's
/// update then runs inside the gradient's final pass instead of re-reading g and q in a pass of its own.
/// </summary>
/// <remarks>Contract: the overload writes exactly the bits <see cref="IToyModel.Gradient"/> writes (which must not depend on
/// its <see cref="GradientContext"/>), and hands every component to the consumer exactly once, in increasing index order,
/// after writing it.</remarks>
public interface IFusedGradientModel : IToyModel
{
    /// <summary>Writes the gradient at q into <paramref name="g"/>, handing each piece to <paramref name="consumer"/> as it is computed.</summary>
    void Gradient<TConsumer>(ReadOnlySpan<double> q, Span<double> g, ref TConsumer consumer)
        where TConsumer : struct, IGradientConsumer, allows ref struct;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// Heavy ball's element-wise update in PyTorch's float32 arithmetic, as <see cref="MomentKernel.ComputeAndUpdate"/> applies it
/// in its pass: d = fma(k, θ, g) with coupled decay (else g); v' = d at the first step, else fma(1 − δ, d, round(β·v));
/// s = fma(β, v', d) with Nesterov, else v' (d without a buffer); θ' = fma(−η, s, θ); with decoupled decay θ'·(1 − ηk).
/// These are the roundings of libtorch's CPU kernels for <c>add(other, alpha)</c> (one fused multiply-add), <c>mul_</c> and
/// <c>add_</c>, so the update is bit for bit the one <see cref="Optimization.HeavyBall"/> performs with tensor operations
/// (a test compares them).
/// </summary>
/// <param name="LearningRate">η (as float32, as libtorch converts the scalar).</param>
/// <param name="CoupledDecay">k added to the gradient (0: none).</param>
/// <param name="Momentum">β.</param>
/// <param name="BufferScale">1 − δ.</param>
/// <param name="Nesterov">Nesterov's step.</param>
/// <param name="HasBuffer">Whether the rule keeps a momentum buffer (β ≠ 0).</param>
/// <param name="FirstStep">The buffer is set to d (its first step; it holds zeros before).</param>
/// <param name="DecoupledFactor">1 − ηk for decoupled decay (1: none).</param>
public readonly record struct HeavyBallUpdate(float LearningRate, float CoupledDecay, float Momentum, float BufferScale, bool Nesterov,
    bool HasBuffer, bool FirstStep, float DecoupledFactor)
{
    /// <summary>One element (the scalar tails).</summary>
    internal (float Theta, float Velocity) Apply(float a, float b, float c)
    {
        float d = CoupledDecay != 0 ? MathF.FusedMultiplyAdd(CoupledDecay, a, b) : b;
        float v = c, s = d;
        if (HasBuffer)
        {
            v = FirstStep ? d : MathF.FusedMultiplyAdd(BufferScale, d, Momentum * c);
            s = Nesterov ? MathF.FusedMultiplyAdd(Momentum, v, d) : v;
        }
        float t = MathF.FusedMultiplyAdd(-LearningRate, s, a);
        return (DecoupledFactor != 1 ? t * DecoupledFactor : t, v);
    }
}

public static partial class MomentKernel
{
    /// <summary>
    /// <see cref="Compute"/>'s moments of the pre-update θ, g, v, formed in the same pass that applies heavy ball's update to θ
    /// and v in place: the measurement then reads nothing the optimizer does not read anyway (on a network whose first layer
    /// does not fit the caches, that pass over θ, g and v is what measuring costs otherwise).
    /// </summary>
    /// <param name="weights">θ, updated in place.</param>
    /// <param name="gradients">g.</param>
    /// <param name="velocity">v, updated in place (holds zeros at the first step); null without a buffer.</param>
    /// <param name="pre">Product of the dimensions before the axis.</param>
    /// <param name="rows">Length of the axis.</param>
    /// <param name="post">Product of the dimensions after it.</param>
    /// <param name="destination">rows × <see cref="Width"/> values.</param>
    /// <param name="update">The update.</param>
    /// <param name="threads">As for <see cref="Compute"/>: 2 or more splits a large tensor, with the same results.</param>
    /// <param name="native">As for <see cref="Compute"/>.</param>
    /// <exception cref="ArgumentException">The operands' lengths are not pre·rows·post, the buffer is missing or extra, or
    /// the destination is too short.</exception>
    public static void ComputeAndUpdate(FloatTarget weights, FloatSource gradients, FloatTarget? velocity, long pre, long rows, long post,
        double[] destination, HeavyBallUpdate update, int threads = 1, bool native = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradients);
        if ((velocity is not null) != update.HasBuffer)
            throw new ArgumentException("A velocity buffer must be given exactly when the update keeps one.", nameof(velocity));
        long n = Check(weights().Length, gradients().Length, velocity?.Invoke().Length ?? -1, pre, rows, post, destination);
        if (n == 0) return;
        // Without a buffer, g is read in v's place (its v moments zeroed afterwards) and v is never written.
        FloatTarget v = velocity ?? (() => Writable(gradients()));
        Drive(weights, gradients, v, pre, rows, post, destination, threads, native, new HeavyBallStep(update));
        if (velocity is null) ZeroVelocity(destination, rows);
    }

    // Heavy ball's update of one element or eight, after the loops have taken their products; the coefficients broadcast
    // once per call of the kernel, not per vector (the same arithmetic as HeavyBallUpdate.Apply, which the scalar path uses).
    private readonly struct HeavyBallStep(HeavyBallUpdate update) : IElementUpdate
    {
        private readonly Vector256<float> _decay = Vector256.Create(update.CoupledDecay);
        private readonly Vector256<float> _beta = Vector256.Create(update.Momentum);
        private readonly Vector256<float> _scale = Vector256.Create(update.BufferScale);
        private readonly Vector256<float> _rate = Vector256.Create(-update.LearningRate);
        private readonly Vector256<float> _factor = Vector256.Create(update.DecoupledFactor);

        public HeavyBallUpdate? Native => update;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(Vector256<float> a, Vector256<float> b, Vector256<float> c, ref float theta, ref float velocity, nuint at)
        {
            var d = update.CoupledDecay != 0 ? Vector256.FusedMultiplyAdd(_decay, a, b) : b;
            var s = d;
            if (update.HasBuffer)
            {
                var v = update.FirstStep ? d : Vector256.FusedMultiplyAdd(_scale, d, _beta * c);
                v.StoreUnsafe(ref velocity, at);
                s = update.Nesterov ? Vector256.FusedMultiplyAdd(_beta, v, d) : v;
            }
            var t = Vector256.FusedMultiplyAdd(_rate, s, a);
            (update.DecoupledFactor != 1 ? t * _factor : t).StoreUnsafe(ref theta, at);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref float theta, float b, ref float velocity)
        {
            var (t, v) = update.Apply(theta, b, velocity);
            theta = t;
            if (update.HasBuffer) velocity = v;
        }
    }
}

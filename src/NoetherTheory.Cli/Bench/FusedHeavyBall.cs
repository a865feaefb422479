using System.Numerics;
using System.Runtime.InteropServices;

namespace NoetherTheory.Cli.Bench;

/// <summary>
/// Heavy ball on the Rayleigh quotient f(q) = ½ qᵀdiag(a)q / |q|² written as a fused, SIMD kernel: one pass for the two
/// reductions |q|² and qᵀdiag(a)q, one pass for gradient, buffer and parameter update. A reference point for what the
/// generic <see cref="Numerics.Optimizers.Optimizer"/> (model gradient and update in separate scalar loops) could reach.
/// </summary>
/// <remarks>Same recurrence as the optimizer in PyTorch's form (theory/01-learning-lagrangian.md#eq-1-2): buf₁ = g₀,
/// buf ← β·buf + g, q ← q − η·buf, with g = (a∘q − ρq)/|q|², ρ = qᵀdiag(a)q/|q|².</remarks>
internal sealed class FusedHeavyBall(double[] a, double[] q0, double learningRate, double momentum)
{
    private readonly double[] _q = (double[])q0.Clone();
    private readonly double[] _buffer = new double[q0.Length];
    private bool _started;

    public ReadOnlySpan<double> Parameters => _q;

    public void Run(int steps)
    {
        for (int s = 0; s < steps; s++) Step();
    }

    public void Step()
    {
        var q = _q.AsSpan();
        var av = a.AsSpan();
        var qv = MemoryMarshal.Cast<double, Vector<double>>(q);
        var aVec = MemoryMarshal.Cast<double, Vector<double>>(av);
        var r2v = Vector<double>.Zero;
        var sv = Vector<double>.Zero;
        for (int i = 0; i < qv.Length; i++)
        {
            var sq = qv[i] * qv[i];
            r2v += sq;
            sv += aVec[i] * sq;
        }
        double r2 = Vector.Sum(r2v), s = Vector.Sum(sv);
        for (int i = qv.Length * Vector<double>.Count; i < q.Length; i++)
        {
            r2 += q[i] * q[i];
            s += av[i] * q[i] * q[i];
        }
        double rho = s / r2, invR2 = 1 / r2, beta = _started ? momentum : 0, eta = learningRate;
        var bv = MemoryMarshal.Cast<double, Vector<double>>(_buffer.AsSpan());
        for (int i = 0; i < qv.Length; i++)
        {
            var g = (aVec[i] * qv[i] - rho * qv[i]) * invR2;
            var b = beta * bv[i] + g;
            bv[i] = b;
            qv[i] -= eta * b;
        }
        for (int i = qv.Length * Vector<double>.Count; i < q.Length; i++)
        {
            double g = (av[i] * q[i] - rho * q[i]) * invR2;
            double b = beta * _buffer[i] + g;
            _buffer[i] = b;
            q[i] -= eta * b;
        }
        _started = true;
    }
}

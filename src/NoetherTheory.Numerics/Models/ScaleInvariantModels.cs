using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NoetherTheory.Numerics.LinearAlgebra;

namespace NoetherTheory.Numerics.Models;

/// <summary>
/// Scale cosine f(q) = −⟨a, q/|q|⟩ (model id <c>scale-cosine</c>): the T-scale toy
/// (theory/05-learning-dynamics.md#eq-5-1). Gradient g = −(a − ⟨a, q̂⟩q̂)/|q|, so ⟨g, q⟩ = 0 and |ĝ|² = |a|² − ⟨a, q̂⟩².
/// Parameters: <c>a</c> (default [1, 0]), <c>theta0</c> (angle of q₀ from e₁ in the e₁e₂ plane, default 2.5),
/// <c>r0</c> (|q₀|, default 1).
/// </summary>
public sealed class ScaleCosineModel : IToyModel
{
    private readonly double[] _a;
    private readonly double _theta0, _r0;

    /// <summary>Creates the model from parameters.</summary>
    public ScaleCosineModel(ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _a = p.Vector("a", [1, 0]);
        if (_a.Length < 2) throw new ArgumentException("scale-cosine: parameter 'a' needs at least 2 components.");
        _theta0 = p.Scalar("theta0", 2.5);
        _r0 = p.Scalar("r0", 1);
        Structure = new ModelStructure { Scale = [new IndexBlock("q", Vec.Range(0, _a.Length))] };
    }

    /// <inheritdoc />
    public string Id => "scale-cosine";
    /// <inheritdoc />
    public int Dimension => _a.Length;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q) => -Vec.Dot(_a, q) / Vec.Norm(q);

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        double r = Vec.Norm(q), c = Vec.Dot(_a, q) / r;
        for (int i = 0; i < q.Length; i++) g[i] = -(_a[i] - c * q[i] / r) / r;
    }

    /// <inheritdoc />
    public double[] InitialPoint()
    {
        var q = new double[_a.Length];
        q[0] = _r0 * Math.Cos(_theta0);
        q[1] = _r0 * Math.Sin(_theta0);
        return q;
    }
}

/// <summary>
/// Rayleigh quotient f(q) = ½ q̂ᵀ diag(a) q̂ (model id <c>rayleigh</c>), scale-invariant.
/// Parameters: <c>a</c> (diagonal, default [1, 2, 3]), <c>q0</c> (default all ones).
/// </summary>
public sealed class RayleighModel : IFusedGradientModel
{
    private readonly double[] _a, _q0;

    /// <summary>Creates the model from parameters.</summary>
    public RayleighModel(ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _a = p.Vector("a", [1, 2, 3]);
        _q0 = p.Vector("q0", Enumerable.Repeat(1.0, _a.Length).ToArray());
        if (_q0.Length != _a.Length) throw new ArgumentException($"rayleigh: 'q0' has {_q0.Length} components but 'a' has {_a.Length}.");
        Structure = new ModelStructure { Scale = [new IndexBlock("q", Vec.Range(0, _a.Length))] };
    }

    /// <inheritdoc />
    public string Id => "rayleigh";
    /// <inheritdoc />
    public int Dimension => _a.Length;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => true;

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q)
    {
        var (r2, s) = Vec.Norm2AndWeightedNorm2(q, _a);
        return 0.5 * s / r2;
    }

    /// <inheritdoc />
    /// <remarks>g = (a − ρ)∘q/|q|² with ρ = qᵀdiag(a)q/|q|² = 2f: one SIMD pass for both reductions, one SIMD pass for g.</remarks>
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        var none = default(NoConsumer);
        Gradient(q, g, ref none);
    }

    /// <inheritdoc />
    public void Gradient<TConsumer>(ReadOnlySpan<double> q, Span<double> g, ref TConsumer consumer)
        where TConsumer : struct, IGradientConsumer, allows ref struct
    {
        if (q.Length != _a.Length || g.Length != _a.Length)
            throw new ArgumentException($"rayleigh: q has {q.Length} components and g {g.Length}, the model {_a.Length}.");
        var (r2, s) = Vec.Norm2AndWeightedNorm2(q, _a);
        double rho = s / r2, inv = 1 / r2;
        var c = consumer;   // a local copy the JIT can keep in registers (written back below)
        ref double qr = ref MemoryMarshal.GetReference(q);
        ref double ar = ref MemoryMarshal.GetArrayDataReference(_a);
        ref double gr = ref MemoryMarshal.GetReference(g);
        nuint n = (nuint)q.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> vr = Vector512.Create(rho), vi = Vector512.Create(inv);
            for (; i + 8 <= n; i += 8)
            {
                var gi = (Vector512.LoadUnsafe(ref ar, i) - vr) * Vector512.LoadUnsafe(ref qr, i) * vi;
                gi.StoreUnsafe(ref gr, i);
                c.Take(i, gi);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vr = Vector256.Create(rho), vi = Vector256.Create(inv);
            for (; i + 4 <= n; i += 4)
            {
                var gi = (Vector256.LoadUnsafe(ref ar, i) - vr) * Vector256.LoadUnsafe(ref qr, i) * vi;
                gi.StoreUnsafe(ref gr, i);
                c.Take(i, gi);
            }
        }
        for (; i < n; i++)
        {
            double gi = (Unsafe.Add(ref ar, i) - rho) * Unsafe.Add(ref qr, i) * inv;
            Unsafe.Add(ref gr, i) = gi;
            c.Take(i, gi);
        }
        consumer = c;
    }

    private readonly struct NoConsumer : IGradientConsumer
    {
        public void Take(nuint index, Vector512<double> g) { }
        public void Take(nuint index, Vector256<double> g) { }
        public void Take(nuint index, double g) { }
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _q0.ToArray();
}

/// <summary>
/// Synthetic scale-invariant force fields with exactly known |ĝ| (T-force; the two regimes of
/// theory/05-learning-dynamics.md#eq-5-4). Not gradients of a loss.
/// <c>force-persistent</c>: ĝ = s·J q̂ in 2-D (J the 90° rotation), a tangential force that keeps pushing the same way
/// relative to q. <c>force-white</c>: ĝ = s·P⊥ξ/√(d−1), ξ ~ N(0, I) fresh each step, P⊥ the projector orthogonal to q.
/// In both, g = ĝ/|q|. Parameters: <c>s</c> (default 1), <c>q0</c> (default e₁), <c>dimension</c> (white only,
/// default 10). Persistent only: <c>modulation</c> A and <c>period</c> P make the strength s(1 + A sin(2πn/P)).
/// </summary>
public sealed class ScaleForceModel : IToyModel
{
    private readonly bool _persistent;
    private readonly double _s, _modulation, _period;
    private readonly double[] _q0;

    /// <summary>Creates a persistent or white-noise force model.</summary>
    public ScaleForceModel(bool persistent, ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _persistent = persistent;
        _s = p.Scalar("s", 1);
        _modulation = p.Scalar("modulation", 0);
        _period = p.Scalar("period", 1000);
        if (!(_period > 0)) throw new ArgumentException("force-persistent: 'period' must be positive.");
        int d = persistent ? 2 : p.Integer("dimension", 10);
        if (d < 2) throw new ArgumentException("force-white: 'dimension' must be at least 2.");
        var e1 = new double[d]; e1[0] = 1;
        _q0 = p.Vector("q0", e1);
        if (_q0.Length != d) throw new ArgumentException($"{Id}: 'q0' must have {d} components, got {_q0.Length}.");
        Structure = new ModelStructure { Scale = [new IndexBlock("q", Vec.Range(0, d))] };
    }

    /// <inheritdoc />
    public string Id => _persistent ? "force-persistent" : "force-white";
    /// <inheritdoc />
    public int Dimension => _q0.Length;
    /// <inheritdoc />
    public ModelStructure Structure { get; }
    /// <inheritdoc />
    public bool HasLoss => false;
    /// <summary>The force strength s = |ĝ| (persistent: exact each step; white: its root-mean-square).</summary>
    public double Strength => _s;
    /// <summary>True for the persistent (rotating tangential) force.</summary>
    public bool Persistent => _persistent;

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> q) => double.NaN;

    /// <inheritdoc />
    public void Gradient(ReadOnlySpan<double> q, Span<double> g, GradientContext context)
    {
        double r2 = Vec.Norm2(q);
        if (_persistent)
        {
            // Optional slow modulation s_n = s(1 + A sin(2πn/P)) gives the RMSProp regression a varying input.
            double s = _modulation == 0 ? _s : _s * (1 + _modulation * Math.Sin(2 * Math.PI * context.Step / _period));
            g[0] = -s * q[1] / r2;
            g[1] = s * q[0] / r2;
            return;
        }
        var rng = context.Rng ?? throw new InvalidOperationException(
            "force-white draws fresh noise every step: give the optimizer a seed (GradientContext.Rng is null).");
        int d = q.Length;
        Gaussian.Fill(rng, g);
        double c = Vec.Dot(g, q) / r2, scale = _s / Math.Sqrt(d - 1) / Math.Sqrt(r2);
        for (int i = 0; i < d; i++) g[i] = scale * (g[i] - c * q[i]);
    }

    /// <inheritdoc />
    public double[] InitialPoint() => _q0.ToArray();
}

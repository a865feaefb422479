using NoetherTheory.Symbolic;

namespace NoetherTheory.Simulation.Compiled;

/// <summary>
/// A compiled function with its parameter template bound and its own scratch buffers: evaluates at (t, y) for a state y
/// of fixed length without allocating, for use inside <see cref="Numerics.Ode.OdeRhs"/> closures.
/// </summary>
/// <remarks>
/// The kernel's inputs are laid out as [t, y₀ … y_{len−1}, parameters…] (the layout <see cref="ParameterBinding"/>
/// builds); the parameter slots come from the template and are never overwritten. Not thread-safe: the buffers are
/// shared by every call, so make one instance per right side.
/// </remarks>
internal sealed class BoundKernel
{
    private readonly CompiledFunction _kernel;
    private readonly double[] _input;
    private readonly double[] _output;
    private readonly int _stateLength;

    /// <summary>Binds <paramref name="kernel"/> to a private copy of <paramref name="template"/>.</summary>
    /// <param name="kernel">The compiled function.</param>
    /// <param name="template">Its input vector with the parameters filled in (t and the state slots are overwritten per call).</param>
    /// <param name="stateLength">How many leading components of y the kernel reads (after t).</param>
    public BoundKernel(CompiledFunction kernel, double[] template, int stateLength)
    {
        _kernel = kernel;
        _input = (double[])template.Clone();
        _output = new double[kernel.OutputCount];
        _stateLength = stateLength;
    }

    /// <summary>Evaluates the kernel at t and the first <c>stateLength</c> components of <paramref name="y"/>.</summary>
    /// <returns>The outputs, in a buffer that the next call overwrites.</returns>
    public ReadOnlySpan<double> Evaluate(double t, ReadOnlySpan<double> y)
    {
        _input[0] = t;
        y[.._stateLength].CopyTo(_input.AsSpan(1));
        _kernel.Evaluate(_input, _output);
        return _output;
    }
}

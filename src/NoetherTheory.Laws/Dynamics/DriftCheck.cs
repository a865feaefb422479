using System.Collections.Immutable;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>Which numeric check a <see cref="DriftCheck"/> is.</summary>
public enum DriftCheckKind
{
    /// <summary>GD: max drift of h over a fixed horizon against η has slope 1 (theory/07-laws-under-momentum.md#eq-7-5).</summary>
    GradientDescentOrder,

    /// <summary>GD with coupled weight decay: the rescaled quantity drifts with slope 1 (#eq-7-6).</summary>
    WeightDecayOrder,

    /// <summary>Heavy ball from PyTorch's start: an affine law stays constant to round-off (#eq-7-7).</summary>
    MomentumExact,

    /// <summary>Heavy ball: a rotation charge decays at the rate 1/τ of the damped flow (#eq-7-7).</summary>
    ChargeDecayRate,

    /// <summary>Damped flow: a lost law drifts by the kinetic-breaking integral, converged in the integrator step (#eq-7-8).</summary>
    KineticBreakingDrift,
}

/// <summary>One numeric check with its numbers, tolerance and verdict. A non-finite number always fails.</summary>
/// <param name="Subject">The law or charge checked.</param>
/// <param name="Kind">The check.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Measured">The measured number (slope, rate, drift).</param>
/// <param name="Expected">What theory predicts.</param>
/// <param name="Tolerance">The accepted |Measured − Expected| (absolute, see <see cref="Detail"/>).</param>
/// <param name="Detail">What was compared and why the tolerance is what it is.</param>
/// <param name="LearningRates">η of each run of a sweep (empty otherwise).</param>
/// <param name="Drifts">The measured drift of each run of a sweep (empty otherwise).</param>
public sealed record DriftCheck(string Subject, DriftCheckKind Kind, bool Passed, double Measured, double Expected, double Tolerance,
    string Detail, ImmutableArray<double> LearningRates, ImmutableArray<double> Drifts);

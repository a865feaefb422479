namespace NoetherTheory.Numerics.Ode;

/// <summary>Options for an integrator. Fixed-step methods need <see cref="Step"/>; adaptive ones use the tolerances.</summary>
public sealed record IntegratorOptions
{
    /// <summary>Fixed step size h (the last step is shortened to land on T1). Required by fixed-step methods; for
    /// Dormand–Prince a non-null value switches adaptivity off.</summary>
    public double? Step { get; init; }

    /// <summary>Relative tolerance of the adaptive error control.</summary>
    public double RelativeTolerance { get; init; } = 1e-8;

    /// <summary>Absolute tolerance of the adaptive error control.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-10;

    /// <summary>First trial step of an adaptive method; null picks one from the problem (Hairer–Nørsett–Wanner heuristic).</summary>
    public double? InitialStep { get; init; }

    /// <summary>Largest step an adaptive method may take; null = the whole interval.</summary>
    public double? MaxStep { get; init; }

    /// <summary>Give up after this many steps (accepted + rejected).</summary>
    public int MaxSteps { get; init; } = 1_000_000;

    /// <summary>Keep dense output (continuous interpolant) where the method has one.</summary>
    public bool DenseOutput { get; init; }

    /// <summary>Fixed-step options with step h.</summary>
    public static IntegratorOptions Fixed(double h) => new() { Step = h };

    /// <summary>Adaptive options with the given tolerances.</summary>
    public static IntegratorOptions Adaptive(double rtol, double atol, bool dense = false) =>
        new() { RelativeTolerance = rtol, AbsoluteTolerance = atol, DenseOutput = dense };

    internal void ValidateFixed(string method)
    {
        if (Step is not { } h || !(h > 0) || !double.IsFinite(h))
            throw new ArgumentException($"{method} is a fixed-step method: set IntegratorOptions.Step to a positive finite h (got {Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}).");
        if (MaxSteps <= 0) throw new ArgumentException($"{method}: IntegratorOptions.MaxSteps must be positive.");
    }

    internal void ValidateAdaptive(string method)
    {
        if (!(RelativeTolerance >= 0) || !(AbsoluteTolerance >= 0) || RelativeTolerance + AbsoluteTolerance <= 0)
            throw new ArgumentException($"{method}: tolerances must be ≥ 0 and not both 0 (rtol={RelativeTolerance}, atol={AbsoluteTolerance}).");
        if (MaxSteps <= 0) throw new ArgumentException($"{method}: IntegratorOptions.MaxSteps must be positive.");
        if (InitialStep is { } h0 && !(h0 > 0)) throw new ArgumentException($"{method}: InitialStep must be positive.");
        if (MaxStep is { } hm && !(hm > 0)) throw new ArgumentException($"{method}: MaxStep must be positive.");
    }
}

/// <summary>How an integration ended.</summary>
public enum IntegrationStatus
{
    /// <summary>Reached T1.</summary>
    Success,
    /// <summary>Stopped after <see cref="IntegratorOptions.MaxSteps"/> steps before T1.</summary>
    MaxStepsReached,
    /// <summary>The adaptive step fell below round-off level (stiffness or a singularity).</summary>
    StepTooSmall,
    /// <summary>The state or right-hand side became NaN or infinite.</summary>
    NonFinite,
}

/// <summary>The outcome of an integration.</summary>
/// <param name="Status">How it ended; read it before trusting <paramref name="Y"/>.</param>
/// <param name="T">Time reached.</param>
/// <param name="Y">State at <paramref name="T"/>.</param>
/// <param name="Evaluations">Right-hand-side (or force) evaluations.</param>
/// <param name="AcceptedSteps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps (adaptive methods).</param>
/// <param name="ErrorEstimate">Adaptive: largest scaled local error estimate of an accepted step (≤ 1 means within
/// tolerance). Fixed-step Dormand–Prince: the sum of the embedded local error norms (absolute). Methods without an
/// embedded estimate: NaN.</param>
/// <param name="Options">The options actually used (with any defaults filled in, e.g. the chosen initial step).</param>
/// <param name="Dense">Continuous output, when asked for and supported; otherwise null.</param>
public sealed record IntegrationResult(IntegrationStatus Status, double T, double[] Y, int Evaluations,
    int AcceptedSteps, int RejectedSteps, double ErrorEstimate, IntegratorOptions Options, DenseOutput? Dense)
{
    /// <summary>True when <see cref="Status"/> is <see cref="IntegrationStatus.Success"/>.</summary>
    public bool Succeeded => Status == IntegrationStatus.Success;
}

/// <summary>An integrator of <see cref="OdeProblem"/>s.</summary>
public interface IIntegrator
{
    /// <summary>Short name (used in tables and case files).</summary>
    string Name { get; }

    /// <summary>Classical order of the global error.</summary>
    int Order { get; }

    /// <summary>Integrates from T0 to T1. Invalid options throw <see cref="ArgumentException"/>; numerical failure is a status.</summary>
    IntegrationResult Integrate(OdeProblem problem, IntegratorOptions options, StepObserver? observer = null);
}

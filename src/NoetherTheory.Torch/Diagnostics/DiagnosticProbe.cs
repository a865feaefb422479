using static TorchSharp.torch;

namespace NoetherTheory.Torch.Diagnostics;

/// <summary>One check of <see cref="DiagnosticProbes"/>: a single kind of libtorch operation, runnable on its own (in a
/// process of its own, so that a native crash is attributed to exactly this probe).</summary>
/// <param name="Name">Stable id (kebab-case), used on the command line: <c>doctor --probe &lt;name&gt;</c>.</param>
/// <param name="OnTargetDevice">Whether the probe runs on the device under test; false: always on the CPU.</param>
/// <param name="Exercises">What the probe exercises, in words.</param>
/// <param name="ExpectedFailure">Non-null: the probe is known to fail on this device, for this reason (a failure or crash is
/// then reported as expected and does not fail the diagnosis).</param>
/// <param name="Role">What the probe is for: an operation of the trainer, a deliberate error, or a test of the isolation.</param>
public sealed record DiagnosticProbe(string Name, bool OnTargetDevice, string Exercises, string? ExpectedFailure, ProbeRole Role)
{
    internal Func<Device, DiagnosticProbeResult> Body { get; init; } = _ => DiagnosticProbeResult.Pass();

    /// <summary>Whether the probe's outcome decides the diagnosis: every probe but an expected failure and a deliberate
    /// error (whose crash is a finding about the host that the engine is built to live with, reported in words).</summary>
    public bool Required => ExpectedFailure is null && Role != ProbeRole.DeliberateError;
}

namespace NoetherTheory.Torch.Diagnostics;

/// <summary>What a <see cref="DiagnosticProbe"/> is for.</summary>
public enum ProbeRole
{
    /// <summary>One kind of operation the trainer performs; it must pass.</summary>
    Operation,

    /// <summary>An operation libtorch must reject; it passes when the rejection arrives as a managed exception. A crash
    /// means every libtorch error is fatal on the host (the engine validates its inputs on the managed side instead).</summary>
    DeliberateError,

    /// <summary>Misbehaves on purpose (crash, hang) to test doctor's isolation; offered only when asked for.</summary>
    Test,
}

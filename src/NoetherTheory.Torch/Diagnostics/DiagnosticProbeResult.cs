namespace NoetherTheory.Torch.Diagnostics;

/// <summary>What a probe that returned (did not crash the process) found.</summary>
/// <param name="Passed">The operation behaved as it must.</param>
/// <param name="Message">Why it failed (the managed exception's type and message), or a remark on success ("" if none).</param>
/// <param name="Facts">Named findings (versions, the text of a deliberate error), in order.</param>
public sealed record DiagnosticProbeResult(bool Passed, string Message, IReadOnlyList<KeyValuePair<string, string>> Facts)
{
    /// <summary>A pass with optional facts.</summary>
    public static DiagnosticProbeResult Pass(string message = "", params KeyValuePair<string, string>[] facts) => new(true, message, facts);

    /// <summary>A failure with its reason.</summary>
    public static DiagnosticProbeResult Fail(string message, params KeyValuePair<string, string>[] facts) => new(false, message, facts);
}

namespace NoetherTheory.Reporting;

/// <summary>Marks the NoetherTheory.Reporting assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

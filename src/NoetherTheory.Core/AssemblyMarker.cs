namespace NoetherTheory.Core;

/// <summary>Marks the NoetherTheory.Core assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

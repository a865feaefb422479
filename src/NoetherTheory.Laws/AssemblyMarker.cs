namespace NoetherTheory.Laws;

/// <summary>Marks the NoetherTheory.Laws assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

namespace NoetherTheory.Symbolic;

/// <summary>Marks the NoetherTheory.Symbolic assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

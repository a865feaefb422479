namespace NoetherTheory.Mechanics;

/// <summary>Marks the NoetherTheory.Mechanics assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

namespace NoetherTheory.Numerics;

/// <summary>Marks the NoetherTheory.Numerics assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

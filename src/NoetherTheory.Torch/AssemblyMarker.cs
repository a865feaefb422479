namespace NoetherTheory.Torch;

/// <summary>Marks the NoetherTheory.Torch assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

namespace NoetherTheory.Validation;

/// <summary>Marks the NoetherTheory.Validation assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

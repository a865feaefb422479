namespace NoetherTheory.Simulation;

/// <summary>Marks the NoetherTheory.Simulation assembly (used by architecture tests).</summary>
public static class AssemblyMarker;

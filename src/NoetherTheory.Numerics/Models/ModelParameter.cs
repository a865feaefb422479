namespace NoetherTheory.Numerics.Models;

/// <summary>One parameter a toy model reads from its <see cref="ParameterSet"/>.</summary>
/// <param name="Name">The name (as in case files' <c>modelParameters</c> and <c>simulate --param</c>).</param>
/// <param name="Meaning">What it sets, with its default.</param>
public sealed record ModelParameter(string Name, string Meaning);

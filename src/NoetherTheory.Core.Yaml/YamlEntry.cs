namespace NoetherTheory.Core.Yaml;

/// <summary>One <c>key: value</c> pair of a <see cref="YamlMap"/>; keys are always single values.</summary>
/// <param name="Key">The key (its place is where the pair is written).</param>
/// <param name="Value">The value.</param>
public readonly record struct YamlEntry(YamlScalar Key, YamlValue Value);

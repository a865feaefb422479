namespace NoetherTheory.Core.Yaml;

/// <summary>A YAML mapping: <c>key: value</c> pairs in file order, each key a single value and none repeated (the parser
/// rejects both, with their place).</summary>
public sealed class YamlMap : YamlValue
{
    internal YamlMap(string source, int line, int column, IReadOnlyList<YamlEntry> entries) : base(source, line, column) => Entries = entries;

    /// <summary>The pairs in file order.</summary>
    public IReadOnlyList<YamlEntry> Entries { get; }

    /// <inheritdoc/>
    public override string Description => "a mapping";

    /// <summary>The value of <paramref name="key"/>, or null when the key is absent.</summary>
    public YamlValue? Find(string key)
    {
        foreach (var entry in Entries)
            if (string.Equals(entry.Key.Text, key, StringComparison.Ordinal)) return entry.Value;
        return null;
    }
}

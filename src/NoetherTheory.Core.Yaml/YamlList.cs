namespace NoetherTheory.Core.Yaml;

/// <summary>A YAML list (<c>[a, b]</c> or <c>- a</c> lines).</summary>
public sealed class YamlList : YamlValue
{
    internal YamlList(string source, int line, int column, IReadOnlyList<YamlValue> items) : base(source, line, column) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<YamlValue> Items { get; }

    /// <inheritdoc/>
    public override string Description => "a list";
}

namespace NoetherTheory.Core.Yaml;

/// <summary>
/// A mapping read field by field: typed getters with defaults that remember which keys were asked for, so that
/// <see cref="RejectUnknown"/> can report a misspelt key (which must never silently fall back to a default). Field names
/// in messages carry the section's dotted prefix.
/// </summary>
/// <param name="map">The mapping.</param>
/// <param name="prefix">The dotted prefix of its fields ("" at the root, "optimizer." below it).</param>
public sealed class YamlFields(YamlMap map, string prefix = "")
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>The mapping read.</summary>
    public YamlMap Map { get; } = map ?? throw new ArgumentNullException(nameof(map));

    /// <summary>The dotted prefix of the fields.</summary>
    public string Prefix { get; } = prefix ?? "";

    /// <summary>An error at <paramref name="at"/> (default: the mapping itself), without a field name.</summary>
    public YamlInputException Error(string problem, YamlValue? at = null) => (at ?? Map).Error("", problem);

    /// <summary>The value of <paramref name="key"/> (marked as read), or null.</summary>
    public YamlValue? Find(string key)
    {
        _read.Add(key);
        return Map.Find(key);
    }

    /// <summary>The place (line, column) of the first part of a dotted <paramref name="field"/>'s value, or of the mapping.</summary>
    public (int Line, int Column) PlaceOf(string? field)
    {
        if (field is not null && Map.Find(field.Split('.')[0]) is { } value) return (value.Line, value.Column);
        return (Map.Line, Map.Column);
    }

    /// <summary>The sub-mapping under <paramref name="key"/>, or null when absent.</summary>
    /// <exception cref="YamlInputException">The value is not a mapping.</exception>
    public YamlFields? Section(string key) =>
        Find(key) is { } v ? new YamlFields(v.AsMap(Prefix + key), Prefix + key + ".") : null;

    /// <summary>The scalar under <paramref name="key"/>, or null when absent.</summary>
    /// <exception cref="YamlInputException">The value is a list or mapping.</exception>
    public YamlScalar? Scalar(string key) => Find(key)?.AsScalar(Prefix + key);

    /// <summary>The text under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public string? String(string key, string? fallback) => Scalar(key)?.Text ?? fallback;

    /// <summary>true/false under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public bool Bool(string key, bool fallback) => Scalar(key)?.AsBool(Prefix + key) ?? fallback;

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Scalar(key)?.AsDouble(Prefix + key, min, max) ?? fallback;

    /// <summary>An integer ≥ <paramref name="min"/> under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public long Long(string key, long fallback, long min = long.MinValue) => Scalar(key)?.AsLong(Prefix + key, min) ?? fallback;

    /// <summary>A 32-bit integer ≥ <paramref name="min"/> under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string key, int fallback, int min = int.MinValue) => Scalar(key)?.AsInt(Prefix + key, min) ?? fallback;

    /// <summary>One of <paramref name="names"/> under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public T OneOf<T>(string key, T fallback, IReadOnlyDictionary<string, T> names)
    {
        var s = Scalar(key);
        return s is null ? fallback : s.AsOneOf(Prefix + key, names);
    }

    /// <summary>The list under <paramref name="key"/>, or null when absent.</summary>
    /// <exception cref="YamlInputException">The value is not a list.</exception>
    public YamlList? List(string key, string example = "[1, 2]") => Find(key)?.AsList(Prefix + key, example);

    /// <summary>Fails on the first key that no getter asked for.</summary>
    /// <exception cref="YamlInputException">An unknown key (the message lists the known ones).</exception>
    public void RejectUnknown()
    {
        foreach (var (k, _) in Map.Entries)
            if (!_read.Contains(k.Text))
                throw Error($"unknown field '{Prefix}{k.Text}' (check the spelling; known: {string.Join(", ", _read.Order(StringComparer.Ordinal))})", k);
    }
}

using System.Globalization;

namespace NoetherTheory.Core.Yaml;

/// <summary>A single YAML value (text, number, true/false): its text exactly as written, and typed readings that fail
/// with a located <see cref="YamlInputException"/>. Numbers use the invariant culture ('.' as decimal separator).</summary>
public sealed class YamlScalar : YamlValue
{
    internal YamlScalar(string source, int line, int column, string text, bool isQuoted) : base(source, line, column)
    {
        Text = text;
        IsQuoted = isQuoted;
    }

    /// <summary>The value's text (an empty value, <c>key:</c>, has empty text).</summary>
    public string Text { get; }

    /// <summary>True when the value was written in single or double quotes (its text then starts one column after
    /// <see cref="YamlValue.Column"/>).</summary>
    public bool IsQuoted { get; }

    /// <inheritdoc/>
    public override string Description => $"'{Text}'";

    /// <summary>The value as an integer ≥ <paramref name="min"/>.</summary>
    /// <exception cref="YamlInputException">Not an integer, or below <paramref name="min"/>.</exception>
    public long AsLong(string field, long min = long.MinValue)
    {
        if (!long.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x))
            throw Error(field, $"'{Text}' is not an integer");
        if (x < min) throw Error(field, string.Create(CultureInfo.InvariantCulture, $"{x} must be ≥ {min}"));
        return x;
    }

    /// <summary>The value as a 32-bit integer ≥ <paramref name="min"/>.</summary>
    /// <exception cref="YamlInputException">Not an integer, below <paramref name="min"/>, or too large.</exception>
    public int AsInt(string field, int min = int.MinValue)
    {
        long x = AsLong(field, min);
        if (x > int.MaxValue) throw Error(field, string.Create(CultureInfo.InvariantCulture, $"{x} is too large"));
        return (int)x;
    }

    /// <summary>The value as a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="YamlInputException">Not a finite number, or out of range.</exception>
    public double AsDouble(string field, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (!double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
            throw Error(field, $"'{Text}' is not a number (use '.' as decimal separator, e.g. 0.1 or 5e-4)");
        if (x < min || x > max)
            throw Error(field, string.Create(CultureInfo.InvariantCulture, $"{Text} is out of range [{min}, {max}]"));
        return x;
    }

    /// <summary>The value as true or false (also accepted: True, False, yes, no).</summary>
    /// <exception cref="YamlInputException">Another value.</exception>
    public bool AsBool(string field) => Text switch
    {
        "true" or "True" or "yes" => true,
        "false" or "False" or "no" => false,
        _ => throw Error(field, $"'{Text}' is not true or false"),
    };

    /// <summary>The value looked up in <paramref name="names"/> (ordinal).</summary>
    /// <exception cref="YamlInputException">Not one of the names.</exception>
    public T AsOneOf<T>(string field, IReadOnlyDictionary<string, T> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.TryGetValue(Text, out var value) ? value
            : throw Error(field, $"'{Text}' is not one of {string.Join(", ", names.Keys)}");
    }
}

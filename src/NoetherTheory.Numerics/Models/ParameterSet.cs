using System.Globalization;

namespace NoetherTheory.Numerics.Models;

/// <summary>Named numeric parameters (scalars or vectors) for models and laws, for example from a case file.</summary>
public sealed class ParameterSet
{
    private readonly Dictionary<string, double[]> _values;
    private readonly Dictionary<string, string> _texts;

    /// <summary>Creates a set from name → values (and optional name → text values).</summary>
    public ParameterSet(IReadOnlyDictionary<string, double[]>? values = null, IReadOnlyDictionary<string, string>? texts = null)
    {
        _values = values is null ? [] : values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _texts = texts is null ? [] : texts.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The text parameter <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public string Text(string name, string fallback) => _texts.TryGetValue(name, out var t) ? t : fallback;

    /// <summary>An empty set.</summary>
    public static ParameterSet Empty { get; } = new();

    /// <summary>The names present.</summary>
    public IEnumerable<string> Names => _values.Keys.Concat(_texts.Keys);

    /// <summary>A copy with one value set.</summary>
    public ParameterSet With(string name, params double[] values)
    {
        var d = new Dictionary<string, double[]>(_values, StringComparer.Ordinal) { [name] = values };
        return new ParameterSet(d, _texts);
    }

    /// <summary>The scalar <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">Present but not a single number.</exception>
    public double Scalar(string name, double fallback)
    {
        if (!_values.TryGetValue(name, out var v)) return fallback;
        if (v.Length != 1) throw new ArgumentException($"parameter '{name}' must be a single number, got {v.Length} values.");
        return v[0];
    }

    /// <summary>The integer <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public int Integer(string name, int fallback)
    {
        double x = Scalar(name, fallback);
        if (x != Math.Round(x) || Math.Abs(x) > int.MaxValue)
            throw new ArgumentException($"parameter '{name}' must be an integer, got {x.ToString(CultureInfo.InvariantCulture)}.");
        return (int)x;
    }

    /// <summary>The vector <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public double[] Vector(string name, double[] fallback) =>
        _values.TryGetValue(name, out var v) ? v.ToArray() : fallback.ToArray();

    /// <summary>Whether <paramref name="name"/> is present.</summary>
    public bool Has(string name) => _values.ContainsKey(name) || _texts.ContainsKey(name);
}

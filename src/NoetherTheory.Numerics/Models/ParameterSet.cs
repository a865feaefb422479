using System.Collections.Concurrent;
using System.Globalization;

namespace NoetherTheory.Numerics.Models;

/// <summary>Named numeric parameters (scalars or vectors) for models and laws, for example from a case file.</summary>
public sealed class ParameterSet
{
    private readonly Dictionary<string, double[]> _values;
    private readonly Dictionary<string, string> _texts;

    // Only in a copy made by Tracked: the names a consumer asked for, and the largest integer it may read.
    private readonly ConcurrentDictionary<string, byte>? _read;
    private readonly int _maxInteger = int.MaxValue;

    /// <summary>Creates a set from name → values (and optional name → text values).</summary>
    public ParameterSet(IReadOnlyDictionary<string, double[]>? values = null, IReadOnlyDictionary<string, string>? texts = null)
    {
        _values = values is null ? [] : values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _texts = texts is null ? [] : texts.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    private ParameterSet(ParameterSet source, int maxInteger)
    {
        _values = source._values;
        _texts = source._texts;
        _read = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        _maxInteger = maxInteger;
    }

    /// <summary>A copy that records which names are read (<see cref="NamesRead"/>) and refuses integers above
    /// <paramref name="maxInteger"/> (a size such as a dimension or a sample count) before anything is allocated.
    /// Loaders build a model from it once to find parameters the model does not know.</summary>
    /// <param name="maxInteger">The largest integer parameter accepted.</param>
    public ParameterSet Tracked(int maxInteger) => new(this, maxInteger);

    /// <summary>The names read so far (only recorded in a <see cref="Tracked"/> copy; empty otherwise).</summary>
    public IReadOnlyCollection<string> NamesRead => _read is null ? [] : [.. _read.Keys.Order(StringComparer.Ordinal)];

    private void Read(string name) => _read?.TryAdd(name, 0);

    /// <summary>The text parameter <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">Present as a number, where a text is expected.</exception>
    public string Text(string name, string fallback)
    {
        Read(name);
        if (_values.ContainsKey(name)) throw new ArgumentException($"parameter '{name}' must be a text, got a number.");
        return _texts.TryGetValue(name, out var t) ? t : fallback;
    }

    private void NotText(string name)
    {
        Read(name);
        if (_texts.TryGetValue(name, out var t))
            throw new ArgumentException($"parameter '{name}' must be a number, got the text '{t}'.");
    }

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
        NotText(name);
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
        if (Math.Abs(x) > _maxInteger)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"parameter '{name}' = {x} is above the limit {_maxInteger} for a size read from a case file; use a smaller value."));
        return (int)x;
    }

    /// <summary>The vector <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">Present as a text.</exception>
    public double[] Vector(string name, double[] fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        NotText(name);
        return _values.TryGetValue(name, out var v) ? v.ToArray() : fallback.ToArray();
    }

    /// <summary>Whether <paramref name="name"/> is present.</summary>
    public bool Has(string name)
    {
        Read(name);
        return _values.ContainsKey(name) || _texts.ContainsKey(name);
    }
}

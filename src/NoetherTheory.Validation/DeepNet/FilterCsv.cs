using System.Globalization;
using NoetherTheory.Core.RunLogs;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>Reads the engine's per-filter log (filters.csv: step,layer,filter,w2,g2,v2,wg,wv,wg_pred,bn_var,angle), in the
/// current layout or the older ones without the angle or without the BN-ε columns.</summary>
public static class FilterCsv
{
    /// <summary>The header the engine writes: per filter |w|², |g|², |v|², ⟨w,g⟩, ⟨w,v⟩, the predicted ⟨w,g⟩
    /// (theory/05-learning-dynamics.md#eq-5-7) and BN's batch variance c.</summary>
    public const string Header = RunLogSchema.FiltersHeader;

    /// <summary>The older header without wg_pred and bn_var; such files read with NaN predictions.</summary>
    public const string LegacyHeader = RunLogSchema.LegacyFiltersHeader;

    /// <summary>The older header without the angle; such files read with NaN angles.</summary>
    public const string PreAngleHeader = RunLogSchema.PreAngleFiltersHeader;

    /// <summary>Reads a filters.csv file into one trace per (layer, filter), layers in order of first appearance.</summary>
    /// <exception cref="InvalidDataException">The file is not a filters.csv (file:line says where).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<FilterTrace> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: per-filter log not found (a run folder's filters.csv).", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Parses filters.csv text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">A header or row is malformed, or a step repeats for a filter.</exception>
    public static IReadOnlyList<FilterTrace> Parse(TextReader reader, string source = "<filters.csv>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        int fields = header is Header or PreAngleHeader or LegacyHeader ? RunLogSchema.ColumnCount(header)
            : throw new InvalidDataException($"{source}:1: expected the header '{Header}' (or the older '{PreAngleHeader}' or '{LegacyHeader}'), found '{header}'.");
        int values = fields - 3;
        var layers = new List<string>();
        var byKey = new Dictionary<(string, int), List<FilterSample>>();
        int lineNo = 1;
        Span<double> v = stackalloc double[8];
        v[5] = v[6] = v[7] = double.NaN;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != fields)
                throw new InvalidDataException($"{source}:{lineNo}: expected {fields} comma-separated fields (as the header), found {parts.Length}.");
            if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step) ||
                !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int filter))
                throw new InvalidDataException($"{source}:{lineNo}: step and filter must be integers.");
            for (int i = 0; i < values; i++)
                if (!double.TryParse(parts[3 + i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                    throw new InvalidDataException($"{source}:{lineNo}: field {i + 4} '{parts[3 + i]}' is not a number.");
            var key = (parts[1], filter);
            if (!byKey.TryGetValue(key, out var list))
            {
                if (!layers.Contains(parts[1])) layers.Add(parts[1]);
                byKey[key] = list = [];
            }
            if (list.Count > 0 && list[^1].Step >= step)
                throw new InvalidDataException($"{source}:{lineNo}: step {step} of {parts[1]}[{filter}] does not increase (was {list[^1].Step}).");
            list.Add(new FilterSample(step, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
        }
        return byKey.OrderBy(p => layers.IndexOf(p.Key.Item1)).ThenBy(p => p.Key.Item2)
            .Select(p => new FilterTrace(p.Key.Item1, p.Key.Item2, p.Value)).ToList();
    }
}

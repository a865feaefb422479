using System.Globalization;
using NoetherTheory.Core.RunLogs;

namespace NoetherTheory.Validation.DeepNet;

/// <summary>One candidate group of a run as symmetries.csv lists it.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Kind">scale, rescale or translation.</param>
/// <param name="Verdict">holds, broken or refuted (discovery's verdict).</param>
/// <param name="Cause">What breaks a broken group (none, epsilon, bias, skip).</param>
/// <param name="Generators">Number of generators.</param>
/// <param name="Measured">Whether groups.csv holds it.</param>
public sealed record GroupEntry(string Name, string Kind, string Verdict, string Cause, long Generators, bool Measured)
{
    /// <summary>Discovery's worst float32 gradient-identity residual (symmetries.csv gradient_f32; NaN when not read).</summary>
    public double Float32Gradient { get; init; } = double.NaN;

    /// <summary>The same in float64 (gradient_f64; NaN when not read).</summary>
    public double Float64Gradient { get; init; } = double.NaN;
}

/// <summary>One generator's values at one measured step (the groups.csv columns).</summary>
/// <param name="Step">Step n.</param>
/// <param name="Q">The charge.</param>
/// <param name="B">Its velocity term.</param>
/// <param name="G">Its gradient term (0 for an exact symmetry).</param>
/// <param name="C">Σp|v|² (scale and rescale).</param>
/// <param name="W2">Weight magnitude.</param>
/// <param name="G2">Gradient magnitude.</param>
/// <param name="V2">Velocity magnitude.</param>
public sealed record GeneratorSample(long Step, double Q, double B, double G, double C, double W2, double G2, double V2);

/// <summary>One generator's BN-ε prediction at one measured step (the groups-bn.csv columns; theory/08-group-laws.md#eq-8-4).</summary>
/// <param name="Step">Step n.</param>
/// <param name="Predicted">The predicted G = Σp·ε/(c+ε)·γ·∂f/∂γ over the generator's BN channels (NaN: c not captured).</param>
/// <param name="BatchVariance">c of its BN channel (NaN when it moves more than one channel).</param>
public sealed record GeneratorPrediction(long Step, double Predicted, double BatchVariance);

/// <summary>A run's measured groups, read from its folder: symmetries.csv, groups.csv, the learning rate of each logged
/// step from metrics.csv, and groups-bn.csv where it exists.</summary>
/// <param name="Groups">Every candidate, in discovery order.</param>
/// <param name="Samples">Per measured group, per generator, the samples in step order.</param>
/// <param name="LearningRates">η_n of each logged step.</param>
public sealed record GroupRun(IReadOnlyList<GroupEntry> Groups, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<GeneratorSample>>> Samples,
    IReadOnlyDictionary<long, double> LearningRates)
{
    /// <summary>Per scale group with a BN-ε prediction (groups-bn.csv), per generator, the predictions in step order; empty
    /// when the run has none (no measured group feeds a batch normalisation, or a run written before they were logged).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<GeneratorPrediction>>> Predictions { get; init; } =
        new Dictionary<string, IReadOnlyList<IReadOnlyList<GeneratorPrediction>>>(StringComparer.Ordinal);

    /// <summary>Reads a run folder that measured groups.</summary>
    /// <exception cref="InvalidDataException">A file is missing or a row is malformed (the message names file and line).</exception>
    public static GroupRun Read(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        string symmetries = Path.Combine(runDirectory, GroupLogSchema.SymmetriesFile);
        string groups = Path.Combine(runDirectory, GroupLogSchema.GroupsFile);
        string metrics = Path.Combine(runDirectory, RunLogSchema.MetricsFile);
        foreach (string f in new[] { symmetries, groups, metrics })
            if (!File.Exists(f)) throw new InvalidDataException($"{f}: not found (a run measures groups when its config says measure: auto or lists group kinds).");
        var entries = new List<GroupEntry>();
        foreach (var (cells, line) in Rows(symmetries, GroupLogSchema.SymmetriesHeader))
            entries.Add(new GroupEntry(cells[0], cells[1], cells[2], cells[3], Long(cells[4], symmetries, line), cells[5] == "true")
            {
                Float32Gradient = Double(cells[6], symmetries, line),
                Float64Gradient = Double(cells[7], symmetries, line),
            });
        var samples = new Dictionary<string, List<List<GeneratorSample>>>(StringComparer.Ordinal);
        foreach (var (cells, line) in Rows(groups, GroupLogSchema.GroupsHeader))
        {
            var list = samples.TryGetValue(cells[1], out var l) ? l : samples[cells[1]] = [];
            int generator = (int)Long(cells[2], groups, line);
            while (list.Count <= generator) list.Add([]);
            double D(int i) => Double(cells[i], groups, line);
            list[generator].Add(new GeneratorSample(Long(cells[0], groups, line), D(3), D(4), D(5), D(6), D(7), D(8), D(9)));
        }
        var rates = new Dictionary<long, double>();
        foreach (var (cells, line) in Rows(metrics, RunLogSchema.MetricsHeader))
            rates[Long(cells[0], metrics, line)] = Double(cells[2], metrics, line);
        var predictions = new Dictionary<string, List<List<GeneratorPrediction>>>(StringComparer.Ordinal);
        string predicted = Path.Combine(runDirectory, GroupLogSchema.PredictionsFile);
        if (File.Exists(predicted))
            foreach (var (cells, line) in Rows(predicted, GroupLogSchema.PredictionsHeader))
            {
                var list = predictions.TryGetValue(cells[1], out var l) ? l : predictions[cells[1]] = [];
                int generator = (int)Long(cells[2], predicted, line);
                while (list.Count <= generator) list.Add([]);
                list[generator].Add(new GeneratorPrediction(Long(cells[0], predicted, line), Double(cells[3], predicted, line), Double(cells[4], predicted, line)));
            }
        return new GroupRun(entries,
            samples.ToDictionary(p => p.Key, p => (IReadOnlyList<IReadOnlyList<GeneratorSample>>)[.. p.Value.Select(x => (IReadOnlyList<GeneratorSample>)[.. x.OrderBy(s => s.Step)])],
                StringComparer.Ordinal), rates)
        {
            Predictions = predictions.ToDictionary(p => p.Key,
                p => (IReadOnlyList<IReadOnlyList<GeneratorPrediction>>)[.. p.Value.Select(x => (IReadOnlyList<GeneratorPrediction>)[.. x.OrderBy(s => s.Step)])],
                StringComparer.Ordinal),
        };
    }

    private static IEnumerable<(string[] Cells, int Line)> Rows(string path, string header)
    {
        int columns = RunLogSchema.ColumnCount(header);
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (line == 1)
            {
                if (text != header) throw new InvalidDataException($"{path}:1: header '{text}' is not '{header}'.");
                continue;
            }
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != columns) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: {cells.Length} columns, expected {columns}."));
            yield return (cells, line);
        }
    }

    private static long Long(string s, string path, int line) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: '{s}' is not an integer."));

    private static double Double(string s, string path, int line) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: '{s}' is not a number."));
}

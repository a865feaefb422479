using System.Globalization;
using System.Text.Json;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

/// <summary>A case file that cannot be used; the message names the file and the field and says what to do.</summary>
public sealed class CaseFormatException : NoetherTheoryException
{
    /// <summary>Creates the exception.</summary>
    public CaseFormatException(string file, string field, string problem)
        : base($"{file}: field '{field}': {problem}") => (File, Field) = (file, field);

    /// <summary>Creates the exception at a 1-based line and column of the file.</summary>
    public CaseFormatException(string file, int line, int column, string field, string problem)
        : base(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{column}: field '{field}': {problem}")) =>
        (File, Field, Line, Column) = (file, field, line, column);

    /// <summary>Creates the exception (serialisation-style constructor).</summary>
    public CaseFormatException() : this("?", "?", "invalid case") { }

    /// <summary>Creates the exception with a message.</summary>
    public CaseFormatException(string message) : base(message) => (File, Field) = ("?", "?");

    /// <summary>Creates the exception with a message and cause.</summary>
    public CaseFormatException(string message, Exception inner) : base(message, inner) => (File, Field) = ("?", "?");

    /// <summary>The case file.</summary>
    public string File { get; }

    /// <summary>The offending field (dotted path).</summary>
    public string Field { get; }

    /// <summary>1-based line of the field in the file (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the field in the file (0 when unknown).</summary>
    public int Column { get; }
}

/// <summary>Reads <see cref="VerificationCase"/>s from JSON (System.Text.Json, no reflection).</summary>
public static partial class CaseLoader
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^theory/[0-9A-Za-z_\-]+\.md#eq-[0-9]+-[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex TheoryCitation();

    /// <summary>The most steps a case may ask for (the longest shipped case runs 300 000); a run is refused above it
    /// before anything is allocated.</summary>
    public const int MaxSteps = 10_000_000;

    /// <summary>The largest integer model parameter (a dimension, a width, a sample count) a case may give.</summary>
    public const int MaxModelSize = 100_000;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "id", "suite", "description", "model", "modelParameters", "optimizer", "steps", "seed", "law", "lawParameters",
        "quantity", "tolerance", "reference", "why", "provenance", "theory", "referenceKind",
    };

    /// <summary>Loads every <c>*.json</c> under <paramref name="directory"/>, sorted by file name.</summary>
    /// <exception cref="CaseFormatException">A file is malformed (the first one found), or the folder holds no case file.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<VerificationCase> LoadDirectory(string directory) => LoadDirectory(directory, CaseLimits.Default);

    /// <summary>Loads every <c>*.json</c> under <paramref name="directory"/> under <paramref name="limits"/>, sorted by file name.</summary>
    /// <exception cref="CaseFormatException">A file is malformed (the first one found), or the folder holds no case file.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<VerificationCase> LoadDirectory(string directory, CaseLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"case folder '{directory}' does not exist; pass the repository's validation/cases folder.");
        var files = Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new CaseFormatException($"{directory}: no case files (*.json) in this folder; pass the repository's validation/cases folder or a folder of case files.");
        var cases = files.Select(f => LoadFile(f, limits)).ToList();
        var dup = cases.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new CaseFormatException(dup.Last().SourceFile, "id", $"id '{dup.Key}' is also used by {dup.First().SourceFile}; ids must be unique.");
        return cases;
    }

    /// <summary>Loads one file.</summary>
    public static VerificationCase LoadFile(string path) => LoadFile(path, CaseLimits.Default);

    /// <summary>Loads one file under <paramref name="limits"/>.</summary>
    public static VerificationCase LoadFile(string path, CaseLimits limits) => Parse(File.ReadAllText(path), Path.GetFileName(path), limits);

    /// <summary>Parses one case; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="CaseFormatException">Malformed JSON or a missing/invalid field.</exception>
    public static VerificationCase Parse(string json, string file) => Parse(json, file, CaseLimits.Default);

    /// <summary>Parses one case under <paramref name="limits"/>; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="CaseFormatException">Malformed JSON, a missing/invalid field or a size above a limit.</exception>
    public static VerificationCase Parse(string json, string file, CaseLimits limits)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            return ParseUnlocated(json, file, limits);
        }
        catch (CaseFormatException e) when (e.Line == 0 && e.Field != "?")
        {
            // Locate the field in the text: the property's name, or the object that lacks it.
            var (line, column) = JsonLocator.Find(json, e.Field);
            string prefix = $"{file}: field '{e.Field}': ";
            string problem = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
            throw new CaseFormatException(file, line, column, e.Field, problem);
        }
    }

    private static VerificationCase ParseUnlocated(string json, string file, CaseLimits limits)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from 0; the message says 1-based line and column (characters).
            var (line, column) = JsonLocator.Position(json, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            throw new CaseFormatException(file, line, column, "(document)", "not valid JSON: " + JsonLocator.ReaderProblem(e.Message)
                + " Check quotes, commas and brackets near this position.");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new CaseFormatException(file, "(document)", "the top level must be a JSON object.");
            foreach (var p in root.EnumerateObject())
                if (!KnownFields.Contains(p.Name))
                    throw new CaseFormatException(file, p.Name, $"unknown field; known fields: {string.Join(", ", KnownFields.Order(StringComparer.Ordinal))}.");
            string model = RequiredString(root, "model", file);
            if (model != "none" && !ToyModels.Ids.Contains(model))
                throw new CaseFormatException(file, "model", $"unknown model '{model}'; known: none, {string.Join(", ", ToyModels.Ids)}.");
            string law = RequiredString(root, "law", file);
            if (!VerificationSuite.Laws.Contains(law))
                throw new CaseFormatException(file, "law", $"unknown law '{law}'; known: {string.Join(", ", VerificationSuite.Laws)}.");
            var (optimizer, buffer) = root.TryGetProperty("optimizer", out var o) ? ParseOptimizer(o, file) : (new OptimizerOptions(), BufferStart.PyTorch);
            var tol = ParseTolerance(Required(root, "tolerance", file), file, "tolerance");
            ReferenceValue? reference = null;
            if (root.TryGetProperty("reference", out var r))
            {
                reference = new ReferenceValue(Number(Required(r, "value", file, "reference"), file, "reference.value"),
                    ParseTolerance(Required(r, "tolerance", file, "reference"), file, "reference.tolerance"),
                    RequiredString(r, "source", file, "reference"));
            }
            int steps = root.TryGetProperty("steps", out var s) ? Integer(s, file, "steps") : 0;
            if (steps < 0) throw new CaseFormatException(file, "steps", "must be ≥ 0.");
            if (steps > limits.MaxSteps)
                throw new CaseFormatException(file, "steps", string.Create(CultureInfo.InvariantCulture,
                    $"{steps} is above the limit of {limits.MaxSteps} steps per case (CaseLimits.MaxSteps); split the run or lower 'steps', or raise the limit for a run that needs it."));
            int seed = root.TryGetProperty("seed", out var sd) ? Integer(sd, file, "seed") : 0;
            var modelParameters = root.TryGetProperty("modelParameters", out var mp) ? ParseParameters(mp, file, "modelParameters") : ParameterSet.Empty;
            if (model != "none") CheckModelParameters(model, modelParameters, seed, file, limits.MaxModelSize);
            var theory = root.TryGetProperty("theory", out var th) ? ParseTheory(th, file) : [];
            var referenceKind = ReferenceKind.Derived;
            if (root.TryGetProperty("referenceKind", out var rk))
            {
                string kind = rk.ValueKind == JsonValueKind.String ? rk.GetString()! : "";
                referenceKind = kind switch
                {
                    "derived" => ReferenceKind.Derived,
                    "regression" => ReferenceKind.Regression,
                    _ => throw new CaseFormatException(file, "referenceKind", "must be \"derived\" (a closed form from theory) or \"regression\" (a recorded empirical band)."),
                };
            }
            var lawParameters = root.TryGetProperty("lawParameters", out var lp) ? ParseParameters(lp, file, "lawParameters") : ParameterSet.Empty;
            var declared = CaseLaws.ById[law].Parameters;
            foreach (var name in lawParameters.Names.Order(StringComparer.Ordinal))
                if (!declared.Contains(name))
                    throw new CaseFormatException(file, "lawParameters." + name,
                        $"law '{law}' has no parameter '{name}'; it reads {(declared.IsEmpty ? "none" : string.Join(", ", declared))}.");
            string why = RequiredString(root, "why", file);
            if (why.Trim().Length < 10) throw new CaseFormatException(file, "why", "give the reason for the tolerance in a sentence.");
            return new VerificationCase
            {
                Id = RequiredString(root, "id", file),
                Suite = RequiredString(root, "suite", file),
                Model = model,
                ModelParameters = modelParameters,
                Optimizer = optimizer,
                InitialBuffer = buffer,
                Steps = steps,
                Seed = seed,
                Law = law,
                LawParameters = lawParameters,
                Quantity = RequiredString(root, "quantity", file),
                Tolerance = tol,
                Reference = reference,
                Why = why,
                Theory = theory,
                ReferenceKind = referenceKind,
                SourceFile = file,
            };
        }
    }

    // Builds the model once from a tracking copy: a value of the wrong type, a size above MaxModelSize or a name the model
    // never reads is refused here, naming the names it does read (a typo would otherwise fall back to the default silently).
    private static void CheckModelParameters(string model, ParameterSet parameters, int seed, string file, int maxModelSize)
    {
        var tracked = parameters.Tracked(maxModelSize);
        try
        {
            ToyModels.Create(model, tracked, seed);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            throw new CaseFormatException(file, "modelParameters", $"model '{model}': {e.Message}"
                + (e.Message.Contains("above the limit", StringComparison.Ordinal) ? " (CaseLimits.MaxModelSize; raise the limit for a model that needs it)" : ""));
        }
        var read = tracked.NamesRead;
        foreach (var name in parameters.Names.Order(StringComparer.Ordinal))
            if (!read.Contains(name))
                throw new CaseFormatException(file, "modelParameters." + name,
                    $"model '{model}' has no parameter '{name}'; it reads {(read.Count == 0 ? "none" : string.Join(", ", read))}.");
    }

    // "theory": "theory/05-learning-dynamics.md#eq-5-3" or an array of such citations (checked for form here; that the
    // anchors exist is checked against theory/*.md by the tests).
    private const string TheoryExample = "\"theory/05-learning-dynamics.md#eq-5-3\"";

    private static string[] ParseTheory(JsonElement e, string file)
    {
        var items = e.ValueKind switch
        {
            JsonValueKind.String => [(e, "theory")],
            JsonValueKind.Array => e.EnumerateArray().Select((x, i) => (x, $"theory[{i}]")).ToArray(),
            _ => throw new CaseFormatException(file, "theory", $"must be a citation such as {TheoryExample} or an array of them, got {e.ValueKind}."),
        };
        if (items.Length == 0)
            throw new CaseFormatException(file, "theory", $"is empty: cite at least one anchor such as {TheoryExample}, or leave the field out.");
        return items.Select(p =>
        {
            string? v = p.Item1.ValueKind == JsonValueKind.String ? p.Item1.GetString() : null;
            return v is not null && TheoryCitation().IsMatch(v) ? v
                : throw new CaseFormatException(file, p.Item2,
                    $"must look like {TheoryExample} (a theory file and one of its equation anchors), got '{p.Item1.GetRawText()}'.");
        }).ToArray();
    }

    private static (OptimizerOptions, BufferStart) ParseOptimizer(JsonElement e, string file)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new CaseFormatException(file, "optimizer", "must be an object.");
        var options = new OptimizerOptions();
        var buffer = BufferStart.PyTorch;
        foreach (var p in e.EnumerateObject())
        {
            string f = "optimizer." + p.Name;
            options = p.Name switch
            {
                "kind" => ParseKind(p.Value, options, file),
                "lr" => options with { LearningRate = Number(p.Value, file, f) },
                "momentum" => options with { Momentum = Number(p.Value, file, f) },
                "dampening" => options with { Dampening = Number(p.Value, file, f) },
                "nesterov" => options with { Nesterov = Bool(p.Value, file, f) },
                "weightDecay" => options with { WeightDecay = Number(p.Value, file, f) },
                "decoupled" => options with { DecoupledWeightDecay = Bool(p.Value, file, f) },
                "alpha" => options with { Alpha = Number(p.Value, file, f) },
                "beta1" => options with { Beta1 = Number(p.Value, file, f) },
                "beta2" => options with { Beta2 = Number(p.Value, file, f) },
                "eps" => options with { Epsilon = Number(p.Value, file, f) },
                "batchSize" => options with { BatchSize = Integer(p.Value, file, f) },
                "initialBuffer" => options,
                _ => throw new CaseFormatException(file, f, "unknown optimizer field; known: kind, lr, momentum, dampening, nesterov, weightDecay, decoupled, alpha, beta1, beta2, eps, batchSize, initialBuffer."),
            };
            if (p.Name == "initialBuffer")
            {
                string v = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : "";
                buffer = v switch
                {
                    "pytorch" => BufferStart.PyTorch,
                    "terminal" => BufferStart.Terminal,
                    "random" => BufferStart.Random,
                    _ => throw new CaseFormatException(file, f, "must be \"pytorch\", \"terminal\" or \"random\"."),
                };
            }
        }
        try { options.Validate(); }
        catch (ArgumentException ex) { throw new CaseFormatException(file, "optimizer", ex.Message); }
        return (options, buffer);
    }

    private static OptimizerOptions ParseKind(JsonElement v, OptimizerOptions o, string file)
    {
        string kind = v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        return OptimizerKinds.TryParse(kind, o, out var parsed) ? parsed
            : throw new CaseFormatException(file, "optimizer.kind", $"'{kind}' is not one of {string.Join(", ", OptimizerKinds.Names)}.");
    }

    private static CaseTolerance ParseTolerance(JsonElement e, string file, string field)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new CaseFormatException(file, field, "must be an object {\"abs\": …, \"rel\": …}.");
        double abs = e.TryGetProperty("abs", out var a) ? Number(a, file, field + ".abs") : 0;
        double rel = e.TryGetProperty("rel", out var r) ? Number(r, file, field + ".rel") : 0;
        if (abs < 0 || rel < 0 || abs + rel <= 0)
            throw new CaseFormatException(file, field, "abs and rel must be ≥ 0 and not both 0.");
        return new CaseTolerance(abs, rel);
    }

    private static ParameterSet ParseParameters(JsonElement e, string file, string field)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new CaseFormatException(file, field, "must be an object of numbers or number arrays.");
        var d = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            string f = field + "." + p.Name;
            if (p.Value.ValueKind == JsonValueKind.String) { texts[p.Name] = p.Value.GetString()!; continue; }
            d[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.Number => [Number(p.Value, file, f)],
                JsonValueKind.Array => p.Value.EnumerateArray().Select((x, i) => Number(x, file, $"{f}[{i}]")).ToArray(),
                _ => throw new CaseFormatException(file, f, "must be a number, an array of numbers or a string."),
            };
        }
        return new ParameterSet(d, texts);
    }

    private static JsonElement Required(JsonElement e, string name, string file, string? parent = null) =>
        e.TryGetProperty(name, out var v) ? v
            : throw new CaseFormatException(file, parent is null ? name : parent + "." + name, "is required but missing.");

    private static string RequiredString(JsonElement e, string name, string file, string? parent = null)
    {
        var v = Required(e, name, file, parent);
        string field = parent is null ? name : parent + "." + name;
        return v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()! : throw new CaseFormatException(file, field, $"must be a non-empty string, got {v.ValueKind}.");
    }

    private static double Number(JsonElement v, string file, string field) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x) ? x
            : throw new CaseFormatException(file, field, $"must be a finite number, got {v.ValueKind} '{v.GetRawText()}'.");

    private static int Integer(JsonElement v, string file, string field) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int x) ? x
            : throw new CaseFormatException(file, field, $"must be an integer, got '{v.GetRawText()}'.");

    private static bool Bool(JsonElement v, string file, string field) =>
        v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
            : throw new CaseFormatException(file, field, $"must be true or false, got '{v.GetRawText()}'.");
}

/// <summary>Optimizer names of the CLI contract (gd, hb, nesterov, rmsprop, adam).</summary>
public static class OptimizerKinds
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gd", "hb", "nesterov", "rmsprop", "adam"];

    /// <summary>Applies the named kind to <paramref name="options"/> (nesterov = heavy ball with the Nesterov flag).</summary>
    public static bool TryParse(string name, OptimizerOptions options, out OptimizerOptions result)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptimizerOptions? r = name.ToLowerInvariant() switch
        {
            "gd" or "sgd" => options with { Kind = OptimizerKind.Gd, Nesterov = false },
            "hb" or "momentum" => options with { Kind = OptimizerKind.HeavyBall, Nesterov = false },
            "nesterov" => options with { Kind = OptimizerKind.HeavyBall, Nesterov = true },
            "rmsprop" => options with { Kind = OptimizerKind.RmsProp, Nesterov = false },
            "adam" => options with { Kind = OptimizerKind.Adam, Nesterov = false },
            _ => null,
        };
        result = r ?? options;
        return r is not null;
    }

    /// <summary>The CLI name of an options record.</summary>
    public static string NameOf(OptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            OptimizerKind.Gd => "gd",
            OptimizerKind.HeavyBall => options.Nesterov ? "nesterov" : "hb",
            OptimizerKind.RmsProp => "rmsprop",
            _ => "adam",
        };
    }
}

using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>
/// The catalog of learning rules, symmetries and models: YAML files under <c>rules/</c>, <c>symmetries/</c> and
/// <c>models/</c> of a directory (normally <c>theory/catalog</c>). Adding a file adds an entry; no code changes.
/// </summary>
/// <remarks>The file format is described in theory/README.md; expressions use the CAS syntax.</remarks>
public sealed class Catalog
{
    private Catalog(string directory, ImmutableArray<LearningRule> rules, ImmutableArray<SymmetryDefinition> symmetries,
        ImmutableArray<ModelDefinition> models)
    {
        Directory = directory;
        Rules = rules;
        Symmetries = symmetries;
        Models = models;
    }

    /// <summary>The default for the most coordinates a catalog model or symmetry may have. Derivations are symbolic and
    /// dense in q[0]..q[n-1], so a larger space is refused when read, before any index set is built. A legitimate larger
    /// catalog passes its own limit to <see cref="Load(string, int)"/> (the CLI reads <c>NOETHER_MAX_CATALOG_DIMENSION</c>),
    /// up to <see cref="MaxDimensionCeiling"/>.</summary>
    public const int MaxDimension = 64;

    /// <summary>The largest limit a caller may set (the core derivation takes about 3 s at n = 128 and grows fast; beyond
    /// a few thousand coordinates index sets alone would dominate).</summary>
    public const int MaxDimensionCeiling = 4096;
    /// <summary>The symbol an adaptive rule's update uses for the 1-based step count (bias corrections such as 1 − β₁ⁿ).</summary>
    public const string AdaptiveStepCount = "n";

    /// <summary>The directory the catalog was loaded from.</summary>
    public string Directory { get; }

    /// <summary>Learning rules, sorted by id.</summary>
    public ImmutableArray<LearningRule> Rules { get; }

    /// <summary>Symmetries, sorted by id.</summary>
    public ImmutableArray<SymmetryDefinition> Symmetries { get; }

    /// <summary>Models, sorted by id.</summary>
    public ImmutableArray<ModelDefinition> Models { get; }

    /// <summary>The rule with this id.</summary>
    /// <exception cref="NoetherTheoryException">No such rule (the message lists the known ids).</exception>
    public LearningRule Rule(string id) => Find(Rules, r => r.Id, id, "rule");

    /// <summary>The symmetry with this id.</summary>
    /// <exception cref="NoetherTheoryException">No such symmetry (the message lists the known ids).</exception>
    public SymmetryDefinition Symmetry(string id) => Find(Symmetries, s => s.Id, id, "symmetry");

    /// <summary>The model with this id.</summary>
    /// <exception cref="NoetherTheoryException">No such model (the message lists the known ids).</exception>
    public ModelDefinition Model(string id) => Find(Models, m => m.Id, id, "model");

    private T Find<T>(ImmutableArray<T> items, Func<T, string> key, string id, string what)
    {
        foreach (var item in items)
            if (string.Equals(key(item), id, StringComparison.Ordinal)) return item;
        throw new NoetherTheoryException(
            $"Unknown {what} '{id}' in catalog {Directory}; known: {string.Join(", ", items.Select(key))}.");
    }

    /// <summary>Loads every catalog file under <paramref name="directory"/>.</summary>
    /// <exception cref="CatalogException">Any file is invalid; the exception lists every error with file:line:column.</exception>
    public static Catalog Load(string directory) => Load(directory, MaxDimension);

    /// <summary>Loads every catalog file under <paramref name="directory"/>, allowing up to <paramref name="maxDimension"/> coordinates.</summary>
    /// <exception cref="CatalogException">Any file is invalid; the exception lists every error with file:line:column.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDimension"/> is outside 1..<see cref="MaxDimensionCeiling"/>.</exception>
    public static Catalog Load(string directory, int maxDimension) =>
        TryLoad(directory, maxDimension, out var catalog, out var errors) ? catalog! : throw new CatalogException(errors);

    /// <summary>Loads the catalog, collecting errors instead of throwing.</summary>
    /// <returns>True when there were no errors.</returns>
    public static bool TryLoad(string directory, out Catalog? catalog, out IReadOnlyList<CatalogError> errors) =>
        TryLoad(directory, MaxDimension, out catalog, out errors);

    /// <summary>Loads the catalog allowing up to <paramref name="maxDimension"/> coordinates, collecting errors instead of throwing.</summary>
    /// <returns>True when there were no errors.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDimension"/> is outside 1..<see cref="MaxDimensionCeiling"/>.</exception>
    public static bool TryLoad(string directory, int maxDimension, out Catalog? catalog, out IReadOnlyList<CatalogError> errors)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDimension, MaxDimensionCeiling);
        var list = new List<CatalogError>();
        catalog = null;
        if (!System.IO.Directory.Exists(directory))
        {
            list.Add(new CatalogError(directory, 0, 0, "", "the catalog directory does not exist; pass the path of theory/catalog."));
            errors = list;
            return false;
        }
        if (!Files(directory, "rules").Concat(Files(directory, "symmetries")).Concat(Files(directory, "models")).Any())
        {
            list.Add(new CatalogError(directory, 1, 1, "", "not a catalog folder: it holds no rules/*.yaml, symmetries/*.yaml or " +
                "models/*.yaml; pass the path of theory/catalog (or a folder laid out like it)."));
            errors = list;
            return false;
        }
        var rules = new List<LearningRule>();
        var symmetries = new List<SymmetryDefinition>();
        var models = new List<ModelDefinition>();
        var failedSymmetries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files(directory, "rules"))
            if (new FileReader(directory, file, list, maxDimension).Rule() is { } r) rules.Add(r);
        foreach (var file in Files(directory, "symmetries"))
        {
            var reader = new FileReader(directory, file, list, maxDimension);
            if (reader.Symmetry() is { } s) symmetries.Add(s);
            else failedSymmetries.Add(reader.IdRead ?? Path.GetFileNameWithoutExtension(file));
        }
        foreach (var file in Files(directory, "models"))
            if (new FileReader(directory, file, list, maxDimension).Model() is { } m) models.Add(m);

        Duplicates(rules, r => r.Id, r => r.File, "rule", list);
        Duplicates(symmetries, s => s.Id, s => s.File, "symmetry", list);
        Duplicates(models, m => m.Id, m => m.File, "model", list);
        var symmetryIds = symmetries.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var m in models)
            foreach (var b in m.Symmetries)
                if (failedSymmetries.Contains(b.SymmetryId))
                    continue; // its own file's error is already listed; "unknown symmetry" would only follow from it
                else if (!symmetryIds.Contains(b.SymmetryId))
                    list.Add(new CatalogError(m.File, b.Line, b.Column, "symmetries",
                        $"unknown symmetry '{b.SymmetryId}'; known: {string.Join(", ", symmetryIds.Order(StringComparer.Ordinal))}."));
                else
                {
                    var sym = symmetries.First(s => s.Id == b.SymmetryId);
                    try
                    {
                        var xi = sym.GeneratorFor(m.Dimension, b.Sets, b.Planes);
                        if (NotInvariant(m, sym, xi) is { } why)
                            list.Add(new CatalogError(m.File, b.Line, b.Column, "symmetries", why));
                    }
                    catch (NoetherTheoryException ex)
                    {
                        list.Add(new CatalogError(m.File, b.Line, b.Column, "symmetries", ex.Message));
                    }
                }
        errors = list;
        if (list.Count > 0) return false;
        catalog = new Catalog(directory, [.. rules.OrderBy(r => r.Id, StringComparer.Ordinal)],
            [.. symmetries.OrderBy(s => s.Id, StringComparer.Ordinal)], [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)]);
        return true;
    }

    // A concrete model's declared symmetry must hold: ⟨∇f, ξ⟩ = 0 (theory/03-noether.md). Decided by the CAS zero test;
    // only a witness point where the term is not zero refuses the model (an inconclusive test lets it through, and the
    // derivation then reports the verdict).
    private static string? NotInvariant(ModelDefinition model, SymmetryDefinition symmetry, ImmutableArray<Expr> xi)
    {
        if (model.Potential is not { } f) return null;
        var grad = f.Gradient([.. Coordinates.Q(model.Dimension)]);
        var term = Expr.Add(grad.Select((g, i) => g * xi[i]));
        var verdict = ZeroTest.Run(term);
        if (verdict.Kind != ZeroTestKind.NonZero) return null;
        string at = verdict.Witness is { } w
            ? " at " + string.Join(", ", w.Select(kv => $"{kv.Key}={kv.Value.ToString("G6", CultureInfo.InvariantCulture)}")) : "";
        return $"model '{model.Id}' declares symmetry '{symmetry.Id}', but its potential is not invariant under it: " +
            $"<grad f, xi> = {term} is not 0{at}; remove '{symmetry.Id}' from 'symmetries' or correct the potential.";
    }

    private static IEnumerable<string> Files(string directory, string sub)
    {
        var dir = Path.Combine(directory, sub);
        if (!System.IO.Directory.Exists(dir)) return [];
        return System.IO.Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static void Duplicates<T>(List<T> items, Func<T, string> id, Func<T, string> file, string what, List<CatalogError> errors)
    {
        foreach (var g in items.GroupBy(id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add(new CatalogError(file(g.Last()), 1, 1, "id",
                $"duplicate {what} id '{g.Key}' (also in {file(g.First())}); ids must be unique."));
    }

    /// <summary>Reads one file; records errors and returns null when the file is unusable.</summary>
    private sealed class FileReader(string root, string path, List<CatalogError> errors, int maxDimension)
    {
        private readonly string _file = Path.GetRelativePath(root, path).Replace('\\', '/');
        private int _errorCount;
        private bool _dimensionInvalid;

        private void Error(YamlValue? node, string field, string message)
        {
            _errorCount++;
            errors.Add(new CatalogError(_file, node?.Line ?? 1, node?.Column ?? 1, field, message));
        }

        private YamlMap? Root()
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException ex)
            {
                errors.Add(new CatalogError(_file, 0, 0, "", "cannot read the file: " + ex.Message));
                return null;
            }
            try
            {
                return YamlDocument.ParseMapping(text, _file, "the file must be a YAML mapping with at least 'id' and 'name'.");
            }
            catch (YamlInputException ex)
            {
                errors.Add(new CatalogError(_file, ex.Line, ex.Column, ex.Field, ex.Problem));
                return null;
            }
        }

        private static YamlValue? Get(YamlMap map, string key) => map.Find(key);

        private void CheckKeys(YamlMap map, string prefix, params string[] allowed)
        {
            foreach (var (key, _) in map.Entries)
            {
                var name = key.Text;
                if (!allowed.Contains(name, StringComparer.Ordinal))
                    Error(key, prefix + name, $"unknown field '{name}'; allowed here: {string.Join(", ", allowed)}.");
            }
        }

        private string? Text(YamlMap map, string key, bool required, string prefix = "")
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required) Error(map, prefix + key, $"missing required field '{key}'.");
                return null;
            }
            if (node is not YamlScalar { Text: var v })
            {
                Error(node, prefix + key, $"'{key}' must be a single value (text), not a list or mapping.");
                return null;
            }
            return v;
        }

        /// <summary>The id the file gives, once read (also when the file has errors).</summary>
        public string? IdRead { get; private set; }

        private string Id(YamlMap map)
        {
            var id = Text(map, "id", true) ?? Path.GetFileNameWithoutExtension(path);
            IdRead = id;
            if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || id.Length == 0)
                Error(Get(map, "id"), "id", $"id '{id}' may contain only ASCII letters, digits, '-' and '_'.");
            return id;
        }

        private int? Int(YamlValue node, string field)
        {
            if (node is YamlScalar { Text: var v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i;
            Error(node, field, $"expected an integer, got {node.Description}.");
            return null;
        }

        private Expr? Expression(YamlValue node, string field)
        {
            if (node is not YamlScalar { Text: var text } scalar)
            {
                Error(node, field, "expected an expression in the CAS syntax (e.g. \"q[0]^2 + k*q[1]\").");
                return null;
            }
            if (Expr.TryParse(text, out var e, out var err)) return e;
            int line = scalar.Line + err!.Line - 1;
            int col = err.Line == 1 ? scalar.Column + err.Column - 1 + (scalar.IsQuoted ? 1 : 0) : err.Column;
            _errorCount++;
            errors.Add(new CatalogError(_file, line, col, field, "cannot parse the expression: " + err.Message
                + (err.Expected.Count > 0 ? " (expected " + string.Join(" or ", err.Expected) + ")" : "")));
            return null;
        }

        private ImmutableArray<int>? IndexSet(YamlValue node, string field, int? dimension)
        {
            if (node is YamlScalar { Text: "all" })
            {
                if (dimension is null)
                {
                    if (_dimensionInvalid) return null; // the dimension's own error is listed already
                    Error(node, field, "'all' needs a 'dimension' field.");
                    return null;
                }
                return [.. Enumerable.Range(0, dimension.Value)];
            }
            if (node is not YamlList seq || seq.Items.Count == 0)
            {
                Error(node, field, "an index set is a non-empty list of coordinate indices, e.g. [0, 1], or 'all'.");
                return null;
            }
            var b = ImmutableArray.CreateBuilder<int>();
            foreach (var c in seq.Items)
            {
                if (Int(c, field) is not { } i) return null;
                if (i < 0)
                {
                    Error(c, field, "indices are ≥ 0.");
                    return null;
                }
                if (i >= maxDimension)
                {
                    Error(c, field, string.Create(CultureInfo.InvariantCulture, $"index {i} is beyond the catalog limit of {maxDimension} coordinates (Catalog.MaxDimension, raised for a catalog that needs it)."));
                    return null;
                }
                if (dimension is { } d && i >= d)
                {
                    Error(c, field, string.Create(CultureInfo.InvariantCulture, $"index {i} is outside the {d} coordinates q[0]..q[{d - 1}]."));
                    return null;
                }
                b.Add(i);
            }
            if (b.Distinct().Count() != b.Count)
            {
                Error(node, field, "an index appears twice in the set.");
                return null;
            }
            return b.ToImmutable();
        }

        private ImmutableDictionary<string, ImmutableArray<int>>? Sets(YamlValue node, string field, int? dimension)
        {
            if (node is not YamlMap map)
            {
                Error(node, field, "'sets' maps set names to index lists, e.g. {A1: [0], A2: [1]}.");
                return null;
            }
            var b = ImmutableDictionary.CreateBuilder<string, ImmutableArray<int>>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Entries)
            {
                var name = k.Text;
                if (IndexSet(v, field + "." + name, dimension) is { } set) b[name] = set;
                else return null;
            }
            return b.ToImmutable();
        }

        private ImmutableArray<(int, int)>? Planes(YamlValue node, string field, int? dimension)
        {
            if (node is not YamlList seq || seq.Items.Count == 0)
            {
                Error(node, field, "'planes' is a non-empty list of index pairs, e.g. [[0, 1], [2, 3]].");
                return null;
            }
            var b = ImmutableArray.CreateBuilder<(int, int)>();
            foreach (var p in seq.Items)
            {
                if (p is not YamlList { Items.Count: 2 } pair)
                {
                    Error(p, field, "each plane is a pair of distinct indices [i, j].");
                    return null;
                }
                if (Int(pair.Items[0], field) is not { } i || Int(pair.Items[1], field) is not { } j) return null;
                if (i == j || i < 0 || j < 0 || i >= maxDimension || j >= maxDimension || (dimension is { } d && (i >= d || j >= d)))
                {
                    Error(p, field, "a plane needs two distinct indices inside the coordinates.");
                    return null;
                }
                b.Add((i, j));
            }
            return b.ToImmutable();
        }

        public LearningRule? Rule()
        {
            if (Root() is not { } map) return null;
            CheckKeys(map, "", "id", "name", "description", "kind", "anchor", "hyperparameters", "domains", "time_step", "buffer", "buffers", "update");
            var id = Id(map);
            var name = Text(map, "name", true) ?? id;
            var description = Text(map, "description", false) ?? "";
            var anchor = Text(map, "anchor", false);
            var kindText = Text(map, "kind", false) ?? "position";
            RuleKind kind = RuleKind.Position;
            if (kindText == "accumulator") kind = RuleKind.Accumulator;
            else if (kindText == "adaptive") kind = RuleKind.Adaptive;
            else if (kindText != "position") Error(Get(map, "kind"), "kind", $"unknown rule kind '{kindText}'; use 'position', 'accumulator' or 'adaptive'.");

            var hps = ImmutableArray.CreateBuilder<Hyperparameter>();
            if (Get(map, "hyperparameters") is { } hpNode)
            {
                if (hpNode is YamlMap hpMap)
                    foreach (var (k, v) in hpMap.Entries)
                    {
                        var hn = k.Text;
                        if (!Symbolic.Expr.TryParse(hn, out var hs, out _) || hs is not Symbol)
                            Error(k, "hyperparameters." + hn, $"'{hn}' is not a valid symbol name.");
                        hps.Add(new Hyperparameter(hn, (v as YamlScalar)?.Text ?? ""));
                    }
                else Error(hpNode, "hyperparameters", "'hyperparameters' maps each name to its meaning, e.g. {eta: learning rate}.");
            }
            else Error(map, "hyperparameters", "missing required field 'hyperparameters' (name: meaning for each, e.g. eta: learning rate).");
            if (Get(map, "domains") is { } domainNode)
            {
                // Optional (files without it load as before): each hyperparameter's interval, e.g. beta: "[0, 1)".
                if (domainNode is YamlMap domainMap)
                    foreach (var (k, v) in domainMap.Entries)
                    {
                        string field = "domains." + k.Text;
                        int index = -1;
                        for (int i = 0; i < hps.Count; i++) if (hps[i].Name == k.Text) index = i;
                        if (index < 0) { Error(k, field, $"'{k.Text}' is not declared under 'hyperparameters'."); continue; }
                        if (v is not YamlScalar vs)
                        {
                            Error(v, field, "the value is not an interval; write e.g. \"[0, 1)\" or \"(0, inf)\", quoted.");
                            continue;
                        }
                        if (!SymbolDomain.TryParse(vs.Text, out var domain, out var why))
                        {
                            Error(v, field, why + ".");
                            continue;
                        }
                        hps[index] = hps[index] with { Domain = domain };
                    }
                else Error(domainNode, "domains", "'domains' maps hyperparameter names to intervals, e.g. {beta: \"[0, 1)\"}.");
            }

            Expr timeStep = Coordinates.Eta;
            if (Get(map, "time_step") is { } tsNode && Expression(tsNode, "time_step") is { } ts) timeStep = ts;
            var buffer = Text(map, "buffer", false);
            if (buffer is not null && (Coordinates.Reserved.Contains(buffer) || !Names(buffer)))
                Error(Get(map, "buffer"), "buffer", $"buffer name '{buffer}' is reserved or not an identifier; use e.g. 'v'.");
            var buffers = new List<string>();
            if (buffer is not null) buffers.Add(buffer);
            if (Get(map, "buffers") is { } bsNode)
            {
                if (kind != RuleKind.Adaptive)
                    Error(bsNode, "buffers", "'buffers' (several state buffers) is for 'kind: adaptive' rules; a position or accumulator rule declares one 'buffer'.");
                else if (buffer is not null)
                    Error(bsNode, "buffers", "give either 'buffer' or 'buffers', not both.");
                else if (bsNode is not YamlList { Items.Count: > 0 } bsList)
                    Error(bsNode, "buffers", "'buffers' is a non-empty list of buffer names, e.g. [v, G].");
                else
                    foreach (var item in bsList.Items)
                    {
                        if (item is not YamlScalar { Text: var bn } || Coordinates.Reserved.Contains(bn) || !Names(bn) || bn == AdaptiveStepCount)
                            Error(item, "buffers", $"buffer name {item.Description} is reserved or not an identifier; use e.g. 'v' or 'G'.");
                        else if (buffers.Contains(bn)) Error(item, "buffers", $"buffer '{bn}' is listed twice.");
                        else buffers.Add(bn);
                    }
            }
            if (kind == RuleKind.Adaptive && buffers.Count == 0 && _errorCount == 0)
                Error(map, "buffers", "an adaptive rule declares its state buffers, e.g. 'buffers: [v, G]'.");

            var updates = ImmutableArray.CreateBuilder<UpdateStep>();
            if (Get(map, "update") is YamlMap upMap)
            {
                foreach (var (k, v) in upMap.Entries)
                {
                    var target = k.Text;
                    string field = "update." + target;
                    if (target != "q_next" && !buffers.Any(b => target == b + "_next"))
                    {
                        Error(k, field, $"an update assigns 'q_next'{string.Concat(buffers.Select(b => $" or '{b}_next'"))}, not '{target}'"
                            + (buffers.Count == 0 ? "; declare a 'buffer' to use a second state variable." : "."));
                        continue;
                    }
                    if (Expression(v, field) is not { } e) continue;
                    var allowed = new HashSet<string>(hps.Select(h => h.Name), StringComparer.Ordinal) { "q" };
                    foreach (var b in buffers) { allowed.Add(b); allowed.Add(b + "_next"); }
                    if (kind == RuleKind.Accumulator) allowed.Add("s");
                    if (kind == RuleKind.Adaptive) allowed.Add(AdaptiveStepCount);
                    foreach (var s in e.FreeSymbols())
                        if (s.Index is not null || !allowed.Contains(s.Name))
                            Error(v, field, $"unknown name '{s.DisplayName}'; use q, the buffer, 's' (accumulators: |g|²), 'n' (adaptive rules: the 1-based step count) or a name declared under 'hyperparameters'.");
                    foreach (var a in Applies(e))
                        if (a.Name != "g" || a.Arguments.Length != 1)
                            Error(v, field, $"'{a.Name}(…)' is not allowed: the only function in an update is the loss gradient g(x) with one argument.");
                    updates.Add(new UpdateStep(target, e));
                }
                if (!updates.Any(u => u.Target == "q_next") && _errorCount == 0)
                    Error(upMap, "update", "the update must assign 'q_next'.");
                foreach (var b in buffers)
                    if (!updates.Any(u => u.Target == b + "_next") && _errorCount == 0)
                        Error(upMap, "update", $"the update must assign '{b}_next' (a declared buffer).");
            }
            else Error(Get(map, "update") ?? map, "update", "missing or invalid 'update': map 'q_next' (and '<buffer>_next') to expressions.");
            return _errorCount > 0 ? null
                : new LearningRule(id, name, description, kind, hps.ToImmutable(), timeStep, buffers.FirstOrDefault(), updates.ToImmutable(), anchor, _file)
                {
                    Buffers = [.. buffers],
                };
        }

        private static bool Names(string s) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

        private static IEnumerable<Apply> Applies(Expr e)
        {
            if (e is Apply a) yield return a;
            foreach (var c in e.Children)
                foreach (var x in Applies(c)) yield return x;
        }

        public SymmetryDefinition? Symmetry()
        {
            if (Root() is not { } map) return null;
            CheckKeys(map, "", "id", "name", "description", "kind", "dimension", "sets", "planes", "generator");
            var id = Id(map);
            var name = Text(map, "name", true) ?? id;
            var description = Text(map, "description", false) ?? "";
            var kindText = Text(map, "kind", true);
            SymmetryKind kind = SymmetryKind.Custom;
            // Enum.TryParse also takes a number ("2000000000") and names the enum does not define; only a kind word counts.
            if (kindText is not null && (!kindText.All(char.IsAsciiLetter) || !Enum.TryParse(kindText, true, out kind)))
                Error(Get(map, "kind"), "kind", $"unknown symmetry kind '{kindText}'; use translation, scale, rescale, rotation or custom.");
            int? dimension = Get(map, "dimension") is { } dn ? Int(dn, "dimension") : null;
            if (dimension < 1 || dimension > maxDimension)
            {
                Error(Get(map, "dimension"), "dimension", string.Create(CultureInfo.InvariantCulture,
                    $"dimension {dimension} is outside 1..{maxDimension} (Catalog.MaxDimension, the most coordinates a catalog model may have; raised for a catalog that needs it)."));
                dimension = null; // the sets are then checked against the limit alone, without follow-on errors
                _dimensionInvalid = true;
            }
            int errorsBeforeShape = _errorCount;
            var sets = ImmutableDictionary<string, ImmutableArray<int>>.Empty;
            if (Get(map, "sets") is { } sn && Sets(sn, "sets", dimension) is { } ss) sets = ss;
            var planes = ImmutableArray<(int, int)>.Empty;
            if (Get(map, "planes") is { } pn && Planes(pn, "planes", dimension) is { } pp) planes = pp;
            var generator = ImmutableArray<Expr>.Empty;
            if (Get(map, "generator") is { } gn)
            {
                if (gn is YamlList gs && gs.Items.Count > 0)
                {
                    var b = ImmutableArray.CreateBuilder<Expr>();
                    for (int i = 0; i < gs.Items.Count; i++)
                        if (Expression(gs.Items[i], string.Create(CultureInfo.InvariantCulture, $"generator[{i}]")) is { } e) b.Add(e);
                    generator = b.ToImmutable();
                    dimension ??= generator.Length;
                    if (dimension != generator.Length)
                        Error(gn, "generator", string.Create(CultureInfo.InvariantCulture, $"the generator has {generator.Length} components but 'dimension' is {dimension}."));
                    for (int i = 0; i < generator.Length; i++)
                        foreach (var s in generator[i].FreeSymbols())
                            if (s.Name != Coordinates.QName || s.Index is null || s.Index >= generator.Length)
                                Error(gs.Items[i], string.Create(CultureInfo.InvariantCulture, $"generator[{i}]"),
                                    $"a generator may depend only on q[0]..q[{generator.Length - 1}], not on '{s.DisplayName}'.");
                }
                else Error(gn, "generator", "'generator' is a list of expressions ξ_i(q), one per coordinate.");
            }
            // A 'sets'/'planes'/'generator' that failed to read is missing below only because of its own error.
            switch (_errorCount > errorsBeforeShape ? (SymmetryKind?)null : kind)
            {
                case SymmetryKind.Translation or SymmetryKind.Scale when !sets.ContainsKey("A"):
                    Error(map, "sets", $"a {kind.ToString().ToLowerInvariant()} symmetry needs 'sets: {{A: [...]}}'.");
                    break;
                case SymmetryKind.Rescale when !sets.ContainsKey("A1") || !sets.ContainsKey("A2"):
                    Error(map, "sets", "a rescale symmetry needs 'sets: {A1: [...], A2: [...]}'.");
                    break;
                case SymmetryKind.Rescale when sets["A1"].Intersect(sets["A2"]).Any():
                    Error(Get(map, "sets"), "sets", "A1 and A2 of a rescale symmetry must be disjoint.");
                    break;
                case SymmetryKind.Rotation when planes.IsEmpty:
                    Error(map, "planes", "a rotation symmetry needs 'planes: [[i, j], ...]' (the skew generator's planes).");
                    break;
                case SymmetryKind.Custom when generator.IsEmpty:
                    Error(map, "generator", "a custom symmetry needs 'generator: [ξ_0, ξ_1, ...]'.");
                    break;
            }
            if (kind != SymmetryKind.Custom && !generator.IsEmpty)
                Error(Get(map, "generator"), "generator", "'generator' is only for kind: custom; built-in kinds build theirs from 'sets'/'planes'.");
            int inferred = Math.Max(sets.Values.SelectMany(v => v).DefaultIfEmpty(-1).Max(), planes.SelectMany(p => new[] { p.Item1, p.Item2 }).DefaultIfEmpty(-1).Max()) + 1;
            int dim = dimension ?? Math.Max(inferred, 1);
            return _errorCount > 0 ? null : new SymmetryDefinition(id, name, description, kind, dim, sets, planes, generator, _file);
        }

        public ModelDefinition? Model()
        {
            if (Root() is not { } map) return null;
            CheckKeys(map, "", "id", "name", "description", "dimension", "potential", "abstract", "function", "symmetries", "matrices", "balance", "augmentation");
            var id = Id(map);
            var name = Text(map, "name", true) ?? id;
            var description = Text(map, "description", false) ?? "";
            int? checkedDimension = null;
            if (Get(map, "dimension") is { } dn)
            {
                if (Int(dn, "dimension") is { } d)
                {
                    if (d < 1 || d > maxDimension)
                        Error(dn, "dimension", string.Create(CultureInfo.InvariantCulture,
                            $"dimension {d} is outside 1..{maxDimension} (Catalog.MaxDimension, raised for a catalog that needs it)."));
                    else checkedDimension = d;
                }
                _dimensionInvalid = checkedDimension is null;
            }
            else Error(map, "dimension", "missing required field 'dimension' (the number of coordinates q[0..n-1]).");
            // Without a valid dimension the checks that need one are skipped: their errors would only follow from it.
            int dimension = checkedDimension ?? maxDimension;
            bool isAbstract = Text(map, "abstract", false) is "true";
            Expr? potential = null;
            var pNode = Get(map, "potential");
            if (isAbstract && pNode is not null) Error(pNode, "potential", "an abstract model has no 'potential'; remove one of 'abstract' and 'potential'.");
            if (!isAbstract)
            {
                if (pNode is null) Error(map, "potential", "missing 'potential' (the loss f(q) in the CAS syntax), or set 'abstract: true'.");
                else if (Expression(pNode, "potential") is { } p)
                {
                    potential = p;
                    foreach (var s in p.FreeSymbols())
                    {
                        if (s.Name == Coordinates.QName && s.Index is { } i && i < dimension) continue;
                        if (s.Name == Coordinates.QName && checkedDimension is null && s.Index is not null) continue;
                        if (s.Name == Coordinates.QName)
                            Error(pNode, "potential", string.Create(CultureInfo.InvariantCulture, $"'{s.DisplayName}' is outside the {dimension} coordinates q[0]..q[{dimension - 1}]."));
                        else if (Coordinates.Reserved.Contains(s.Name))
                            Error(pNode, "potential", $"'{s.DisplayName}' is a reserved name (q, qdot, t, eta, beta, k, …); rename the model parameter.");
                    }
                }
            }
            var function = Text(map, "function", false) ?? "f";
            var bindings = ImmutableArray.CreateBuilder<SymmetryBinding>();
            if (Get(map, "symmetries") is { } sn)
            {
                if (sn is not YamlList seq) Error(sn, "symmetries", "'symmetries' is a list of symmetry ids or {id, sets} entries.");
                else
                    foreach (var entry in seq.Items)
                    {
                        if (entry is YamlScalar { Text: var sid })
                            bindings.Add(new SymmetryBinding(sid, null, null, entry.Line, entry.Column));
                        else if (entry is YamlMap em)
                        {
                            CheckKeys(em, "symmetries.", "id", "sets", "planes");
                            var sid2 = Text(em, "id", true, "symmetries.") ?? "";
                            var sets = Get(em, "sets") is { } s2 ? Sets(s2, "symmetries.sets", checkedDimension) : null;
                            var planes = Get(em, "planes") is { } p2 ? Planes(p2, "symmetries.planes", checkedDimension) : null;
                            bindings.Add(new SymmetryBinding(sid2, sets, planes, entry.Line, entry.Column));
                        }
                        else Error(entry, "symmetries", "each entry is a symmetry id or {id: ..., sets: ...}.");
                    }
            }
            else if (isAbstract) Error(map, "symmetries", "an abstract model must declare the symmetries its loss is invariant under.");
            var matrices = ImmutableDictionary.CreateBuilder<string, MatrixBlock>(StringComparer.Ordinal);
            if (Get(map, "matrices") is { } mn)
            {
                if (mn is YamlMap mm)
                    foreach (var (k, v) in mm.Entries)
                    {
                        var mName = k.Text;
                        string f = "matrices." + mName;
                        if (v is not YamlMap vm || Get(vm, "rows") is not { } rn || Get(vm, "cols") is not { } cn || Get(vm, "offset") is not { } on)
                        {
                            Error(v, f, "a matrix block is {rows: r, cols: c, offset: o} (row-major, starting at q[o]).");
                            continue;
                        }
                        if (Int(rn, f + ".rows") is { } r && Int(cn, f + ".cols") is { } c && Int(on, f + ".offset") is { } o)
                        {
                            if (checkedDimension is null) continue;
                            if (r < 1 || c < 1 || o < 0 || (long)o + ((long)r * c) > dimension)
                                Error(v, f, string.Create(CultureInfo.InvariantCulture, $"the block q[{o}]..q[{(long)o + ((long)r * c) - 1}] does not fit the {dimension} coordinates."));
                            else matrices[mName] = new MatrixBlock(mName, r, c, o);
                        }
                    }
                else Error(mn, "matrices", "'matrices' maps names to {rows, cols, offset}.");
            }
            var balance = ImmutableArray<string>.Empty;
            if (Get(map, "balance") is { } bn)
            {
                if (bn is YamlList { Items.Count: 2 } bs && bs.Items.All(c => c is YamlScalar))
                {
                    balance = [.. bs.Items.Select(c => ((YamlScalar)c).Text)];
                    foreach (var b in balance)
                        if (!matrices.ContainsKey(b)) Error(bn, "balance", $"'{b}' is not a block under 'matrices'.");
                    if (balance.All(matrices.ContainsKey) && matrices[balance[0]].Rows != matrices[balance[1]].Columns)
                        Error(bn, "balance", "the layers must chain: rows of the first = columns of the second (W2·W1).");
                }
                else Error(bn, "balance", "'balance' is a pair of matrix names [W1, W2] (W2·W1 is the end-to-end map).");
            }
            var augmentation = Text(map, "augmentation", false);
            if (augmentation is not null && !matrices.ContainsKey(augmentation))
                Error(Get(map, "augmentation"), "augmentation", $"'{augmentation}' is not a block under 'matrices'.");
            return _errorCount > 0 ? null
                : new ModelDefinition(id, name, description, dimension, potential, function, bindings.ToImmutable(), matrices.ToImmutable(),
                    balance, augmentation, _file);
        }
    }
}

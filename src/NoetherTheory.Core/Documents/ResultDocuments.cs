using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace NoetherTheory.Core.Documents;

/// <summary>Writes result documents and reads them back typed by their <see cref="ResultDocument.Kind"/> tag.</summary>
public static class ResultDocuments
{
    /// <summary>Every kind tag this version reads.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        [DeriveDocument.KindTag, VerifyDocument.KindTag, CompareDocument.KindTag, ValidateDocument.KindTag, LawsDocument.KindTag, SymmetriesDocument.KindTag,
        EquilibriumDocument.KindTag, ForecastDocument.KindTag, ForecastScoreDocument.KindTag, GroupChecksDocument.KindTag];

    // The generated metadata with what an attribute cannot carry: non-ASCII text stays readable, and a document
    // that leaves out a field without a default, or gives null where none is allowed, is malformed (not half-read).
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        TypeInfoResolver = DocumentJsonContext.Default.WithAddedModifier(RequireReferenceFields),
    };

    private static readonly JsonTypeInfo<DocumentHeader> HeaderInfo = Info<DocumentHeader>();
    private static readonly JsonTypeInfo<DeriveDocument> DeriveInfo = Info<DeriveDocument>();
    private static readonly JsonTypeInfo<DerivationRecord> DerivationInfo = Info<DerivationRecord>();
    private static readonly JsonTypeInfo<VerifyDocument> VerifyInfo = Info<VerifyDocument>();
    private static readonly JsonTypeInfo<CompareDocument> CompareInfo = Info<CompareDocument>();
    private static readonly JsonTypeInfo<ValidateDocument> ValidateInfo = Info<ValidateDocument>();
    private static readonly JsonTypeInfo<LawsDocument> LawsInfo = Info<LawsDocument>();
    private static readonly JsonTypeInfo<SymmetriesDocument> SymmetriesInfo = Info<SymmetriesDocument>();
    private static readonly JsonTypeInfo<EquilibriumDocument> EquilibriumInfo = Info<EquilibriumDocument>();
    private static readonly JsonTypeInfo<ForecastDocument> ForecastInfo = Info<ForecastDocument>();
    private static readonly JsonTypeInfo<ForecastScoreDocument> ForecastScoreInfo = Info<ForecastScoreDocument>();
    private static readonly JsonTypeInfo<GroupChecksDocument> GroupChecksInfo = Info<GroupChecksDocument>();

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    // Constructor fields of a non-nullable reference type without a default (texts, lists, nested records) must be present.
    private static void RequireReferenceFields(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false, IsMemberInitializer: false } && !property.PropertyType.IsValueType)
                property.IsRequired = true;
    }

    /// <summary>The document as indented JSON (no trailing newline).</summary>
    public static string Serialize(ResultDocument document) => document switch
    {
        DeriveDocument d => JsonSerializer.Serialize(d, DeriveInfo),
        VerifyDocument v => JsonSerializer.Serialize(v, VerifyInfo),
        CompareDocument c => JsonSerializer.Serialize(c, CompareInfo),
        ValidateDocument s => JsonSerializer.Serialize(s, ValidateInfo),
        LawsDocument l => JsonSerializer.Serialize(l, LawsInfo),
        SymmetriesDocument y => JsonSerializer.Serialize(y, SymmetriesInfo),
        EquilibriumDocument e => JsonSerializer.Serialize(e, EquilibriumInfo),
        ForecastDocument f => JsonSerializer.Serialize(f, ForecastInfo),
        ForecastScoreDocument f => JsonSerializer.Serialize(f, ForecastScoreInfo),
        GroupChecksDocument g => JsonSerializer.Serialize(g, GroupChecksInfo),
        null => throw new ArgumentNullException(nameof(document)),
        _ => throw new ArgumentException($"no serialiser for {document.GetType().Name}.", nameof(document)),
    };

    /// <summary>One derivation as indented JSON (what <c>derive --format json</c> prints for a single derivation).</summary>
    public static string Serialize(DerivationRecord derivation)
    {
        ArgumentNullException.ThrowIfNull(derivation);
        return JsonSerializer.Serialize(derivation, DerivationInfo);
    }

    /// <summary>Reads a document file, typed by its kind tag.</summary>
    /// <exception cref="DocumentFormatException">The file is not a result document (the message names it and says why).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ResultDocument Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a document file that must be of type <typeparamref name="T"/>.</summary>
    /// <exception cref="DocumentFormatException">The file is not a document of that kind.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static T Read<T>(string path) where T : ResultDocument
    {
        var document = Read(path);
        return document as T ?? throw new DocumentFormatException(path, $"a {document.Kind} document where {KindOf<T>()} was expected.");
    }

    /// <summary>Parses a document, typed by its kind tag. A validate summary or catalog derivation written before the tag
    /// existed is recognised by its fields.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="DocumentFormatException">Not JSON, no or an unknown kind, or a field of the wrong type or shape.</exception>
    public static ResultDocument Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        RequireJson(json, source);
        var header = Deserialize(json, source, HeaderInfo);
        string kind = header.Kind
            ?? (header.Protocol is not null ? ValidateDocument.KindTag
                : header.CheckCount is not null ? DeriveDocument.KindTag
                : throw new DocumentFormatException(source, $"no \"kind\" field: not a result document ({string.Join(", ", Kinds)})."));
        ResultDocument document = kind switch
        {
            DeriveDocument.KindTag => Deserialize(json, source, DeriveInfo),
            VerifyDocument.KindTag => Deserialize(json, source, VerifyInfo),
            CompareDocument.KindTag => Deserialize(json, source, CompareInfo),
            ValidateDocument.KindTag => Deserialize(json, source, ValidateInfo),
            LawsDocument.KindTag => Deserialize(json, source, LawsInfo),
            SymmetriesDocument.KindTag => Deserialize(json, source, SymmetriesInfo),
            EquilibriumDocument.KindTag => Deserialize(json, source, EquilibriumInfo),
            ForecastDocument.KindTag => Deserialize(json, source, ForecastInfo),
            ForecastScoreDocument.KindTag => Deserialize(json, source, ForecastScoreInfo),
            GroupChecksDocument.KindTag => Deserialize(json, source, GroupChecksInfo),
            _ => throw new DocumentFormatException(source, $"unknown kind \"{kind}\"; this version reads {string.Join(", ", Kinds)}."),
        };
        CheckShapes(document, source);
        return document with { Kind = kind };
    }

    // Syntax first, so a file that is not JSON at all says so (with a 1-based line and column), apart from a field
    // of the wrong type in a well-formed document.
    private static void RequireJson(string json, string source)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            if (NullElement(parsed.RootElement, "") is { } path)
                throw new DocumentFormatException(source, $"field '{path}' is null; the lists of a result document hold no nulls (the file is damaged or hand-edited).");
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1, column = (e.BytePositionInLine ?? 0) + 1;
            throw new DocumentFormatException(source, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"line {line}, column {column}: the file is not JSON ({ReaderProblem(e.Message)}); give a file written by noether verify/derive/compare/validate."), e);
        }
    }

    // What the types cannot say: the two coordinates of a plotted series have one value per point.
    private static void CheckShapes(ResultDocument document, string source)
    {
        if (document is not VerifyDocument verify) return;
        for (int r = 0; r < verify.Records.Count; r++)
        {
            if (verify.Records[r]?.Trace is not { } trace) continue;
            for (int i = 0; i < trace.Series.Count; i++)
                if (trace.Series[i] is { } series && series.X.Count != series.Y.Count)
                    throw new DocumentFormatException(source, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"field 'records[{r}].trace.series[{i}]' has {series.X.Count} x values but {series.Y.Count} y values; a series needs one y per x."));
        }
    }

    private static string? NullElement(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    string at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}[{i++}]");
                    if (item.ValueKind == JsonValueKind.Null) return at;
                    if (NullElement(item, at) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (NullElement(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name) is { } inner) return inner;
                return null;
            default:
                return null;
        }
    }

    private static string ReaderProblem(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0 && (cut < 0 || path < cut)) cut = path;
        return (cut >= 0 ? message[..cut] : message).Trim().TrimEnd('.');
    }

    private static string KindOf<T>() =>
        typeof(T) == typeof(DeriveDocument) ? DeriveDocument.KindTag
        : typeof(T) == typeof(VerifyDocument) ? VerifyDocument.KindTag
        : typeof(T) == typeof(CompareDocument) ? CompareDocument.KindTag
        : typeof(T) == typeof(ValidateDocument) ? ValidateDocument.KindTag
        : typeof(T) == typeof(LawsDocument) ? LawsDocument.KindTag
        : typeof(T) == typeof(SymmetriesDocument) ? SymmetriesDocument.KindTag
        : typeof(T) == typeof(EquilibriumDocument) ? EquilibriumDocument.KindTag
        : typeof(T) == typeof(ForecastDocument) ? ForecastDocument.KindTag
        : typeof(T) == typeof(ForecastScoreDocument) ? ForecastScoreDocument.KindTag
        : typeof(T) == typeof(GroupChecksDocument) ? GroupChecksDocument.KindTag
        : typeof(T).Name;

    private static T Deserialize<T>(string json, string source, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw new DocumentFormatException(source, "empty document (null).");
        }
        catch (JsonException e)
        {
            string where = e.Path is { Length: > 0 } path && path != "$" ? $"field '{path.TrimStart('$', '.')}'" : "the document";
            string at = e.LineNumber is { } n
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (line {n + 1}, column {(e.BytePositionInLine ?? 0) + 1})") : "";
            const string missing = "missing required properties including: ";
            int m = e.Message.IndexOf(missing, StringComparison.Ordinal);
            if (m >= 0)
            {
                string names = ReaderProblem(e.Message[(m + missing.Length)..]);
                throw new DocumentFormatException(source, $"{where}{at} lacks the required field(s) {names}; the file is incomplete or not written by this version.", e);
            }
            throw new DocumentFormatException(source, $"{where}{at} has the wrong type or shape (null, a number for a text, an object for a list, …); the file is damaged or not written by this version.", e);
        }
    }
}

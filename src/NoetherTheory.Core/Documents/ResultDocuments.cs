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
        [DeriveDocument.KindTag, VerifyDocument.KindTag, CompareDocument.KindTag, ValidateDocument.KindTag];

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
            _ => throw new DocumentFormatException(source, $"unknown kind \"{kind}\"; this version reads {string.Join(", ", Kinds)}."),
        };
        return document with { Kind = kind };
    }

    private static string KindOf<T>() =>
        typeof(T) == typeof(DeriveDocument) ? DeriveDocument.KindTag
        : typeof(T) == typeof(VerifyDocument) ? VerifyDocument.KindTag
        : typeof(T) == typeof(CompareDocument) ? CompareDocument.KindTag
        : typeof(T) == typeof(ValidateDocument) ? ValidateDocument.KindTag
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
            string line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new DocumentFormatException(source, $"{where}{line} has the wrong type or shape, or is not JSON.", e);
        }
    }
}

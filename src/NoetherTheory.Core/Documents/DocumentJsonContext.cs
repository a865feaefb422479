using System.Text.Json.Serialization;

namespace NoetherTheory.Core.Documents;

/// <summary>The source-generated serialisation metadata of every result document (camelCase field names).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DocumentHeader))]
[JsonSerializable(typeof(DeriveDocument))]
[JsonSerializable(typeof(DerivationRecord))]
[JsonSerializable(typeof(VerifyDocument))]
[JsonSerializable(typeof(CompareDocument))]
[JsonSerializable(typeof(ValidateDocument))]
[JsonSerializable(typeof(LawsDocument))]
[JsonSerializable(typeof(SymmetriesDocument))]
[JsonSerializable(typeof(EquilibriumDocument))]
[JsonSerializable(typeof(ForecastDocument))]
[JsonSerializable(typeof(ForecastScoreDocument))]
[JsonSerializable(typeof(GroupChecksDocument))]
internal sealed partial class DocumentJsonContext : JsonSerializerContext;

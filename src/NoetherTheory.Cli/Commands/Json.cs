using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NoetherTheory.Cli.Commands;

/// <summary>The one JSON style of the CLI: camelCase, indented, enums as strings, non-ASCII kept readable.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A user-facing description of a deserialisation failure: the JSON path and line, without .NET type names.</summary>
    public static string Describe(JsonException e)
    {
        string where = e.Path is { Length: > 0 } path ? $"field '{path.TrimStart('$', '.')}'" : "the document";
        string line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
        return $"{where}{line} has the wrong type or shape";
    }
}

using System.Text.Json.Serialization;

namespace NoetherTheory.Core.Documents;

/// <summary>
/// A result document that one command writes and another reads (<c>derive</c>, <c>verify</c>, <c>compare</c> and
/// <c>validate</c> write them; <c>report</c> reads them). Each carries its <see cref="Kind"/>, a versioned tag such as
/// <c>noether.verify/1</c>, as its first field; <see cref="ResultDocuments"/> writes and reads them.
/// </summary>
public abstract record ResultDocument
{
    /// <summary>Creates a document with its kind tag.</summary>
    private protected ResultDocument(string kind) => Kind = kind;

    /// <summary>The versioned kind tag (first field of the file).</summary>
    [JsonPropertyOrder(-1)]
    public string Kind { get; init; }
}

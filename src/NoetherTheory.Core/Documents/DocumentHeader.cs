namespace NoetherTheory.Core.Documents;

/// <summary>The fields read first to tell a document's kind (and to recognise files written before the tag existed).</summary>
/// <param name="Kind">The kind tag, or null in an untagged file.</param>
/// <param name="Protocol">Present in a validate summary.</param>
/// <param name="CheckCount">Present in a catalog derivation.</param>
internal sealed record DocumentHeader(string? Kind, string? Protocol, int? CheckCount);

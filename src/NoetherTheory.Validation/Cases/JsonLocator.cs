using System.Text;
using System.Text.Json;

namespace NoetherTheory.Validation.Cases;

/// <summary>Finds where a field sits in a JSON text, as a 1-based line and column (characters), for messages.</summary>
internal static class JsonLocator
{
    /// <summary>The position of the property <paramref name="field"/> (a dotted path; array indices are ignored), else of
    /// the nearest enclosing property that exists, else line 1, column 1.</summary>
    public static (int Line, int Column) Find(string json, string field)
    {
        var positions = PropertyPositions(json, out byte[] bytes);
        var segments = field.Split('.').Select(s => s.Split('[')[0]).Where(s => s.Length > 0).ToList();
        for (int n = segments.Count; n > 0; n--)
            if (positions.TryGetValue(string.Join('.', segments.Take(n)), out long offset))
                return FromOffset(bytes, offset);
        return (1, 1);
    }

    /// <summary>Converts the 0-based line and byte-in-line of a <see cref="JsonException"/> to a 1-based line and column.</summary>
    public static (int Line, int Column) Position(string json, long line0, long byteInLine0)
    {
        var lines = json.Split('\n');
        int line = (int)Math.Clamp(line0, 0, Math.Max(0, lines.Length - 1));
        byte[] lineBytes = Encoding.UTF8.GetBytes(lines.Length == 0 ? "" : lines[line]);
        int take = (int)Math.Clamp(byteInLine0, 0, lineBytes.Length);
        return (line + 1, Encoding.UTF8.GetCharCount(lineBytes, 0, take) + 1);
    }

    /// <summary>The reader's message without its 0-based "LineNumber | BytePositionInLine" tail.</summary>
    public static string ReaderProblem(string message)
    {
        int cut = message.Length;
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0) cut = Math.Min(cut, i);
        }
        return message[..cut].Trim();
    }

    private static (int Line, int Column) FromOffset(byte[] bytes, long offset)
    {
        string before = Encoding.UTF8.GetString(bytes, 0, (int)Math.Clamp(offset, 0, bytes.Length));
        int lastNewline = before.LastIndexOf('\n');
        return (before.Count(c => c == '\n') + 1, before.Length - lastNewline);
    }

    private static Dictionary<string, long> PropertyPositions(string json, out byte[] bytes)
    {
        bytes = Encoding.UTF8.GetBytes(json);
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        var stack = new List<string>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString() ?? "";
                        positions.TryAdd(string.Join('.', stack.Append(pending).Where(s => s.Length > 0)), reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        stack.Add(pending ?? "");
                        pending = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                        break;
                    default:
                        pending = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The positions read before the malformed part are still right; a located message needs no more.
        }
        return positions;
    }
}

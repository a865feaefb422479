using System.Text;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>Damages a valid input the ways a file gets damaged or mistyped: truncation, a flipped byte, a lost or
/// doubled line, a value of the wrong type or size, an extra key, swapped lines, a deleted span.</summary>
internal static class Mutations
{
    public const int Kinds = 8;

    private const string Hostile = "{}[]:,'\"\0\n#&*!|>-\\\t%@`";

    private static readonly string[] YamlValues =
        ["[]", "{}", "null", "NaN", ".nan", "1e999", "2000000000", "-1", "\"\"", "abc", "[[1]]", "{a: {b: c}}", "all", "'", "&x", "*x", "!!binary AA"];

    private static readonly string[] JsonValues =
        ["[]", "{}", "null", "\"abc\"", "NaN", "1e999", "2000000000", "-1", "true", "[[1]]", "{\"a\": {}}", "\"NaN\"", "1.5", "\"\""];

    /// <summary>Mutation <paramref name="kind"/> (0 .. <see cref="Kinds"/>−1) of <paramref name="text"/>, positioned by
    /// <paramref name="random"/>.</summary>
    public static string Apply(string text, int kind, Random random, bool json)
    {
        var lines = text.Split('\n').ToList();
        int Pos() => text.Length == 0 ? 0 : random.Next(text.Length);
        switch (kind % Kinds)
        {
            case 0:
                return text[..Pos()];
            case 1:
            {
                var b = new StringBuilder(text);
                if (b.Length > 0) b[Pos()] = Hostile[random.Next(Hostile.Length)];
                return b.ToString();
            }
            case 2:
                if (lines.Count > 1) lines.RemoveAt(random.Next(lines.Count));
                return string.Join('\n', lines);
            case 3:
            {
                int i = random.Next(lines.Count);
                lines.Insert(i, lines[i]);
                return string.Join('\n', lines);
            }
            case 4:
            {
                var values = json ? JsonValues : YamlValues;
                var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(':', StringComparison.Ordinal)).ToList();
                if (candidates.Count == 0) return text + values[random.Next(values.Length)];
                int i = candidates[random.Next(candidates.Count)];
                int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                string tail = json && lines[i].TrimEnd().EndsWith(',') ? "," : "";
                lines[i] = lines[i][..(colon + 1)] + " " + values[random.Next(values.Length)] + tail;
                return string.Join('\n', lines);
            }
            case 5:
            {
                int i = random.Next(lines.Count + 1);
                lines.Insert(i, json ? "\"unexpected\": 1," : "unexpected: 1");
                return string.Join('\n', lines);
            }
            case 6:
            {
                int i = random.Next(lines.Count), j = random.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return string.Join('\n', lines);
            }
            default:
            {
                int start = Pos();
                int length = Math.Min(text.Length - start, 1 + random.Next(20));
                return text.Remove(start, Math.Max(0, length));
            }
        }
    }

    /// <summary><paramref name="count"/> deterministic mutations of each text, cycling through the kinds.</summary>
    public static IEnumerable<(string Name, string Text)> Of(IReadOnlyList<(string Name, string Text)> sources, int count, int seed, bool json)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var (name, text) = sources[i % sources.Count];
            int kind = i % Kinds;
            yield return ($"{name} mutation {i} (kind {kind})", Apply(text, kind, random, json));
        }
    }
}

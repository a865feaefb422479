namespace NoetherTheory.Symbolic;

/// <summary>Rules for symbol and function names, shared by the factories, the parser and the printers.</summary>
internal static class Names
{
    /// <summary>Words the parser gives a meaning, so they cannot name undefined functions.</summary>
    public static readonly IReadOnlySet<string> Keywords =
        new HashSet<string>(FunctionTable.All.Select(r => r.Name).Concat(["sqrt", "float", "Derivative"]), StringComparer.Ordinal);

    public static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsIdentifierStart(name[0])) return false;
        foreach (char c in name)
            if (!IsIdentifierPart(c)) return false;
        return true;
    }

    public static void ValidateSymbolName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsIdentifier(name))
            throw new ArgumentException(
                $"Symbol name '{name}' is not an identifier: use a letter or '_' followed by letters, digits or '_' (indices go in the separate index argument).",
                nameof(name));
    }

    public static void ValidateFunctionName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsIdentifier(name))
            throw new ArgumentException($"Function name '{name}' is not an identifier: use a letter or '_' followed by letters, digits or '_'.", nameof(name));
        if (Keywords.Contains(name))
            throw new ArgumentException($"'{name}' is a built-in function or keyword; an undefined function needs another name (e.g. '{name}_').", nameof(name));
    }
}

namespace NoetherTheory.Symbolic;

/// <summary>What is known about the values a <see cref="Symbol"/> takes. Part of the symbol's identity.</summary>
public enum SymbolAssumptions
{
    /// <summary>Nothing is assumed (complex).</summary>
    None,
    /// <summary>Real-valued (the default: learning-dynamics coordinates are real).</summary>
    Real,
    /// <summary>Strictly positive real; lets (x^a)^b = x^(ab) and √(x·y) = √x·√y hold on construction.</summary>
    Positive,
}

namespace NoetherTheory.Laws;

/// <summary>How sure the count of conservation laws is (the vocabulary of <see cref="NoetherTheory.Symbolic.ZeroTestKind"/>).</summary>
public enum CountVerdict
{
    /// <summary>Exact arguments bound the count from both sides: D − rank ≥ count ≥ the number of functionally independent
    /// laws found (each proven conserved), and the two meet; or the rank is also proven to be an upper bound.</summary>
    Proven,
    /// <summary>The count D − rank holds unless the random points all fell on the zero set of a minor; the
    /// Schwartz–Zippel bound is stated.</summary>
    ProbablyCorrect,
    /// <summary>The bracket generation ran out of budget before its stopping rule held: D − rank is only an upper bound.</summary>
    UpperBoundOnly,
}

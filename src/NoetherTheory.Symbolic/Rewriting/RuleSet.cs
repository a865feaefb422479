using System.Collections.Immutable;

namespace NoetherTheory.Symbolic;

/// <summary>One rewrite: returns a replacement for a node, or null when it does not apply.</summary>
/// <param name="Name">Shown in <see cref="SimplifyResult.RulesApplied"/>.</param>
/// <param name="Apply">The rewrite.</param>
public sealed record Rule(string Name, Func<Expr, Expr?> Apply);

/// <summary>A named group of rules used by <see cref="Simplifier"/>.</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Rules">Its rules, tried in order.</param>
public sealed record RuleSet(string Name, ImmutableArray<Rule> Rules)
{
    /// <summary>Common denominators and expansion, accepted only when they make the expression smaller.</summary>
    public static RuleSet Algebraic { get; } = new("algebraic", [.. AlgebraicRules.All]);

    /// <summary>sin² + cos² = 1 and cosh² − sinh² = 1 inside sums.</summary>
    public static RuleSet Trigonometric { get; } = new("trigonometric", [.. TrigonometricRules.All]);

    /// <summary>log(exp x) = x (real x), log(xⁿ) = n·log x (positive x).</summary>
    public static RuleSet ExpLog { get; } = new("exp-log", [.. ExpLogRules.All]);

    /// <summary>All built-in sets.</summary>
    public static ImmutableArray<RuleSet> All { get; } = [Trigonometric, ExpLog, Algebraic];
}

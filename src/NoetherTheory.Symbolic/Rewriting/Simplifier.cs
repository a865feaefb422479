using System.Collections.Immutable;
using System.Diagnostics;

namespace NoetherTheory.Symbolic;

/// <summary>Options for <see cref="Simplifier.Simplify"/>.</summary>
public sealed record SimplifyOptions
{
    private readonly int _maxRewrites = 1000;
    private readonly TimeSpan _timeLimit = TimeSpan.FromSeconds(2);

    /// <summary>Defaults: all rule sets, at most 1000 rewrites, 2 s.</summary>
    public static SimplifyOptions Default { get; } = new();

    /// <summary>Stop after this many accepted rewrites (≥ 0).</summary>
    public int MaxRewrites
    {
        get => _maxRewrites;
        init => _maxRewrites = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRewrites), value, "MaxRewrites must be ≥ 0.");
    }

    /// <summary>Stop when this much time has passed (checked between rewrites).</summary>
    public TimeSpan TimeLimit
    {
        get => _timeLimit;
        init => _timeLimit = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(TimeLimit), value, "TimeLimit must be positive.");
    }

    /// <summary>The rule sets to use, in order.</summary>
    public ImmutableArray<RuleSet> RuleSets { get; init; } = RuleSet.All;
}

/// <summary>The outcome of a simplification.</summary>
/// <param name="Result">The simplified expression (never larger than the input by <see cref="Expr.NodeCount"/>).</param>
/// <param name="RewritesUsed">How many rewrites were accepted.</param>
/// <param name="BudgetExhausted">Whether it stopped on MaxRewrites or the time limit.</param>
/// <param name="RulesApplied">The names of accepted rules, in order.</param>
/// <param name="Options">The effective options.</param>
public sealed record SimplifyResult(Expr Result, int RewritesUsed, bool BudgetExhausted, ImmutableArray<string> RulesApplied, SimplifyOptions Options);

/// <summary>Budgeted bottom-up rewriting: a rewrite is accepted only if the node count does not grow (and the
/// expression changes).</summary>
public static class Simplifier
{
    private const int MaxPasses = 4;

    /// <summary>Simplifies with the given options (defaults when null).</summary>
    public static SimplifyResult Simplify(this Expr e, SimplifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        options ??= SimplifyOptions.Default;
        var run = new Run(options);
        var current = e;
        for (int pass = 0; pass < MaxPasses && !run.Exhausted; pass++)
        {
            var next = run.Rewrite(current);
            if (next.Equals(current)) break;
            current = next;
        }
        return new SimplifyResult(current, run.Count, run.Exhausted, [.. run.Applied], options);
    }

    private sealed class Run(SimplifyOptions options)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<Expr, Expr> _memo = [];

        public int Count { get; private set; }

        public List<string> Applied { get; } = [];

        public bool Exhausted => Count >= options.MaxRewrites || _clock.Elapsed > options.TimeLimit;

        public Expr Rewrite(Expr e)
        {
            if (e.Children.Length == 0 || Exhausted) return e;
            if (_memo.TryGetValue(e, out var cached)) return cached;
            var children = e.Children;
            var rebuilt = children.Select(Rewrite).ToImmutableArray();
            var node = e.WithChildren(rebuilt);
            foreach (var set in options.RuleSets)
                foreach (var rule in set.Rules)
                {
                    if (Exhausted) break;
                    var candidate = rule.Apply(node);
                    if (candidate is null || candidate.Equals(node) || candidate.NodeCount > node.NodeCount) continue;
                    node = candidate;
                    Count++;
                    Applied.Add(set.Name + "/" + rule.Name);
                }
            _memo[e] = node;
            return node;
        }
    }
}

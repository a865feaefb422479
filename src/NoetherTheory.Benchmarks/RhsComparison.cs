using System.Diagnostics;
using System.Text.Json;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Benchmarks;

/// <summary>Our side of one size of the core derivation: the derivation, its compiled RHS and the hand-written RHS.</summary>
/// <param name="N">Number of coordinates.</param>
/// <param name="Derivation">What <see cref="CoreDerivation.Run"/> returned (accelerations, charge check, stage timings).</param>
/// <param name="Compiled">The compiled q̈(q, q̇, t, m, τ).</param>
/// <param name="CompileSeconds">Wall time of <see cref="ExprCompiler.Compile"/>.</param>
internal sealed record OurDerivation(int N, CoreDerivationResult Derivation, CompiledFunction Compiled, double CompileSeconds)
{
    /// <summary>End to end: the derivation's stages plus compilation.</summary>
    public double TotalSeconds => Derivation.Total.TotalSeconds + CompileSeconds;

    /// <summary>Runs the derivation of size <paramref name="n"/> and compiles its right-hand side.</summary>
    public static OurDerivation Run(int n)
    {
        var result = CoreDerivation.Run(n);
        var clock = Stopwatch.StartNew();
        var compiled = ExprCompiler.Compile(result.Accelerations, RhsInputs.Symbols(n));
        return new OurDerivation(n, result, compiled, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>The input layout shared by the compiled, the hand-written and SymPy's lambdified RHS: q, q̇, t, m, τ.</summary>
internal static class RhsInputs
{
    /// <summary>t, m, τ of the evaluation point (the values sympy_symbolic.py uses).</summary>
    public static readonly double[] TimeMassTau = [0.3, 0.05, 0.5];

    public static IReadOnlyList<Symbol> Symbols(int n)
    {
        var coords = Coordinates.Of(n);
        return [.. coords.Select(c => c.Q), .. coords.Select(c => c.QDot), Coordinates.Time, Expr.Symbol("m"), Expr.Symbol("tau")];
    }

    /// <summary>A deterministic point with qᵢ, q̇ᵢ in [0.5, 1.5) (golden-ratio and √2 sequences) and t, m, τ as above.</summary>
    public static double[] Point(int n)
    {
        var x = new double[(2 * n) + 3];
        for (int i = 0; i < n; i++)
        {
            x[i] = 0.5 + Frac(0.6180339887498949 * (i + 1));
            x[n + i] = 0.5 + Frac(0.4142135623730951 * (i + 1));
        }
        TimeMassTau.CopyTo(x, 2 * n);
        return x;
    }

    private static double Frac(double x) => x - Math.Floor(x);
}

/// <summary>Per-call times of the compiled, hand-written and lambdified RHS at one size, with the checks that guard them.</summary>
/// <param name="N">Number of coordinates.</param>
/// <param name="Compiled">Compiled RHS (<see cref="CompiledFunction.Evaluate(double[], double[])"/>, argument checks included).</param>
/// <param name="HandWritten">The hand-written RHS.</param>
/// <param name="LambdifySeconds">SymPy lambdify's best per-call time (null when SymPy did not finish).</param>
/// <param name="HandVsCompiled">max|hand − compiled| / max|compiled| at the benchmark point.</param>
/// <param name="OursVsSympy">max|compiled − SymPy| / max|SymPy| at SymPy's point (null when SymPy did not finish).</param>
/// <param name="SharedSubexpressions">Common sub-expressions the compiler computes once.</param>
/// <param name="OursVsMaxima">max|compiled − Maxima| / max|Maxima| at Maxima's point (null when Maxima did not run or finish).</param>
internal sealed record RhsTiming(int N, CallTiming Compiled, CallTiming HandWritten, double? LambdifySeconds,
    double HandVsCompiled, double? OursVsSympy, int SharedSubexpressions, double? OursVsMaxima = null)
{
    /// <summary>Hand-written and compiled evaluate the same formula in a different order: O(n) operations each, with
    /// cancellation between the 4s·q(u − c − A) and s(q₊ + q₋) terms of at most ~10² at these points; 32·2.2e-16·10² ≈ 7e-13.</summary>
    public const double HandWrittenTolerance = 1e-12;

    /// <summary>SymPy's RHS keeps e^{t/τ} in numerator and denominator and a different operation order; 1e-9 is the
    /// brief's agreement bound, three decades above the round-off of either side.</summary>
    public const double SympyTolerance = 1e-9;

    public bool HandWrittenAgrees => HandVsCompiled <= HandWrittenTolerance;

    public bool? SympyAgrees => OursVsSympy is { } d ? d <= SympyTolerance : null;

    /// <summary>Maxima's q̈ is its unsimplified elimination result evaluated in floating point at the same point: like SymPy's,
    /// a different operation order on the same values, so the same bound applies.</summary>
    public const double MaximaTolerance = SympyTolerance;

    public bool? MaximaAgrees => OursVsMaxima is { } d ? d <= MaximaTolerance : null;

    /// <summary>lambdify time / compiled time (target ≥ 20).</summary>
    public double? SpeedupVsLambdify => LambdifySeconds / Compiled.BestSeconds;

    /// <summary>compiled time / hand-written time (target ≤ 2).</summary>
    public double SlowdownVsHandWritten => Compiled.BestSeconds / HandWritten.BestSeconds;

    public static RhsTiming Measure(OurDerivation ours, ReferenceRun sympy, ReferenceRun? maxima = null)
    {
        int n = ours.N;
        var hand = new HandWrittenRhs(n);
        var x = RhsInputs.Point(n);
        var compiledOut = new double[n];
        var handOut = new double[n];
        ours.Compiled.Evaluate(x, compiledOut);
        hand.Evaluate(x, handOut);
        double handDiff = RelativeDifference(handOut, compiledOut);

        double? lambdify = null, sympyDiff = null;
        if (sympy.IsOk)
        {
            var json = sympy.Json!.Value;
            lambdify = json.GetProperty("rhs_call_s").GetDouble();
            var point = json.GetProperty("point").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var expected = json.GetProperty("rhs_at_point").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (point.Length != x.Length || expected.Length != n)
                throw new InvalidOperationException($"sympy_symbolic.py {n}: point has {point.Length} values (expected {x.Length}), rhs {expected.Length} (expected {n}).");
            sympyDiff = RelativeDifference(ours.Compiled.Evaluate(point), expected);
        }
        double? maximaDiff = maxima is { IsOk: true } mx ? AtReferencePoint(ours, mx.Json!.Value, "maxima_symbolic.mac") : null;
        var compiledTime = CallTimer.Measure(ours.Compiled.Evaluate, x, compiledOut);
        var handTime = CallTimer.Measure(hand.Evaluate, x, handOut);
        return new RhsTiming(n, compiledTime, handTime, lambdify, handDiff, sympyDiff, ours.Compiled.SharedSubexpressionCount, maximaDiff);
    }

    /// <summary>Our compiled q̈ at a reference script's <c>point</c> against its <c>rhs_at_point</c> (relative, norm-wise).</summary>
    private static double AtReferencePoint(OurDerivation ours, JsonElement json, string script)
    {
        int n = ours.N;
        var point = json.GetProperty("point").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var expected = json.GetProperty("rhs_at_point").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        if (point.Length != (2 * n) + 3 || expected.Length != n)
            throw new InvalidOperationException($"{script} {n}: point has {point.Length} values (expected {(2 * n) + 3}), rhs {expected.Length} (expected {n}).");
        return RelativeDifference(ours.Compiled.Evaluate(point), expected);
    }

    /// <summary>max_k |a_k − b_k| / max_k |b_k| (norm-wise, so a component near zero does not inflate it).</summary>
    public static double RelativeDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double diff = 0, scale = 0;
        for (int k = 0; k < b.Count; k++)
        {
            diff = Math.Max(diff, Math.Abs(a[k] - b[k]));
            scale = Math.Max(scale, Math.Abs(b[k]));
        }
        return double.IsFinite(diff) ? diff / Math.Max(scale, double.Epsilon) : double.PositiveInfinity;
    }
}

/// <summary>Helpers for reading the reference scripts' JSON.</summary>
internal static class JsonRead
{
    public static Dictionary<string, double> Numbers(JsonElement obj) =>
        obj.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble());
}

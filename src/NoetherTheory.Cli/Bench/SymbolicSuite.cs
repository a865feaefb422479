using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Cli.Bench;

/// <summary>Options of the symbolic suite.</summary>
/// <param name="Sizes">The n to run.</param>
/// <param name="SympyTimeout">Limit of one SymPy run.</param>
/// <param name="Python">Interpreter with SymPy.</param>
internal sealed record SymbolicOptions(IReadOnlyList<int> Sizes, TimeSpan SympyTimeout, string Python);

/// <summary>One size of the symbolic suite, as written to the JSON file.</summary>
internal sealed record SymbolicRow(
    int N,
    double OursSeconds,
    IReadOnlyDictionary<string, double> OursStages,
    string OursChargeCheck,
    string SympyStatus,
    double? SympySeconds,
    IReadOnlyDictionary<string, double>? SympyStages,
    bool? SympyVerified,
    string? SympyVersion,
    string? SympyDetail,
    double? EndToEndSpeedup,
    double? EndToEndSpeedupAtLeast,
    bool? EndToEndTargetMet,
    RhsRow Rhs);

/// <summary>Per-call RHS times at one size, as written to the JSON file.</summary>
internal sealed record RhsRow(
    int N,
    double CompiledSeconds,
    double CompiledMedianSeconds,
    double HandWrittenSeconds,
    double HandWrittenMedianSeconds,
    double? LambdifySeconds,
    double? LambdifyOverCompiled,
    bool? LambdifyTargetMet,
    double CompiledOverHandWritten,
    bool HandWrittenTargetMet,
    double HandVsCompiledRelDiff,
    bool HandVsCompiledAgrees,
    double? OursVsSympyRelDiff,
    bool? OursVsSympyAgrees,
    int SharedSubexpressions,
    long TimedCalls)
{
    /// <summary>Target: the compiled RHS at least this many times faster than SymPy's lambdify.</summary>
    public const double LambdifyTarget = 20;

    /// <summary>Target: the compiled RHS at most this many times slower than the hand-written one.</summary>
    public const double HandWrittenTarget = 2;

    public static RhsRow From(RhsTiming t) => new(
        t.N, t.Compiled.BestSeconds, t.Compiled.MedianSeconds, t.HandWritten.BestSeconds, t.HandWritten.MedianSeconds,
        t.LambdifySeconds, t.SpeedupVsLambdify, t.SpeedupVsLambdify is { } s ? s >= LambdifyTarget : null,
        t.SlowdownVsHandWritten, t.SlowdownVsHandWritten <= HandWrittenTarget,
        t.HandVsCompiled, t.HandWrittenAgrees, t.OursVsSympy, t.SympyAgrees, t.SharedSubexpressions, t.Compiled.Calls);

    /// <summary>False when a correctness check failed (targets are reported, not enforced).</summary>
    public bool ChecksPass => HandVsCompiledAgrees && OursVsSympyAgrees != false;
}

/// <summary>
/// Issue 2's benchmark: for each n, the core derivation (Euler–Lagrange, solve for q̈, scale charge, on-shell zero test,
/// compile the RHS) in our engine and in SymPy (Bench/sympy_symbolic.py), end to end and per stage; then the compiled
/// RHS per call against SymPy's lambdify and a hand-written C# RHS.
/// </summary>
internal static class SymbolicSuite
{
    /// <summary>Target: our end-to-end derivation at least this many times faster than SymPy's.</summary>
    public const double EndToEndTarget = 20;

    /// <summary>Interpreter start-up plus <c>import sympy</c> (≈ 0.4 s measured here), which sympy_symbolic.py's total_s
    /// excludes: taken off a timed-out run's wall time before it is used as a lower bound.</summary>
    public const double StartUpAllowanceSeconds = 1.0;

    public static IReadOnlyList<SymbolicRow> Run(CliContext context, SymbolicOptions options)
    {
        string script = PythonScript.Locate("sympy_symbolic.py");
        // JIT warm-up: the first derivation compiles the CAS's code paths; SymPy's import time is likewise not counted.
        OurDerivation.Run(2);
        var rows = new List<SymbolicRow>();
        foreach (int n in options.Sizes)
        {
            var ours = OurDerivation.Run(n);
            context.Error.WriteLine(Inv($"bench symbolic n={n}: ours {Fmt.Seconds(ours.TotalSeconds)} ({ours.Derivation.ChargeCheck.Kind}); running SymPy (limit {options.SympyTimeout.TotalSeconds:0.##} s)…"));
            var sympy = PythonScript.Run(options.Python, script, [n.ToString(CultureInfo.InvariantCulture)], options.SympyTimeout);
            if (!sympy.IsOk) context.Error.WriteLine($"bench symbolic n={n}: SymPy {sympy.Cell}: {sympy.Detail}");
            var rhs = RhsRow.From(RhsTiming.Measure(ours, sympy));
            rows.Add(MakeRow(ours, sympy, rhs));
        }
        return rows;
    }

    private static SymbolicRow MakeRow(OurDerivation ours, PythonRun sympy, RhsRow rhs)
    {
        var stages = ours.Derivation.Timings.ToDictionary(t => t.Stage, t => t.Elapsed.TotalSeconds);
        stages["compile"] = ours.CompileSeconds;
        double? sympySeconds = null;
        IReadOnlyDictionary<string, double>? sympyStages = null;
        bool? verified = null;
        string? version = null;
        if (sympy.IsOk)
        {
            var json = sympy.Json!.Value;
            sympySeconds = json.GetProperty("total_s").GetDouble();
            sympyStages = JsonRead.Numbers(json.GetProperty("stages"));
            verified = json.GetProperty("verified").GetBoolean();
            version = json.GetProperty("sympy").GetString();
        }
        double? speedup = sympySeconds / ours.TotalSeconds;
        // A SymPy run stopped at its limit still bounds the ratio from below, once its start-up and import are taken off.
        double? atLeast = sympy.Outcome == PythonOutcome.Timeout && sympy.WallSeconds > StartUpAllowanceSeconds
            ? (sympy.WallSeconds - StartUpAllowanceSeconds) / ours.TotalSeconds : null;
        bool? met = speedup is { } s ? s >= EndToEndTarget : atLeast is { } b && b >= EndToEndTarget ? true : null;
        return new SymbolicRow(ours.N, ours.TotalSeconds, stages, ours.Derivation.ChargeCheck.Kind.ToString(),
            sympy.Outcome.ToString().ToLowerInvariant(), sympySeconds, sympyStages, verified, version,
            sympy.IsOk ? null : sympy.Detail, speedup, atLeast, met, rhs);
    }

    public static void Print(TextWriter w, IReadOnlyList<SymbolicRow> rows, TimeSpan sympyTimeout)
    {
        w.WriteLine("## Symbolic: core derivation end to end (derive Euler–Lagrange, solve q̈, scale charge, on-shell zero test, compile RHS)");
        w.WriteLine();
        var end = new TextTable("n", "ours", "SymPy 1.11", "SymPy / ours", "target", "charge check: ours", "charge check: SymPy");
        foreach (var r in rows)
            end.Add(Inv($"{r.N}"), Fmt.Seconds(r.OursSeconds), SympyCell(r, sympyTimeout), r.EndToEndSpeedup is { } s ? Fmt.Ratio(s) : r.EndToEndSpeedupAtLeast is { } b ? "> " + Fmt.Ratio(b) : "—",
                Fmt.Target(r.EndToEndTargetMet, Inv($"≥ {EndToEndTarget:0}×")), Verdict(r.OursChargeCheck),
                r.SympyVerified switch { true => "expand = 0", false => "NOT zero", null => "—" });
        w.Write(end);
        w.WriteLine();
        w.WriteLine("Stages (ours: lagrangian+euler-lagrange / solve / charge+check / compile; SymPy: euler_lagrange / solve / charge_check / compile):");
        w.WriteLine();
        var stages = new TextTable("n", "ours: EL", "solve", "charge+check", "compile", "SymPy: EL", "solve", "charge+check", "compile");
        foreach (var r in rows)
        {
            double S(string k) => r.OursStages.GetValueOrDefault(k);
            string P(string k) => r.SympyStages is { } st && st.TryGetValue(k, out var v) ? Fmt.Seconds(v) : "—";
            stages.Add(Inv($"{r.N}"), Fmt.Seconds(S("lagrangian") + S("euler-lagrange")), Fmt.Seconds(S("solve")),
                Fmt.Seconds(S("charge") + S("check")), Fmt.Seconds(S("compile")),
                P("euler_lagrange_s"), P("solve_s"), P("charge_check_s"), P("compile_s"));
        }
        w.Write(stages);
        w.WriteLine();
        PrintRhs(w, "## Symbolic: compiled RHS per call (best of 7 warm samples; SymPy: lambdify(cse=True, 'math'), best of 5 timeit runs)",
            rows.Select(r => r.Rhs));
    }

    public static void PrintRhs(TextWriter w, string title, IEnumerable<RhsRow> rows)
    {
        w.WriteLine(title);
        w.WriteLine();
        var t = new TextTable("n", "compiled", "hand-written", "lambdify", "lambdify / compiled", "target", "compiled / hand", "target",
            "hand vs compiled (rel.)", "ours vs SymPy (rel.)");
        foreach (var r in rows)
            t.Add(Inv($"{r.N}"), Fmt.Seconds(r.CompiledSeconds), Fmt.Seconds(r.HandWrittenSeconds),
                r.LambdifySeconds is { } l ? Fmt.Seconds(l) : "—", r.LambdifyOverCompiled is { } s ? Fmt.Ratio(s) : "—",
                Fmt.Target(r.LambdifyTargetMet, Inv($"≥ {RhsRow.LambdifyTarget:0}×")), Fmt.Ratio(r.CompiledOverHandWritten),
                Fmt.Target(r.HandWrittenTargetMet, Inv($"≤ {RhsRow.HandWrittenTarget:0}×")),
                Check(r.HandVsCompiledRelDiff, r.HandVsCompiledAgrees, RhsTiming.HandWrittenTolerance),
                r.OursVsSympyRelDiff is { } d ? Check(d, r.OursVsSympyAgrees == true, RhsTiming.SympyTolerance) : "—");
        w.Write(t);
        w.WriteLine();
    }

    private static string Check(double value, bool ok, double tolerance) =>
        Fmt.Small(value) + (ok ? " ✓" : Inv($" ✗ > {tolerance:0e+0}"));

    private static string SympyCell(SymbolicRow r, TimeSpan timeout) => r.SympyStatus switch
    {
        "ok" => Fmt.Seconds(r.SympySeconds!.Value),
        "timeout" => Inv($"timeout (> {timeout.TotalSeconds:0.##} s)"),
        "unavailable" => "SymPy not available",
        _ => "failed",
    };

    private static string Verdict(string kind) => kind switch
    {
        nameof(ZeroTestKind.Proven) => "proven",
        nameof(ZeroTestKind.ProbablyZero) => "probably zero (exact points)",
        nameof(ZeroTestKind.NumericallyZero) => "numerically zero",
        _ => kind,
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

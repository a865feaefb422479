using System.Globalization;
using System.Text.Json;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Benchmarks;

/// <summary>Options of the symbolic suite.</summary>
/// <param name="Sizes">The n to run.</param>
/// <param name="SympyTimeout">Limit of one SymPy run.</param>
/// <param name="Python">Interpreter with SymPy.</param>
/// <param name="MaximaTimeout">Limit of one Maxima run.</param>
/// <param name="Maxima">The Maxima executable (Debian's maxima on PATH by default).</param>
internal sealed record SymbolicOptions(IReadOnlyList<int> Sizes, TimeSpan SympyTimeout, string Python, TimeSpan MaximaTimeout, string Maxima = ReferenceScripts.Maxima);

/// <summary>One size of the symbolic suite, as written to the JSON file.</summary>
/// <remarks>Like with like: SymPy's total includes its lambdify stage and is compared with our total (compile included);
/// Maxima has no compile stage and is compared with our derivation without it (<see cref="OursDerivationSeconds"/>).
/// A peer stopped at its limit bounds the ratio (ours ÷ peer below <c>…AtMost</c>, SymPy ÷ ours above
/// <see cref="EndToEndSpeedupAtLeast"/>).</remarks>
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
    RhsRow Rhs,
    double OursDerivationSeconds,
    double? OursOverSympy,
    double? OursOverSympyAtMost,
    string MaximaStatus,
    double? MaximaSeconds,
    IReadOnlyDictionary<string, double>? MaximaStages,
    bool? MaximaVerified,
    string? MaximaVersion,
    string? MaximaDetail,
    double? OursOverMaxima,
    double? OursOverMaximaAtMost,
    string? FastestPeer,
    double? OursOverFastestPeer,
    double? OursOverFastestPeerAtMost,
    double? MaximaClockResolutionSeconds,
    double? OursOverMaximaAtLeast,
    double? OursOverFastestPeerAtLeast)
{
    /// <summary>False when a correctness check failed: our charge check found a non-zero, a peer's check found the identity
    /// false, or a peer's q̈ differs from ours (targets are reported, not enforced).</summary>
    public bool ChecksPass => Rhs.ChecksPass && OursChargeCheck != nameof(ZeroTestKind.NonZero) && SympyVerified != false && MaximaVerified != false;
}

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
    long TimedCalls,
    double? OursVsMaximaRelDiff = null,
    bool? OursVsMaximaAgrees = null)
{
    /// <summary>Target: the compiled RHS at least this many times faster than SymPy's lambdify.</summary>
    public const double LambdifyTarget = 20;

    /// <summary>Target: the compiled RHS at most this many times slower than the hand-written one.</summary>
    public const double HandWrittenTarget = 2;

    public static RhsRow From(RhsTiming t) => new(
        t.N, t.Compiled.BestSeconds, t.Compiled.MedianSeconds, t.HandWritten.BestSeconds, t.HandWritten.MedianSeconds,
        t.LambdifySeconds, t.SpeedupVsLambdify, t.SpeedupVsLambdify is { } s ? s >= LambdifyTarget : null,
        t.SlowdownVsHandWritten, t.SlowdownVsHandWritten <= HandWrittenTarget,
        t.HandVsCompiled, t.HandWrittenAgrees, t.OursVsSympy, t.SympyAgrees, t.SharedSubexpressions, t.Compiled.Calls, t.OursVsMaxima, t.MaximaAgrees);

    /// <summary>False when a correctness check failed (targets are reported, not enforced).</summary>
    public bool ChecksPass => HandVsCompiledAgrees && OursVsSympyAgrees != false && OursVsMaximaAgrees != false;
}

/// <summary>
/// Issue 2's benchmark: for each n, the core derivation (Euler–Lagrange, solve for q̈, scale charge, on-shell zero test,
/// compile the RHS) in our engine, in SymPy (bench/reference/sympy_symbolic.py) and in Maxima (bench/reference/maxima_symbolic.mac),
/// end to end and per stage, with ours ÷ each peer and ours ÷ the fastest; then the compiled RHS per call against SymPy's
/// lambdify and a hand-written C# RHS.
/// </summary>
internal static class SymbolicSuite
{
    /// <summary>Target: our end-to-end derivation at least this many times faster than SymPy's.</summary>
    public const double EndToEndTarget = 20;

    /// <summary>Interpreter start-up plus <c>import sympy</c> (≈ 0.4 s measured here), which sympy_symbolic.py's total_s
    /// excludes: taken off a timed-out run's wall time before it is used as a lower bound. Maxima starts in ≈ 0.1 s, so the
    /// same allowance is conservative for it.</summary>
    public const double StartUpAllowanceSeconds = 1.0;

    /// <summary>Runs every size: ours, then SymPy, then Maxima, then the RHS timings.</summary>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="options">What to run.</param>
    /// <param name="scripts">Where the reference scripts are.</param>
    public static IReadOnlyList<SymbolicRow> Run(TextWriter progress, SymbolicOptions options, ReferenceScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scripts);
        string script = scripts.Locate("sympy_symbolic.py");
        string maximaScript = scripts.Locate("maxima_symbolic.mac");
        // JIT warm-up: the first derivation compiles the CAS's code paths; SymPy's import time is likewise not counted.
        OurDerivation.Run(2);
        var rows = new List<SymbolicRow>();
        foreach (int n in options.Sizes)
        {
            var ours = OurDerivation.Run(n);
            progress.WriteLine(Inv($"bench symbolic n={n}: ours {Fmt.Seconds(ours.TotalSeconds)} ({ours.Derivation.ChargeCheck.Kind}); running SymPy (limit {options.SympyTimeout.TotalSeconds:0.##} s)…"));
            var sympy = ReferenceScripts.Run(options.Python, script, [n.ToString(CultureInfo.InvariantCulture)], options.SympyTimeout);
            if (!sympy.IsOk) progress.WriteLine($"bench symbolic n={n}: SymPy {sympy.Cell}: {sympy.Detail}");
            progress.WriteLine(Inv($"bench symbolic n={n}: running Maxima (limit {options.MaximaTimeout.TotalSeconds:0.##} s)…"));
            var maxima = RunMaxima(options.Maxima, maximaScript, n, options.MaximaTimeout);
            if (!maxima.IsOk) progress.WriteLine($"bench symbolic n={n}: Maxima {maxima.Cell}: {maxima.Detail}");
            var rhs = RhsRow.From(RhsTiming.Measure(ours, sympy, maxima));
            rows.Add(MakeRow(ours, sympy, maxima, rhs));
        }
        return rows;
    }

    /// <summary>Runs maxima_symbolic.mac for one n: <c>maxima --very-quiet --batch-string='n: N$ batchload("…")$'</c>.</summary>
    public static ReferenceRun RunMaxima(string maxima, string script, int n, TimeSpan timeout)
    {
        string quoted = script.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return ReferenceScripts.RunProcess(maxima, ["--very-quiet", Inv($"--batch-string=n: {n}$ batchload(\"{quoted}\")$")],
            Path.GetFileName(script), timeout);
    }

    internal static SymbolicRow MakeRow(OurDerivation ours, ReferenceRun sympy, ReferenceRun maxima, RhsRow rhs)
    {
        var stages = ours.Derivation.Timings.ToDictionary(t => t.Stage, t => t.Elapsed.TotalSeconds);
        stages["compile"] = ours.CompileSeconds;
        double oursDerivation = ours.Derivation.Total.TotalSeconds;
        var sp = Peer.Read(sympy, "sympy");
        var mx = Peer.Read(maxima, "maxima");
        double? speedup = sp.Seconds / ours.TotalSeconds;
        // A SymPy run stopped at its limit still bounds the ratio from below, once its start-up and import are taken off.
        double? atLeast = sp.LowerBoundSeconds / ours.TotalSeconds;
        bool? met = speedup is { } s ? s >= EndToEndTarget : atLeast is { } b && b >= EndToEndTarget ? true : null;
        double? oursOverSympy = ours.TotalSeconds / sp.Seconds, oursOverSympyAtMost = ours.TotalSeconds / sp.LowerBoundSeconds;
        // Maxima's clock ticks in 10 ms steps (GCL): a total of 0 ticks took less than one tick, which bounds the ratio from below.
        double? oursOverMaxima = mx.Seconds > 0 ? oursDerivation / mx.Seconds : null, oursOverMaximaAtMost = oursDerivation / mx.LowerBoundSeconds;
        double? oursOverMaximaAtLeast = mx.Seconds == 0 && mx.ClockResolution is > 0 and var tick ? oursDerivation / tick : null;
        var candidates = new List<(string Peer, double Ratio, Bound Kind)>();
        if (oursOverSympy is { } r1) candidates.Add(("SymPy", r1, Bound.Exact));
        else if (oursOverSympyAtMost is { } b1) candidates.Add(("SymPy", b1, Bound.AtMost));
        if (oursOverMaxima is { } r2) candidates.Add(("Maxima", r2, Bound.Exact));
        else if (oursOverMaximaAtMost is { } b2) candidates.Add(("Maxima", b2, Bound.AtMost));
        else if (oursOverMaximaAtLeast is { } a2) candidates.Add(("Maxima", a2, Bound.AtLeast));
        var fastest = Fastest(candidates);
        return new SymbolicRow(ours.N, ours.TotalSeconds, stages, ours.Derivation.ChargeCheck.Kind.ToString(),
            sympy.Outcome.ToString().ToLowerInvariant(), sp.Seconds, sp.Stages, sp.Verified, sp.Version,
            sympy.IsOk ? null : sympy.Detail, speedup, atLeast, met, rhs,
            oursDerivation, oursOverSympy, oursOverSympy is null ? oursOverSympyAtMost : null,
            maxima.Outcome.ToString().ToLowerInvariant(), mx.Seconds, mx.Stages, mx.Verified, mx.Version, maxima.IsOk ? null : maxima.Detail,
            oursOverMaxima, oursOverMaxima is null ? oursOverMaximaAtMost : null,
            fastest.Peer, fastest.Kind == Bound.Exact ? fastest.Ratio : null, fastest.Kind == Bound.AtMost ? fastest.Ratio : null,
            mx.ClockResolution, oursOverMaxima is null && oursOverMaximaAtMost is null ? oursOverMaximaAtLeast : null,
            fastest.Kind == Bound.AtLeast ? fastest.Ratio : null);
    }

    private enum Bound { None, Exact, AtMost, AtLeast }

    /// <summary>The fastest peer is the one ours ÷ peer is largest for. A peer stopped at its limit enters with an upper bound, one
    /// faster than the clock's tick with a lower bound; the peer is named only when the bounds decide it, otherwise the ratio
    /// is bounded and the peer left unnamed.</summary>
    private static (string? Peer, double Ratio, Bound Kind) Fastest(List<(string Peer, double Ratio, Bound Kind)> candidates)
    {
        if (candidates.Count == 0) return (null, double.NaN, Bound.None);
        var top = candidates.MaxBy(c => c.Ratio);
        if (top.Kind == Bound.AtMost) return (null, top.Ratio, Bound.AtMost);
        bool othersMayExceed = candidates.Any(c => c.Peer != top.Peer && c.Kind == Bound.AtLeast);
        return othersMayExceed ? (null, top.Ratio, Bound.AtLeast) : (top.Peer, top.Ratio, top.Kind);
    }

    /// <summary>What one peer's run gave: its total and stages, its check, its version; or, stopped at its limit, a lower
    /// bound on its total.</summary>
    private readonly record struct Peer(double? Seconds, double? LowerBoundSeconds, IReadOnlyDictionary<string, double>? Stages, bool? Verified, string? Version,
        double? ClockResolution = null)
    {
        public static Peer Read(ReferenceRun run, string versionField)
        {
            if (run.IsOk)
            {
                var json = run.Json!.Value;
                return new Peer(json.GetProperty("total_s").GetDouble(), null, JsonRead.Numbers(json.GetProperty("stages")),
                    json.GetProperty("verified").GetBoolean(), json.GetProperty(versionField).GetString(),
                    json.TryGetProperty("clock_resolution_s", out var tick) && tick.ValueKind == JsonValueKind.Number ? tick.GetDouble() : null);
            }
            double? bound = run.Outcome == ReferenceOutcome.Timeout && run.WallSeconds > StartUpAllowanceSeconds
                ? run.WallSeconds - StartUpAllowanceSeconds : null;
            return new Peer(null, bound, null, null, null);
        }
    }

    /// <summary>Prints the end-to-end table, the stage table and the RHS table.</summary>
    public static void Print(TextWriter w, IReadOnlyList<SymbolicRow> rows, SymbolicOptions options)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        w.WriteLine("## Symbolic: core derivation end to end (derive Euler–Lagrange, solve q̈, scale charge, on-shell zero test, compile RHS)");
        w.WriteLine();
        string sympyName = rows.Select(r => r.SympyVersion).FirstOrDefault(v => v is not null) is { } sv ? "SymPy " + sv : "SymPy";
        string maximaName = rows.Select(r => r.MaximaVersion).FirstOrDefault(v => v is not null) is { } mv ? "Maxima " + mv : "Maxima";
        var end = new TextTable("n", "ours", sympyName, maximaName + " (no compile)", "ours ÷ SymPy", "ours ÷ Maxima", "ours ÷ fastest peer",
            Inv($"target: SymPy ÷ ours ≥ {EndToEndTarget:0}×"), "charge check: ours", "SymPy", "Maxima");
        foreach (var r in rows)
            end.Add(Inv($"{r.N}"), Fmt.Seconds(r.OursSeconds),
                PeerCell(r.SympyStatus, r.SympySeconds, options.SympyTimeout, "SymPy"),
                PeerCell(r.MaximaStatus, r.MaximaSeconds, options.MaximaTimeout, "Maxima", r.MaximaClockResolutionSeconds),
                RatioCell(r.OursOverSympy, r.OursOverSympyAtMost), RatioCell(r.OursOverMaxima, r.OursOverMaximaAtMost, r.OursOverMaximaAtLeast),
                RatioCell(r.OursOverFastestPeer, r.OursOverFastestPeerAtMost, r.OursOverFastestPeerAtLeast) + (r.FastestPeer is { } f ? " (" + f + ")" : ""),
                TargetCell(r),
                Verdict(r.OursChargeCheck),
                r.SympyVerified switch { true => "expand = 0", false => "NOT zero", null => "—" },
                r.MaximaVerified switch { true => "rat = 0", false => "NOT zero", null => "—" });
        w.Write(end);
        w.WriteLine("ours ÷ SymPy: our total (compile included) over SymPy's (lambdify included); ours ÷ Maxima: our derivation without its " +
            "compile stage over Maxima's (it has none; its clock ticks in 10 ms steps); \"< x\": the peer ran past its limit, so the ratio is below x; \"> x\": the peer took less than one tick " +
            "of its clock. The fastest peer is the one with the largest ratio (named when the bounds decide it). Charge check: ours is the engine's tri-state zero test (\"proven\" = exact proof; " +
            "\"probably zero\" = exact evaluation at random rational points, no proof).");
        w.WriteLine();
        w.WriteLine("Stages (ours: lagrangian+euler-lagrange / solve / charge+check / compile; SymPy: euler_lagrange / solve / charge_check / compile; Maxima: the same without compile):");
        w.WriteLine();
        var stages = new TextTable("n", "ours: EL", "solve", "charge+check", "compile", "SymPy: EL", "solve", "charge+check", "compile",
            "Maxima: EL", "solve", "charge+check");
        foreach (var r in rows)
        {
            double S(string k) => r.OursStages.GetValueOrDefault(k);
            static string P(IReadOnlyDictionary<string, double>? st, string k, double? tick = null) =>
                st is not null && st.TryGetValue(k, out var v) ? (v == 0 && tick is { } t ? "< " + Fmt.Seconds(t) : Fmt.Seconds(v)) : "—";
            stages.Add(Inv($"{r.N}"), Fmt.Seconds(S("lagrangian") + S("euler-lagrange")), Fmt.Seconds(S("solve")),
                Fmt.Seconds(S("charge") + S("check")), Fmt.Seconds(S("compile")),
                P(r.SympyStages, "euler_lagrange_s"), P(r.SympyStages, "solve_s"), P(r.SympyStages, "charge_check_s"), P(r.SympyStages, "compile_s"),
                P(r.MaximaStages, "euler_lagrange_s", r.MaximaClockResolutionSeconds), P(r.MaximaStages, "solve_s", r.MaximaClockResolutionSeconds),
                P(r.MaximaStages, "charge_check_s", r.MaximaClockResolutionSeconds));
        }
        w.Write(stages);
        w.WriteLine();
        PrintRhs(w, "## Symbolic: compiled RHS per call (best of 7 warm samples; SymPy: lambdify(cse=True, 'math'), best of 5 timeit runs)",
            rows.Select(r => r.Rhs));
    }

    /// <summary>Prints the compiled-RHS table (shared with the integrators suite).</summary>
    public static void PrintRhs(TextWriter w, string title, IEnumerable<RhsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(rows);
        w.WriteLine(title);
        w.WriteLine();
        var list = rows.ToList();
        bool maxima = list.Any(r => r.OursVsMaximaRelDiff is not null);
        var header = new List<string> { "n", "compiled", "hand-written", "lambdify", "lambdify / compiled", "target", "compiled / hand", "target",
            "hand vs compiled (rel.)", "ours vs SymPy (rel.)" };
        if (maxima) header.Add("ours vs Maxima (rel.)");
        var t = new TextTable([.. header]);
        foreach (var r in list)
        {
            var cells = new List<string>
            {
                Inv($"{r.N}"), Fmt.Seconds(r.CompiledSeconds), Fmt.Seconds(r.HandWrittenSeconds),
                r.LambdifySeconds is { } l ? Fmt.Seconds(l) : "—", r.LambdifyOverCompiled is { } s ? Fmt.Ratio(s) : "—",
                Fmt.Target(r.LambdifyTargetMet, Inv($"≥ {RhsRow.LambdifyTarget:0}×")), Fmt.Ratio(r.CompiledOverHandWritten),
                Fmt.Target(r.HandWrittenTargetMet, Inv($"≤ {RhsRow.HandWrittenTarget:0}×")),
                Check(r.HandVsCompiledRelDiff, r.HandVsCompiledAgrees, RhsTiming.HandWrittenTolerance),
                r.OursVsSympyRelDiff is { } d ? Check(d, r.OursVsSympyAgrees == true, RhsTiming.SympyTolerance) : "—",
            };
            if (maxima) cells.Add(r.OursVsMaximaRelDiff is { } dm ? Check(dm, r.OursVsMaximaAgrees == true, RhsTiming.MaximaTolerance) : "—");
            t.Add([.. cells]);
        }
        w.Write(t);
        w.WriteLine();
    }

    private static string Check(double value, bool ok, double tolerance) =>
        Fmt.Small(value) + (ok ? " ✓" : Inv($" ✗ > {tolerance:0e+0}"));

    private static string PeerCell(string status, double? seconds, TimeSpan timeout, string name, double? tick = null) => status switch
    {
        "ok" when seconds == 0 && tick is { } t => "< " + Fmt.Seconds(t),
        "ok" => Fmt.Seconds(seconds!.Value),
        "timeout" => Inv($"timeout (> {timeout.TotalSeconds:0.##} s)"),
        "unavailable" => name + " not available",
        _ => "failed",
    };

    // SymPy ÷ ours (or its lower bound) with ✓/✗ where the target is decided.
    private static string TargetCell(SymbolicRow r)
    {
        string value = r.EndToEndSpeedup is { } s ? Fmt.Ratio(s) : r.EndToEndSpeedupAtLeast is { } b ? "> " + Fmt.Ratio(b) : "—";
        return r.EndToEndTargetMet switch { true => value + " ✓", false => value + " ✗", null => value };
    }

    private static string RatioCell(double? exact, double? atMost, double? atLeast = null) =>
        exact is { } x ? Fmt.SmallRatio(x) : atMost is { } b ? "< " + Fmt.SmallRatio(b) : atLeast is { } a ? "> " + Fmt.SmallRatio(a) : "—";

    private static string Verdict(string kind) => kind switch
    {
        nameof(ZeroTestKind.Proven) => "proven",
        nameof(ZeroTestKind.ProbablyZero) => "probably zero (exact points)",
        nameof(ZeroTestKind.NumericallyZero) => "numerically zero",
        _ => kind,
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

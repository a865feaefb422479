using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NoetherTheory.Laws;
using NoetherTheory.Laws.Dynamics;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// The <c>--flow gradient|momentum|weight-decay</c> part of <c>noether laws</c>: the option, the run (exact verdicts plus
/// numeric drift checks, theory/07-laws-under-momentum.md#eq-7-3) and its text and JSON output. <c>LawsCommand</c> adds
/// <see cref="CreateOption"/> to its command, calls <see cref="Run"/> with the factorisation and laws it found, and
/// writes <see cref="WriteText"/> or puts <see cref="ToJson"/> under the key <c>"flow"</c> of its JSON document.
/// </summary>
internal static class LawsFlowOutput
{
    /// <summary>The accepted <c>--flow</c> values.</summary>
    public static readonly IReadOnlyList<string> Names = ["gradient", "momentum", "weight-decay"];

    /// <summary>The <c>--flow</c> option (default gradient).</summary>
    public static Option<string> CreateOption() => new("--flow")
    {
        Description = "Which dynamics the laws are carried into: gradient (default), momentum (heavy ball's damped flow) or weight-decay",
        DefaultValueFactory = _ => "gradient",
    };

    /// <summary>Parses a <c>--flow</c> value.</summary>
    /// <exception cref="UsageException">Anything but gradient, momentum or weight-decay (exit code 2).</exception>
    public static Flow ParseFlow(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "gradient" => Flow.Gradient,
        "momentum" => Flow.Momentum,
        "weight-decay" => Flow.WeightDecay,
        _ => throw new UsageException($"--flow {text}: give one of {string.Join(", ", Names)}."),
    };

    /// <summary>Classifies the laws under the flow and runs the numeric drift checks with the default options.</summary>
    /// <exception cref="UsageException">The factorisation or a law is malformed (the message says which).</exception>
    public static LawDynamicsReport Run(Factorisation factorisation, IReadOnlyList<ConservationLaw> laws, Flow flow)
    {
        try
        {
            return LawDynamics.Check(factorisation, laws, flow);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--flow {Name(flow)}: {e.Message}");
        }
    }

    /// <summary>The flow's <c>--flow</c> spelling.</summary>
    public static string Name(Flow flow) => flow switch
    {
        Flow.Gradient => "gradient",
        Flow.Momentum => "momentum",
        Flow.WeightDecay => "weight-decay",
        _ => throw new ArgumentOutOfRangeException(nameof(flow), flow, "unknown flow."),
    };

    /// <summary>Writes the verdicts, the decaying charges and the numeric checks as text.</summary>
    public static void WriteText(TextWriter writer, LawDynamicsReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Classification;
        var o = report.Options;
        writer.WriteLine(Inv($"Flow: {Name(c.Flow)} ({Describe(c.Flow, o)})"));
        foreach (var v in c.Verdicts)
        {
            writer.WriteLine(Inv($"  {v.Law.Name}: {Fate(v)} — conserved: {v.Quantity}"));
            writer.WriteLine(Inv($"      {v.Reason}"));
            if (v.BreakingDisplay is not null) writer.WriteLine(Inv($"      breaking term: {v.BreakingDisplay}"));
        }
        if (c.Flow == Flow.Momentum)
        {
            if (c.ChargesNote is not null) writer.WriteLine(Inv($"  rotation charges: {c.ChargesNote}"));
            else
            {
                writer.WriteLine(Inv($"  rotation charges (antisymmetric linear symmetries, J = m⟨θ̇, Kθ⟩ ∝ e^(−t/τ)): {c.Charges.Length}"));
                foreach (var q in c.Charges) writer.WriteLine(Inv($"    {q.Name}: {q.Display}"));
            }
        }
        int passed = report.Checks.Count(k => k.Passed);
        writer.WriteLine(Inv($"  numeric checks on ½|φ(θ) − y|² (seed {o.Seed}): {passed}/{report.Checks.Length} passed"));
        foreach (var k in report.Checks)
            writer.WriteLine(Inv($"    {(k.Passed ? "ok  " : "FAIL")} {CheckName(k.Kind)} {k.Subject}: {G(k.Measured)} (expected {G(k.Expected)} ± {G(k.Tolerance)})"));
    }

    /// <summary>The same as a JSON object (camelCase, numbers as numbers, non-finite numbers as strings).</summary>
    public static JsonObject ToJson(LawDynamicsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Classification;
        var o = report.Options;
        var verdicts = new JsonArray();
        foreach (var v in c.Verdicts)
        {
            verdicts.Add(new JsonObject
            {
                ["law"] = v.Law.Name,
                ["fate"] = Fate(v.Fate),
                ["quantity"] = v.Quantity,
                ["reason"] = v.Reason,
                ["generator"] = JsonName(v.Generator.ToString()),
                ["breakingTerm"] = v.BreakingDisplay,
                ["scalingDegrees"] = new JsonArray([.. v.ScalingDegrees.Select(d => (JsonNode)d)]),
                ["anchor"] = v.Anchor,
            });
        }
        var charges = new JsonArray();
        foreach (var q in c.Charges) charges.Add(new JsonObject { ["name"] = q.Name, ["charge"] = q.Display, ["fate"] = "decaysAs" });
        var checks = new JsonArray();
        foreach (var k in report.Checks)
        {
            checks.Add(new JsonObject
            {
                ["subject"] = k.Subject,
                ["kind"] = JsonName(k.Kind.ToString()),
                ["passed"] = k.Passed,
                ["measured"] = Number(k.Measured),
                ["expected"] = Number(k.Expected),
                ["tolerance"] = Number(k.Tolerance),
                ["detail"] = k.Detail,
                ["learningRates"] = new JsonArray([.. k.LearningRates.Select(Number)]),
                ["drifts"] = new JsonArray([.. k.Drifts.Select(Number)]),
            });
        }
        var result = new JsonObject
        {
            ["flow"] = Name(c.Flow),
            ["dampingTime"] = c.Flow == Flow.Momentum ? Number(LawDynamics.DampingTime(o.MomentumLearningRate, o.Momentum)) : null,
            ["learningRate"] = c.Flow == Flow.Momentum ? o.MomentumLearningRate : null,
            ["momentum"] = c.Flow == Flow.Momentum ? o.Momentum : null,
            ["weightDecay"] = c.Flow == Flow.WeightDecay ? o.WeightDecay : null,
            ["verdicts"] = verdicts,
            ["charges"] = charges,
            ["chargesNote"] = c.ChargesNote,
            ["checks"] = checks,
            ["allPassed"] = report.AllPassed,
        };
        foreach (var key in result.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) result.Remove(key);
        return result;
    }

    private static string Describe(Flow flow, DriftCheckOptions o) => flow switch
    {
        Flow.Momentum => Inv($"m θ̈ + μ θ̇ = −∇L, τ = m/μ = {G(LawDynamics.DampingTime(o.MomentumLearningRate, o.Momentum))} at η = {G(o.MomentumLearningRate)}, β = {G(o.Momentum)}"),
        Flow.WeightDecay => Inv($"θ̇ = −∇L − λθ, checked at λ = {G(o.WeightDecay)}"),
        _ => "θ̇ = −∇L",
    };

    private static string Fate(LawVerdict v) => v.Fate switch
    {
        LawFate.ScaledBy => "scaled by " + string.Join(", ", v.ScalingDegrees.Select(d => Inv($"e^({d}λt)"))),
        LawFate.DecaysAs => "decays as e^(−t/τ)",
        LawFate.Lost => "lost",
        LawFate.NotALaw => "NOT A LAW of gradient flow",
        _ => "conserved",
    };

    private static string Fate(LawFate fate) => JsonName(fate.ToString());

    private static string CheckName(DriftCheckKind kind) => kind switch
    {
        DriftCheckKind.GradientDescentOrder => "GD order",
        DriftCheckKind.WeightDecayOrder => "weight-decay order",
        DriftCheckKind.MomentumExact => "heavy ball exact",
        DriftCheckKind.ChargeDecayRate => "decay rate",
        _ => "KSB drift",
    };

    private static string JsonName(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static JsonNode Number(double x) => double.IsFinite(x) ? JsonValue.Create(x) : JsonValue.Create(x.ToString(CultureInfo.InvariantCulture));

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
